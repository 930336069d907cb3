"""parse_timeline: when the prospect plans to buy, resolved against a fixed conversation date.

Rows are (text, expected target_date). `TODAY` is a Sunday late in Q4; a second date in
Q1 of the next year shows how quarters, months and seasons roll over.
"""
from __future__ import annotations

from datetime import date

import pytest

from bot.answers import months_between
from bot.parsing.timeline import parse_timeline

TODAY = date(2026, 11, 22)  # a Sunday in Q4
LATER = date(2027, 2, 10)  # a Wednesday in Q1


def target(text: str, today: date = TODAY, *, answering: bool = True) -> str | None:
    timeline = parse_timeline(text, today, answering=answering)
    assert timeline is not None, f"nothing read from {text!r}"
    assert timeline.status == "stated", timeline
    assert timeline.months == months_between(today, date.fromisoformat(timeline.target_date))
    return timeline.target_date


URGENT = [
    ("asap", "2026-11-29"),
    ("ASAP please!", "2026-11-29"),
    ("right away", "2026-11-29"),
    ("immediately", "2026-11-29"),
    ("yesterday 😅", "2026-11-29"),
    ("as soon as possible", "2026-11-29"),
    ("urgently", "2026-11-29"),
    ("now", "2026-11-29"),
    ("next week", "2026-11-29"),  # today is a Sunday: next week ends on the 29th
    ("by Friday", "2026-11-27"),
]

DURATIONS = [
    # several parts, decades, short units
    ("in 1 year and 3 months", "2028-02-22"),
    ("2 years 6 months from now", "2029-05-22"),
    ("within a decade", "2036-11-22"),
    ("in 10d", "2026-12-02"),
    ("the day after tomorrow", "2026-11-24"),
    # "from now" counts from today; "now" in it is not "right now"
    ("in 3 months from now", "2027-02-22"),
    ("about 6 months from now", "2027-05-22"),
    ("a year from now", "2027-11-22"),
    ("two weeks from now", "2026-12-06"),
    ("in six weeks", "2027-01-03"),
    ("6 weeks", "2027-01-03"),
    ("in 8-10 weeks", "2027-01-31"),  # upper bound
    ("8 to 10 weeks", "2027-01-31"),
    ("in a fortnight", "2026-12-06"),
    ("a couple of weeks", "2026-12-06"),
    ("a few weeks", "2026-12-13"),
    ("within 3 months", "2027-02-22"),
    ("in the next 3 months", "2027-02-22"),
    ("within three months", "2027-02-22"),
    ("6-12 months", "2027-11-22"),
    ("six months to a year", "2027-11-22"),
    ("a month or two", "2027-01-22"),
    ("in about 2 months", "2027-01-22"),
    ("1.5 months", "2027-01-06"),  # one month, then half of 30.44 days
    ("10 days", "2026-12-02"),
    ("in 2 years", "2028-11-22"),
    ("half a year", "2027-05-22"),
    ("in the coming months", "2027-02-22"),
    ("over the next few weeks", "2026-12-13"),
    ("soon", "2026-12-22"),
]

QUARTERS = [
    ("end of Q1", "2027-03-31"),  # the end of a named quarter, not of this one
    ("by the end of Q2", "2027-06-30"),
    ("this quarter", "2026-12-31"),
    ("end of the quarter", "2026-12-31"),
    ("next quarter", "2027-03-31"),
    ("the quarter after next", "2027-06-30"),
    ("Q3", "2027-09-30"),  # Q3 2026 is over: next year's
    ("Q4", "2026-12-31"),  # the current quarter
    ("by Q1", "2027-03-31"),
    ("Q1 2027", "2027-03-31"),
    ("Q2 '27", "2027-06-30"),
    ("q3 of next year", "2027-09-30"),
    ("third quarter", "2027-09-30"),
    ("H2", "2026-12-31"),
    ("H1", "2027-06-30"),
    ("second half of next year", "2027-12-31"),
    ("first half of 2028", "2028-06-30"),
]

YEARS = [
    # the middle of a year, and a window that only opens later: the day it opens
    ("mid-2027", "2027-06-30"),
    ("not until 2028", "2028-01-01"),
    ("not before 2028, realistically", "2028-01-01"),
    ("not before June", "2027-06-01"),
    ("this year", "2026-12-31"),
    ("by year end", "2026-12-31"),
    ("before the end of the year", "2026-12-31"),
    ("EOY", "2026-12-31"),
    ("next year", "2027-12-31"),
    ("early next year", "2027-03-31"),
    ("mid next year", "2027-06-30"),
    ("in the new year", "2027-01-31"),
    ("not this year", "2027-12-31"),  # documented: read like "next year"
    ("in 2027", "2027-12-31"),
    ("early 2027", "2027-03-31"),
    ("by 2028", "2027-12-31"),  # "by 2028" = before 2028 starts
    ("before Christmas", "2026-12-24"),
]

MONTHS_AND_DATES = [
    # Easter, and a conclusion that restates the window ("..., so by X")
    ("by Easter", "2027-03-28"),
    ("around the easter holidays", "2027-03-28"),
    ("after the summer break, so realistically October", "2027-10-31"),
    ("we open a new site in spring, which means by April", "2027-04-30"),
    ("by end of next month", "2026-12-31"),
    ("next month", "2026-12-31"),
    ("by the end of the month", "2026-11-30"),
    ("this month", "2026-11-30"),
    ("by March", "2027-03-31"),
    ("in March", "2027-03-31"),
    ("mid-March", "2027-03-20"),
    ("early April", "2027-04-10"),
    ("before March", "2027-02-28"),
    ("by November", "2026-11-30"),  # the current month
    ("December", "2026-12-31"),
    ("March 2028", "2028-03-31"),
    ("before 15 June", "2027-06-14"),
    ("by 15 June", "2027-06-15"),
    ("June 15th", "2027-06-15"),
    ("the 3rd of February", "2027-02-03"),
    ("15/06", "2027-06-15"),  # day/month
    ("06/15", "2027-06-15"),  # month/day: 15 cannot be a month
    ("01/03/2027", "2027-03-01"),
    ("2027-03-01", "2027-03-01"),
    ("in spring", "2027-05-31"),
    ("this summer", "2027-08-31"),
    ("by autumn 2027", "2027-11-30"),
    ("this winter", "2027-02-28"),
]


@pytest.mark.parametrize(("text", "expected"), URGENT)
def test_urgency(text: str, expected: str) -> None:
    assert target(text) == expected


@pytest.mark.parametrize(("text", "expected"), DURATIONS)
def test_durations_take_the_upper_bound(text: str, expected: str) -> None:
    assert target(text) == expected


@pytest.mark.parametrize(("text", "expected"), QUARTERS)
def test_quarters_and_halves(text: str, expected: str) -> None:
    assert target(text) == expected


@pytest.mark.parametrize(("text", "expected"), YEARS)
def test_years(text: str, expected: str) -> None:
    assert target(text) == expected


@pytest.mark.parametrize(("text", "expected"), MONTHS_AND_DATES)
def test_months_and_explicit_dates(text: str, expected: str) -> None:
    assert target(text) == expected


ROLLOVER = [
    ("Q1", "2027-03-31"),  # current quarter
    ("Q4", "2027-12-31"),
    ("this quarter", "2027-03-31"),
    ("next quarter", "2027-06-30"),
    ("by March", "2027-03-31"),
    ("by January", "2028-01-31"),  # January 2027 is over
    ("before 15 June", "2027-06-14"),
    ("this winter", "2027-02-28"),  # the winter we are in
    ("this year", "2027-12-31"),
    ("next year", "2028-12-31"),
    ("H1", "2027-06-30"),
    ("by Friday", "2027-02-12"),
    ("in six weeks", "2027-03-24"),
]


@pytest.mark.parametrize(("text", "expected"), ROLLOVER)
def test_rollover_from_another_date(text: str, expected: str) -> None:
    assert target(text, LATER) == expected


def test_months_are_computed_from_the_given_date() -> None:
    timeline = parse_timeline("we'd like it live in six weeks", TODAY, answering=False)
    assert timeline is not None
    assert (timeline.status, timeline.target_date, timeline.months) == ("stated", "2027-01-03", 1.4)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("no plans", "none"),
        ("no timeline", "none"),
        ("just looking", "none"),
        ("just browsing for now", "none"),
        ("we're not buying", "none"),
        ("no timeframe really", "none"),
        ("there's no specific date for this", "none"),
        ("no rush, no hard deadline", "none"),
        ("not sure", "unknown"),
        ("don't know yet", "unknown"),
        ("depends", "unknown"),
        ("it depends on the board", "unknown"),
        ("skip", "unknown"),
        ("TBD", "unknown"),
        ("no rush", "unknown"),
        ("eventually", "unknown"),
    ],
)
def test_none_and_unknown(text: str, status: str) -> None:
    timeline = parse_timeline(text, TODAY, answering=True)
    assert timeline is not None and timeline.status == status
    assert timeline.target_date is None and timeline.months is None
    assert timeline.text == text


def test_a_date_beats_hesitation() -> None:
    assert target("not sure, maybe Q3") == "2027-09-30"


@pytest.mark.parametrize(("text", "expected"), [
    ("our trade fair is in June, so we need it live by April", "2027-04-30"),
    ("for the autumn intake we want the bot running by the end of July", "2027-07-31"),
    ("we'd like it set up within 6 weeks, before our busy summer", "2027-01-03"),
])
def test_the_time_the_purchase_is_tied_to_beats_the_scene(text: str, expected: str) -> None:
    assert target(text) == expected


# Scanning any message (answering=False): only clear statements about buying or going live.
STRICT_FOUND = [
    ("we'd like it live in six weeks", "2027-01-03"),
    ("we need it by Q3", "2027-09-30"),
    ("planning to buy next quarter", "2027-03-31"),
    ("within 3 months ideally", "2027-02-22"),
    ("asap", "2026-11-29"),
    ("launch in March", "2027-03-31"),
    ("we want to go live before 15 June", "2027-06-14"),
    ("24/7 support, live by June", "2027-06-30"),
    ("we've been 6 years in business and want to launch in 8 weeks", "2027-01-17"),
]


@pytest.mark.parametrize(("text", "expected"), STRICT_FOUND)
def test_strict_reads_clear_buying_times(text: str, expected: str) -> None:
    assert target(text, answering=False) == expected


NOT_A_TIMELINE = [
    "6 years in business",
    "we have 50 employees",
    "we pay 900 per month",
    "about 900 a month",
    "we've used our CRM for 3 years",
    "in March we moved offices",
    "our Q3 numbers were great",
    "we get 200 leads a month",
    "just looking",  # an exploring need; the timeline is asked later
    "we may need a bot",
    "we need 24/7 support",
    "budget is 25k",
    "Sam Ortiz, head of sales",
    "we opened 2 years ago",
    "over the last 6 months we lost leads",
    "we march on",
    "hello",
]


@pytest.mark.parametrize("text", NOT_A_TIMELINE)
def test_strict_ignores_other_durations_and_counts(text: str) -> None:
    assert parse_timeline(text, TODAY, answering=False) is None


@pytest.mark.parametrize("text", ["about 650", "6", "25k", "hello", "", "   "])
def test_answering_without_a_time_is_none(text: str) -> None:
    assert parse_timeline(text, TODAY, answering=True) is None


@pytest.mark.parametrize(
    "text",
    [
        "in 6 weeks " * 10_000,
        "Q" * 100_000,
        "1/" * 50_000,
        "next " * 20_000,
        "in " * 30_000 + "weeks",
        "<b>by March</b>" * 5_000,
        "\u200b" * 50_000 + "asap",
    ],
)
@pytest.mark.timeout(120)  # a hang guard; the speed is measured in bench/parsing.py
def test_huge_input_is_read_to_an_answer_or_none(text: str) -> None:
    for answering in (True, False):
        result = parse_timeline(text, TODAY, answering=answering)
        assert result is None or result.status in {"stated", "none", "unknown"}


def test_html_and_unicode_are_cleaned_first() -> None:
    assert target("<p>by <b>ＭＡＲＣＨ</b></p>") == "2027-03-31"
