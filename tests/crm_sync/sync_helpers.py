"""What every CRM sync test does: a real SQLite store configured for one CRM, leads stored
through the real repository, and the real worker run until nothing is pending."""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from leadbot.cli import main
from bot.store.migrate import upgrade
from bot.store.repository import save_lead
from bot.store.schema import OutboxEvent
from crm_sync.settings import load_crm_settings
from crm_sync.worker import make_target, run_once
from tests.store.builders import submission

ROOT = Path(__file__).resolve().parents[2]
# Short timeouts and retries; a lease long enough that a busy machine never lets a second
# worker take an event that is still being sent (only crash tests shorten it: `for_a_crash`).
FAST = ("timeout_seconds: 0.5\nlease_seconds: 5\npoll_seconds: 0.1\n"
        "retry: {base_seconds: 0.05, max_seconds: 0.2, jitter: 0.2, max_attempts: 8}\n")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crm_yml: str, secrets: dict[str, str]) -> dict[str, str]:
    """settings/crm.yml (fast timeouts and retries + `crm_yml`), secrets, a migrated store."""
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "crm.yml").write_text(FAST + crm_yml)
    values = {"LEADBOT_SETTINGS_DIR": str(settings), "LEADBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'leadbot.db'}",
              "LEADBOT_DATA_DIR": str(tmp_path / "data"), **secrets}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("LEADBOT_NOW", raising=False)
    upgrade(values["LEADBOT_DATABASE_URL"])
    return values


def for_a_crash(env: dict[str, str]) -> None:
    """Settings for killing a worker mid-call: it waits for the answer we hold back (timeout
    30 s), and its lease runs out soon after it dies (0.3 s), so the next round resends."""
    crm_yml = Path(env["LEADBOT_SETTINGS_DIR"]) / "crm.yml"
    crm_yml.write_text(crm_yml.read_text().replace("timeout_seconds: 0.5", "timeout_seconds: 30")
                       .replace("lease_seconds: 5", "lease_seconds: 0.3"))


def seed(sessions, count: int) -> list[int]:
    ids = []
    for i in range(count):
        with sessions.begin() as s:
            ids.append(save_lead(s, submission(f"conv-{i}", email=f"lead{i}@example.com"), now=utcnow()).lead_id)
    return ids


def sync_until_idle(sessions, rounds: int = 80) -> None:
    """Rounds of the real worker until every event is delivered, dead, or held by a dead one."""
    settings = load_crm_settings()
    target = make_target(settings)
    for _ in range(rounds):
        run_once(sessions, target, settings, now=utcnow)
        if not waiting(sessions):
            return
        time.sleep(0.05)
    raise AssertionError("events still pending")


def waiting(sessions) -> list[int]:
    """Pending events that are not held by a dead earlier event of their lead."""
    dead = aliased(OutboxEvent)
    held = exists(select(dead.id).where(dead.aggregate_type == OutboxEvent.aggregate_type,
                                        dead.aggregate_id == OutboxEvent.aggregate_id,
                                        dead.id < OutboxEvent.id, dead.status == "dead"))
    with sessions() as s:
        return list(s.scalars(select(OutboxEvent.id).where(OutboxEvent.status == "pending", ~held)))


def statuses(sessions) -> Counter:
    with sessions() as s:
        return Counter(s.scalars(select(OutboxEvent.status)))


def leadbot(env: dict[str, str], *args: str, wait: bool = True):  # noqa: ANN201
    command = [sys.executable, "-m", "leadbot.cli", *args]
    if not wait:
        return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=60)


def cli(*args: str) -> subprocess.CompletedProcess:
    """A short `leadbot` command run in this process (with this process's environment):
    the real command without a second's interpreter start-up. Workers that must be killed
    or run side by side go through `leadbot()`, in their own processes."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(["leadbot", *args], code, out.getvalue(), err.getvalue())
