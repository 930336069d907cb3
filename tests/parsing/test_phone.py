"""parse_phone: phone numbers as visitors write them, normalised to E.164; and what is not one."""
from __future__ import annotations

import time

import pytest

from bot.parsing.phone import is_region, parse_phone, region_hints, region_of_email


def e164(text: str, region: str = "US", email: str | None = None) -> str | None:
    found = parse_phone(text, default_region=region, email=email)
    return found.e164 if found else None


# -- international form: the "+" (or 00) names the country, whatever the default region -------
INTERNATIONAL = [
    ("+44 20 7946 0958", "+442079460958"),
    ("my cell is +91 98765 43210", "+919876543210"),
    ("WhatsApp +971 50 123 4567", "+971501234567"),
    ("+1 (415) 555-0132", "+14155550132"),
    ("+1-415-555-0132", "+14155550132"),
    ("+14155550132", "+14155550132"),
    ("+49 30 12345678", "+493012345678"),
    ("+49 (0)151 23456789", "+4915123456789"),  # the German "(0)" is dropped
    ("+49 151 2345 6789", "+4915123456789"),
    ("+33 6 12 34 56 78", "+33612345678"),
    ("+33 (0)6 12 34 56 78", "+33612345678"),
    ("+34 612 34 56 78", "+34612345678"),
    ("+39 02 1234 5678", "+390212345678"),  # Italy keeps its leading 0
    ("+39 312 345 6789", "+393123456789"),
    ("+31 6 12345678", "+31612345678"),
    ("+41 44 668 18 00", "+41446681800"),
    ("+43 1 23456789", "+43123456789"),
    ("+61 412 345 678", "+61412345678"),
    ("+64 21 123 4567", "+64211234567"),
    ("+81 90-1234-5678", "+819012345678"),
    ("+82 10-1234-5678", "+821012345678"),
    ("+86 138 0013 8000", "+8613800138000"),
    ("+852 5123 4567", "+85251234567"),
    ("+65 8123 4567", "+6581234567"),
    ("+55 11 91234-5678", "+5511912345678"),
    ("+52 55 1234 5678", "+525512345678"),
    ("+27 82 123 4567", "+27821234567"),
    ("+234 803 123 4567", "+2348031234567"),
    ("+254 712 345678", "+254712345678"),
    ("+7 912 345-67-89", "+79123456789"),
    ("+48 512 345 678", "+48512345678"),
    ("+46 70 123 45 67", "+46701234567"),
    ("+353 85 123 4567", "+353851234567"),
    ("+972 50-234-5678", "+972502345678"),
    ("+966 50 123 4567", "+966501234567"),
    ("0044 20 7946 0958", "+442079460958"),  # 00 instead of +
    ("00 49 30 12345678", "+493012345678"),
    ("+44 (0)20 7946 0958", "+442079460958"),
    ("+44.20.7946.0958", "+442079460958"),
    ("＋４４ ２０ ７９４６ ０９５８", "+442079460958"),  # full-width, pasted from a phone
]


@pytest.mark.parametrize(("text", "expected"), INTERNATIONAL)
def test_international_numbers_name_their_country(text: str, expected: str) -> None:
    assert e164(text, "US") == expected
    assert e164(text, "DE") == expected


# -- national form, read in the default region ------------------------------------------------
NATIONAL = [
    ("call me on 415-555-0132", "US", "+14155550132"),
    ("(415) 555-0132", "US", "+14155550132"),
    ("415.555.0132", "US", "+14155550132"),
    ("415 555 0132", "US", "+14155550132"),
    ("4155550132", "US", "+14155550132"),
    ("1-415-555-0132", "US", "+14155550132"),
    ("my phone is (212) 555-0187, after 5pm", "US", "+12125550187"),
    ("(416) 555-0123", "CA", "+14165550123"),
    ("020 7946 0958", "GB", "+442079460958"),
    ("07911 123456", "GB", "+447911123456"),
    ("0161 496 0000", "GB", "+441614960000"),
    ("030 12345678", "DE", "+493012345678"),
    ("0151 23456789", "DE", "+4915123456789"),
    ("030/12345678", "DE", "+493012345678"),
    ("06 12 34 56 78", "FR", "+33612345678"),
    ("06.12.34.56.78", "FR", "+33612345678"),
    ("01 42 68 53 00", "FR", "+33142685300"),
    ("612 34 56 78", "ES", "+34612345678"),
    ("02 1234 5678", "IT", "+390212345678"),
    ("06-12345678", "NL", "+31612345678"),
    ("044 668 18 00", "CH", "+41446681800"),
    ("0412 345 678", "AU", "+61412345678"),
    ("(02) 9876 5432", "AU", "+61298765432"),
    ("090-1234-5678", "JP", "+819012345678"),
    ("03-1234-5678", "JP", "+81312345678"),
    ("010-1234-5678", "KR", "+821012345678"),
    ("138 0013 8000", "CN", "+8613800138000"),
    ("98765 43210", "IN", "+919876543210"),
    ("098765 43210", "IN", "+919876543210"),
    ("(11) 91234-5678", "BR", "+5511912345678"),
    ("050 123 4567", "AE", "+971501234567"),
    ("082 123 4567", "ZA", "+27821234567"),
    ("8 (912) 345-67-89", "RU", "+79123456789"),
    ("512 345 678", "PL", "+48512345678"),
    ("8123 4567", "SG", "+6581234567"),
]


@pytest.mark.parametrize(("text", "region", "expected"), NATIONAL)
def test_national_numbers_in_the_default_region(text: str, region: str, expected: str) -> None:
    assert e164(text, region) == expected


# -- the region hint: a country named in the message, then the e-mail's country ----------------
HINTS = [
    ("0151 2345 6789 (Germany)", None, "+4915123456789"),
    ("German mobile: 0151 23456789", None, "+4915123456789"),
    ("we're in the UK, 020 7946 0958", None, "+442079460958"),
    ("my UK mobile is 07911 123456", None, "+447911123456"),
    ("call our Paris office (France) on 01 42 68 53 00", None, "+33142685300"),
    ("India: 98765 43210", None, "+919876543210"),
    ("in Dubai, 050 123 4567", None, "+971501234567"),
    ("Australia 0412 345 678", None, "+61412345678"),
    ("020 7946 0958", "sam@brightwell.co.uk", "+442079460958"),
    ("030 12345678", "anna@firma.de", "+493012345678"),
    ("06 12 34 56 78", "luc@orange.fr", "+33612345678"),
    ("0412 345 678", "kim@shop.com.au", "+61412345678"),
    ("98765 43210", "raj@tech.in", "+919876543210"),
    # a country named in the message wins over the e-mail's
    ("0151 23456789, our German office", "sam@brightwell.co.uk", "+4915123456789"),
    # digits without the trunk 0 are not a German number: the default region reads them
    ("we're based in Germany, call 415-555-0132", None, "+14155550132"),
    ("I speak English, 415 555 0132", None, "+14155550132"),
]


@pytest.mark.parametrize(("text", "email", "expected"), HINTS)
def test_region_hints(text: str, email: str | None, expected: str) -> None:
    assert e164(text, "US", email) == expected


def test_without_a_hint_a_foreign_national_number_is_not_guessed() -> None:
    assert e164("020 7946 0958", "US") is None  # not a valid US number; no other region tried
    assert e164("020 7946 0958", "US", "sam@acme.io") is None  # .io is no country


EMAIL_REGIONS = [
    ("sam@firma.de", "DE"), ("sam@brightwell.co.uk", "GB"), ("sam@x.uk", "GB"), ("kim@shop.com.au", "AU"),
    ("luc@orange.fr", "FR"), ("sam@acme.com", None), ("sam@acme.io", None), ("sam@acme.ai", None),
    ("sam@acme.co", None), ("sam@acme.me", None), ("sam@example.org", None), ("sam@acme.eu", None),
    (None, None), ("not an address", None),
]


@pytest.mark.parametrize(("email", "region"), EMAIL_REGIONS)
def test_region_of_email(email: str | None, region: str | None) -> None:
    assert region_of_email(email) == region


def test_hints_are_ordered_and_end_with_the_default() -> None:
    assert region_hints("based in France", email="a@b.de", default_region="GB") == ["FR", "DE", "GB"]
    assert region_hints("nothing here", default_region="IN") == ["IN"]
    assert region_hints("call us", default_region="DE") == ["DE"]  # "us" the pronoun is no country
    assert region_hints("US number", default_region="DE") == ["US", "DE"]


def test_region_codes() -> None:
    assert is_region("US") and is_region("GB") and is_region("DE")
    assert not is_region("UK") and not is_region("us") and not is_region("XX")


# -- in a sentence --------------------------------------------------------------------------
IN_SENTENCES = [
    ("no email, call me on 415-555-0132", "+14155550132"),
    ("Sam Ortiz, +44 20 7946 0958, Brightwell Dental", "+442079460958"),
    ("best to reach me by phone: (415) 555-0132 (mornings)", "+14155550132"),
    ("tel. 415 555 0132", "+14155550132"),
    ("Tel: +49 30 12345678", "+493012345678"),
    ("text me at 415-555-0132!", "+14155550132"),
    ("Mobile - +91 98765 43210 - anytime", "+919876543210"),
    ("my number is 415-555-0132 and my budget is 25k", "+14155550132"),
    ("budget 25,000, call 415-555-0132", "+14155550132"),
    ("call 415-555-0132 or 415-555-0199", "+14155550132"),  # the first one
    ("+1 (415) 555-0132 ext. 12", "+14155550132"),  # the extension is not part of E.164
    ("sam@acme.com / 415-555-0132", "+14155550132"),
]


@pytest.mark.parametrize(("text", "expected"), IN_SENTENCES)
def test_numbers_in_sentences(text: str, expected: str) -> None:
    assert e164(text) == expected


def test_the_match_keeps_the_visitors_digits() -> None:
    found = parse_phone("call me on (415) 555-0132 please")
    assert found is not None
    assert (found.raw, found.e164, found.region) == ("(415) 555-0132", "+14155550132", "US")


# -- not phone numbers ----------------------------------------------------------------------
MONEY = [
    "25,000", "budget 25,000", "about 25000", "$25,000-$40,000", "1,500,000", "50,00,000 INR",
    "€2.500.000", "$4155550132", "4155550132 USD", "4155550132 dollars", "£ 2079460958",
    "around 4155550132k", "1 500 000 €", "we can spend 2 000 000", "100 000 000", "25k-30k",
    "between 10000 and 20000", "budget is 4155550132", "revenue 2125550187",
]
DATES_AND_TIMES = [
    "2027-03-01", "by 2027-03-01", "03/01/2027", "12.03.2027", "2027/03/01", "1.3.2027",
    "2026-11-22T10:00", "9:30-17:00", "Q3 2027", "2025-2027", "from 01.03.2027 to 31.03.2027",
]
QUANTITIES_AND_IDS = [
    "we have 1200 employees", "4155550132 users", "4155550132 messages a month", "300 seats",
    "20-30 people", "12%", "order 4155550132", "order number 415-555-0132", "invoice #4155550132",
    "ticket 2125550187", "account no. 020 7946 0958", "VAT ID DE123456789", "ZIP 10115",
    "10115 Berlin", "version 2.14.1", "v2.4155550132", "192.168.1.1", "IBAN DE89 3704 0044 0532 0130 00",
]
EMBEDDED = [
    "4155550132@gmail.com", "https://example.com/p/4155550132", "example.com/?id=4155550132",
    "ref_4155550132", "abc4155550132", "4155550132abc",
]
NO_NUMBER = ["", "hello", "call me", "my number is private", "skip", "555-0132", "12 12", "1 2 3 4 5 6 7 8 9"]


@pytest.mark.parametrize("text", MONEY + DATES_AND_TIMES + QUANTITIES_AND_IDS + EMBEDDED + NO_NUMBER)
def test_not_phone_numbers(text: str) -> None:
    for region in ("US", "DE", "GB", "IN", "FR"):
        assert e164(text, region) is None, region


INVALID = [
    "+44 20 7946 095",  # one digit short
    "+1 415 555 01320",  # one too many
    "+1 (123) 456-7890",  # no US area code starts with 1
    "+999 1234 5678",  # no such country code
    "000-000-0000",
    "+49 0000 000000",
]


@pytest.mark.parametrize("text", INVALID)
def test_invalid_numbers_are_not_taken(text: str) -> None:
    assert e164(text) is None


# -- bounded work ----------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "1 " * 50_000, "+1-" * 30_000, "0151 2345 6789 " * 10_000, "(0" * 50_000, "x" * 100_000,
    "2027-03-01 25,000 " * 5_000,
])
def test_huge_input_is_bounded(text: str) -> None:
    start = time.perf_counter()
    parse_phone(text, default_region="DE", email="a@b.co.uk")
    assert time.perf_counter() - start < 5  # a hang guard; speed is bench/parsing.py's


def test_a_number_past_the_first_8000_characters_is_not_read() -> None:
    assert e164("x " * 4_100 + "415-555-0132") is None
    assert e164("x " * 3_000 + "415-555-0132") == "+14155550132"


def test_the_default_region_setting_is_validated() -> None:
    from pydantic import ValidationError

    from bot.conversation import ConversationSettings, load_conversation_settings

    assert load_conversation_settings().default_phone_region == "US"
    assert ConversationSettings(default_phone_region="de").default_phone_region == "DE"
    assert ConversationSettings(default_phone_region="UK").default_phone_region == "GB"
    with pytest.raises(ValidationError, match="unknown phone region"):
        ConversationSettings(default_phone_region="XX")
