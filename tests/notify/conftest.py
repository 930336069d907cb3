"""Real receivers on 127.0.0.1 (an aiosmtpd SMTP server, HTTP webhooks), a real store, and
leads saved through the repository, owned by reps written straight to the `reps` table."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.answers import Authority, Budget, Contact, Need, Qualification, Timeline
from bot.clock import RunningClock
from bot.leads import LeadSubmission, TranscriptLine
from bot.notify.enqueue import enqueue_lead_card
from bot.notify.settings import load_notify_settings
from bot.notify.worker import run_once
from bot.settings import PROJECT_ROOT
from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.repository import save_lead
from bot.store.schema import Lead, Notification, Rep
from tests.crm_sync.fake_receiver import FakeReceiver
from tests.notify.smtp_server import SmtpServer
from tests.store.builders import NOW, submission

SECRET = "card-signing-secret"
SCRIPT = Path(sys.executable).with_name("leadbot")


# One clock for the data, the in-process workers and the `leadbot` subprocesses: it shows the
# builders' NOW when the test starts and runs on at real speed, so retry delays come due while
# the date (and so which deals are stuck and which digests are due) never depends on the day.
_clock = RunningClock(NOW, time.time())


@pytest.fixture(autouse=True)
def clock() -> RunningClock:
    """Every test starts at NOW."""
    global _clock
    _clock = RunningClock(NOW, time.time())
    return _clock


def utcnow() -> datetime:
    return _clock.now()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


@pytest.fixture
def slack() -> Iterator[FakeReceiver]:
    with FakeReceiver(None) as receiver:  # Slack does not sign or de-duplicate
        yield receiver


@pytest.fixture
def hook() -> Iterator[FakeReceiver]:
    with FakeReceiver(SECRET) as receiver:  # checks X-Leadbot-Signature, de-duplicates on Idempotency-Key
        yield receiver


def write_settings(directory: Path, smtp_port: int, **extra: str) -> None:
    lines = {
        "lead_url": "'https://crm.example/leads/{lead_id}'",
        "transcript_lines": "5",
        "timeout_seconds": "0.5",
        "lease_seconds": "5",
        "poll_seconds": "0.1",
        "webhook_secret_env": "CARD_SECRET",
        "smtp": f"{{host: 127.0.0.1, port: {smtp_port}, timeout_seconds: 2, sender: 'leadbot <bot@seller.example>'}}",
        "retry": "{base_seconds: 0.05, max_seconds: 0.2, jitter: 0.2, max_attempts: 6}",
        **extra,
    }
    (directory / "notifications.yml").write_text("".join(f"{k}: {v}\n" for k, v in lines.items()), encoding="utf-8")


@pytest.fixture
def env(tmp_path: Path, smtp: SmtpServer, slack: FakeReceiver, hook: FakeReceiver,
        monkeypatch: pytest.MonkeyPatch, clock: RunningClock) -> dict[str, str]:
    """Settings pointing at the local receivers; the same variables for in-process code
    (monkeypatched) and for `leadbot` subprocesses (passed explicitly)."""
    settings = tmp_path / "settings"
    settings.mkdir()
    write_settings(settings, smtp.port)
    values = {"LEADBOT_SETTINGS_DIR": str(settings), "SLACK_WEBHOOK_DANA": slack.url, "DANA_HOOK": hook.url,
              "CARD_SECRET": SECRET, "LEADBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'leadbot.db'}",
              "LEADBOT_DATA_DIR": str(tmp_path / "data"), **clock.environment()}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    upgrade(values["LEADBOT_DATABASE_URL"])
    return values


@pytest.fixture
def sessions(env: dict[str, str]) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(env["LEADBOT_DATABASE_URL"])
    yield session_factory(engine)
    engine.dispose()


# --- leads and reps ------------------------------------------------------------------------


def realistic(conversation_id: str = "conv-1", email: str = "zoe@brightwell.example", transcript: int = 3,
              line: str = "message {i} <!channel> ✓") -> LeadSubmission:
    """A qualified lead whose visitor typed markup, Slack mentions and non-ASCII text."""
    q = Qualification(
        need=Need("We need a chatbot to <b>book</b> consultations & follow-ups", "specific", "booking"),
        budget=Budget("stated", "around 2k a month", 2000, 2000, "EUR", "monthly"),
        authority=Authority("shared", "me and our CFO <script>alert(1)</script>", "Head of Ops"),
        timeline=Timeline("stated", "next quarter", "2027-03-31", 4.3),
        contact=Contact("Zoë Ørsted", email, "Brightwell <Dental>"),
    )
    sub = submission(conversation_id, qualification=q)
    lines = tuple(TranscriptLine("user" if i % 2 else "bot", line.format(i=i), NOW - timedelta(minutes=600 - i))
                  for i in range(transcript))
    return LeadSubmission(**{**sub.__dict__, "transcript": lines})


def add_rep(sessions: sessionmaker[Session], name: str = "Dana Ruiz", address: str = "dana@seller.example",
            **notify: Any) -> int:
    """A rep row as `leadbot reps add` writes it; `notify` is the stored preferences JSON."""
    with sessions.begin() as s:
        rep = Rep(name=name, email=address, active=True, territories=[], timezone="UTC", working_hours={},
                  notify=notify, created_at=NOW, updated_at=NOW)
        s.add(rep)
        s.flush()
        return rep.id


def save(sessions: sessionmaker[Session], sub: LeadSubmission | None = None) -> int:
    with sessions.begin() as s:
        return save_lead(s, sub or realistic(), now=NOW).lead_id


def assign(sessions: sessionmaker[Session], lead_id: int, rep_id: int | None, *, reason: str = "qualified",
           why: str = "Round robin: Dana Ruiz was next.") -> list[int]:
    """What bot/assignment does, by hand: owner, rule and reason on the lead, cards queued."""
    with sessions.begin() as s:
        lead = s.get(Lead, lead_id)
        rep = s.get(Rep, rep_id) if rep_id is not None else None
        lead.owner_rep_id = rep_id
        lead.assignment_rule, lead.assignment_reason = ("round_robin" if rep else "unassigned"), why
        return [n.id for n in enqueue_lead_card(s, lead, rep, reason=reason, now=utcnow())]


def seed(sessions: sessionmaker[Session], count: int = 1, **notify: Any) -> list[int]:
    """`count` leads owned by Dana, who wants cards as `notify` says; the lead ids."""
    rep_id = add_rep(sessions, **notify)
    ids = []
    for i in range(count):
        lead_id = save(sessions, realistic(f"conv-{i}", f"zoe{i}@brightwell{i}.example"))
        assign(sessions, lead_id, rep_id)
        ids.append(lead_id)
    return ids


# --- sending and looking -------------------------------------------------------------------


def send_until_idle(sessions: sessionmaker[Session], rounds: int = 100, worker: str = "test") -> None:
    settings = load_notify_settings()
    for _ in range(rounds):
        run_once(sessions, settings, now=utcnow, worker=worker)
        with sessions() as s:
            if not s.scalars(select(Notification).where(Notification.status == "pending")).first():
                return
        time.sleep(0.05)
    raise AssertionError("cards still pending")


def statuses(sessions: sessionmaker[Session]) -> Counter[str]:
    with sessions() as s:
        return Counter(s.scalars(select(Notification.status)))


def only(sessions: sessionmaker[Session]) -> Notification:
    with sessions() as s:
        return s.scalars(select(Notification)).one()


def leadbot_command(*args: str) -> list[str]:
    """The installed `leadbot` script of this venv (or the module, if not installed)."""
    return [str(SCRIPT) if SCRIPT.exists() else sys.executable, *([] if SCRIPT.exists() else ["-m", "leadbot.cli"]), *args]


def leadbot(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(leadbot_command(*args), env={**os.environ, **env}, cwd=PROJECT_ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=60)
