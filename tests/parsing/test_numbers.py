"""parse_number and find_amounts: separators, spelled-out numbers, scale suffixes."""
from __future__ import annotations

import pytest

from bot.parsing.numbers import find_amounts, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # plain digits and decimals
        ("25000", 25000),
        ("650", 650),
        ("2.5", 2.5),
        ("12.99", 12.99),
        ("0.125", 0.125),
        ("2,5", 2.5),
        ("12,50", 12.5),
        ("0", 0),
        # US, European, Swiss, French, Indian separators
        ("1,200", 1200),
        ("1,200.50", 1200.5),
        ("2,500,000", 2_500_000),
        ("1.200,50", 1200.5),
        ("1.200.000", 1_200_000),
        ("8.500", 8500),  # three digits after a lone dot: grouping, the European way
        ("12 000", 12000),
        ("12 000,50", 12000.5),
        ("100 000 000", 100_000_000),
        ("12'000", 12000),
        ("12'000.50", 12000.5),
        ("1,00,000", 100_000),
        ("12,50,000", 1_250_000),
        ("1,50,00,000", 15_000_000),
        # suffixes and scale words after digits
        ("12k", 12000),
        ("12K", 12000),
        ("12 k", 12000),
        ("1.5k", 1500),
        ("1,5k", 1500),
        ("1.2m", 1_200_000),
        ("1.2M", 1_200_000),
        ("3mm", 3_000_000),
        ("3mn", 3_000_000),
        ("2bn", 2_000_000_000),
        ("5 grand", 5000),
        ("30 thousand", 30000),
        ("2.5 million", 2_500_000),
        ("1.250m", 1_250_000),  # a scale follows: the dot is a decimal point
        ("15 hundred", 1500),
        ("5 lakh", 500_000),
        ("5 lakhs", 500_000),
        ("2 lac", 200_000),
        ("3 crore", 30_000_000),
        ("1.5 crore", 15_000_000),
        ("1,500k", 1_500_000),
        ("5 mil", 5_000_000),
        # spelled out
        ("twelve", 12),
        ("twenty-five", 25),
        ("twenty five", 25),
        ("twenty-five thousand", 25000),
        ("two hundred and fifty thousand", 250_000),
        ("three hundred thousand five hundred", 300_500),
        ("fifteen hundred", 1500),
        ("a hundred", 100),
        ("a thousand", 1000),
        ("a million", 1_000_000),
        ("fifty k", 50000),
        ("two and a half million", 2_500_000),
        ("2 and a half million", 2_500_000),
        ("one and a half thousand", 1500),
        ("a million and a half", 1_500_000),
        ("one point five million", 1_500_000),
        ("zero", 0),
        # vague quantities: documented values
        ("half a million", 500_000),
        ("half million", 500_000),
        ("a quarter of a million", 250_000),
        ("a couple of thousand", 2000),
        ("a couple thousand", 2000),
        ("couple hundred", 200),
        ("a few hundred", 300),
        ("a few thousand", 3000),
        ("a dozen", 12),
        ("two dozen", 24),
    ],
)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "a couple",  # vague words need a scale
        "a few",
        "half",
        "1.2.3",  # versions and dotted dates are not numbers
        "12k USD",  # currencies are the budget parser's business
        "3 or 4",
        "10 and 20",
        "Q3",
        "v2",
        "12kg",
        "5 more",
        "1" * 40,  # a serial number, not a quantity
    ],
)
def test_parse_number_rejects(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("between 10 and 20k", [10, 20000]),
        ("1-1.5k", [1, 1500]),
        ("£3,000-£4,500", [3000, 4500]),
        ("from 30 to 45 thousand", [30, 45000]),
        ("ten to twenty thousand", [10, 20000]),
        ("3 or 4 weeks", [3, 4]),
        ("at 9:30", [9, 30]),
        ("one-off", [1]),
        ("a few questions and 5k", [5000]),
        ("budget of 1.2m AUD for 3 sites", [1_200_000, 3]),
        ("", []),
    ],
)
def test_find_amounts_values(text: str, values: list[float]) -> None:
    assert [a.value for a in find_amounts(text)] == pytest.approx(values)


def test_find_amounts_positions_and_suffix() -> None:
    text = "about 1.5k a month"
    (amount,) = find_amounts(text)
    assert text[amount.start:amount.end] == "1.5k"
    assert (amount.value, amount.base, amount.multiplier, amount.suffix, amount.digits) == (1500, 1.5, 1000, "k", True)
    assert amount.scaled


def test_find_amounts_words_are_marked() -> None:
    (amount,) = find_amounts("twenty-five thousand")
    assert (amount.start, amount.end, amount.digits, amount.suffix) == (0, 20, False, "thousand")


def test_find_amounts_limit() -> None:
    assert len(find_amounts("1 " * 1000, limit=10)) == 10
