"""extract(): everything one message says, the requested field read liberally."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.content import load_content
from bot.extraction import FIELDS, Extracted, extract

TODAY = date(2026, 11, 22)
CATEGORIES = load_content().need_keywords()

OPENER = (
    "Hello, Sam Ortiz here, head of sales at Brightwell Dental; we want a bot that books "
    "consultations, budget is 25k, we'd like it live in six weeks"
)


def run(text: str, requested: str | None = None, today: date = TODAY) -> Extracted:
    return extract(text, today=today, requested=requested, categories=CATEGORIES)


def test_loaded_opener_fills_everything_it_states() -> None:
    found = run(OPENER)
    assert found.name == "Sam Ortiz"
    assert found.company == "Brightwell Dental"
    assert found.authority is not None
    assert (found.authority.level, found.authority.role) == ("unknown", "Head of Sales")
    assert found.need is not None
    assert "books consultations" in found.need.text
    assert (found.need.level, found.need.category) == ("specific", "appointment_booking")
    assert found.budget is not None
    assert (found.budget.status, found.budget.min, found.budget.max, found.budget.currency) == ("stated", 25000, 25000, None)
    assert found.timeline is not None
    assert (found.timeline.target_date, found.timeline.months) == ("2027-01-03", 1.4)
    assert found.email is None and found.meta is None and found.correction is False


def test_slots_hold_only_found_values() -> None:
    slots = run(OPENER).slots()
    assert set(slots) == {"need", "budget", "authority", "timeline", "name", "company"}
    assert slots["budget"]["min"] == 25000 and slots["name"] == "Sam Ortiz"
    assert run("hello").slots() == {}


# (message, requested, expected slot subset) -- values compared on the listed keys only.
MESSAGES: list[tuple[str, str | None, dict[str, Any]]] = [
    ("25000", "budget", {"budget": {"min": 25000, "max": 25000, "status": "stated"}}),
    ("about 650", "budget", {"budget": {"min": 650, "max": 650}}),
    ("€8.500 per month", "budget", {"budget": {"min": 8500, "currency": "EUR", "period": "monthly"}}),
    ("not sure, maybe 20k", "budget", {"budget": {"min": 20000, "status": "stated"}}),
    ("Q3", "timeline", {"timeline": {"target_date": "2027-09-30"}}),
    ("in 8-10 weeks", "timeline", {"timeline": {"target_date": "2027-01-31"}}),
    ("me", "authority", {"authority": {"level": "decision_maker"}}),
    ("my boss has the final say", "authority", {"authority": {"level": "influencer"}}),
    ("booking appointments", "need", {"need": {"category": "appointment_booking", "level": "specific"}}),
    ("just looking", "need", {"need": {"level": "exploring"}}),
    # the need question answered in a whole sentence keeps all of the visitor's words
    ("we're drowning in inbound demo requests and need something to sort the tire-kickers out",
     "need", {"need": {"text": "we're drowning in inbound demo requests and need something to sort the tire-kickers out"}}),
    ("Sam", "name", {"name": "Sam"}),
    ("sam ortiz", "name", {"name": "Sam Ortiz"}),
    ("Acme", "company", {"company": "Acme"}),
    ("sam@brightwell.com", "email", {"email": "sam@brightwell.com"}),
    # answers to one question that also state another field
    ("Q3, and the budget is about 20k", "timeline", {"timeline": {"target_date": "2027-09-30"}, "budget": {"min": 20000}}),
    ("I'm the founder, we need it by March", "authority", {"authority": {"level": "decision_maker"}, "timeline": {"target_date": "2027-03-31"}}),
    ("Dana, from Initech", "name", {"name": "Dana", "company": "Initech"}),
    ("sure, it's dana@initech.com", "name", {"email": "dana@initech.com"}),
    ("we need more leads, budget $5k a month", "need", {"need": {"category": "lead_capture"}, "budget": {"min": 5000, "currency": "USD", "period": "monthly"}}),
    # e-mail anywhere
    ("you can reach me at sam@brightwell.com", "timeline", {"email": "sam@brightwell.com"}),
    ("Hi, I'm Priya (priya@northwind.io), we'd like a support bot", None, {"email": "priya@northwind.io", "name": "Priya"}),
    # the contact details as a list after the name; a company named with a bare "company"
    ("Ines Duarte, Lagoa Surf Camp, ines@lagoasurf.example", "name",
     {"name": "Ines Duarte", "company": "Lagoa Surf Camp", "email": "ines@lagoasurf.example"}),
    ("Tomas Berg; Fjordline Kayaks", "name", {"name": "Tomas Berg", "company": "Fjordline Kayaks"}),
    ("it's Wen Li, company Orchid Freight Ltd", None, {"name": "Wen Li", "company": "Orchid Freight Ltd"}),
    # ... and given unasked (a signature pasted while another question is open, or none is)
    ("Oskar Lind, Lindqvist Bygg AB, oskar@lindqvistbygg.example, +46 70 123 45 67", None,
     {"name": "Oskar Lind", "company": "Lindqvist Bygg AB", "email": "oskar@lindqvistbygg.example"}),
    ("Farah Idris | Kopi Senja | farah@kopisenja.example", "email",
     {"name": "Farah Idris", "company": "Kopi Senja", "email": "farah@kopisenja.example"}),
    ("Ирина Ковалёва, ООО Северный ветер, i.kovaleva@sv-veter.example", "budget",
     {"name": "Ирина Ковалёва", "email": "i.kovaleva@sv-veter.example"}),
    # a denied answer gives way to the one put in its place, in any language
    ("not June but August", "timeline", {"timeline": {"target_date": "2027-08-31"}}),
    ("August, not June", "timeline", {"timeline": {"target_date": "2027-08-31"}}),
    ("не в июне, а в августе", "timeline", {"timeline": {"target_date": "2027-08-31"}}),
    ("ikke i juni, men i august", "timeline", {"timeline": {"target_date": "2027-08-31"}}),
    ("不是六月，而是八月", "timeline", {"timeline": {"target_date": "2027-08-31"}}),
    ("not before August", "timeline", {"timeline": {"target_date": "2027-08-01"}}),  # a bound stays
    # the name said beside a correction of another answer
    ("好的，王海涛。还有，刚才预算说错了，应该是每月八千", "name", {"name": "王海涛", "budget": {"min": 8000}}),
    ("Sure, Lena Vik. And a correction: not June but August", "name",
     {"name": "Lena Vik", "timeline": {"target_date": "2027-08-31"}}),
    # Chinese, to the name question: the name, then the company or a title at it
    ("赵敏，苏州绿叶家居", "name", {"name": "赵敏", "company": "苏州绿叶家居"}),
    ("赵敏，苏州绿叶家居的运营总监", "name", {"name": "赵敏", "company": "苏州绿叶家居"}),
    # a company ends with its sentence, a legal form's dots stay
    ("I'm the owner of Copper Kettle Bakery. We want online orders", None, {"company": "Copper Kettle Bakery"}),
    ("I work for Halden Pte. Ltd. in Singapore", None, {"company": "Halden Pte. Ltd."}),
]


@pytest.mark.parametrize(("text", "requested", "expected"), MESSAGES)
def test_messages(text: str, requested: str | None, expected: dict[str, Any]) -> None:
    slots = run(text, requested).slots()
    for key, value in expected.items():
        assert key in slots, f"{key} not read from {text!r}: {slots}"
        if isinstance(value, dict):
            assert {k: slots[key][k] for k in value} == value
        else:
            assert slots[key] == value


@pytest.mark.parametrize(
    ("text", "requested", "absent"),
    [
        ("25k", "timeline", "budget"),  # bare figure, budget not asked: no money cue
        ("we have 50 employees", "need", "budget"),
        ("6 years in business", None, "timeline"),
        ("about 10k", "need", "need"),  # a figure is not a need
        ("by March", "need", "need"),
        ("how much does it cost?", "need", "need"),
        ("hi", "need", "need"),
        ("I'm at home", None, "company"),
        ("I'm looking for a chatbot", None, "name"),
        ("Sam", "company", "name"),  # bare word fills only the asked field
        ("Acme", "name", "company"),
        ("Sam Ortiz, Head of Sales, sam@brightwell.com", "name", "company"),  # a title is no company
        ("Maria Gomez, Porto", "name", "company"),  # nor a city
        ("Hello there, maria@gomez.example", None, "name"),  # a greeting leading the list is no name
        ("Head Of Sales, maria@gomez.example", "email", "name"),  # nor a title
        ("New York, +1 212 555 0188", None, "name"),  # nor a place
        ("Maria Gomez", "email", "name"),  # a name alone, unasked, with no details beside it
        ("赵敏，负责运营", "name", "company"),  # what they do is no company
    ],
)
def test_values_not_read(text: str, requested: str | None, absent: str) -> None:
    assert absent not in run(text, requested).slots()


META = [
    ("not sure", "budget", "not_sure", {"budget": {"status": "unknown"}}),
    ("skip", "budget", "skip", {"budget": {"status": "unknown"}}),
    ("no idea", "timeline", "not_sure", {"timeline": {"status": "unknown"}}),
    ("rather not say", "authority", "skip", {"authority": {"level": "unknown"}}),
    ("dunno", "need", "not_sure", {"need": {"status": "unknown", "level": "exploring"}}),
    ("skip", "name", "skip", {}),
    ("prefer not to answer", "email", "skip", {}),
    ("why do you ask?", "budget", "why", {}),
    ("why do you need that", "email", "why", {}),
    ("what's that for?", "company", "why", {}),
]


@pytest.mark.parametrize(("text", "requested", "meta", "expected"), META)
def test_meta_replies(text: str, requested: str, meta: str, expected: dict[str, Any]) -> None:
    found = run(text, requested)
    assert found.meta == meta
    slots = found.slots()
    assert set(slots) == set(expected)
    for key, value in expected.items():
        assert {k: slots[key][k] for k in value} == value


def test_an_answer_is_not_a_meta_reply() -> None:
    assert run("not sure, maybe 20k", "budget").meta is None


CORRECTIONS = [
    ("oops, make that 35k", "email", {"budget": {"min": 35000}}),
    ("actually it's 40k", None, {"budget": {"min": 40000}}),
    ("sorry, I meant 35k", "name", {"budget": {"min": 35000}}),
    ("correction: budget is €50k", "company", {"budget": {"min": 50000, "currency": "EUR"}}),
    ("make that 3500", "email", {"budget": {"min": 3500}}),
    ("sorry, I meant Q4", "name", {"timeline": {"target_date": "2026-12-31"}}),
    ("actually, next month", "company", {"timeline": {"target_date": "2026-12-31"}}),
    ("oops, make that Q1", "budget", {"timeline": {"target_date": "2027-03-31"}}),
]


@pytest.mark.parametrize(("text", "requested", "expected"), CORRECTIONS)
def test_corrections(text: str, requested: str | None, expected: dict[str, Any]) -> None:
    found = run(text, requested)
    assert found.correction is True
    slots = found.slots()
    for key, value in expected.items():
        assert {k: slots[key][k] for k in value} == value


def test_correction_with_a_small_bare_number_is_not_money() -> None:
    assert "budget" not in run("actually 4", "name").slots()


def test_email_problem_is_reported_when_no_valid_address() -> None:
    found = run("sam@gmial.com", "email")
    assert found.email is None
    assert found.email_problem and "sam@gmail.com" in found.email_problem
    assert run("sam@brightwell", None).email_problem is not None
    assert run("sam.brightwell.com", "email").email_problem is not None
    assert run("see brightwell.com", None).email_problem is None  # no @, not asked


def test_unknown_requested_slot_is_treated_as_none() -> None:
    assert run("25k", "favourite_colour").slots() == {}


def test_empty_and_markup_only_messages() -> None:
    assert run("", "budget") == Extracted()
    assert run("<script>alert(1)</script>", "budget") == Extracted()
    assert run("\u200b\u200b", "name") == Extracted()


def test_html_wrapped_answer() -> None:
    assert run("<p>about <b>$12k</b></p>", "budget").slots()["budget"]["min"] == 12000


# How fast these shapes parse is measured in bench/parsing.py (time and growth with size); the
# tests check what comes out. The timeout is a hang guard only: catastrophic backtracking on
# 10,000 characters never finishes, and no test here asserts a duration.
HANG_GUARD = pytest.mark.timeout(120)


@HANG_GUARD
@pytest.mark.parametrize("requested", [None, *FIELDS])
def test_a_100k_message_is_read_and_its_address_found(requested: str | None) -> None:
    text = ((OPENER + " ") * 800)[:99_990] + " sam@x.com"
    found = run(text, requested)
    assert found.email == "sam@x.com"


# Shapes that make naive regexes backtrack (runs of one character class, repeated cues).
# extract() reads the first 8,000 characters, so 10,000 shows any quadratic blow-up.
HOSTILE = [
    "a" * 10_000,
    "x." * 5_000,
    "1 " * 5_000,
    "1," * 5_000,
    "9" * 10_000,
    "I'm " * 2_500,
    "<" * 10_000,
    "@." * 5_000,
    "from Acme " * 1_000,
    "in 6 weeks " * 1_000,
    "😀" * 10_000,
    "ab-" * 3_333,
    "the board and " * 666,
    "!" * 10_000,
    " ," * 5_000,
    "<b>" * 3_333,
    "Q3 " * 3_333,
    "$" * 10_000,
]


@HANG_GUARD
@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:6]))
def test_hostile_input_is_read_without_an_address_for_every_requested_field(text: str) -> None:
    for requested in (None, *FIELDS):
        assert run(text, requested).email is None, requested


def test_an_address_at_the_end_of_a_huge_message_is_taken() -> None:
    assert run(("blah " * 20_000) + "sam@x.com", None).email == "sam@x.com"


# -- phone numbers: taken from any message, like the e-mail (bot/parsing/phone.py) -----------
PHONES: list[tuple[str, str | None, dict[str, Any]]] = [
    ("no email, call me on 415-555-0132", "email", {"phone": "+14155550132"}),
    ("call me on 415-555-0132", "company", {"phone": "+14155550132"}),  # not a company
    ("WhatsApp +971 50 123 4567", "need", {"phone": "+971501234567"}),  # not a need
    ("+44 20 7946 0958", "name", {"phone": "+442079460958"}),
    ("Sam Ortiz, +44 20 7946 0958", "name", {"name": "Sam Ortiz", "phone": "+442079460958"}),
    ("sam@brightwell.co.uk, 020 7946 0958", "email", {"email": "sam@brightwell.co.uk", "phone": "+442079460958"}),
    ("budget is 25k, call me on 415-555-0132", None, {"budget": {"min": 25000}, "phone": "+14155550132"}),
    ("0151 2345 6789 (Germany)", "timeline", {"phone": "+4915123456789"}),
]


@pytest.mark.parametrize(("text", "requested", "expected"), PHONES)
def test_phone_numbers_are_taken_from_any_message(text: str, requested: str | None, expected: dict[str, Any]) -> None:
    slots = run(text, requested).slots()
    assert set(slots) == set(expected)
    for key, value in expected.items():
        if isinstance(value, dict):
            assert {k: slots[key][k] for k in value} == value
        else:
            assert slots[key] == value


@pytest.mark.parametrize(("text", "requested"), [
    ("25,000", "budget"), ("2027-03-01", "timeline"), ("we have 1200 employees", None), ("about 4155550132 users", None),
])
def test_budgets_dates_and_quantities_are_no_phone(text: str, requested: str | None) -> None:
    assert run(text, requested).phone is None


def test_the_phone_region_and_a_known_email_give_a_national_number_its_country() -> None:
    def phone(region: str, known_email: str | None = None) -> str | None:
        return extract("ring me on 020 7946 0958", today=TODAY, requested=None, categories=CATEGORIES,
                       phone_region=region, known_email=known_email).phone
    assert phone("US") is None
    assert phone("GB") == "+442079460958"
    assert phone("US", "sam@brightwell.co.uk") == "+442079460958"


@HANG_GUARD
@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:6]))
def test_hostile_input_holds_no_phone(text: str) -> None:
    assert run(text, "email").phone is None
