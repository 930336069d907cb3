"""The intake never loses a submission: spooled while the store is down, stored when back."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.answers import Budget, Contact, Need, Qualification, Timeline
from bot.intake import (
    IntakeResult,
    LeadIntake,
    Spool,
    submission_from_json,
    submission_to_json,
)
from bot.leads import LeadSubmission, TranscriptLine
from bot.scoring import ScoringSettings, score_lead
from bot.store.db import make_engine, session_factory
from bot.store.export import lead_to_export
from bot.store.migrate import upgrade
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
    from dataclasses import replace

    in_experiment = replace(original, experiment=("opening-line", "quick-answer"))
    assert submission_from_json(submission_to_json(in_experiment)) == in_experiment


def test_flush_while_still_down_raises_and_keeps_the_files(tmp_path: Path):
    from sqlalchemy.exc import OperationalError

    spool_dir = tmp_path / "spool"
    down = intake_at(f"sqlite:///{tmp_path / 'missing' / 'x.db'}", spool_dir)
    down.submit(submission("c1", None), now=NOW)
    with pytest.raises(OperationalError):
        down.flush(now=NOW)
    assert len(Spool(spool_dir).pending()) == 1


# --- races: flushes with flushes, a visitor with a flush ---------------------------------

ROOT = Path(__file__).resolve().parents[2]


def spool_while_down(tmp_path: Path, count: int, prefix: str = "spooled") -> Path:
    spool_dir = tmp_path / "spool"
    down = intake_at(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}", spool_dir)
    for i in range(count):
        assert not down.submit(submission(f"{prefix}-{i}", f"{prefix}{i}@x.example"), now=NOW).stored
    return spool_dir


def stored_state(url: str) -> tuple[Counter, Counter]:
    """Leads per conversation, and outbox events per type."""
    from sqlalchemy import select

    from bot.store.schema import Lead, OutboxEvent

    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            return (Counter(session.scalars(select(Lead.conversation_id))),
                    Counter(session.scalars(select(OutboxEvent.event_type))))
    finally:
        engine.dispose()


def leftovers(spool_dir: Path) -> list[str]:
    return sorted(p.name for p in spool_dir.iterdir())


def at_once(url: str, spool_dir: Path, *jobs: Callable[[LeadIntake], Any]) -> tuple[list[Any], list[Exception]]:
    """Run each job in its own thread with its own intake, all starting together: what
    they returned, and what they raised."""
    start, results, errors = threading.Barrier(len(jobs)), [], []

    def run(job: Callable[[LeadIntake], Any]) -> None:
        intake = intake_at(url, spool_dir)
        start.wait()
        try:
            results.append(job(intake))
        except Exception as exc:  # noqa: BLE001 (the assertion shows it)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_two_flushes_at_once_store_each_spooled_submission_once(tmp_path: Path):
    spool_dir = spool_while_down(tmp_path, 60)
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    upgrade(url)
    results, errors = at_once(url, spool_dir, *[lambda intake: intake.flush(now=NOW)] * 2)
    assert errors == [] and sum(results) == 60
    leads, events = stored_state(url)
    assert len(leads) == 60 and set(leads.values()) == {1}
    assert events == Counter({"lead.created": 60, "deal.stage_changed": 60}), "no spurious lead.updated"
    assert leftovers(spool_dir) == []


def test_two_flush_pending_commands_at_once_store_each_submission_once(tmp_path: Path):
    spool_dir = spool_while_down(tmp_path, 120)
    (tmp_path / "data").mkdir()
    spool_dir.rename(tmp_path / "data" / "spool")
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    upgrade(url)
    env = {**os.environ, "LEADBOT_DATABASE_URL": url, "LEADBOT_DATA_DIR": str(tmp_path / "data")}
    env.pop("LEADBOT_SETTINGS_DIR", None)
    commands = [subprocess.Popen([sys.executable, "-m", "leadbot.cli", "leads", "flush-pending"], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [c.communicate(timeout=120) for c in commands]
    assert [c.returncode for c in commands] == [0, 0], outputs
    stored = [int(re.match(r"Stored (\d+) of", out).group(1)) for out, _ in outputs]
    assert sum(stored) == 120, outputs
    leads, events = stored_state(url)
    assert len(leads) == 120 and set(leads.values()) == {1}
    assert events == Counter({"lead.created": 120, "deal.stage_changed": 120})
    assert leftovers(tmp_path / "data" / "spool") == []


def test_a_visitor_racing_a_flush_is_stored_and_never_sees_its_errors(tmp_path: Path):
    spool_dir = spool_while_down(tmp_path, 60)
    (spool_dir / f"{'0' * 32}.json").write_text("{not json", "utf-8")  # a file no flush can store
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    upgrade(url)

    def visitor(intake: LeadIntake) -> list[IntakeResult]:
        return [intake.submit(submission(f"visitor-{i}", f"v{i}@x.example"), now=NOW) for i in range(20)]

    outcomes, errors = at_once(url, spool_dir, lambda intake: intake.flush(now=NOW), visitor)
    [results] = [r for r in outcomes if isinstance(r, list)]
    assert errors == [] and len(results) == 20 and all(r.stored and r.lead_id for r in results)
    leads, events = stored_state(url)
    assert len(leads) == 80 and set(leads.values()) == {1}, "every visitor and every spooled lead, once"
    assert events == Counter({"lead.created": 80, "deal.stage_changed": 80})
    assert leftovers(spool_dir) == [f"{'0' * 32}.json"], "only the unreadable file is kept"


def test_the_visitors_submission_is_stored_first_and_wins_over_its_spooled_state(tmp_path: Path):
    spool_dir = tmp_path / "spool"
    intake_at(f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}", spool_dir).submit(
        submission("c1", "sam@brightwell.example", budget=25000), now=NOW)
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    result = intake_at(url, spool_dir).submit(submission("c1", "sam@brightwell.example", budget=35000), now=NOW)
    assert result.stored and result.flushed == 0, "the older spooled state was dropped, not stored after"
    assert leftovers(spool_dir) == []
    with session_factory(make_engine(url))() as session:
        assert lead_to_export(get_lead(session, "sam@brightwell.example"))["budget"]["min"] == 35000


def test_a_claim_left_by_a_flusher_that_died_goes_back_to_the_spool(tmp_path: Path):
    spool_dir = spool_while_down(tmp_path, 2)
    [first, _] = Spool(spool_dir).pending()
    claim = ("import sys; from pathlib import Path; from bot.intake import Spool; "
             "print(Spool(Path(sys.argv[1])).claim(Path(sys.argv[2])))")
    done = subprocess.run([sys.executable, "-c", claim, str(spool_dir), str(first)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout.strip().endswith(".claimed"), done.stderr  # claimed, and that process is gone
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    assert intake_at(url, spool_dir).flush(now=NOW) == 2
    assert leftovers(spool_dir) == []
