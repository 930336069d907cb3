"""Long conversations: the tracker store's bounded sessions (rasa_addons/tracker_store.py).

Through the trained model, the real action server and the tracker store configured in
endpoints.yml: a conversation that runs past `max_session_events` continues in a new
session with the same slots, form and pause; each turn loads a bounded tracker; the
stored lead's transcript still holds every message, once, in order.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import requests
import yaml

from bot.store.db import make_engine, session_factory
from bot.store.repository import get_lead
from tests.e2e.servers import ROOT
from tests.e2e.test_conversations import asked, stored, texts

pytestmark = pytest.mark.rasa

MAX_SESSION_EVENTS = yaml.safe_load((ROOT / "endpoints.yml").read_text())["tracker_store"]["max_session_events"]
# Questions a visitor might keep asking (each one an interruption, never an answer, so a
# pending question stays pending); every one runs NLU, the policies and actions.
CHATTER = ["what exactly do you do?", "how much does it cost?", "why do you need that?",
           "are you a bot?", "what's the pricing like", "do you integrate with Salesforce?"]


def tracker(bot, sender: str) -> dict:
    r = requests.get(f"{bot.rasa_url}/conversations/{sender}/tracker", params={"token": bot.auth_token},
                     timeout=10)
    r.raise_for_status()
    return r.json()


def sessions_stored(bot, sender: str) -> tuple[int, int]:
    """(session starts, events) stored for the sender in the tracker database."""
    with sqlite3.connect(Path(bot.env["LEADBOT_TRACKER_DB"])) as db:
        starts, total = db.execute(
            "SELECT SUM(type_name = 'session_started'), COUNT(*) FROM events WHERE sender_id = ?",
            (sender,)).fetchone()
    return starts, total


def chat_until_rollover(bot, sender: str, sent: list[str], *, expect_silence: bool = False,
                        heard: list[str] | None = None) -> None:
    """Keep chatting until the conversation has rolled over into a new session."""
    starts, _ = sessions_stored(bot, sender)
    for i in range(200):
        text = CHATTER[i % len(CHATTER)]
        replies = bot.say(sender, text)
        sent.append(text)
        if heard is not None:
            heard += [r["text"] for r in replies if r.get("text")]
        if expect_silence:
            assert replies == [], f"the bot spoke while paused: {replies}"
        if sessions_stored(bot, sender)[0] > starts:
            return
    raise AssertionError("the conversation never rolled over")


def latest_session_length(bot, sender: str) -> int:
    """Events from the latest session start on: what the next turn loads."""
    with sqlite3.connect(Path(bot.env["LEADBOT_TRACKER_DB"])) as db:
        (count,) = db.execute(
            "SELECT COUNT(*) FROM events WHERE sender_id = ? AND id >= (SELECT MAX(id) FROM events"
            " WHERE sender_id = ? AND type_name = 'session_started')", (sender, sender)).fetchone()
    return count


def user_lines(bot, key: str, sender: str = "user") -> list[str]:
    """What the visitor (or the bot) wrote, as the stored lead's transcript has it."""
    engine = make_engine(bot.database_url)
    try:
        with session_factory(engine)() as session:
            transcript = get_lead(session, key).transcript
    finally:
        engine.dispose()
    return [line["text"] for line in transcript if line["sender"] == sender]


def test_a_long_conversation_keeps_its_answers_and_every_message(bot, sender):
    sent = ["hi", "We need a chatbot to qualify leads on our website", "in 8-10 weeks",
            "it's my call, I run IT", "$12k", "Sam Ortiz", "Brightwell Dental", "sam.long@brightwell.com"]
    heard: list[str] = []
    for text in sent:
        heard += [r["text"] for r in bot.say(sender, text) if r.get("text")]
    assert stored(bot, "sam.long@brightwell.com")["budget"]["min"] == 12000

    chat_until_rollover(bot, sender, sent, heard=heard)
    chat_until_rollover(bot, sender, sent, heard=heard)
    starts, total = sessions_stored(bot, sender)
    assert starts >= 2 and total > 2 * MAX_SESSION_EVENTS

    assert latest_session_length(bot, sender) <= MAX_SESSION_EVENTS, "each turn loads a bounded session"
    state = tracker(bot, sender)
    assert state["slots"]["name"] == "Sam Ortiz" and state["slots"]["lead_id"]

    # The stored lead is still this conversation's: a correction reaches it after the rollovers.
    sent.append("actually make that budget 30k")
    replies = bot.say(sender, sent[-1])
    lead = stored(bot, "sam.long@brightwell.com")
    assert lead["budget"]["min"] == 30000, texts(replies)
    assert user_lines(bot, "sam.long@brightwell.com") == sent, "every message stored once, in order"
    # Every reply the bot gave before this last turn too, those just before a rollover included.
    assert user_lines(bot, "sam.long@brightwell.com", "bot")[:len(heard)] == heard


def test_the_form_goes_on_after_a_rollover_mid_question(bot, sender):
    bot.say(sender, "hi")
    assert asked(bot.say(sender, "a bot that answers support questions on our site")) == ["timeline"]
    sent: list[str] = []
    chat_until_rollover(bot, sender, sent)
    state = tracker(bot, sender)
    assert state["active_loop"].get("name") == "lead_form"
    assert state["slots"]["requested_slot"] == "timeline"
    assert asked(bot.say(sender, "next quarter")) == ["authority"], "the pending question is still answered"
    assert tracker(bot, sender)["slots"]["need"], "the earlier answer survived the rollover"


def test_a_paused_conversation_stays_paused_and_keeps_what_the_visitor_writes(bot, sender):
    for text in ["hi", "we need help qualifying website leads", "can I talk to a person please?"]:
        bot.say(sender, text)
    assert tracker(bot, sender)["paused"]
    sent: list[str] = []
    chat_until_rollover(bot, sender, sent, expect_silence=True)
    state = tracker(bot, sender)
    assert state["paused"], "a rollover does not end the wait for a rep"
    lead_id = state["slots"]["lead_id"]
    assert user_lines(bot, str(int(lead_id)))[-len(sent):] == sent
