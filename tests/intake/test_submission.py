"""The submission use case: a conversation is scored, built into a lead and stored, or spooled
when the store is late."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from bot.answers import Budget, Contact, Qualification
from bot.clock import FixedClock
from bot.intake import LeadIntake, Spool
from bot.scoring import ScoringSettings
from bot.store.db import make_engine, session_factory
from bot.store.repository import get_lead
from bot.submission import Conversation, submit_lead

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
ANSWERS = Qualification(budget=Budget("stated", "25k", 25000, 25000, "USD", "yearly"),
                        contact=Contact(email="sam@brightwell.example"))


def test_a_conversation_is_scored_and_stored_with_the_country_the_visitor_said(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    intake = LeadIntake(session_factory(make_engine(url)), Spool(tmp_path / "spool"), url)
    conversation = Conversation("c1", "rest", ANSWERS, source={"utm_source": "ads"}, country="DE",
                                consent_shown_at=NOW)
    score, result = submit_lead(conversation, intake=intake, scoring=ScoringSettings(), clock=FixedClock(NOW),
                                consent_version="v1")
    assert result.stored and result.created
    with session_factory(make_engine(url))() as session:
        lead = get_lead(session, "sam@brightwell.example")
        assert (lead.score, lead.consent_version, lead.conversation_date) == (score.score, "v1", NOW.date())
        assert lead.source == {"utm_source": "ads", "country": "DE"}


def test_a_store_past_its_deadline_spools_the_lead(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    intake = LeadIntake(session_factory(make_engine(url)), Spool(tmp_path / "spool"), url)
    _, result = submit_lead(Conversation("c1", "rest", ANSWERS), intake=intake, scoring=ScoringSettings(),
                            clock=FixedClock(NOW), consent_version="v1", run=lambda store, spool: spool())
    assert not result.stored
    assert [p.name for p in intake.spool.pending()] and intake.spool.load(intake.spool.pending()[0]).consent_version is None
