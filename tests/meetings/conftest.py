"""A real store of each backend (tests/store/conftest.py), a rep who owns a qualified lead,
and the meeting settings; every time comes from the builders' NOW, never the wall clock."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.assignment.assign import assign_to
from bot.assignment.reps import RepChanges, add_rep
from bot.meetings.settings import MeetingSettings
from bot.store.repository import save_lead
from tests.store.builders import submission
from tests.store.conftest import _never_the_real_store, db_url, empty_db_url, engine, sessions  # noqa: F401

# A Friday morning in Berlin: the rep works mon-fri 09:00-17:00 Europe/Berlin.
NOW = datetime(2026, 12, 4, 8, 0, tzinfo=timezone.utc)
HOURS = {d: ["09:00", "17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}


@pytest.fixture
def settings() -> MeetingSettings:
    return MeetingSettings()


def owned_lead(sessions: sessionmaker[Session], *, conversation_id: str = "conv-1", email: str = "sam@example.com",
               rep_email: str = "dana@example.com") -> tuple[int, int]:
    """A stored qualified lead and the rep who owns it: (lead id, rep id)."""
    with sessions.begin() as session:
        rep = add_rep(session, "Dana Rep", rep_email, now=NOW,
                      changes=RepChanges(timezone="Europe/Berlin", working_hours=HOURS))
        result = save_lead(session, submission(conversation_id, email=email), now=NOW)
        assign_to(session, result.lead_id, rep, now=NOW, by="test")
        return result.lead_id, rep.id
