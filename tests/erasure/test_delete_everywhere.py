"""`leadbot leads delete` reaches every copy: the store, Rasa's tracker store (a real file
written by Rasa's own code), the spool, and it leaves tombstones so that a copy it could not
reach (another machine's spool) is dropped when flushed instead of bringing the lead back."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.intake import Spool
from bot.settings import PROJECT_ROOT
from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.pipeline import PipelineSettings
from bot.store.repository import save_lead
from bot.store.schema import Lead, OutboxEvent, Tombstone
from tests.erasure.trackers import erase_during_a_turn, events_of, write_conversations
from tests.store.builders import EMAIL, NOW, submission

SCRIPT = Path(sys.executable).with_name("leadbot")


@pytest.fixture
def world(tmp_path: Path):
    """A store with Sam's lead (conversation conv-1, linked conv-2) and Dana's (conv-3), their
    conversations in a tracker store file, and Sam's newest state in the spool."""
    url = f"sqlite:///{tmp_path / 'leadbot.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    for sub in (submission("conv-1", phone="+14155550132"), submission("conv-2", name="Someone Else"),
                submission("conv-3", email="dana@kimclinics.example", name="Dana Kim")):
        with sessions.begin() as session:
            save_lead(session, sub, now=NOW, pipeline=PipelineSettings())
    tracker = tmp_path / "tracker.db"
    write_conversations(tracker, {"conv-1": (EMAIL, False), "conv-2": (EMAIL, False),
                                  "conv-3": ("dana@kimclinics.example", False)})
    spool = Spool(tmp_path / "data" / "spool")
    spool.put(replace(submission("conv-1"), lead_id=1))
    env = {**os.environ, "LEADBOT_DATABASE_URL": url, "LEADBOT_DATA_DIR": str(tmp_path / "data"),
           "LEADBOT_TRACKER_DB": str(tracker), "LEADBOT_NOW": NOW.isoformat()}
    env.pop("LEADBOT_SETTINGS_DIR", None)

    def leadbot(*args: str) -> subprocess.CompletedProcess:
        command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "leadbot.cli"]
        return subprocess.run([*command, *args], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
                              timeout=120)

    yield leadbot, sessions, tracker, spool
    engine.dispose()


def test_delete_reaches_the_tracker_store_and_the_spool_and_a_missed_copy_stays_deleted(world) -> None:
    leadbot, sessions, tracker, spool = world
    exported = leadbot("leads", "export-person", EMAIL)
    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert set(data["conversations"]) == {"conv-1", "conv-2"}, "the tracker's events are in the export"
    assert any(e.get("text") == f"hi, I am {EMAIL}" for e in data["conversations"]["conv-1"])
    assert [p["conversation_id"] for p in data["pending"]] == ["conv-1"], "so is the spooled state"
    assert [c["conversation_id"] for c in data["linked_conversations"]] == ["conv-2"]

    deleted = leadbot("leads", "delete", EMAIL, "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert "10 conversation event(s) from the bot's tracker store and 1 spooled copy" in deleted.stdout
    assert set(events_of(tracker)) == {"conv-3"}, "Sam's conversations are gone, Dana's kept"
    assert spool.pending() == []
    with sessions() as session:
        assert [lead.email for lead in session.scalars(select(Lead))] == ["dana@kimclinics.example"]
        assert session.scalars(select(Tombstone.kind).where(Tombstone.lead_id == 1)).all().count("conversation") == 2
        tomb = session.scalars(select(OutboxEvent).where(OutboxEvent.event_type == "lead.deleted")).one()
        assert tomb.aggregate_id == 1

    # A copy the deletion could not reach (another machine's spool) comes back on a flush...
    spool.put(replace(submission("conv-1"), lead_id=1))
    spool.put(replace(submission("conv-2", name="Someone Else"), lead_id=1))
    flushed = leadbot("leads", "flush-pending")
    assert flushed.returncode == 0, flushed.stderr
    # ...and is dropped: the lead stays deleted, nothing is left to flush.
    assert spool.pending() == []
    with sessions() as session:
        assert [lead.email for lead in session.scalars(select(Lead))] == ["dana@kimclinics.example"]


def test_the_tracker_store_deletes_a_conversation_whose_visitor_erased_it(tmp_path: Path) -> None:
    """The turn in which `action_erase_conversation` ran sets `erase_conversation`; once Rasa
    saves it, our tracker store deletes the conversation (during the turn, Rasa would have
    written it back)."""
    tracker = tmp_path / "tracker.db"
    write_conversations(tracker, {"erased": ("sam@example.com", True), "kept": ("kim@example.com", False)})
    assert set(events_of(tracker)) == {"kept"}


def test_a_conversation_erased_during_a_turn_is_not_written_back(tmp_path: Path) -> None:
    """Rasa writes back what it does not find stored: a deletion while it processes a message
    of that conversation would restore every event it had loaded."""
    tracker = tmp_path / "tracker.db"
    write_conversations(tracker, {"busy": ("sam@example.com", False), "other": ("kim@example.com", False)})
    assert erase_during_a_turn(tracker, "busy") == 0
    assert set(events_of(tracker)) == {"other"}
