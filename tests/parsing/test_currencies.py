"""Money as the world writes it (issue 24): every currency's CLDR symbols, cents after a stray
space or a leading dot, and symbols several countries share, settled by the visitor's or the
site's country or left for the bot to ask.

Rows are (text, min, max, currency, period) as in test_budget.py; the symbol tables hold
(text, currency, readings) where readings are the codes the bot may ask about.
"""
from __future__ import annotations

import babel
import pytest

from bot.parsing import currencies
from bot.parsing.budget import parse_budget
from bot.parsing.currencies import SYMBOL_TABLE, cldr_symbol_table, settle, symbol_readings, symbol_table_text
from bot.extraction import extract
from datetime import date

from tests.parsing.test_budget import Row, check, stated

CLDR_SYMBOLS: list[Row] = [
    ("around 45,000 KSh", 45000, 45000, "KES", None),
    ("RD$ 90,000 a year", 90000, 90000, "DOP", "yearly"),
    ("12 000 د.إ", 12000, 12000, "AED", None),
    ("5,000 ر.س. monthly", 5000, 5000, "SAR", "monthly"),
    ("ብር 30,000", 30000, 30000, "ETB", None),
    ("7 million TSh", 7_000_000, 7_000_000, "TZS", None),
    ("we could do 900 Fdj", 900, 900, "DJF", None),
    ("about 150,000 ₡", 150000, 150000, "CRC", None),
    ("NT$ 300k", 300000, 300000, "TWD", None),
    ("2 500 000 FCFA", 2_500_000, 2_500_000, "XAF", None),
    ("6 000 VT", 6000, 6000, "VUV", None),              # a short symbol in CLDR's capitals
    ("TT$ 20k", 20000, 20000, "TTD", None),             # written forms CLDR lacks
    ("about 40k ZK", 40000, 40000, "ZMW", None),
]

NOT_A_CURRENCY: list[Row] = [
    ("6 000 vt", 6000, 6000, None, None),                # lower case: not the vatu
    ("5k", 5000, 5000, None, None),                      # "k" is a scale, never a kwacha
    ("12 L", 12, 12, None, None),                        # litres, not lei or lempiras
    ("about 800 ريال", 800, 800, "SAR", None),           # a riyal (or the rial): readings SAR, IRR, OMR, QAR, YER; "ر" is no prefix
]

SPLIT_CENTS: list[Row] = [
    ("$249. 99", 249.99, 249.99, "USD", None),
    ("49€ 90", 49.9, 49.9, "EUR", None),
    ("2.450, 75 €", 2450.75, 2450.75, "EUR", None),
    ("640, 10 zł", 640.1, 640.1, "PLN", None),
    ("€ 15. 50", 15.5, 15.5, "EUR", None),
    ("10, 20", 10, 10, None, None),                     # no currency: two figures, not cents
]

LEADING_DOT: list[Row] = [
    (".50 €", 0.5, 0.5, "EUR", None),
    ("$.99", 0.99, 0.99, "USD", None),
    ("$..60", 0.6, 0.6, "USD", None),
    ("$.1,250", 1250, 1250, "USD", None),               # a stray dot before a grouped figure
    ("£.480.25", 480.25, 480.25, "GBP", None),
]

SYMBOL_BOUNDS: list[Row] = [
    ("320,00 €TTC", 320, 320, "EUR", None),              # a symbol needs no space before a word
    ("€75 **", 75, 75, "EUR", None),                     # a footnote mark, not a power
]


@check(CLDR_SYMBOLS + NOT_A_CURRENCY + SPLIT_CENTS + LEADING_DOT + SYMBOL_BOUNDS)
def test_money_as_the_world_writes_it(text, low, high, currency, period) -> None:
    assert stated(text) == (low, high, currency, period)


@pytest.mark.parametrize(("written", "readings"), [
    ("kr", {"SEK", "NOK", "DKK"}),
    ("Rs", {"PKR", "MUR"}),
    ("Br", {"BYN", "ETB"}),
    ("¥", {"JPY", "CNY"}),
    ("$", {"USD", "CAD", "AUD", "NZD", "MXN", "SGD"}),
])
def test_a_symbol_several_countries_write_has_each_reading(written: str, readings: set[str]) -> None:
    assert readings <= set(symbol_readings(written))


@pytest.mark.parametrize("written", ["£", "€", "zł", "₹", "KSh", "R$"])
def test_a_symbol_one_country_writes_has_one_reading(written: str) -> None:
    assert len(symbol_readings(written)) == 1


@pytest.mark.parametrize(("text", "reading", "options"), [
    ("15 000 kr", "SEK", {"SEK", "NOK", "DKK"}),
    ("Rs 80,000", "INR", {"INR", "PKR", "MUR"}),
    ("$20k", "USD", {"USD", "CAD", "AUD"}),
    ("5000 Br", "BYN", {"BYN", "ETB"}),
    ("¥3,000,000", "JPY", {"JPY", "CNY"}),
])
def test_a_shared_symbol_keeps_its_common_reading_and_every_other(text: str, reading: str, options: set[str]) -> None:
    budget = parse_budget(text, answering=True)
    assert budget is not None and budget.currency == reading
    assert budget.currency_options[0] == reading and options <= set(budget.currency_options)


@pytest.mark.parametrize("text", ["20k USD", "SGD$4,000", "€9k", "50 000 kronor", "$1,190.00 AUD",
                                  "C$15k", "A$ 3k", "R 5000"])  # a dollar we name by its country is that one
def test_a_currency_named_outright_has_no_options(text: str) -> None:
    budget = parse_budget(text, answering=True)
    assert budget is not None and budget.currency_options == ()


@pytest.mark.parametrize(("readings", "country", "settled"), [
    (("SEK", "NOK", "DKK"), "NO", "NOK"),
    (("USD", "CAD", "AUD"), "CA", "CAD"),
    (("INR", "PKR", "MUR"), "PK", "PKR"),
    (("SEK", "NOK", "DKK"), "US", None),     # the country uses none of them: ask
    (("SEK", "NOK", "DKK"), None, None),
])
def test_the_visitors_country_settles_a_shared_symbol(readings, country, settled) -> None:
    assert settle(readings, country) == settled


def read(text: str, *, country: str | None = None, site: str = "US"):
    return extract(text, today=date(2026, 6, 10), requested="budget", categories={}, country=country,
                   phone_region=site).budget


@pytest.mark.parametrize(("text", "country", "site", "currency"), [
    ("about 15 000 kr", "NO", "US", "NOK"),       # the visitor's country
    ("about 15 000 kr", None, "DK", "DKK"),       # else the site's
    ("$40k", None, "US", "USD"),
    ("$40k", "CA", "US", "CAD"),
    ("Rs 2 lakh", "PK", "US", "PKR"),
])
def test_the_bot_settles_a_shared_symbol_by_country(text, country, site, currency) -> None:
    budget = read(text, country=country, site=site)
    assert budget.currency == currency and budget.currency_options == ()


@pytest.mark.parametrize(("text", "site"), [("about 15 000 kr", "US"), ("Rs 50,000", "GB"), ("$40k", "DE"),
                                            ("300 000 Br", "US")])
def test_the_bot_never_assumes_a_shared_symbol_nothing_settles(text: str, site: str) -> None:
    budget = read(text, site=site)
    assert budget.status == "stated" and budget.currency is None
    assert len(budget.currency_options) > 1


def test_a_budget_read_past_a_typo_is_settled_too() -> None:
    budget = read("arond 15 000 kr per monht")
    assert budget.min == 15000 and budget.currency is None and "NOK" in budget.currency_options
    assert read("arond 15 000 kr per monht", country="DK").currency == "DKK"


def test_the_stored_symbol_table_is_the_installed_babels() -> None:
    """bot/data/currency_symbols.json holds what every CLDR locale writes (read at each start
    otherwise, which took seconds): after a Babel upgrade, `python -m bot.parsing.currencies`."""
    assert symbol_table_text(cldr_symbol_table()) == SYMBOL_TABLE.read_text(encoding="utf-8"), \
        "bot/data/currency_symbols.json is not the installed Babel's: run python -m bot.parsing.currencies"


def test_with_another_babel_the_symbols_are_read_from_cldr(monkeypatch, tmp_path) -> None:
    stored = tmp_path / "currency_symbols.json"
    stored.write_text(SYMBOL_TABLE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(currencies, "SYMBOL_TABLE", stored)
    monkeypatch.setattr(currencies, "cldr_symbol_table", lambda: {"babel": "read from CLDR", "symbols": {}})
    assert currencies._symbol_table()["babel"] == babel.__version__
    monkeypatch.setattr(babel, "__version__", "0.0")
    assert currencies._symbol_table()["babel"] == "read from CLDR"
