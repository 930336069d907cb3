"""bot.places.country_in: the country a visitor places themselves in, by country or city."""
from __future__ import annotations

import pytest

from bot.places import country_in


@pytest.mark.parametrize(("text", "country"), [
    ("we run three clinics in Bordeaux", "FR"),
    ("family business from Chennai", "IN"),
    ("hq in Rio de Janeiro, offices in Lisbon", "BR"),
    ("a Swiss insurer", "CH"),
    ("we're based in the Netherlands", "NL"),
    ("agency in kuala lumpur", "MY"),
    ("logistics firm near Munich", "DE"),
    ("startup in Saigon", "VN"),
    ("we moved to Reading last year", "GB"),
])
def test_a_named_country_or_city(text: str, country: str) -> None:
    assert country_in(text) == country


@pytest.mark.parametrize("text", [
    "nice to meet you",
    "Reading the docs now",   # a word at the start of a sentence, not the town
    "we speak English and French",
    "a chatbot for our website",
    "Sam Ortiz",
    "us and our partners",
    # airport and postal codes are no city names: a legal form, a currency code, an acronym
    "Harbourline Inc.",
    "about 9k CAD a year",
    "our BOS team and the ADA compliance folks",
    "",
])
def test_no_place_named(text: str) -> None:
    assert country_in(text) is None
