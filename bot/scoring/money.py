"""Turn a stated budget into one comparable figure: a yearly amount in the base currency.

Budgets arrive as "800 EUR a month", "25k", "10-20k a year". Bands compare like with
like only after annualising and converting, and a rep must be able to retrace the
arithmetic, so every result carries the sentence that explains it. A currency the
visitor did not state is never guessed here: the figure is kept as given and flagged,
unless the operator explicitly chose to assume the base currency.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# How many times a year a budget of each period is paid; one_off and unknown count once.
PAYMENTS_PER_YEAR: dict[str, int] = {"one_off": 1, "yearly": 1, "quarterly": 4, "monthly": 12}

_PERIOD_WORDS: dict[str, str] = {
    "one_off": "one-off",
    "yearly": "a year",
    "quarterly": "a quarter",
    "monthly": "a month",
}


class UnknownCurrency(ValueError):
    """The visitor named a currency the rate table does not cover."""


@dataclass(frozen=True)
class AnnualAmount:
    """A yearly figure and how it was reached.

    `in_base` is False when the currency was not stated (and not assumed): the figure is
    the visitor's number annualised, in whatever currency they meant.
    """

    amount: float
    in_base: bool
    explanation: str


def format_amount(value: float) -> str:
    """12000 -> "12,000"; 7.5 -> "7.5"; at most two decimals: readable in a reason."""
    text = f"{round(value, 2):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def annualise(amount: float, period: str | None) -> float:
    """Yearly equivalent; a one-off or unstated period is taken as given."""
    return amount * PAYMENTS_PER_YEAR.get(period or "one_off", 1)


def to_base(amount: float, currency: str, rates_to_base: Mapping[str, float], base: str) -> float:
    """Convert with the static rate table (1 unit of `currency` = rate units of base)."""
    code = currency.upper()
    if code == base:
        return amount
    if code not in rates_to_base:
        raise UnknownCurrency(code)
    return amount * rates_to_base[code]


def annual_amount(
    amount: float,
    currency: str | None,
    period: str | None,
    *,
    base: str,
    rates_to_base: Mapping[str, float],
    assume_base: bool = False,
) -> AnnualAmount:
    """Annualise, then convert to `base`; raises UnknownCurrency for a code with no rate."""
    yearly = annualise(amount, period)
    period_words = _PERIOD_WORDS.get(period or "", "")
    notes: list[str] = []
    if period is None:
        notes.append("period not stated, taken as given")
    if currency is None:
        notes.append(f"currency not stated, assumed {base}" if assume_base
                     else "currency not stated, figure scored as given")
    head = _money(amount, currency) + (f" {period_words}" if period_words else "")
    steps = [head + (f" ({'; '.join(notes)})" if notes else "")]
    if period in ("monthly", "quarterly"):
        steps.append(f"{_money(yearly, currency)} a year")

    if currency is None:
        return AnnualAmount(yearly, in_base=assume_base, explanation=" = ".join(steps))
    converted = to_base(yearly, currency, rates_to_base, base)
    if currency.upper() != base:
        steps.append(f"about {_money(converted, base)} a year")
    return AnnualAmount(converted, in_base=True, explanation=" = ".join(steps))


def _money(amount: float, currency: str | None) -> str:
    return f"{currency.upper()} {format_amount(amount)}" if currency else format_amount(amount)
