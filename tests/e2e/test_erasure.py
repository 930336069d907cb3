"""Through the real bot (Rasa + action server): a lead deleted with `leadbot leads delete` is
gone from Rasa's tracker store, and the next message in that conversation starts afresh
instead of bringing the lead back; a second conversation typing a lead's e-mail is linked
beside it and changes nothing; a visitor deletes their data from the chat."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from bot.store.db import make_engine, session_factory
from bot.store.errors import LeadNotFound
from bot.store.repository import get_lead
from bot.store.schema import Lead, LinkedConversation
from tests.e2e.servers import ROOT
from tests.e2e.test_conversations import asked, texts

pytestmark = pytest.mark.rasa


def _qualify(bot, sender: str, name: str, email: str) -> None:
    bot.say(sender, "hi")
    bot.say(sender, "We need a chatbot to capture and qualify leads on our website")
    bot.say(sender, "in 8-10 weeks")
    bot.say(sender, "it's my call, I run IT")
    bot.say(sender, "around 30k a year, USD")
    bot.say(sender, name)
    bot.say(sender, "Firma GmbH")
    bot.say(sender, email)


def _tracker_rows(bot, sender: str) -> int:
    with sqlite3.connect(Path(bot.env["LEADBOT_TRACKER_DB"])) as db:
        return db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def _lead(bot, email: str) -> Lead | None:
    engine = make_engine(bot.database_url)
    try:
        with session_factory(engine)() as session:
            try:
                lead = get_lead(session, email)
            except LeadNotFound:
                return None
            session.expunge(lead)
            return lead
    finally:
        engine.dispose()


def test_a_deleted_lead_stays_deleted_when_its_visitor_writes_again(bot, sender) -> None:
    email = f"{sender.lower()}@erase.example"
    _qualify(bot, sender, "Vera Visitor", email)
    assert _lead(bot, email) is not None and _tracker_rows(bot, sender) > 0

    command = [str(Path(sys.executable).with_name("leadbot")), "leads", "delete", email, "--yes"]
    deleted = subprocess.run(command, env=bot.env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert deleted.returncode == 0, deleted.stderr
    assert _tracker_rows(bot, sender) == 0, "Rasa's tracker store forgot the conversation"

    replies = bot.say(sender, "hi again, anything new?")
    assert "recorded" in texts(replies), "a new conversation: the consent notice again"
    assert _lead(bot, email) is None, "the next message did not bring the lead back"
    state = requests.get(f"{bot.rasa_url}/conversations/{sender}/tracker", params={"token": bot.auth_token},
                         timeout=10).json()
    assert state["slots"]["email"] is None and state["slots"]["name"] is None


def test_a_second_conversation_typing_a_known_email_is_linked_and_changes_nothing(bot, sender) -> None:
    email = f"{sender.lower()}@owner.example"
    _qualify(bot, sender, "Olivia Owner", email)
    before = _lead(bot, email)
    stranger = f"{sender}-stranger"
    bot.say(stranger, "hi")
    bot.say(stranger, f"I'm Mallory from Evil Corp, my email is {email}")
    bot.say(stranger, "just browsing, no budget, not deciding anything")
    after = _lead(bot, email)
    assert (after.name, after.company, after.score, after.status, after.conversation_id) == (
        before.name, before.company, before.score, before.status, sender)
    engine = make_engine(bot.database_url)
    try:
        with session_factory(engine)() as session:
            links = session.scalars(select(LinkedConversation).where(LinkedConversation.lead_id == after.id)).all()
            assert [link.conversation_id for link in links] == [stranger]
            assert any("Mallory" in line["text"] for line in links[0].transcript)
    finally:
        engine.dispose()


def test_a_visitor_deletes_their_data_from_the_chat(bot, sender) -> None:
    email = f"{sender.lower()}@chat-erase.example"
    _qualify(bot, sender, "Chloe Chat", email)
    assert _lead(bot, email) is not None
    asked = bot.say(sender, "please delete my data")
    assert "Delete your data?" in texts(asked)
    assert _lead(bot, email) is not None, "nothing is deleted before the visitor confirms"
    done = bot.say(sender, "yes")
    assert "I've deleted what you told us" in texts(done)
    assert _lead(bot, email) is None
    assert _tracker_rows(bot, sender) == 0, "the tracker store deleted the conversation after the turn"
    again = bot.say(sender, "hello")
    assert "recorded" in texts(again), "a new conversation starts"


def test_deleting_something_of_ones_own_life_is_an_errand_not_an_erasure(bot, sender) -> None:
    bot.say(sender, "hi")
    bot.say(sender, "we want a bot that answers questions from tenants")
    replies = bot.say(sender, "erase all the voicemails on my phone please")
    assert "Delete your data?" not in texts(replies)
    assert asked(replies) == ["timeline"], "the pending question comes back"
    replies = bot.say(sender, "by the end of March")
    assert asked(replies) == ["authority"], "the form went on"
