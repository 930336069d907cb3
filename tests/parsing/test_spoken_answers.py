"""Answers as a phone call's speech recognition writes them (the Twilio Voice channel): the
same parsers as typed chat, one row per phrase, grouped by phenomenon."""
from __future__ import annotations

from datetime import date

import pytest

from bot.parsing.budget import parse_budget
from bot.parsing.contact import parse_email
from bot.parsing.spoken import written
from bot.parsing.timeline import parse_timeline

TODAY = date(2026, 11, 22)

# (said, min, max, currency, period)
BUDGETS_SAID = [
    ("fifty k", 50000, 50000, None, None),
    ("fifty K", 50000, 50000, None, None),
    ("fifty-K", 50000, 50000, None, None),
    ("50 K", 50000, 50000, None, None),
    ("sixty K", 60000, 60000, None, None),
    ("uh about fifty k I guess", 50000, 50000, None, None),
    ("fifty thousand dollars", 50000, 50000, "USD", None),
    ("about fifteen thousand dollars a year", 15000, 15000, "USD", "yearly"),
    ("fifteen K a year", 15000, 15000, None, "yearly"),
    ("twenty five hundred a month", 2500, 2500, None, "monthly"),
    ("five hundred euros per month", 500, 500, "EUR", "monthly"),
    ("twenty thousand pounds", 20000, 20000, "GBP", None),
    ("one hundred and fifty thousand", 150000, 150000, None, None),
    ("a hundred grand", 100000, 100000, None, None),
    ("forty grand", 40000, 40000, None, None),
    ("one point five million", 1500000, 1500000, None, None),
    ("a million and a half", 1500000, 1500000, None, None),
]
BUDGET_RANGES_SAID = [
    ("two to three thousand a month", 2000, 3000, None, "monthly"),
    ("between ten and twenty thousand", 10000, 20000, None, None),
    ("ten to fifteen K", 10000, 15000, None, None),
]


@pytest.mark.parametrize(("said", "low", "high", "currency", "period"), BUDGETS_SAID + BUDGET_RANGES_SAID)
def test_budgets_said_aloud(said, low, high, currency, period):
    budget = parse_budget(said, answering=True)
    assert budget is not None and budget.status == "stated", said
    assert (budget.min, budget.max, budget.currency, budget.period) == (low, high, currency, period)


# (said, target date), against TODAY (a Sunday in Q4 2026)
DATES_SAID = [
    ("the first of March", "2027-03-31"),
    ("March first", "2027-03-31"),
    ("by the fifteenth of January", "2027-01-31"),
    ("January fifteenth", "2027-01-31"),
    ("next March", "2027-03-31"),
    ("first week of February", "2027-02-28"),
    ("by the end of the year", "2026-12-31"),
]
PERIODS_SAID = [
    ("in three months", "2027-02-22"),
    ("within six weeks", "2027-01-03"),
    ("in two weeks", "2026-12-06"),
    ("in a couple of months", "2027-01-22"),
    ("within the next three to six months", "2027-05-22"),
    ("in the next six to eight weeks", "2027-01-17"),
    ("um probably in about three months", "2027-02-22"),
]
QUARTERS_AND_YEARS_SAID = [
    ("end of Q one", "2027-03-31"),
    ("by Q two", "2027-06-30"),
    ("in the first Q", "2027-03-31"),
    ("the second quarter", "2027-06-30"),
    ("by March twenty twenty seven", "2027-03-31"),
    ("twenty twenty seven", "2027-12-31"),
    ("sometime in two thousand and twenty seven", "2027-12-31"),
    ("sometime next year", "2027-12-31"),
]
URGENCY_SAID = [
    ("right away", "2026-11-29"),
    ("as soon as possible", "2026-11-29"),
    ("A S A P", "2026-11-29"),
]


@pytest.mark.parametrize(("said", "target"), DATES_SAID + PERIODS_SAID + QUARTERS_AND_YEARS_SAID + URGENCY_SAID)
def test_timelines_said_aloud(said, target):
    timeline = parse_timeline(said, TODAY, answering=True)
    assert timeline is not None and timeline.status == "stated", said
    assert timeline.target_date == target
    assert timeline.text == said, "the answer keeps the caller's own words"


ADDRESSES_SAID = [
    ("sam at gmail dot com", "sam@gmail.com"),
    ("sam dot ortiz at brightwell dot com", "sam.ortiz@brightwell.com"),
    ("Sam dot Ortiz at Brightwell dot com.", "Sam.Ortiz@brightwell.com"),
    ("sam underscore ortiz at gmail dot com", "sam_ortiz@gmail.com"),
    ("sam dash ortiz at example dot co dot uk", "sam-ortiz@example.co.uk"),
    ("it's sam at brightwell dot io", "sam@brightwell.io"),
    ("my email is sam dot o at acme dot com", "sam.o@acme.com"),
]
NOT_AN_ADDRESS = [
    "sam ortiz at brightwell dental dot com",  # a space left in the name: asked again, never guessed
    "we meet at noon dot",
    "right at the start",
]


@pytest.mark.parametrize(("said", "email"), ADDRESSES_SAID)
def test_addresses_said_aloud(said, email):
    assert parse_email(said, answering=True).email == email


@pytest.mark.parametrize("said", NOT_AN_ADDRESS)
def test_not_an_address_said_aloud(said):
    assert parse_email(said, answering=True).email is None


TYPED_UNCHANGED = ["Q1 2027", "by 2027", "asap", "$50k", "50-60k", "sam.ortiz@brightwell.com", "twenty people",
                   "we have twenty staff", "a 2-seat plan"]


@pytest.mark.parametrize("typed", TYPED_UNCHANGED)
def test_typed_text_is_left_as_typed(typed):
    assert written(typed) == typed
