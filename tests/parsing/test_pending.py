"""The pending-question rule (bot/pending.py) and the conversation-aware readings of
bot.extraction: out-of-order answers, the opening wish, a stated need kept.

Rows are our own wordings of each phenomenon, never lines of the blind suite."""
from __future__ import annotations

from datetime import date

import pytest

from bot.content import load_content
from bot.extraction import extract
from bot.pending import answers_pending_question
from bot.parsing.replies import asks_a_question

TODAY = date(2026, 11, 22)
CATEGORIES = load_content().need_keywords()
ALL_OPEN = ("need", "timeline", "authority", "budget", "name", "company", "email")


def read(text: str, requested: str | None, **kw):
    return extract(text, today=TODAY, requested=requested, categories=CATEGORIES, **kw)


# (message, pending question, what NLU said, its confidence): an answer all the same.
ANSWERS_DESPITE_INTENT = [
    ("Oluwaseun Adeyemi", "name", "goodbye", 0.93),
    ("Greenfield Pricing Partners", "company", "faq_pricing", 0.91),
    ("Peoplebridge", "company", "request_human", 0.88),
    ("quickly", "timeline", "goodbye", 0.7),
    ("pronto", "timeline", "goodbye", 0.95),
    ("an assistant bot for our booking page", "need", "bot_challenge", 0.9),
    ("nope, no budget at all", "budget", "deny", 0.9),
    ("skip", "email", "out_of_scope", 0.9),
    # NLU sure it is off-topic, but written as a name: still the answer
    ("Harbourside Realty", "company", "out_of_scope", 0.92),
    ("Ingrid van Dijk", "name", "out_of_scope", 0.9),
    ("about 40k euros", "budget", "out_of_scope", 0.85),
    ("we need a bot that books test drives", "need", "out_of_scope", 0.9),
    ("online table reservations", "need", "out_of_scope", 0.9),
    # a timeline said as a time, however long, whatever NLU made of it
    ("once our new financial year begins in July", "timeline", "out_of_scope", 0.99),
    ("when the next school term starts in the autumn", "timeline", "out_of_scope", 0.95),
    ("we don't want to miss any more leads", "need", "faq_product", 0.6),
]


@pytest.mark.parametrize(("text", "pending", "intent", "confidence"), ANSWERS_DESPITE_INTENT)
def test_a_plausible_answer_to_the_pending_question_wins(text, pending, intent, confidence) -> None:
    assert answers_pending_question(text, read(text, pending), pending, intent, confidence)


# Clearly something else: confident and no plausible answer in it.
SOMETHING_ELSE = [
    ("how much is it per month?", "budget", "faq_pricing", 0.95),
    ("are you a bot?", "need", "bot_challenge", 0.97),
    ("can I talk to a real person", "name", "request_human", 0.95),
    ("let's start over", "timeline", "restart", 0.9),
    ("why do you need that", "email", "ask_why", 0.9),
    ("do you integrate with Pipedrive", "company", "faq_integrations", 0.9),
    # errands NLU is sure of: not written as a name, no cue or kind of need in them
    ("renew my parking permit online", "company", "out_of_scope", 0.93),
    ("Find cheap flights to Lisbon", "company", "out_of_scope", 0.9),
    ("book a table for four", "name", "out_of_scope", 0.88),
    ("show me how to fold a fitted sheet", "need", "out_of_scope", 0.9),
    ("sell my old bike for around 300 dollars on a marketplace", "budget", "out_of_scope", 0.9),
    ("find me a hotel in Porto for next weekend please", "timeline", "out_of_scope", 0.92),
    ("when does the last train to Leeds leave tonight", "timeline", "out_of_scope", 0.95),
    # a kind of need named in passing, a wish in the negative: the errand's, not the visitor's
    ("please cancel the reservation I made for friday night", "need", "out_of_scope", 0.95),
    ("I no longer need my dentist appointment next week", "need", "out_of_scope", 0.93),
    ("we don't want the table we booked anymore", "need", "out_of_scope", 0.9),
]


@pytest.mark.parametrize(("text", "pending", "intent", "confidence"), SOMETHING_ELSE)
def test_a_clear_interruption_is_not_an_answer(text, pending, intent, confidence) -> None:
    assert not answers_pending_question(text, read(text, pending), pending, intent, confidence)


@pytest.mark.parametrize(("text", "asks"), [
    ("what's the exchange rate today", True),
    ("how long does setup take", True),
    ("do you do discounts for nonprofits", True),
    ("ok so what happens next", True),
    ("what we need is a booking bot", False),
    ("when the funding comes through", False),
    ("Q2?", False),
    ("can we do 5k?", False),
])
def test_questions_by_their_grammar(text: str, asks: bool) -> None:
    assert asks_a_question(text) is asks


@pytest.mark.parametrize(("text", "pending", "field", "expected"), [
    ("right away", "need", "timeline", "2026-11-29"),
    ("it's on me", "need", "authority", "decision_maker"),
    ("the go-live should be 15 March 2027", "need", "timeline", "2027-03-15"),
    ("about 8k EUR", "timeline", "budget", 8000),
])
def test_a_reply_answers_another_open_question_out_of_order(text, pending, field, expected) -> None:
    value = getattr(read(text, pending, open_fields=ALL_OPEN), field)
    got = {"timeline": lambda v: v.target_date, "authority": lambda v: v.level, "budget": lambda v: v.max}[field](value)
    assert got == expected


def test_a_bare_name_is_not_the_need() -> None:
    assert read("Ingrid Halvorsen", "need").need is None


@pytest.mark.parametrize(("text", "stated"), [
    ("website chat that books test drives", True),
    ("a lead qualification bot", True),
    ("I have a quick question", False),
    ("just browsing", False),
    ("need some info", False),
    # a greeting with contact details only: nothing wished yet
    ("good morning, Tomasz Wilk here, t.wilk@orbis.example", False),
    ("hey, this is Dana Reyes, my email is dana@cobalt.example", False),
    ("hi, Ana here, ana@hollow.example, we need a bot that books viewings", True),
])
def test_the_opening_message_states_the_need_only_when_concrete(text: str, stated: bool) -> None:
    need = read(text, None, opening=True).need
    assert (need is not None and need.status == "stated") is stated


def test_the_need_keeps_the_visitors_whole_words() -> None:
    need = read("We're a family-run bakery. We want a bot that takes cake orders", None).need
    assert need is not None and need.text.startswith("We're a family-run bakery")


# Off-topic messages while a question is pending: nothing of them is an answer.
@pytest.mark.parametrize(("text", "pending"), [
    ("find me a cheap hotel in Lisbon under 90 euros", "budget"),
    ("order me a pizza for tonight", "timeline"),
    ("remind me to water the plants", "need"),
    ("which dentist is open on saturdays", "need"),
    ("can you tell me the time in Sydney", "company"),
    ("do penguins have knees", "name"),
    ("I want my song added to the party playlist", "need"),
    # "I don't know how to…" is about something else, not uncertainty about the question
    ("i don't know how to convert feet to metres", "budget"),
    ("I don't know how to change my car's oil", "timeline"),
    ("i don't know what to cook tonight", "authority"),
])
def test_an_errand_or_a_question_is_no_answer(text: str, pending: str) -> None:
    assert read(text, pending, open_fields=ALL_OPEN).slots() == {}


@pytest.mark.parametrize(("text", "pending", "field"), [
    ("we want more bookings from our website", "need", "need"),
    ("just exploring options", "need", "need"),
    ("Oluwaseun Adeyemi", "name", "name"),
    ("Greenfield Analytics", "company", "company"),
    ("i work at Northwind", "company", "company"),
    ("we're Globex", "company", "company"),
])
def test_real_answers_still_count(text: str, pending: str, field: str) -> None:
    assert field in read(text, pending).slots()
