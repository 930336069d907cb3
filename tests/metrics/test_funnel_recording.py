"""bot.funnel: one row per conversation, steps stamped once, no personal data; the intake's
wrapper never lets a store outage reach the conversation."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.funnel import conversation_key, record_progress, steps_from_answers
from bot.intake import LeadIntake, Spool
from bot.store.db import make_engine, session_factory
from bot.store.schema import ConversationFunnel
from tests.metrics.fixtures import NOW


def rows(sessions: sessionmaker[Session]) -> list[ConversationFunnel]:
    with sessions() as session:
        return list(session.scalars(select(ConversationFunnel)))


def test_steps_are_stamped_once_and_caught_up(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        record_progress(session, "+44 7700 900123", "whatsapp", [], now=NOW)
    with sessions.begin() as session:
        record_progress(session, "+44 7700 900123", "whatsapp", ["need"], now=NOW + timedelta(minutes=1))
    with sessions.begin() as session:  # everything so far again, plus the news
        record_progress(session, "+44 7700 900123", "whatsapp", ["need", "timeline"], now=NOW + timedelta(minutes=2))
    [row] = rows(sessions)
    assert row.started_at == NOW and row.need_at == NOW + timedelta(minutes=1)
    assert row.timeline_at == NOW + timedelta(minutes=2) and row.budget_at is None
    assert row.conversation_key == conversation_key("+44 7700 900123") and "7700" not in row.conversation_key


def test_unknown_steps_are_refused(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session, pytest.raises(ValueError, match="unknown funnel step"):
        record_progress(session, "c", "rest", ["budget", "dessert"], now=NOW)


def test_steps_from_answers() -> None:
    assert steps_from_answers({"need": {"text": "x"}, "budget": None, "email": "a@b.example"}) == {"need", "contact"}
    assert steps_from_answers({}, status="qualified", handed_to_rep=True) == {"qualified", "handed_to_rep"}
    assert steps_from_answers({"name": "", "timeline": {"status": "unknown"}}, status="nurture") == {"timeline"}


def test_an_unreachable_store_is_logged_not_raised(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    url = f"sqlite:///{tmp_path / 'missing' / 'nowhere' / 'leadbot.db'}"
    intake = LeadIntake(session_factory(make_engine(url)), Spool(tmp_path / "spool"), url)
    assert intake.record_funnel("conv-1", "rest", {"need"}, now=NOW) is False
    assert "funnel not recorded" in caplog.text


def test_the_intake_records_through_its_store(db_url: str, sessions: sessionmaker[Session], tmp_path: Path) -> None:
    intake = LeadIntake(session_factory(make_engine(db_url)), Spool(tmp_path / "spool"), db_url)
    assert intake.record_funnel("conv-9", "telegram", {"need", "budget"}, now=NOW) is True
    [row] = rows(sessions)
    assert (row.channel, row.need_at, row.budget_at, row.lead_id) == ("telegram", NOW, NOW, None)
