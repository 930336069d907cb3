"""Through the real bot (trained model, Rasa and the action server, REST channel): a visitor
who qualifies is offered their rep's free times in the time zone their browser sent (message
metadata, as the widget sends it), picks one by typing its number and is booked; the deal
moves to "meeting" and the funnel counts it. The clock is the session's LEADBOT_NOW (Sunday 22 November 2026, 10:00 UTC)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import requests
from sqlalchemy import select

from bot.assignment.reps import RepChanges, add_rep, get_rep
from bot.funnel import conversation_key
from bot.store.db import make_engine, session_factory
from bot.store.errors import RepNotFound
from bot.store.migrate import upgrade
from bot.store.schema import ConversationFunnel, Meeting
from tests.e2e.test_conversations import stored, texts

pytestmark = pytest.mark.rasa
REP = "mia.tanaka@seller.example"


def _rep(bot) -> None:  # noqa: ANN001
    """A rep for Japan who works every day 09:00-17:00 in Lisbon (UTC in winter): she owns the lead."""
    upgrade(bot.database_url)
    engine = make_engine(bot.database_url)
    try:
        with session_factory(engine).begin() as s:
            try:
                get_rep(s, REP)
            except RepNotFound:
                add_rep(s, "Mia Tanaka", REP, now=datetime(2026, 11, 1, tzinfo=timezone.utc), changes=RepChanges(
                    territories=["JP"], timezone="Europe/Lisbon", notify={"email": False},
                    working_hours={d: ["09:00", "17:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}))
    finally:
        engine.dispose()


def _say(bot, sender: str, text: str) -> list[dict]:  # noqa: ANN001
    """One message as the widget sends it: with the browser's time zone as metadata."""
    r = requests.post(f"{bot.rasa_url}/webhooks/rest/webhook", timeout=30,
                      json={"sender": sender, "message": text, "metadata": {"time_zone": "Asia/Tokyo"}})
    r.raise_for_status()
    return r.json()


def test_a_qualified_visitor_books_a_meeting_in_the_chat(bot, sender) -> None:  # noqa: ANN001
    _rep(bot)
    for text in ("hi", "We need a chatbot to qualify leads on our website", "within 2 months",
                 "I decide, I'm the CEO", "about 40k USD a year", "Yuki Sato", "Kaisha KK"):
        _say(bot, sender, text)
    offer = _say(bot, sender, "yuki.sato@kaisha.co.jp")
    assert stored(bot, "yuki.sato@kaisha.co.jp")["assignment"]["rep_name"] == "Mia Tanaka"
    # The browser's time zone came with the messages: the times are offered at once, in it.
    buttons = [b for r in offer for b in r.get("buttons", [])]
    assert "book a call with Mia Tanaka" in texts(offer) and "(Asia/Tokyo)" in texts(offer), offer
    assert len(buttons) == 3 and all(b["payload"].startswith('/choose_meeting{"meeting_choice": "') for b in buttons)

    booked = _say(bot, sender, "2")  # typed, as on a channel without buttons
    assert f"Booked: {buttons[1]['title']} (Asia/Tokyo) with Mia Tanaka." in texts(booked), booked
    assert "yuki.sato@kaisha.co.jp" in texts(booked)

    lead = stored(bot, "yuki.sato@kaisha.co.jp")
    assert lead["deal"]["stage"] == "meeting"
    engine = make_engine(bot.database_url)
    try:
        with session_factory(engine)() as s:
            meeting = s.scalars(select(Meeting).where(Meeting.lead_id == lead["id"])).one()
            assert meeting.visitor_timezone == "Asia/Tokyo" and meeting.status == "booked"
            assert meeting.start_at.strftime("%Y-%m-%dT%H:%MZ") in buttons[1]["payload"]
            funnel = s.scalars(select(ConversationFunnel).where(
                ConversationFunnel.conversation_key == conversation_key(sender))).one()
            assert funnel.meeting_booked_at is not None
    finally:
        engine.dispose()

    # After the booking, the conversation goes on as before.
    assert "welcome" in texts(bot.say(sender, "thanks!")).lower()
