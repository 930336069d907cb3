"""parse_need: the need in the visitor's words, its level and its category.

Categories come from the shipped settings/content.yml, so these rows also check that its
keywords file real needs where a sales team expects them.
"""
from __future__ import annotations


import pytest

from bot.content import load_content
from bot.parsing.need import match_category, parse_need

CATEGORIES = load_content().need_keywords()

Row = tuple[str, str, str, str | None]  # text, need text, level, category


def read(text: str, *, answering: bool = True) -> tuple[str, str, str | None]:
    need = parse_need(text, CATEGORIES, answering=answering)
    assert need is not None, f"nothing read from {text!r}"
    assert need.status == "stated", need
    return need.text, need.level, need.category


ANSWERS: list[Row] = [
    ("we want a bot that books consultations", "we want a bot that books consultations", "specific", "appointment_booking"),
    ("booking appointments online", "booking appointments online", "specific", "appointment_booking"),
    ("Too many no-shows", "Too many no-shows", "specific", "appointment_booking"),
    ("more leads from our website", "more leads from our website", "specific", "lead_capture"),
    ("qualify inbound enquiries", "qualify inbound enquiries", "specific", "lead_capture"),
    ("answer FAQs after hours", "answer FAQs after hours", "specific", "customer_support"),
    ("help us answer support tickets faster", "help us answer support tickets faster", "specific", "customer_support"),
    ("follow-ups for our sales team", "follow-ups for our sales team", "specific", "sales_automation"),
    ("push chats into HubSpot", "push chats into HubSpot", "specific", "integrations"),
    ("grow our newsletter", "grow our newsletter", "specific", "marketing"),
    ("a chatbot for our dental clinic", "a chatbot for our dental clinic", "specific", None),
    ("Hi! We need something to handle returns", "We need something to handle returns", "specific", "customer_support"),
    ("leads", "leads", "specific", "lead_capture"),  # one word that names a category
]

EXPLORING: list[Row] = [
    ("just looking", "just looking", "exploring", None),
    ("just curious what a bot could do", "just curious what a bot could do", "exploring", None),
    ("not sure yet what we need", "not sure yet what we need", "exploring", None),
    ("researching options for lead capture", "researching options for lead capture", "exploring", "lead_capture"),
    ("we're exploring options for support automation", "we're exploring options for support automation", "exploring", "customer_support"),
    ("early days, thinking about a booking assistant", "thinking about a booking assistant", "exploring", "appointment_booking"),
]


@pytest.mark.parametrize(("text", "need_text", "level", "category"), ANSWERS)
def test_specific_needs(text: str, need_text: str, level: str, category: str | None) -> None:
    assert read(text) == (need_text, level, category)


@pytest.mark.parametrize(("text", "need_text", "level", "category"), EXPLORING)
def test_exploring_needs(text: str, need_text: str, level: str, category: str | None) -> None:
    assert read(text) == (need_text, level, category)


@pytest.mark.parametrize("text", ["skip", "not sure", "no idea", "dunno", "pass"])
def test_unknown(text: str) -> None:
    need = parse_need(text, CATEGORIES, answering=True)
    assert need is not None
    assert (need.status, need.level, need.category) == ("unknown", "exploring", None)


@pytest.mark.parametrize(
    "text",
    ["how much does it cost?", "what can you do?", "Is this a bot?", "hello", "hi there!", "ok", "chatbot", "", "  "],
)
def test_questions_greetings_and_single_words_are_not_needs(text: str) -> None:
    assert parse_need(text, CATEGORIES, answering=True) is None


STRICT: list[Row] = [
    (
        "Hello, Sam Ortiz here, head of sales at Brightwell Dental; we want a bot that books consultations, "
        "budget is 25k, we'd like it live in six weeks",
        "we want a bot that books consultations", "specific", "appointment_booking",
    ),
    ("our problem is we miss calls after hours", "our problem is we miss calls after hours", "specific", "customer_support"),
    ("we're struggling with no-shows, budget 5k", "we're struggling with no-shows", "specific", "appointment_booking"),
    ("Hi, we're looking for a way to capture leads. Budget 10k", "we're looking for a way to capture leads", "specific", "lead_capture"),
    ("we'd like to automate follow-ups", "we'd like to automate follow-ups", "specific", "sales_automation"),
    ("I'm trying to connect our chat to Salesforce", "I'm trying to connect our chat to Salesforce", "specific", "integrations"),
    ("we're exploring options for a chatbot", "we're exploring options for a chatbot", "exploring", None),
    ("we need a booking bot up and running by March", "we need a booking bot", "specific", "appointment_booking"),
    ("we want live chat on our website", "we want live chat on our website", "specific", "customer_support"),
]


@pytest.mark.parametrize(("text", "need_text", "level", "category"), STRICT)
def test_strict_needs_a_cue(text: str, need_text: str, level: str, category: str | None) -> None:
    assert read(text, answering=False) == (need_text, level, category)


@pytest.mark.parametrize(
    "text",
    [
        "we'd like it live in six weeks",
        "we need it by Q3",
        "I'd like to talk to someone",
        "budget is 25k",
        "Sam Ortiz, head of sales",
        "just looking",  # exploring, but says nothing about what
        "booking appointments online",  # no cue: only a reply to the need question
        "hello",
    ],
)
def test_strict_ignores_statements_without_a_need_cue(text: str) -> None:
    assert parse_need(text, CATEGORIES, answering=False) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Appointment reminders", "appointment_booking"),
        ("BOOKINGS", "appointment_booking"),  # plural, any case
        ("lead-gen", "lead_capture"),  # "lead" is a whole word before the hyphen
        ("lead gen", "lead_capture"),
        ("help-desk", "customer_support"),  # multi-word keywords match with a hyphen
        ("bookkeeping", None),  # whole words only
        ("unrelated", None),
    ],
)
def test_category_matching(text: str, expected: str | None) -> None:
    assert match_category(text, CATEGORIES) == expected


def test_first_category_in_file_order_wins() -> None:
    categories = {"first": ["bot"], "second": ["bot", "booking"]}
    assert match_category("a booking bot", categories) == "first"


def test_no_categories_configured() -> None:
    need = parse_need("we want a booking bot", {}, answering=True)
    assert need is not None and need.category is None


def test_need_text_is_capped() -> None:
    need = parse_need("we need " + "a very long story " * 200, CATEGORIES, answering=True)
    assert need is not None and len(need.text) <= 300


@pytest.mark.parametrize("text", ["we need " * 20_000, "a" * 100_000, "looking for, " * 10_000])
@pytest.mark.timeout(120)  # a hang guard; the speed is measured in bench/parsing.py
def test_huge_input_keeps_a_capped_need(text: str) -> None:
    for answering in (True, False):
        need = parse_need(text, CATEGORIES, answering=answering)
        assert need is None or len(need.text) <= 300
