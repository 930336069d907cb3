"""The bot funnel is written by real conversations: trained model, real action server, real
SQLite; a visitor who stops early is counted too (they never became a lead)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.funnel import conversation_key
from bot.metrics import MetricsFilter, report
from bot.store.db import make_engine, session_factory
from bot.store.schema import ConversationFunnel

pytestmark = pytest.mark.rasa


def funnel_row(bot, sender: str) -> ConversationFunnel | None:
    engine = make_engine(bot.database_url)
    try:
        with session_factory(engine)() as session:
            return session.scalars(select(ConversationFunnel)
                                   .where(ConversationFunnel.conversation_key == conversation_key(sender))).first()
    finally:
        engine.dispose()


def test_a_finished_and_an_abandoned_conversation_reach_the_funnel(bot, sender):
    quitter = sender + "-quits"
    bot.say(quitter, "hello there")
    bot.say(quitter, "I'd like a bot that answers questions from patients on our clinic site")
    row = funnel_row(bot, quitter)
    assert row is not None and row.channel == "rest"
    assert row.need_at is not None and row.budget_at is None and row.contact_at is None and row.lead_id is None

    for text in ("good morning", "we want to qualify inbound website leads automatically",
                 "within the next two months", "I sign off on purchases myself", "about 30000 dollars a year",
                 "Priya Raman", "Northwind Physio", "priya.raman@northwind-physio.com"):
        bot.say(sender, text)
    row = funnel_row(bot, sender)
    assert row is not None and row.lead_id is not None
    reached = [s for s in ("need", "budget", "authority", "timeline", "contact", "qualified")
               if getattr(row, f"{s}_at") is not None]
    assert reached == ["need", "budget", "authority", "timeline", "contact", "qualified"]
    assert row.handed_to_rep_at is None

    # The servers run on a fixed clock (LEADBOT_NOW): the conversations started at that time.
    started = row.started_at
    engine = make_engine(bot.database_url)
    try:
        with session_factory(engine)() as session:
            steps = {s["key"]: s["count"] for s in report(
                session, MetricsFilter(started - timedelta(hours=1), started + timedelta(hours=1)), now=started
            ).to_dict()["funnel"]["by_channel"]["rest"]}
    finally:
        engine.dispose()
    assert steps["started"] >= 2 and steps["need"] >= 2 and steps["qualified"] >= 1
