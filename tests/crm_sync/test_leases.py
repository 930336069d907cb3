"""One lease per event: two real `leadbot sync --follow` workers against a slow webhook
receiver on 127.0.0.1, with rounds far longer than a lease, and one of them killed with
SIGKILL mid-delivery and started again. What the receiver got is counted per event."""
from __future__ import annotations

import json
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from tests.crm_sync.fake_receiver import FakeReceiver, Fault
from tests.crm_sync.sync_helpers import configure, leadbot, seed, statuses

SECRET = "test-signing-secret"
LEADS = 12  # 24 events: a batch takes ~2.4 s at 100 ms a call, the lease is 1 s


@pytest.fixture
def receiver():
    with FakeReceiver(SECRET, latency=0.1) as r:
        yield r


@pytest.fixture
def env(tmp_path: Path, receiver: FakeReceiver, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = configure(tmp_path, monkeypatch, f"provider: webhook\nwebhook: {{url: '{receiver.url}'}}\n",
                    {"LEADBOT_WEBHOOK_SECRET": SECRET})
    crm_yml = Path(env["LEADBOT_SETTINGS_DIR"]) / "crm.yml"
    crm_yml.write_text(crm_yml.read_text().replace("lease_seconds: 5", "lease_seconds: 1") + "batch_size: 50\n")
    return env


def _until_delivered(sessions, total: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while statuses(sessions) != Counter({"delivered": total}) and time.monotonic() < deadline:
        time.sleep(0.05)


def _stop(workers) -> list[str]:  # noqa: ANN001
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    logs = [worker.communicate(timeout=20)[1] for worker in workers]
    assert [w.returncode for w in workers] == [0] * len(workers), logs
    return logs


def _bodies(receiver: FakeReceiver) -> list[dict]:
    return [json.loads(r["body"]) for r in receiver.requests if r["fault"] is None]


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_two_workers_and_a_slow_crm_send_each_event_once_in_each_leads_order(backend, receiver, env, request) -> None:
    database = env["LEADBOT_DATABASE_URL"]
    if backend == "postgresql":
        database = request.getfixturevalue("pg_database")
        upgrade(database)
    engine = make_engine(database)
    sessions = session_factory(engine)
    seed(sessions, LEADS)
    receiver.inject(Fault("status", 500), Fault("status", 429, retry_after="1"), Fault("sleep", seconds=0.8),
                    Fault("reset"))
    workers = [leadbot({**env, "LEADBOT_DATABASE_URL": database}, "sync", "--follow", "--worker-id", f"w{i}",
                       wait=False) for i in range(2)]
    try:
        _until_delivered(sessions, 2 * LEADS)
    finally:
        logs = _stop(workers)
        engine.dispose()
    assert statuses(sessions) == Counter({"delivered": 2 * LEADS})
    assert not any("expired while sending" in log for log in logs), logs
    keys = Counter(r["headers"]["Idempotency-Key"] for r in receiver.requests if r["fault"] is None)
    assert len(keys) == 2 * LEADS and set(keys.values()) == {1}, "each event accepted exactly once"
    assert len(receiver.requests) == 2 * LEADS + 4, "each fault cost one request, nothing else was resent"
    first = {}
    for body in _bodies(receiver):
        first.setdefault(body["lead_id"], body["event_type"])
    assert set(first.values()) == {"lead.created"}, "no lead's stage change reached the CRM before the lead"


def test_a_worker_killed_mid_delivery_and_restarted_loses_nothing(sessions, receiver, env) -> None:
    crm_yml = Path(env["LEADBOT_SETTINGS_DIR"]) / "crm.yml"  # it waits for the answer we hold back
    crm_yml.write_text(crm_yml.read_text().replace("timeout_seconds: 0.5", "timeout_seconds: 30"))
    seed(sessions, LEADS)
    receiver.inject(*[Fault("accept_then_sleep", seconds=0.0)] * 5, Fault("accept_then_sleep", seconds=10))
    workers = [leadbot(env, "sync", "--follow", "--worker-id", "w0", wait=False)]
    try:
        deadline = time.monotonic() + 30
        while len(receiver.accepted) < 6 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(receiver.accepted) >= 6, "the worker sent six events"
        workers[0].send_signal(signal.SIGKILL)  # the receiver holds the sixth event's answer
        workers[0].wait(10)
        workers = [leadbot(env, "sync", "--follow", "--worker-id", f"w{i}", wait=False) for i in (1, 2)]
        _until_delivered(sessions, 2 * LEADS)
    finally:
        _stop(workers)
    assert statuses(sessions) == Counter({"delivered": 2 * LEADS})
    keys = Counter(r["headers"]["Idempotency-Key"] for r in receiver.requests)
    assert len(keys) == 2 * LEADS, "every event arrived"
    assert sorted(keys.values()) == [1] * (2 * LEADS - 1) + [2], "only the interrupted event went twice, same id"
    assert set(receiver.accepted) == set(keys), "the receiver keeps each event once"


def test_two_workers_and_a_crm_slower_than_a_lease_send_each_event_once(receiver, env, sessions) -> None:
    """Each call takes 2.5 s and a lease is 1 s: the sending worker renews its lease while the
    call runs, so the other worker never takes the event and sends it again."""
    crm_yml = Path(env["LEADBOT_SETTINGS_DIR"]) / "crm.yml"
    crm_yml.write_text(crm_yml.read_text().replace("timeout_seconds: 0.5", "timeout_seconds: 10"))
    receiver.latency = 2.5
    seed(sessions, 3)
    workers = [leadbot(env, "sync", "--follow", "--worker-id", f"w{i}", wait=False) for i in range(2)]
    try:
        _until_delivered(sessions, 6)
    finally:
        logs = _stop(workers)
    assert statuses(sessions) == Counter({"delivered": 6})
    keys = Counter(r["headers"]["Idempotency-Key"] for r in receiver.requests)
    assert len(keys) == 6 and set(keys.values()) == {1}, f"each event sent once: {keys}"
    assert not any("expired while sending" in log for log in logs), logs
