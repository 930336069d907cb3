"""Through the real bot: a qualified visitor is assigned to the right rep in the same
transaction, and the rep's lead card arrives, built from what the visitor said."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from bot.assignment.reps import RepChanges, add_rep, get_rep
from bot.notify.settings import load_notify_settings
from bot.notify.worker import run_once
from bot.store.db import make_engine, session_factory
from bot.store.errors import RepNotFound
from bot.store.migrate import upgrade
from bot.store.schema import Notification
from tests.crm_sync.fake_receiver import FakeReceiver
from tests.e2e.test_conversations import stored, texts

pytestmark = pytest.mark.rasa


def test_a_qualified_visitor_reaches_the_territory_rep(bot, sender, monkeypatch) -> None:
    upgrade(bot.database_url)  # the action server migrates on first use; we come first here
    engine = make_engine(bot.database_url)
    sessions = session_factory(engine)
    now = datetime.now(timezone.utc)
    with sessions.begin() as s:
        try:
            get_rep(s, "dieter@seller.example")
        except RepNotFound:
            add_rep(s, "Dieter", "dieter@seller.example", now=now, changes=RepChanges(
                territories=["DACH"], notify={"email": False, "slack_webhook_env": "E2E_SLACK_DIETER"}))
            add_rep(s, "Gen", "gen@seller.example", now=now, changes=RepChanges(notify={"email": False}))

    bot.say(sender, "hi")
    bot.say(sender, "We need a chatbot to capture and qualify leads on our website, we're about 40 people")
    bot.say(sender, "in 8-10 weeks")
    bot.say(sender, "it's my call, I run IT")
    bot.say(sender, "around 30k a year, USD")
    bot.say(sender, "Anna Weber")
    bot.say(sender, "Firma GmbH")
    bot.say(sender, "anna.weber@firma.de")
    lead = stored(bot, "anna.weber@firma.de")
    assert lead["status"] == "qualified", lead["score_breakdown"]
    owner = lead["assignment"]
    assert owner["rep_name"] == "Dieter" and owner["rule"] == "territory"
    assert "DACH" in owner["reason"] and "country DE from the e-mail domain" in owner["reason"]
    assert lead["deal"]["owner"] == "dieter@seller.example"

    with FakeReceiver(None) as slack:
        monkeypatch.setenv("E2E_SLACK_DIETER", slack.url)
        run_once(sessions, load_notify_settings(), now=lambda: datetime.now(timezone.utc))
        cards = [json.loads(r["body"]) for r in slack.requests]
        mine = [c for c in cards if "Anna Weber" in c["text"]]
        assert len(mine) == 1, cards
        card = json.dumps(mine[0], ensure_ascii=False)
        assert "New qualified lead: Anna Weber (Firma GmbH)" in mine[0]["text"]
        assert "capture and qualify leads" in card and "it's my call, I run IT" in card
        assert "Rule territory" in card

        # Later the visitor asks for a person: the owner hears of it, once.
        replies = bot.say(sender, "actually can I talk to a real person please")
        assert "sales team" in texts(replies) or "person" in texts(replies)
        run_once(sessions, load_notify_settings(), now=lambda: datetime.now(timezone.utc))
        headlines = [json.loads(r["body"])["text"] for r in slack.requests]
        assert sum(h.startswith("Wants to talk to a person: Anna Weber") for h in headlines) == 1
    with sessions() as s:
        reasons = sorted(s.scalars(select(Notification.reason).where(Notification.lead_id == lead["id"])))
    assert reasons == ["human_requested", "qualified"]
    engine.dispose()
