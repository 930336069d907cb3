"""Prometheus /metrics of the real worker and dashboard processes (bot/telemetry.py): a
`leadbot sync --follow` delivering to a webhook receiver on 127.0.0.1 (one event refused
for good), and `leadbot dashboard`, both scraped over HTTP while they run."""
from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import update

from bot.store.schema import Lead
from tests.crm_sync.fake_receiver import FakeReceiver, Fault
from tests.crm_sync.sync_helpers import configure, leadbot, seed, statuses
from tests.e2e.scaled import scrape
from tests.e2e.servers import free_port, wait_until

SECRET = "test-signing-secret"


@pytest.fixture
def receiver() -> Iterator[FakeReceiver]:
    with FakeReceiver(SECRET) as r:
        yield r


@pytest.fixture
def env(tmp_path: Path, receiver: FakeReceiver, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return configure(tmp_path, monkeypatch, f"provider: webhook\nwebhook: {{url: '{receiver.url}'}}\n",
                     {"LEADBOT_WEBHOOK_SECRET": SECRET})


def _stop(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=20)
    return err


def test_the_sync_worker_reports_deliveries_dead_letters_and_its_queue(env, sessions, receiver) -> None:
    seed(sessions, 3)  # 6 events; the first send is refused for good: that event is dead
    receiver.inject(Fault("status", 400))
    port = free_port()
    worker = leadbot({**env, "LEADBOT_METRICS_PORT": str(port)}, "sync", "--follow", wait=False)
    try:
        # the dead event holds its lead's later one; the other leads' four are delivered
        wait_until(lambda: statuses(sessions)["delivered"] == 4 and statuses(sessions)["dead"] == 1, 60,
                   "deliveries", worker)
        samples = scrape(port)
    finally:
        _stop(worker)
    outbox = (("queue", "outbox"),)
    assert samples[("leadbot_deliveries_total", (("outcome", "delivered"), ("queue", "outbox")))] == 4
    assert samples[("leadbot_deliveries_total", (("outcome", "dead"), ("queue", "outbox")))] == 1
    assert samples[("leadbot_delivery_seconds_count", outbox)] == 4
    assert samples[("leadbot_store_up", ())] == 1
    assert samples[("leadbot_dead_letters", outbox)] == 1
    assert samples[("leadbot_queue_pending", outbox)] == 1, "the event the dead one holds"
    assert samples[("leadbot_queue_oldest_pending_age_seconds", outbox)] > 0
    assert samples[("leadbot_queue_pending", (("queue", "notifications"),))] >= 0


def test_the_dashboard_reports_visitors_waiting_for_a_rep(env, sessions, tmp_path: Path) -> None:
    ids = seed(sessions, 2)
    with sessions.begin() as s:
        s.execute(update(Lead).where(Lead.id == ids[0]).values(handoff_state="waiting"))
    port, metrics = free_port(), free_port()
    dashboard = leadbot({**env, "LEADBOT_METRICS_PORT": str(metrics)}, "dashboard", "--port", str(port), wait=False)
    try:
        wait_until(lambda: requests.get(f"http://127.0.0.1:{port}/login", timeout=2).ok, 60, "dashboard", dashboard)
        samples = scrape(metrics)
        # the dashboard's own /metrics stays the pipeline page, behind its sign-in
        assert requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10, allow_redirects=False).status_code in (302, 303)
    finally:
        _stop(dashboard)
    assert samples[("leadbot_handoff_waiting", ())] == 1
    assert samples[("leadbot_queue_pending", (("queue", "outbox"),))] == 4, "two events per lead, none sent"
    assert samples[("process_resident_memory_bytes", ())] > 0


def test_metrics_say_so_when_the_store_does_not_answer(env, tmp_path: Path) -> None:
    port = free_port()
    unreachable = "postgresql+psycopg://leadbot@127.0.0.1:1/none?connect_timeout=2"
    worker = leadbot({**env, "LEADBOT_DATABASE_URL": unreachable, "LEADBOT_METRICS_PORT": str(port)},
                     "sync", "--follow", wait=False)
    try:
        wait_until(lambda: scrape(port)[("leadbot_store_up", ())] == 0, 60, "metrics", worker)
        assert worker.poll() is None, "the worker waits for the store"
    finally:
        _stop(worker)
