"""Sentences that are not an answer to "when?": asked for the timeline, the visitor asks for a
person, declines the bot, or says when to talk rather than when to buy. None of them may fill
the timeline, neither as a date nor as a skipped ("unknown") answer; the real answers next to
them still do. (Found with "I'd rather not talk to a machine": "rather not" was read as a skip.)
"""
from __future__ import annotations

from datetime import date

import pytest

from bot.extraction import extract
from bot.parsing.replies import meta_reply
from bot.parsing.timeline import parse_timeline

TODAY = date(2026, 11, 22)

NOT_A_TIMELINE = [
    # declining the bot, not the question
    "I'd rather not talk to a machine",
    "i would rather not chat with a robot",
    "I'd rather not deal with a chatbot",
    "rather not type this to an AI",
    "I'd prefer not to talk to a bot",
    "prefer not to do this with software",
    "I'd rather talk to a person",
    "I would rather speak with someone from your team",
    "honestly I'd prefer a human",
    "no machines please",
    "no AI please",
    "not a bot please, someone human",
    "enough with the bot",
    # when to talk, not when to buy
    "can I talk to a human now",
    "I need a human right now",
    "talk to a person at once",
    "get me a person asap",
    "can someone call me today",
    "please call me back tomorrow",
    "I want to speak with someone from sales asap",
    "can I chat with your team right away",
    "is there a real person available now?",
    "connect me to an agent immediately",
    # other words that only look like time
    "machine learning is what we do",
    "are you a machine?",
    "may I ask who I'm talking to",
    "what's the price",
]


@pytest.mark.parametrize("text", NOT_A_TIMELINE)
def test_asked_for_the_timeline_these_are_not_an_answer(text: str) -> None:
    found = extract(text, today=TODAY, requested="timeline", categories={})
    assert found.timeline is None, found.timeline
    assert found.meta is None


@pytest.mark.parametrize("text", NOT_A_TIMELINE)
def test_nor_are_they_a_timeline_anywhere_else(text: str) -> None:
    assert parse_timeline(text, TODAY, answering=False) is None
    assert extract(text, today=TODAY, requested="budget", categories={}).timeline is None


@pytest.mark.parametrize(("text", "target"), [
    # the same time words still answer the question when they are about buying
    ("asap", "2026-11-29"),
    ("right now", "2026-11-29"),
    ("we need it right now", "2026-11-29"),
    ("we want to go live now", "2026-11-29"),
    ("today if possible", "2026-11-29"),
    ("call me next week about going live in March", "2027-03-31"),
    ("I'd rather talk to a person; we want to launch by Q2", "2027-06-30"),
    ("I'd rather go live within 2 months", "2027-01-22"),
])
def test_time_words_about_buying_still_count(text: str, target: str) -> None:
    found = extract(text, today=TODAY, requested="timeline", categories={})
    assert found.timeline is not None and found.timeline.target_date == target, found.timeline


@pytest.mark.parametrize("text", [
    "rather not say", "I'd rather not", "I'd rather not.", "I'd rather not, thanks", "rather not say yet",
    "prefer not to answer", "I'd prefer not to share that", "I would rather not give a number",
    "rather not get into that", "I'd rather not for now", "prefer not to, sorry",
    "I'd rather not discuss budget", "I'd rather not talk about it", "prefer not to go into details",
    "I would rather not commit to a date", "rather not reveal that yet", "I'd prefer not to name a date",
])
def test_declining_the_question_is_still_a_skip(text: str) -> None:
    assert meta_reply(text) == "skip"
    found = extract(text, today=TODAY, requested="timeline", categories={})
    assert found.meta == "skip" and found.timeline is not None and found.timeline.status == "unknown"
