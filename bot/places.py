"""Where the visitor says they are: a country named ("we're in Germany", "a Swiss firm") or a
city of 150,000 people or more ("a coaching institute in Pune", "based in Ho Chi Minh City").

A rep reading "+44"-less numbers, "dirhams" or "dollars" knows where the visitor said they are;
so does the bot: the country is a hint for phone numbers without "+" and for a currency name
several countries share. Cities come from GeoNames (bot/data/cities.tsv, CC BY 4.0). A city name
that is also an English word ("Reading", "Nice", "Mobile") counts only when capitalised inside
a sentence.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

__all__ = ["COUNTRY_NAMES", "country_in", "is_place_name"]

# Country names and adjectives visitors use, lower-case -> ISO 3166-1 code.
# Left out: names that are also first names or words ("Jordan", "Chad", "Georgia", "Turkey",
# "China" is kept: rarely anything else in a sales chat), and "us" (the pronoun).
COUNTRY_NAMES: dict[str, str] = {
    "usa": "US", "u.s.": "US", "u.s.a.": "US", "united states": "US", "america": "US", "american": "US",
    "canada": "CA", "canadian": "CA", "mexico": "MX", "méxico": "MX", "mexican": "MX",
    "brazil": "BR", "brasil": "BR", "brazilian": "BR", "argentina": "AR", "argentinian": "AR",
    "chile": "CL", "chilean": "CL", "colombia": "CO", "colombian": "CO", "peru": "PE",
    "uk": "GB", "u.k.": "GB", "united kingdom": "GB", "britain": "GB", "great britain": "GB", "british": "GB",
    "england": "GB", "english": "GB", "scotland": "GB", "scottish": "GB", "wales": "GB", "welsh": "GB",
    "ireland": "IE", "irish": "IE", "germany": "DE", "deutschland": "DE", "german": "DE",
    "austria": "AT", "österreich": "AT", "austrian": "AT", "switzerland": "CH", "schweiz": "CH",
    "suisse": "CH", "swiss": "CH", "france": "FR", "french": "FR", "belgium": "BE", "belgian": "BE",
    "netherlands": "NL", "the netherlands": "NL", "holland": "NL", "dutch": "NL", "nederland": "NL",
    "luxembourg": "LU", "spain": "ES", "españa": "ES", "spanish": "ES", "portugal": "PT",
    "portuguese": "PT", "italy": "IT", "italia": "IT", "italian": "IT", "denmark": "DK", "danish": "DK",
    "sweden": "SE", "sverige": "SE", "swedish": "SE", "norway": "NO", "norge": "NO", "norwegian": "NO",
    "finland": "FI", "finnish": "FI", "iceland": "IS", "poland": "PL", "polska": "PL", "polish": "PL",
    "czechia": "CZ", "czech republic": "CZ", "czech": "CZ", "slovakia": "SK", "hungary": "HU",
    "hungarian": "HU", "romania": "RO", "romanian": "RO", "bulgaria": "BG", "greece": "GR", "greek": "GR",
    "croatia": "HR", "slovenia": "SI", "serbia": "RS", "ukraine": "UA", "ukrainian": "UA",
    "russia": "RU", "russian": "RU", "estonia": "EE", "latvia": "LV", "lithuania": "LT",
    "israel": "IL", "israeli": "IL", "uae": "AE", "u.a.e.": "AE", "united arab emirates": "AE",
    "emirates": "AE", "dubai": "AE", "abu dhabi": "AE", "saudi arabia": "SA", "saudi": "SA", "qatar": "QA",
    "kuwait": "KW", "bahrain": "BH", "oman": "OM", "egypt": "EG", "egyptian": "EG", "morocco": "MA",
    "nigeria": "NG", "nigerian": "NG", "kenya": "KE", "kenyan": "KE", "ghana": "GH",
    "south africa": "ZA", "south african": "ZA", "india": "IN", "indian": "IN", "pakistan": "PK",
    "pakistani": "PK", "bangladesh": "BD", "sri lanka": "LK", "nepal": "NP", "china": "CN",
    "chinese": "CN", "hong kong": "HK", "taiwan": "TW", "japan": "JP", "japanese": "JP",
    "south korea": "KR", "korea": "KR", "korean": "KR", "singapore": "SG", "singaporean": "SG",
    "malaysia": "MY", "malaysian": "MY", "indonesia": "ID", "indonesian": "ID", "thailand": "TH",
    "thai": "TH", "vietnam": "VN", "viet nam": "VN", "vietnamese": "VN", "philippines": "PH",
    "filipino": "PH", "australia": "AU", "australian": "AU", "aussie": "AU",
    "new zealand": "NZ", "kiwi": "NZ",
}

_CITIES = Path(__file__).with_name("data") / "cities.tsv"
_CANDIDATE = re.compile(r"(?<![\w@.])([^\W\d_][\w'.-]*(?:\s[^\W\d_][\w'.-]*){0,3})")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_SCAN_CHARS = 2_000


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in _CITIES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, country, _population = line.split("\t")
            table[name.lower()] = country
    return table


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    from spellchecker import SpellChecker  # the same dictionary as bot/parsing/typos.py

    return frozenset(SpellChecker(language="en").word_frequency.dictionary.keys())


def country_in(text: str) -> str | None:
    """The ISO 3166-1 code of the first country or city the message names, or None."""
    words = [(m.group(0), m.start()) for m in _WORD.finditer(text[:_SCAN_CHARS])]
    for i in range(len(words)):
        for size in (4, 3, 2, 1):
            if i + size > len(words):
                continue
            phrase = " ".join(w for w, _ in words[i:i + size]).strip(".'’")
            key = phrase.lower()
            if key in COUNTRY_NAMES and (size > 1 or key not in _AMBIGUOUS_NAMES):
                return COUNTRY_NAMES[key]
            country = _cities().get(key)
            if country and _reads_as_place(phrase, words[i][1], text, size):
                return country
    return None


# Country words that are everyday English too: only in capitals ("English" is a language).
_AMBIGUOUS_NAMES = frozenset({"english", "french", "german", "spanish", "dutch", "chinese", "japanese", "korean",
                              "thai", "polish", "kiwi", "american", "indian", "turkey"})


def _reads_as_place(phrase: str, start: int, text: str, size: int) -> bool:
    """A city name that is also a word ("Reading", "Nice") only when capitalised mid-sentence."""
    if size > 1 or phrase.lower() not in _english_words():
        return len(phrase) >= 4 or phrase.isupper()
    before = text[:start].rstrip()
    return phrase[:1].isupper() and bool(before) and before[-1] not in ".!?:"


def is_place_name(text: str) -> bool:
    """The whole text is a country or city name ("Bengaluru", "South Africa"): no company."""
    key = text.strip(" .,'’").lower()
    return key in COUNTRY_NAMES or key in _cities()
