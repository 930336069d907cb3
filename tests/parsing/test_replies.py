"""meta_reply: replies about the question itself (skip, not sure, why)."""
from __future__ import annotations

import pytest

from bot.parsing.replies import asks_for_a_person, asks_to_erase_own_data, meta_reply


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # skip
        ("skip", "skip"),
        ("Skip!", "skip"),
        ("pass", "skip"),
        ("next question", "skip"),
        ("rather not say", "skip"),
        ("prefer not to answer", "skip"),
        ("I'd rather skip that", "skip"),
        ("can we skip this one", "skip"),
        ("I'd rather not share that", "skip"),
        ("no comment", "skip"),
        ("let's move on", "skip"),
        # not sure
        ("not sure", "not_sure"),
        ("Not really sure tbh", "not_sure"),
        ("no idea", "not_sure"),
        ("dunno", "not_sure"),
        ("don't know", "not_sure"),
        ("idk", "not_sure"),
        ("n/a", "not_sure"),
        ("N/A for us", "not_sure"),
        ("not applicable", "not_sure"),
        ("hard to say", "not_sure"),
        ("it depends", "not_sure"),
        ("no clue 🤷", "not_sure"),
        ("TBD", "not_sure"),
        ("hmm", "not_sure"),
        # why
        ("why?", "why"),
        ("why do you ask?", "why"),
        ("why do you need that", "why"),
        ("what's that for", "why"),
        ("why is that relevant", "why"),
        ("what do you need it for?", "why"),
        ("is that necessary?", "why"),
        ("rather not say, why do you ask?", "why"),  # why wins
    ],
)
def test_meta_replies(text: str, kind: str) -> None:
    assert meta_reply(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "25k",
        "Sam Ortiz",
        "next month",  # an answer, not "next question"
        "pass me to a human please",
        "we need a booking bot",
        "we need a bot to book appointments but not sure about budget or timing yet so whatever",  # long
        "",
        "yes",
    ],
)
def test_answers_are_not_meta(text: str) -> None:
    assert meta_reply(text) is None


@pytest.mark.parametrize(("text", "own_data"), [
    ("please wipe everything you know about me", True),
    ("I'd like my details removed", True),
    ("forget what I said earlier, all of it", True),
    ("delete this chat and my e-mail", True),
    ("I want to be forgotten", True),
    ("clear all the voicemails on my phone", False),
    ("delete the photos from my holiday", False),
    ("remove that song from my playlist", False),
    ("erase it", False),
])
def test_an_erasure_request_names_what_the_bot_holds(text: str, own_data: bool) -> None:
    assert asks_to_erase_own_data(text) is own_data


@pytest.mark.parametrize(("text", "person"), [
    ("jo@kite.example, and could someone from sales give me a call tomorrow", True),
    ("Budget is 10k. I'd like a rep to contact me", True),
    ("please have a real person ring me on 020 7946 0018", True),
    ("we'd rather speak with a human at some point", True),
    ("call me on 020 7946 0018", False),       # a number given, no person asked for
    ("our reps call every lead within a day", False),
    ("someone in finance approves it", False),
])
def test_a_person_asked_for_inside_an_answer(text: str, person: bool) -> None:
    assert asks_for_a_person(text) is person
