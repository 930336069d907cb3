"""Budget scoring: annualising, currency conversion, ranges, and saying what was assumed.

Default bands (USD a year): 0: 2, 2,000: 8, 5,000: 14, 10,000: 19, 25,000: 23, 50,000: 25.
"""
from __future__ import annotations

import pytest

from bot.answers import Budget, Qualification
from bot.scoring import ScoringSettings, score_lead
from bot.scoring.money import UnknownCurrency, annual_amount, annualise, format_amount, to_base

DEFAULTS = ScoringSettings()
ASSUME_USD = ScoringSettings(assume_base_currency=True)


def budget_dim(budget: Budget, settings: ScoringSettings = DEFAULTS):
    return next(d for d in score_lead(Qualification(budget=budget), settings).breakdown if d.dimension == "budget")


def b(low: float | None, high: float | None, currency: str | None = "USD", period: str | None = "yearly") -> Budget:
    return Budget("stated", "their words", low, high, currency, period)


@pytest.mark.parametrize(
    ("budget", "points", "facts"),
    [
        # EUR 800 a month = EUR 9,600 a year = USD 10,368: 10k band (raw 9,600 would be 14)
        (b(800, 800, "EUR", "monthly"), 19, ["EUR 800 a month", "EUR 9,600 a year", "about USD 10,368 a year", "USD 10,000-25,000 a year band"]),
        # GBP 1,000 a quarter = GBP 4,000 a year = USD 5,080
        (b(1000, 1000, "GBP", "quarterly"), 14, ["GBP 1,000 a quarter", "GBP 4,000 a year", "USD 5,080"]),
        # JPY 1,000,000 one-off = USD 6,700
        (b(1_000_000, 1_000_000, "JPY", "one_off"), 14, ["JPY 1,000,000 one-off", "USD 6,700"]),
        (b(900, 900, "USD", "monthly"), 19, ["USD 900 a month", "USD 10,800 a year"]),
        (b(60_000, 60_000, "usd"), 25, ["USD 60,000 a year", "USD 50,000+ a year band"]),
        # period not stated: taken as given
        (b(3000, 3000, "USD", None), 8, ["USD 3,000", "period not stated"]),
        # ranges: midpoint; only a minimum: the minimum; only a maximum: the maximum
        (b(10_000, 20_000), 19, ["range 10,000-20,000, midpoint", "USD 15,000"]),
        (b(20_000, 40_000, "EUR"), 23, ["midpoint EUR 30,000", "about USD 32,400"]),
        (b(30_000, None), 23, ["at least USD 30,000"]),
        (b(None, 9_000), 14, ["at most USD 9,000"]),
        # boundary: exactly a band's minimum is in that band
        (b(25_000, 25_000), 23, ["USD 25,000-50,000 a year band"]),
        (b(24_999.99, 24_999.99), 19, ["24,999.99"]),
        # the bot's languages' currencies: "50 тысяч рублей в месяц" = RUB 600,000 a year = USD 7,500
        (b(50_000, 50_000, "RUB", "monthly"), 14, ["RUB 50,000 a month", "RUB 600,000 a year", "USD 7,500"]),
        # "۵۰ میلیون تومان" (500,000,000 rials) one-off = USD 450
        (b(500_000_000, 500_000_000, "IRR", "one_off"), 2, ["IRR 500,000,000 one-off", "USD 450"]),
        # "RM 5k sebulan" = MYR 60,000 a year = USD 14,400
        (b(5000, 5000, "MYR", "monthly"), 19, ["MYR 5,000 a month", "USD 14,400"]),
        # "5-8万" in yuan: midpoint CNY 65,000 = USD 9,100
        (b(50_000, 80_000, "CNY"), 14, ["midpoint CNY 65,000", "USD 9,100"]),
    ],
)
def test_stated_budgets(budget: Budget, points: float, facts: list[str]) -> None:
    d = budget_dim(budget)
    assert d.known and d.points == points, d.reason
    for fact in facts:
        assert fact in d.reason, f"{fact!r} not in {d.reason!r}"


def test_currency_not_stated_scores_the_raw_figure_and_says_so() -> None:
    d = budget_dim(b(25_000, 25_000, None, None))
    assert d.known and d.points == 23
    assert "Budget 25,000" in d.reason and "currency not stated" in d.reason
    assert "USD" not in d.reason  # nothing assumed


def test_currency_not_stated_with_assume_flag_says_what_was_assumed() -> None:
    d = budget_dim(b(800, 800, None, "monthly"), ASSUME_USD)
    assert d.points == 14 and "assumed USD" in d.reason and "USD 5,000-10,000 a year band" in d.reason


def test_currency_without_a_rate_is_unknown_not_a_guess() -> None:
    d = budget_dim(b(50_000_000, 50_000_000, "KRW"))
    assert not d.known and d.points == 7.5
    assert "KRW" in d.reason and "no exchange rate" in d.reason and "neutral credit" in d.reason


def test_a_different_base_currency_uses_its_own_rate_table() -> None:
    eur = ScoringSettings(base_currency="EUR", currency_rates_to_base={"USD": 0.5})
    d = budget_dim(b(20_000, 20_000, "USD"), eur)
    assert d.points == 19 and "about EUR 10,000 a year" in d.reason and "EUR 10,000-25,000 a year band" in d.reason
    assert budget_dim(b(20_000, 20_000, "EUR"), eur).points == 19


# --- money helpers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(10, 20, 15), (10, 10, 10), (10, None, 10), (None, 20, 20), (None, None, None)],
)
def test_midpoint(low, high, expected) -> None:
    assert b(low, high).midpoint() == expected


@pytest.mark.parametrize(
    ("low", "high", "status", "expected"),
    [(10, 20, "stated", (20, "USD")), (10, None, "stated", (10, "USD")), (None, 20, "stated", (20, "USD")),
     (None, None, "stated", None), (10, 20, "unknown", None)],
)
def test_deal_value_is_the_top_of_the_range_in_the_visitors_currency(low, high, status, expected) -> None:
    assert Budget(status, "their words", low, high, "USD").deal_value() == expected


@pytest.mark.parametrize(
    ("period", "expected"),
    [("monthly", 1200), ("quarterly", 400), ("yearly", 100), ("one_off", 100), (None, 100)],
)
def test_annualise(period, expected) -> None:
    assert annualise(100, period) == expected


def test_to_base() -> None:
    rates = {"EUR": 1.1}
    assert to_base(100, "USD", rates, "USD") == 100
    assert to_base(100, "eur", rates, "USD") == pytest.approx(110)
    with pytest.raises(UnknownCurrency):
        to_base(100, "GBP", rates, "USD")


def test_annual_amount_in_base_only_when_currency_known_or_assumed() -> None:
    kwargs = dict(base="USD", rates_to_base={"EUR": 1.0})
    assert annual_amount(10, None, "monthly", **kwargs).in_base is False
    assert annual_amount(10, None, "monthly", assume_base=True, **kwargs).in_base is True
    assert annual_amount(10, "EUR", "monthly", **kwargs).amount == 120


@pytest.mark.parametrize(("value", "text"), [(12000, "12,000"), (7.5, "7.5"), (99.999, "100"), (0, "0"), (10368.000000002, "10,368")])
def test_format_amount(value, text) -> None:
    assert format_amount(value) == text
