"""Company size said in passing: one line per real-world phrasing, grouped by phenomenon."""
from __future__ import annotations

import pytest

from bot.parsing.company_size import parse_company_size

# (text, low, high); None, None = no company size in the text
CASES = [
    # staff words on their own
    ("200 employees", 200, 200),
    ("We have 45 employees", 45, 45),
    ("we were founded in 2019 and have 45 employees", 45, 45),
    ("about 120 staff", 120, 120),
    ("we're 30 FTEs", 30, 30),
    ("twelve employees", 12, 12),
    ("Headcount is about 1.2k", 1200, 1200),
    ("headcount: 85", 85, 85),
    ("company size: 250", 250, 250),
    ("team size ~25", 25, 25),
    # people, with a word that makes them ours
    ("we are 30 people", 30, 30),
    ("We're a small shop, 12 people", 12, 12),
    ("our company has 60 people", 60, 60),
    ("we employ 300 people", 300, 300),
    ("we're about 20 folks", 20, 20),
    ("there are 15 of us", 15, 15),
    ("just 3 of us", 3, 3),
    ("a company of 30 people", 30, 30),
    ("we are a team of 40", 40, 40),
    ("small team of 12 developers", 12, 12),
    # compounds
    ("a 5-person agency", 5, 5),
    ("a 10 person company", 10, 10),
    ("our 2 people team", 2, 2),
    ("a 50 strong team", 50, 50),
    ("a 50-strong sales team", 50, 50),
    # ranges and bounds
    ("50-100 staff", 50, 100),
    ("between 50 and 100 employees", 50, 100),
    ("1000+ employees", 1000, None),
    ("over 500 employees", 500, None),
    ("more than 2,000 employees", 2000, None),
    ("less than 10 employees", None, 10),
    ("under 50 staff", None, 50),
    # counts of other things are not company size
    ("we have 200 customers", None, None),
    ("50 seats please", None, None),
    ("we want to reach 10,000 people", None, None),
    ("we're looking to reach 10,000 people", None, None),
    ("we need it for 30 people", None, None),
    ("we are an agency. We help 500 people", None, None),
    ("we hire 20 people a year", None, None),
    ("budget 50k", None, None),
    ("around 300 visitors a day", None, None),
    ("2.5 employees", None, None),
    ("", None, None),
]


@pytest.mark.parametrize("text, low, high", CASES)
def test_company_size(text: str, low: int | None, high: int | None) -> None:
    size = parse_company_size(text)
    if low is None and high is None:
        assert size is None
    else:
        assert size is not None and (size.low, size.high) == (low, high)
        assert size.text and size.text in text.replace("  ", " ")


def test_estimate_is_a_ranges_midpoint_or_its_bound() -> None:
    assert parse_company_size("50-100 staff").estimate == 75
    assert parse_company_size("1000+ employees").estimate == 1000
    assert parse_company_size("under 50 staff").estimate == 50


def test_odd_unicode_and_huge_text_are_safe() -> None:
    assert parse_company_size("we\u2019re 40 people \U0001F680") is not None
    assert parse_company_size("x " * 50_000 + "200 employees") is not None
