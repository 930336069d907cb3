"""The intake never loses a submission: spooled while the store is down, stored when back."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from bot.answers import Budget, Contact, Need, Qualification, Timeline
from bot.export import lead_to_export
from bot.intake import LeadIntake, Spool, submission_from_json, submission_to_json
from bot.leads import LeadSubmission, TranscriptLine
from bot.scoring import ScoringSettings, score_lead
from bot.store.db import make_engine, session_factory
from bot.store.repository import get_lead, list_leads

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


def submission(conversation: str, email: str | None, budget: float = 25000) -> LeadSubmission:
    q = Qualification(
        need=Need(text="a bot that books consultations", category="appointment_booking"),
        budget=Budget(status="stated", text=f"{budget:g}", min=budget, max=budget),
        timeline=Timeline(status="stated", text="in six weeks", target_date="2027-01-03", months=1.4),
        contact=Contact(name="Sam Ortiz", email=email, company="Brightwell Dental"),
    )
    return LeadSubmission(
        conversation_id=conversation, channel="rest", qualification=q,
        score=score_lead(q, ScoringSettings()), conversation_date=date(2026, 11, 22),
        consent_shown_at=NOW, consent_version="v1",
        transcript=(TranscriptLine("user", "hi 👋 <b>there</b>", NOW), TranscriptLine("bot", "Hi!", NOW)),
    )


def intake_at(url: str, spool_dir: Path) -> LeadIntake:
    return LeadIntake(session_factory(make_engine(url)), Spool(spool_dir), url)


def test_stores_when_the_database_is_up(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    result = intake_at(url, tmp_path / "spool").submit(submission("c1", "sam@brightwell.example"), now=NOW)
    assert result.stored and result.created and result.lead_id
    with session_factory(make_engine(url))() as session:
        lead = lead_to_export(get_lead(session, "sam@brightwell.example"))
    assert lead["budget"]["min"] == 25000 and lead["conversation_id"] == "c1"


def test_spools_while_down_and_stores_everything_when_back(tmp_path: Path):
    spool_dir = tmp_path / "spool"
    down = intake_at(f"sqlite:///{tmp_path / 'missing-dir' / 'leads.db'}", spool_dir)
    first = down.submit(submission("c1", "sam@brightwell.example"), now=NOW)
    second = down.submit(submission("c2", None), now=NOW)
    newer = down.submit(submission("c1", "sam@brightwell.example", budget=35000), now=NOW)
    assert not (first.stored or second.stored or newer.stored)
    assert len(Spool(spool_dir).pending()) == 2, "one file per conversation, newest state wins"

    url = f"sqlite:///{tmp_path / 'leads.db'}"
    up = intake_at(url, spool_dir)
    assert up.flush(now=NOW) == 2
    assert Spool(spool_dir).pending() == []
    with session_factory(make_engine(url))() as session:
        leads = list_leads(session)
        assert len(leads) == 2
        assert lead_to_export(get_lead(session, "sam@brightwell.example"))["budget"]["min"] == 35000


def test_a_later_submission_flushes_the_spool_first(tmp_path: Path):
    spool_dir = tmp_path / "spool"
    intake_at(f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}", spool_dir).submit(submission("c1", "a@x.example"), now=NOW)
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    result = intake_at(url, spool_dir).submit(submission("c2", "b@x.example"), now=NOW)
    assert result.stored and result.flushed == 1
    with session_factory(make_engine(url))() as session:
        assert {lead.email for lead in list_leads(session)} == {"a@x.example", "b@x.example"}


def test_spooled_json_round_trips_exactly():
    original = submission("c1", "sam@brightwell.example")
    assert submission_from_json(submission_to_json(original)) == original


def test_flush_while_still_down_raises_and_keeps_the_files(tmp_path: Path):
    from sqlalchemy.exc import OperationalError

    spool_dir = tmp_path / "spool"
    down = intake_at(f"sqlite:///{tmp_path / 'missing' / 'x.db'}", spool_dir)
    down.submit(submission("c1", None), now=NOW)
    with pytest.raises(OperationalError):
        down.flush(now=NOW)
    assert len(Spool(spool_dir).pending()) == 1
