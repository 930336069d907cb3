"""Nurture tests: a real store, a real SMTP server (aiosmtpd) and the real dashboard app
(uvicorn) on 127.0.0.1; the sender's clock is a hand-moved one, so step delays and retry
backoffs pass without waiting and no test depends on the day."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.answers import Authority, Budget, Contact, Need, Qualification, Timeline
from bot.leads import LeadSubmission, TranscriptLine
from bot.nurture.worker import Sender, run_once
from bot.settings import PROJECT_ROOT
from bot.store.repository import record_followup_optin, save_lead
from bot.store.schema import NurtureEnrollment, NurtureMessage
from tests.crm_sync.webhook_server import WebhookServer
from tests.notify.conftest import clock, env, hook, sessions, slack, smtp  # noqa: F401 (fixtures)
from tests.store.builders import NOW, submission

SEQUENCE = """\
link_base_url: "{base}"
lease_seconds: 5
retry: {{base_seconds: 60, max_seconds: 120, jitter: 0, max_attempts: 3}}
sequences:
  test:
    steps:
      - delay_hours: 1
        content:
          en:
            default:
              subject: "Step 1 for {{name}}"
              body: "Hi {{name}}. {{pitch}}\\n{{resources}}\\nBack to the chat: {{chat_link}}\\nMore: https://example.com/more"
            appointment_booking:
              subject: "Booking step 1 for {{name}}"
              body: "Hi {{name}}. {{pitch}} Chat: {{chat_link}}"
          de:
            default:
              subject: "Schritt 1 für {{name}}"
              body: "Hallo {{name}}: {{chat_link}}"
      - delay_hours: 24
        content:
          en:
            default:
              subject: "Step 2 for {{name}}"
              body: "Again, {{name}}: {{chat_link}}"
"""


@dataclass
class HandClock:
    """The sender's clock: moved by the test only."""

    at: datetime = NOW

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def hand() -> HandClock:
    return HandClock()


@pytest.fixture
def web(env: dict[str, str]) -> Iterator[WebhookServer]:
    """The dashboard app (with the nurture routes) on the test's store; settings name its URL."""
    server = WebhookServer(env["LEADBOT_DATABASE_URL"])
    base = f"http://127.0.0.1:{server.port}"
    folder = Path(env["LEADBOT_SETTINGS_DIR"])
    (folder / "nurture.yml").write_text(SEQUENCE.format(base=base), encoding="utf-8")
    shutil.copy(PROJECT_ROOT / "settings" / "content.yml", folder / "content.yml")  # pitches and resources
    server.base = base  # type: ignore[attr-defined]
    with server:
        yield server


def nurture_lead(sessions: sessionmaker[Session], conversation: str, email: str, *, category: str | None = None,
                 language: str | None = None, optin: bool = True, channel: str = "socketio",
                 status: str = "nurture") -> int:
    q = Qualification(
        need=Need("a chatbot, maybe later", "exploring", category),
        budget=Budget("unknown", "not sure"),
        authority=Authority("unknown", "not sure"),
        timeline=Timeline("unknown", "no idea"),
        contact=Contact("Zoë Ørsted", email, "Brightwell"),
    )
    sub = submission(conversation, qualification=q, status=status, points=35,
                     source={"language": language} if language else None, channel=channel)
    with sessions.begin() as s:
        lead_id = save_lead(s, sub, now=NOW).lead_id
        if optin:
            record_followup_optin(s, conversation, True, now=NOW)
    return lead_id


def resave(sessions: sessionmaker[Session], conversation: str, email: str, *, status: str,
           transcript_extra: int = 0) -> None:
    """The bot stores the conversation again (the visitor came back and answered)."""
    base = submission(conversation, status=status, email=email, channel="socketio")
    lines = base.transcript + tuple(TranscriptLine("user", f"I'm back ({i})", NOW + timedelta(days=1, minutes=i))
                                    for i in range(transcript_extra))
    with sessions.begin() as s:
        save_lead(s, LeadSubmission(**{**base.__dict__, "transcript": lines}), now=NOW)


def send_round(sessions: sessionmaker[Session], hand: HandClock, worker: str = "test") -> None:
    run_once(sessions, Sender.from_settings(), now=hand.now, worker=worker)


def enrollment(sessions: sessionmaker[Session], lead_id: int) -> NurtureEnrollment | None:
    with sessions() as s:
        return s.scalar(select(NurtureEnrollment).where(NurtureEnrollment.lead_id == lead_id))


def messages(sessions: sessionmaker[Session], lead_id: int | None = None) -> list[NurtureMessage]:
    with sessions() as s:
        query = select(NurtureMessage).order_by(NurtureMessage.id)
        if lead_id is not None:
            query = query.where(NurtureMessage.lead_id == lead_id)
        return list(s.scalars(query))
