"""The sync worker against a real webhook receiver on 127.0.0.1, with faults.

Leads are stored through the real repository in a real SQLite file; the worker runs in
process (`run_once`) or as the real `leadbot sync` command in a subprocess (crash and
concurrency tests). Every test ends asserting the same thing: each event reached the
receiver, exactly once after de-duplication, and nothing is left behind or lost.
"""
from __future__ import annotations

import json
import signal
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.answers import Budget
from bot.store.repository import add_note, delete_lead, move_stage, save_lead
from bot.store.schema import OutboxEvent
from tests.crm_sync.fake_receiver import Fault, FakeReceiver
from tests.crm_sync.sync_helpers import cli, configure, for_a_crash, leadbot, seed, statuses, sync_until_idle, utcnow
from tests.store.builders import submission

SECRET = "test-signing-secret"


@pytest.fixture
def receiver():
    with FakeReceiver(SECRET) as r:
        yield r


@pytest.fixture
def env(tmp_path: Path, receiver: FakeReceiver, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return configure(tmp_path, monkeypatch, f"provider: webhook\nwebhook: {{url: '{receiver.url}'}}\n",
                     {"LEADBOT_WEBHOOK_SECRET": SECRET})


def event_ids(sessions) -> set[str]:
    with sessions() as session:
        return set(session.scalars(select(OutboxEvent.event_id)))


def test_each_lead_arrives_once_signed_with_its_fields(sessions, receiver: FakeReceiver) -> None:
    seed(sessions, 3)
    sync_until_idle(sessions)
    events = event_ids(sessions)  # per new lead: lead.created, then its deal's first stage
    assert set(receiver.accepted) == events and len(receiver.requests) == len(events) == 6
    created = [b for b in receiver.accepted.values() if b["event_type"] == "lead.created"]
    assert sorted(b["lead"]["email"] for b in created) == ["lead0@example.com", "lead1@example.com", "lead2@example.com"]
    body = created[0]
    assert body["lead"]["status"] == "qualified" and body["lead"]["score"] == 82
    assert body["lead"]["budget"]["min"] and body["lead"]["stage"] == "qualified"
    assert statuses(sessions) == Counter({"delivered": 6})


def test_faults_are_retried_until_every_lead_arrives_exactly_once(sessions, receiver: FakeReceiver) -> None:
    seed(sessions, 4)
    receiver.inject(Fault("status", 500), Fault("sleep", seconds=1.0), Fault("status", 429, retry_after="1"),
                    Fault("reset"), Fault("status", 503))
    started = time.monotonic()
    sync_until_idle(sessions)
    assert set(receiver.accepted) == event_ids(sessions), "every event arrived"
    assert len(receiver.accepted) == 8
    assert len(receiver.requests) == 8 + 5, "each fault cost exactly one extra request"
    assert statuses(sessions) == Counter({"delivered": 8})
    assert time.monotonic() - started >= 1.0, "Retry-After: 1 was honoured"
    with sessions() as session:
        attempts = sorted(session.scalars(select(OutboxEvent.attempts)))
    assert sum(attempts) == 13


def test_a_refused_event_is_a_visible_dead_letter_that_holds_its_leads_later_events(sessions, receiver, env) -> None:
    seed(sessions, 2)
    receiver.inject(Fault("status", 422, body={"message": "Property 'budget' is not a number"}))
    sync_until_idle(sessions)
    assert statuses(sessions) == Counter({"delivered": 2, "dead": 1, "pending": 1})
    bodies = [json.loads(r["body"]) for r in receiver.requests]
    refused = bodies[0]
    assert refused["event_type"] == "lead.created"
    assert [b["event_type"] for b in bodies if b["lead_id"] == refused["lead_id"]] == ["lead.created"], \
        "the stage change waits for its lead"
    status = cli("sync", "status")
    assert "Property 'budget' is not a number" in status.stdout and "HTTP 422" in status.stdout
    assert "1 later event(s) of lead" in status.stdout, status.stdout
    retry = cli("sync", "retry", "--all-dead")
    assert retry.returncode == 0 and "Queued 1" in retry.stdout
    sync_until_idle(sessions)
    assert statuses(sessions) == Counter({"delivered": 4})
    assert set(receiver.accepted) == event_ids(sessions)
    kinds = [json.loads(r["body"])["event_type"] for r in receiver.requests
             if json.loads(r["body"])["lead_id"] == refused["lead_id"]]
    assert kinds == ["lead.created", "lead.created", "deal.stage_changed"]


def test_corrections_stage_changes_notes_and_deletion_follow_in_order(sessions, receiver) -> None:
    (lead_id,) = seed(sessions, 1)
    with sessions.begin() as session:
        result = save_lead(session, submission("conv-0", email="lead0@example.com",
                                               budget=Budget("stated", "35k", 35000, 35000, "USD")), now=utcnow())
    with sessions.begin() as session:
        move_stage(session, result.deal_id, "meeting", now=utcnow(), by="alice")
    with sessions.begin() as session:
        add_note(session, lead_id, "Demo on Tuesday", author="alice", now=utcnow())
    sync_until_idle(sessions)
    bodies = [json.loads(r["body"]) for r in receiver.requests]
    kinds = [b["event_type"] for b in bodies]
    assert kinds[:2] == ["lead.created", "deal.stage_changed"]
    assert kinds.index("lead.updated") < len(kinds) - 2
    assert kinds[-2:] == ["deal.stage_changed", "note.added"], "stored order is delivery order"
    assert bodies[kinds.index("lead.updated")]["lead"]["budget"]["min"] == 35000
    assert bodies[-2]["payload"]["to_stage"] == "meeting"
    assert bodies[-1]["payload"]["body"] == "Demo on Tuesday"

    with sessions.begin() as session:
        delete_lead(session, lead_id, now=utcnow())
    sync_until_idle(sessions)
    deleted = json.loads(receiver.requests[-1]["body"])
    assert deleted["event_type"] == "lead.deleted" and deleted["lead"] is None
    assert deleted["payload"]["email_sha256"] and "lead0@example.com" not in receiver.requests[-1]["body"].decode()


def test_a_worker_killed_between_the_answer_and_its_commit_loses_and_duplicates_nothing(
        sessions, receiver, env) -> None:
    for_a_crash(env)
    seed(sessions, 1)
    receiver.inject(Fault("accept_then_sleep", seconds=5))
    worker = leadbot(env, "sync", wait=False)
    try:
        assert receiver.accepted_event.wait(20), "the worker sent the event"
        worker.send_signal(signal.SIGKILL)  # the receiver has it; our commit never happens
    finally:
        worker.wait(10)
    assert statuses(sessions) == Counter({"pending": 2})
    sync_until_idle(sessions)  # once the dead worker's lease has expired
    assert statuses(sessions) == Counter({"delivered": 2})
    keys = Counter(r["headers"].get("Idempotency-Key") for r in receiver.requests)
    assert sorted(keys.values()) == [1, 2], "the interrupted event went twice, with one id"
    assert set(receiver.accepted) == event_ids(sessions), "the receiver keeps each event once"


def test_two_workers_at_once_never_send_an_event_twice(sessions, receiver, env) -> None:
    seed(sessions, 30)
    workers = [leadbot(env, "sync", "--worker-id", f"w{i}", wait=False) for i in range(2)]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert all(w.returncode == 0 for w in workers), outputs
    sync_until_idle(sessions)  # whatever a worker did not reach in its one round
    keys = Counter(r["headers"].get("Idempotency-Key") for r in receiver.requests)
    assert len(keys) == 60 and set(keys.values()) == {1}, "no event was sent twice"
    assert statuses(sessions) == Counter({"delivered": 60})


def test_missing_secret_is_a_clear_error(env, monkeypatch) -> None:
    monkeypatch.setenv("LEADBOT_WEBHOOK_SECRET", "")
    result = cli("sync")
    assert result.returncode == 1 and "set LEADBOT_WEBHOOK_SECRET" in result.stderr


def test_the_phone_arrives_in_the_exported_lead(sessions, receiver: FakeReceiver) -> None:
    with sessions.begin() as s:
        save_lead(s, submission("conv-p", email="phone@example.com", phone="+919876543210"), now=utcnow())
        save_lead(s, submission("conv-q", email="nophone@example.com"), now=utcnow())
    sync_until_idle(sessions)
    created = {b["lead"]["email"]: b["lead"] for b in receiver.accepted.values() if b["event_type"] == "lead.created"}
    assert created["phone@example.com"]["phone"] == "+919876543210"
    assert created["nophone@example.com"]["phone"] is None  # the key is always there
