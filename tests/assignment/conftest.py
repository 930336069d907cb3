"""A real SQLite pipeline store, with reps and leads made through the real code."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.assignment.reps import RepChanges, add_rep, add_team
from bot.leads import TranscriptLine
from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.pipeline import PipelineSettings
from bot.store.repository import save_lead
from bot.store.schema import Lead, Rep, Team
from tests.store.builders import NOW, submission

# Monday 2026-11-23 10:00 UTC: inside everyone's weekday hours in Europe.
MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
WEEKDAYS = {d: ["09:00", "17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    url = f"sqlite:///{tmp_path / 'leadbot.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield session_factory(engine)
    engine.dispose()


def rep(session: Session, name: str, *, team: str | None = None, territories: list[str] | None = None,
        capacity: int | None = None, tz: str = "UTC", hours: dict | None = None) -> Rep:
    if team and session.scalars(select(Team).where(Team.name == team)).first() is None:
        add_team(session, team, now=NOW)
    return add_rep(session, name, f"{name.lower()}@seller.example", now=NOW, changes=RepChanges(
        team=team, territories=territories, capacity=capacity, timezone=tz,
        working_hours=hours if hours is not None else {}))


def lead(session: Session, conversation_id: str, *, email: str | None = None, status: str = "qualified",
         said: str | None = None, source: dict | None = None, human: bool = False, **kwargs) -> Lead:
    sub = submission(conversation_id, email=email or f"buyer@{conversation_id}.example", status=status,
                     source=source, human_requested=human, **kwargs)
    if said:
        sub = type(sub)(**{**sub.__dict__, "transcript": sub.transcript + (
            TranscriptLine("user", said, NOW - timedelta(minutes=1)),)})
    result = save_lead(session, sub, now=NOW, pipeline=PipelineSettings())
    return session.get(Lead, result.lead_id)
