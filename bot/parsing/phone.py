"""Read a phone number from a visitor's message and normalise it to E.164 ("+442079460958").

Finding and validating is Google's libphonenumber (the `phonenumbers` package): its matcher
finds candidates in free text and only numbers that are valid for their country are taken
(`Leniency.VALID`: right length and number ranges, not just "some digits"). What this module
adds is the *region* a number without "+" is read in, and refusing things that only look
like numbers to a phone library in a sales chat:

- Region. "+44 20 7946 0958", "0044 20 7946 0958" name their country. Otherwise the hints are
  tried in turn: a country named in the message ("0151 2345 6789 (Germany)", "my UK mobile"),
  then the country of the visitor's e-mail domain (".de", ".co.uk"; vanity endings such as
  .io, .ai, .co, .me are no country), then the country of the script the message is written
  in where one country writes it most (Cyrillic: Russia, Persian: Iran, Chinese: China; a
  national "8 (912) 345-67-89" among Russian words is Russian), then the configured default
  (`settings/conversation.yml` `default_phone_region`). In a country whose numbers are always
  written with the trunk "0" at home (Germany, the UK, France, Australia, ...), digits
  without it are not read as that country's number ("I'm in Germany, 415-555-0132" stays an
  American number under the default region), because the same digits are often valid there too.
- Not phones: money ("$4155550132", "25,000", "50,00,000", "4155550132 EUR"), dates and
  times ("2027-03-01", "12/03/2027"), quantities ("4155550132 users"), ids after a cue
  ("order 4155550132", "invoice #020 7946 0958"), and digits inside an address or a URL.
  Phone numbers are never written with a comma, so a comma in the digits is money.

Bounded work: at most the first 8,000 characters are read and the matcher tries at most
`_MAX_TRIES` candidates per region, so a pasted log costs milliseconds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from bot.places import COUNTRY_NAMES
from phonenumbers import Leniency, PhoneNumberFormat, PhoneNumberMatcher

from bot.parsing.text import clean_text

__all__ = ["PhoneMatch", "parse_phone", "region_hints", "region_of_email", "is_region", "is_e164", "DEFAULT_REGION"]

DEFAULT_REGION = "US"
_SCAN_CHARS = 8_000
_MAX_TRIES = 60
_I = re.IGNORECASE


@dataclass(frozen=True)
class PhoneMatch:
    """A valid phone number found in a message."""

    e164: str  # "+14155550132"
    raw: str  # as the visitor typed it, "(415) 555-0132"
    region: str | None  # the number's country ("US"); None for non-geographic numbers


def is_region(code: str) -> bool:
    """A region code libphonenumber knows ("US", "GB", "DE"; not "UK")."""
    return code in phonenumbers.SUPPORTED_REGIONS


# -- region hints --------------------------------------------------------------------------
_COUNTRIES = COUNTRY_NAMES
_COUNTRY = re.compile(
    r"(?<![\w.])(?:" + "|".join(re.escape(n) for n in sorted(_COUNTRIES, key=len, reverse=True))
    + r")(?![\w])",
    _I,
)
_COUNTRY_US = re.compile(r"(?<![\w.])(?:US|U\.S)(?![\w])")  # upper case only: never the pronoun

# E-mail endings that are no country: generic, or ccTLDs sold as vanity names.
_VANITY_TLDS = frozenset({
    "io", "ai", "co", "me", "tv", "ly", "fm", "gg", "to", "sh", "ws", "cc", "la", "ac", "im",
    "so", "sc", "vc", "gl", "ms", "nu", "tk", "ml", "ga", "cf", "cx", "ps", "st", "bz", "is", "am", "eu",
})
_TLD_REGIONS = {"uk": "GB"}


def region_of_email(email: str | None) -> str | None:
    """The country of an e-mail's domain ending ("sam@firma.de" -> "DE"), or None."""
    if not email or "@" not in email:
        return None
    tld = email.rsplit("@", 1)[1].rstrip(".").rsplit(".", 1)[-1].lower()
    if tld in _VANITY_TLDS:
        return None
    region = _TLD_REGIONS.get(tld, tld.upper())
    return region if len(tld) == 2 and is_region(region) else None


# The country whose national format a number written among words of a script most likely follows:
# a script only one of our languages' main country writes (Latin says nothing).
_SCRIPT_REGIONS = {"cyrillic": "RU", "persian": "IR", "han": "CN"}
_SCRIPTS = (("persian", re.compile("[پچژگیک\u200c]")), ("han", re.compile("[\u4e00-\u9fff]")), ("cyrillic", re.compile("[\u0400-\u04ff]")))


def _script_of(text: str) -> str | None:
    for name, pattern in _SCRIPTS:
        if pattern.search(text[:2000]):
            return name
    return None


def region_hints(text: str, *, email: str | None = None, default_region: str = DEFAULT_REGION) -> list[str]:
    """The regions a number without "+" is read in, best first (see the module docstring):
    countries named, the e-mail's country, the country of the script around it, the default."""
    hints: list[str] = []
    for m in _COUNTRY.finditer(text):
        hints.append(_COUNTRIES[m.group(0).lower()])
        if len(hints) >= 3:
            break
    if _COUNTRY_US.search(text):
        hints.append("US")
    from_email = region_of_email(email)
    if from_email:
        hints.append(from_email)
    from_script = _SCRIPT_REGIONS.get(_script_of(text))
    if from_script:
        hints.append(from_script)  # "8 (912) 345-67-89" among Cyrillic words, "13812345678" among Chinese
    hints.append(default_region if is_region(default_region) else DEFAULT_REGION)
    return list(dict.fromkeys(hints))


# -- what is not a phone ---------------------------------------------------------------------
# Countries whose numbers are written with the trunk "0" at home: digits without it are not theirs.
_TRUNK_ZERO = frozenset({
    "DE", "AT", "CH", "GB", "IE", "FR", "BE", "NL", "SE", "FI", "AU", "NZ", "JP", "KR", "AE",
    "ZA", "TR", "IL", "SA", "EG", "NG", "KE", "GH", "TH", "MY", "ID", "PH", "VN", "TW", "UA",
})
_CURRENCY = r"[$€£¥₹₩₽₺₪₱฿]|\b(?:usd|eur|gbp|chf|inr|aed|aud|cad|jpy|cny|rmb|sek|nok|dkk|pln|brl|mxn|zar|sgd|hkd|nzd|rs\.?|dollars?|euros?|pounds?|bucks|rupees?)"
_BEFORE_NOT_PHONE = re.compile(
    rf"(?:{_CURRENCY}|\b(?:order|invoice|ticket|case|ref|reference|tracking|account|acct|customer|client|booking"
    r"|confirmation|vat|tax|iban|serial|licen[cs]e|zip|postcode|postal code|po|sku|part|item|budget|revenue|turnover"
    r"|id)(?:\s?(?:number|no\.?|nr\.?|num|id|code|#))?\s?(?:is|was|:|#|-)?)\s?$",
    _I,
)
_AFTER_NOT_PHONE = re.compile(
    rf"^\s?(?:%|{_CURRENCY}|(?:k|m|mn|mm|bn|mil|million|billion|thousand|grand|lakh|lakhs|crore)\b"
    r"|(?:users?|employees?|people|staff|seats?|licen[cs]es?|customers?|clients?|visitors?|leads?|messages?"
    r"|chats?|conversations?|units?|pcs|items?|orders?|requests?|tickets?|sessions?|agents?|records?|contacts?"
    r"|rows?|views?|hits?|downloads?|members?|subscribers?|per\b|a (?:month|year|week|day)|/\s?(?:mo|month|yr|year|y|m)))",
    _I,
)
_DATE = re.compile(r"^\d{4}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?\d{1,2}|^\d{1,2}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?\d{2,4}$")
_NOT_ADJACENT = frozenset("/=?&#@_:")


def _is_phone_like(text: str, start: int, end: int, raw: str) -> bool:
    if "," in raw or _DATE.search(raw):
        return False
    before = text[max(0, start - 40):start]
    after = text[end:end + 30]
    labelled = before[-1:] == ":" and before[-2:-1].isalpha()  # "电话:137…", "tel:+47…"; not "10:30"
    if (before[-1:] in _NOT_ADJACENT and not labelled) or after[:1] in _NOT_ADJACENT or after[:1].isalnum():
        return False
    token = before.rsplit(" ", 1)[-1]
    if token.endswith(".") and (any(c.isdigit() for c in token) or token.count(".") > 1):
        return False  # a version or an address: "v2.4155550132", "example.com.4155550132"
    return not (_BEFORE_NOT_PHONE.search(before) or _AFTER_NOT_PHONE.match(after))


def _international(raw: str) -> bool:
    """The number states its country: "+44 ...", "0044 ...", "00 44 ..."."""
    digits = raw.lstrip("( ")
    return digits.startswith("+") or bool(re.match(r"00[ .-]?[1-9]", digits))


def _typed_for_region(raw: str, region: str) -> bool:
    """Digits without the trunk 0 are not a national number of a trunk-0 country."""
    if region not in _TRUNK_ZERO:
        return True
    digits = re.sub(r"\D", "", raw)
    return digits.startswith("0")


def is_e164(value: str) -> bool:
    """Whether `value` is a valid phone number written in E.164 ("+14155550132"): a number
    configured for a transfer must be dialable as written."""
    if not re.fullmatch(r"\+[1-9]\d{6,14}", value or ""):
        return False
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(value, None))
    except phonenumbers.NumberParseException:
        return False


# -- parsing ---------------------------------------------------------------------------------


def parse_phone(text: str, *, default_region: str = DEFAULT_REGION, email: str | None = None) -> PhoneMatch | None:
    """The first valid phone number in `text`, in E.164, or None.

    `email` is the visitor's address (from this message or earlier), whose country is one
    hint for numbers without "+"; `default_region` the last one.
    """
    cleaned = clean_text(text[: _SCAN_CHARS * 2])[:_SCAN_CHARS]
    if sum(c.isdigit() for c in cleaned[:_SCAN_CHARS]) < 6:
        return None
    for region in region_hints(cleaned, email=email, default_region=default_region):
        found = _first_in_region(cleaned, region)
        if found is not None:
            return found
    return None


# "0044 20 ...", "00 49 30 ...": 00 is the international prefix in most of the world (the US
# dials 011, which libphonenumber knows); read as "+", keeping every offset.
_DOUBLE_ZERO = re.compile(r"(?<![\w+.,:/-])(?<!\d[ .)-])00[ .-]?(?=[1-9]\d)")  # not a group inside a number


def _plus_for_double_zero(text: str) -> str:
    return _DOUBLE_ZERO.sub(lambda m: " +" + m.group(0)[2:], text)


# "电话:13700001111": libphonenumber reads no number glued to a colon; a space in its place
# keeps every offset (and _is_phone_like takes a colon after a word as a label).
_COLON_BEFORE_NUMBER = re.compile(r"[:：](?=\+?\d)")


def _first_in_region(text: str, region: str) -> PhoneMatch | None:
    readable = _COLON_BEFORE_NUMBER.sub(" ", _plus_for_double_zero(text))
    for match in PhoneNumberMatcher(readable, region, leniency=Leniency.VALID, max_tries=_MAX_TRIES):
        start = match.start
        while text[start] == " ":
            start += 1  # the space that took the place of a leading "0"
        raw = text[start:match.end]
        if not _is_phone_like(text, start, match.end, raw):
            continue
        if not _international(raw) and not _typed_for_region(raw, region):
            continue
        number = match.number
        country = phonenumbers.region_code_for_number(number)
        return PhoneMatch(
            e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
            raw=raw,
            region=country if is_region(country or "") else None,  # "001": a global service number
        )
    return None
