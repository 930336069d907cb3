"""parse_timeline, issue 24: windows that only open later, two times offered at once, seasons
counted from today, durations in several parts, and dates that name only a day.

Rows are (text, today, expected target_date).
"""
from __future__ import annotations

from datetime import date

import pytest

from tests.parsing.test_timeline import target

SPRING_DAY = date(2026, 4, 14)   # a Tuesday in Q2, spring under way
AUTUMN_DAY = date(2026, 10, 7)   # a Wednesday in Q4
WINTER_DAY = date(2027, 1, 20)   # a Wednesday in Q1

AFTER_X = [
    # the day after X ends
    ("after the summer", SPRING_DAY, "2026-09-01"),
    ("we'd only look at it after summer", SPRING_DAY, "2026-09-01"),
    ("after November", AUTUMN_DAY, "2026-12-01"),
    ("some time after Q2", SPRING_DAY, "2026-07-01"),
    ("after H1", SPRING_DAY, "2026-07-01"),
    ("after 2027", AUTUMN_DAY, "2028-01-01"),
    ("after Christmas", AUTUMN_DAY, "2027-01-01"),
    ("after the festive season", AUTUMN_DAY, "2027-01-01"),
    ("after the holidays", AUTUMN_DAY, "2027-01-01"),
    ("after 10 days", AUTUMN_DAY, "2026-10-18"),
    # "once X is over": the same bound, said the other way round
    ("once the winter is over", AUTUMN_DAY, "2027-03-01"),
    ("once Q4 closes", AUTUMN_DAY, "2027-01-01"),
    ("once the summer rush is behind us", SPRING_DAY, "2026-09-01"),
]

NOT_BEFORE_X = [
    # the day X starts
    ("not before Q4", SPRING_DAY, "2026-10-01"),
    ("not before November", SPRING_DAY, "2026-11-01"),
    ("not until next year", AUTUMN_DAY, "2027-01-01"),
    ("no earlier than 2029", AUTUMN_DAY, "2029-01-01"),
    ("no sooner than the autumn", SPRING_DAY, "2026-09-01"),
    ("not until March", AUTUMN_DAY, "2027-03-01"),
    ("not till the second half", SPRING_DAY, "2026-07-01"),
]

TWO_TIMES = [
    # a range or a choice of two times: the later
    ("May or June", SPRING_DAY, "2026-06-30"),
    ("somewhere between October and December", SPRING_DAY, "2026-12-31"),
    ("Nov/Dec", SPRING_DAY, "2026-12-31"),
    ("Q3 or Q4", SPRING_DAY, "2026-12-31"),
    ("July to September", SPRING_DAY, "2026-09-30"),
]

SEASONS_FROM_TODAY = [
    # "next <season>" is the next one that has not started yet
    ("next summer", SPRING_DAY, "2026-08-31"),
    ("next spring", SPRING_DAY, "2027-05-31"),   # this spring has started
    ("next autumn", WINTER_DAY, "2027-11-30"),
    ("next winter", AUTUMN_DAY, "2027-02-28"),
    ("we're aiming for the fall", SPRING_DAY, "2026-11-30"),
    ("for the spring launch", AUTUMN_DAY, "2027-05-31"),
]

DURATIONS_IN_PARTS = [
    ("in thirty-five days", AUTUMN_DAY, "2026-11-11"),
    ("in a month and a half", AUTUMN_DAY, "2026-11-22"),
    ("two years and a half from now", AUTUMN_DAY, "2029-04-07"),
    ("in 1 year +3 months", AUTUMN_DAY, "2028-01-07"),
    ("within the next decade", AUTUMN_DAY, "2036-10-07"),
]

DAYS_AND_MONTHS = [
    ("on the 30th", AUTUMN_DAY, "2026-10-30"),
    ("by the 3rd", AUTUMN_DAY, "2026-11-03"),
    ("the month after next", AUTUMN_DAY, "2026-12-31"),
    ("nxt qtr", SPRING_DAY, "2026-09-30"),
    ("tomorrow if you can", AUTUMN_DAY, "2026-10-08"),
    ("29/02", date(2025, 3, 2), "2028-02-29"),             # the next leap day, years away
    ("our year closes early, which for us is 31 March", AUTUMN_DAY, "2027-03-31"),
    ("for march", SPRING_DAY, "2027-03-31"),                # "for" before a month says when
]


@pytest.mark.parametrize(("text", "today", "expected"), AFTER_X + NOT_BEFORE_X)
def test_a_window_that_opens_later_is_the_day_it_opens(text: str, today: date, expected: str) -> None:
    assert target(text, today) == expected


@pytest.mark.parametrize(("text", "today", "expected"), TWO_TIMES)
def test_two_times_offered_together_take_the_later(text: str, today: date, expected: str) -> None:
    assert target(text, today) == expected


@pytest.mark.parametrize(("text", "today", "expected"), SEASONS_FROM_TODAY)
def test_seasons_count_from_today(text: str, today: date, expected: str) -> None:
    assert target(text, today) == expected


@pytest.mark.parametrize(("text", "today", "expected"), DURATIONS_IN_PARTS + DAYS_AND_MONTHS)
def test_durations_in_parts_and_dates_that_name_a_day(text: str, today: date, expected: str) -> None:
    assert target(text, today) == expected


@pytest.mark.parametrize("text", ["just looking for now", "we've used it for 3 years", "after 4 years in business"])
def test_how_long_is_still_not_when(text: str) -> None:
    from bot.parsing.timeline import parse_timeline

    timeline = parse_timeline(text, AUTUMN_DAY, answering=False)
    assert timeline is None or timeline.status != "stated"
