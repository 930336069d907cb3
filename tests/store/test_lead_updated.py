"""A `lead.updated` event only when the lead a CRM sees changed: a long chat after the
lead is stored (the same answers, a longer transcript) writes none; a real change, one.
On SQLite and PostgreSQL."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from bot.answers import Budget
from bot.leads import TranscriptLine
from bot.store.repository import get_lead, save_lead
from bot.store.schema import OutboxEvent
from tests.store.builders import EMAIL, NOW, submission


def kinds(sessions) -> list[str]:
    with sessions() as s:
        return list(s.scalars(select(OutboxEvent.event_type).order_by(OutboxEvent.id)))


def test_a_long_chat_after_storing_writes_no_event_and_keeps_every_line(sessions) -> None:
    first = submission()
    with sessions.begin() as s:
        save_lead(s, first, now=NOW)
    lines = list(first.transcript)
    for i in range(300):  # a 600-message chat: the visitor and the bot, every turn stored again
        at = NOW + timedelta(seconds=i + 1)
        lines += [TranscriptLine("user", f"one more thing {i}", at), TranscriptLine("bot", "Noted!", at)]
        with sessions.begin() as s:
            save_lead(s, replace(first, transcript=tuple(lines)), now=at)
    assert kinds(sessions) == ["lead.created", "deal.stage_changed"]
    with sessions() as s:
        assert len(get_lead(s, EMAIL).transcript) == len(lines) == 602


def test_a_changed_answer_writes_one_event_with_the_lead_as_it_is(sessions) -> None:
    with sessions.begin() as s:
        save_lead(s, submission(), now=NOW)
    bigger = submission(budget=Budget("stated", "35k", 35000, 35000, "USD"))
    for minutes in (1, 2):  # the correction, then the same state stored again
        with sessions.begin() as s:
            save_lead(s, bigger, now=NOW + timedelta(minutes=minutes))
    assert kinds(sessions) == ["lead.created", "deal.stage_changed", "lead.updated"]
    with sessions() as s:
        payload = s.scalars(select(OutboxEvent.payload).where(OutboxEvent.event_type == "lead.updated")).one()
    assert payload["budget"]["min"] == 35000 and payload["deal"]["value"] == 35000
