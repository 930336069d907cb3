"""The nurture sender: each round sweeps the sequences (`sequence.sweep`: enroll, stop, queue
due steps), then sends the queued e-mails as a delivery queue of `bot/delivery.py`, the one
lease loop lead cards and CRM events use: each e-mail claimed just before it is sent, sent
once by one sender, retried with backoff, or `dead` with the SMTP server's words
(`leadbot nurture list --status dead`, `leadbot nurture retry`).

The stop rule is checked again when an e-mail is claimed, in the claim's transaction: an
e-mail queued before the lead qualified (or a rep paused the sequence) is cancelled, not sent.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, object_session, sessionmaker

from bot.content import Content, load_content
from bot.delivery import DeliveryReport, LeaseLoop
from bot.notify.channels import deliver_email
from bot.notify.settings import SmtpSettings, load_notify_settings
from bot.nurture.email import build_nurture_email
from bot.nurture.links import Links, Signer, nurture_secret
from bot.nurture.sequence import note_reengagement, stop, stop_reason, sweep
from bot.nurture.settings import NurtureSettings, load_nurture_settings
from bot.outbound import Outcome
from bot.service import run_until_stopped
from bot.store.leases import release, requeue_dead, unclaimed, worker_id
from bot.store.schema import Lead, NurtureEnrollment, NurtureMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Job:
    message_id: int
    email: EmailMessage | None
    problem: str | None = None


@dataclass(frozen=True)
class Sender:
    """What a round needs besides the store: the settings and where e-mail goes."""

    settings: NurtureSettings
    smtp: SmtpSettings
    content: Content
    links: Links

    @classmethod
    def from_settings(cls) -> "Sender":
        settings = load_nurture_settings()
        return cls(settings, load_notify_settings().smtp, load_content(),
                   Links(Signer(nurture_secret(settings.secret_env)), settings.links_base))


class NurtureQueue:
    """Nurture e-mails for `bot.delivery.LeaseLoop`."""

    model = NurtureMessage
    noun = "nurture e-mail"

    def __init__(self, sender: Sender, now: Callable[[], datetime]) -> None:
        self.sender, self.now = sender, now

    def due(self, session: Session, *, now: datetime, limit: int) -> list[int]:
        return list(session.scalars(
            select(NurtureMessage.id).join(NurtureEnrollment)
            .where(NurtureMessage.status == "pending", NurtureMessage.next_attempt_at <= now,
                   unclaimed(NurtureMessage, now), NurtureEnrollment.state == "active")
            .order_by(NurtureMessage.id).limit(limit)))

    def claimable(self) -> ColumnElement[bool]:
        """Only while the sequence runs: a pause takes effect even on an e-mail already queued."""
        return exists().where(NurtureEnrollment.id == NurtureMessage.enrollment_id, NurtureEnrollment.state == "active")

    def job(self, session: Session, row: NurtureMessage) -> _Job | None:
        lead = session.get(Lead, row.lead_id)
        if lead is None:
            return None
        enrollment = row.enrollment
        now = self.now()
        reason = stop_reason(lead, self.sender.settings)
        if reason is None and enrollment.sequence not in self.sender.settings.sequences:
            reason = "no_sequence"
        if reason:
            stop(session, enrollment, reason, now=now)
            return None
        note_reengagement(enrollment, lead, now=now)
        s = self.sender
        try:
            email = build_nurture_email(row, enrollment, lead, settings=s.settings, content=s.content, links=s.links,
                                        smtp=s.smtp, now=now)
        except Exception as exc:  # noqa: BLE001 (a dead letter with the reason, not a stuck queue)
            log.exception("cannot write nurture e-mail %s (lead %s)", row.id, lead.id)
            return _Job(row.id, None, f"could not write the e-mail: {type(exc).__name__}: {exc}")
        return _Job(row.id, email)

    def send(self, job: _Job) -> Outcome:
        if job.email is None:
            return Outcome(False, retryable=False, error=job.problem or "no e-mail")
        try:
            return deliver_email(job.email, self.sender.smtp)
        except Exception as exc:  # noqa: BLE001 (a bug must not kill the sender: record it, retry)
            log.exception("sending nurture e-mail %s failed unexpectedly", job.message_id)
            return Outcome(False, retryable=True, error=f"unexpected {type(exc).__name__}: {exc}")

    def mark_delivered(self, row: NurtureMessage, *, now: datetime) -> None:
        row.status, row.sent_at, row.last_error = "sent", now, None
        row.attempts += 1
        release(row)
        enrollment = row.enrollment
        if enrollment.transcript_lines is None:
            lead = enrollment_lead(row)
            enrollment.transcript_lines = len(lead.transcript or []) if lead is not None else 0
        sequence = self.sender.settings.sequences.get(enrollment.sequence)
        if sequence is not None and row.step >= len(sequence.steps) - 1 and enrollment.state == "active":
            enrollment.state, enrollment.updated_at = "completed", now

    def dead_letter(self, row: NurtureMessage, error: str) -> str:
        return f"nurture e-mail {row.id} (lead {row.lead_id}, step {row.step + 1}) is dead: {error}"


def enrollment_lead(row: NurtureMessage) -> Lead | None:
    session = object_session(row)
    return session.get(Lead, row.lead_id) if session is not None else None


def lease_loop(sender: Sender, now: Callable[[], datetime]) -> LeaseLoop[_Job]:
    s = sender.settings
    return LeaseLoop(NurtureQueue(sender, now), lease=timedelta(seconds=s.lease_seconds), batch_size=s.batch_size,
                     retry=s.retry)


def run_once(sessions: sessionmaker[Session], sender: Sender, *, now: Callable[[], datetime],
             worker: str | None = None, stop: Callable[[], bool] = lambda: False) -> DeliveryReport:
    """One round: the sequences swept (enroll, stop, queue due steps), then due e-mails sent."""
    if not sender.settings.enabled:
        return DeliveryReport()
    try:
        with sessions.begin() as session:
            sweep(session, sender.settings, now=now())
    except SQLAlchemyError as exc:  # busy or down: the next round sweeps again; queued e-mails still go
        log.warning("nurture sequences not swept this round: %s", exc)
    return lease_loop(sender, now).run_once(sessions, now=now, worker=worker or worker_id(), stop=stop)


def follow(sessions: sessionmaker[Session], sender: Sender, *, now: Callable[[], datetime], worker: str | None = None,
           on_round: Callable[[DeliveryReport], None] | None = None) -> None:
    worker = worker or worker_id()
    run_until_stopped(lambda stopping: run_once(sessions, sender, now=now, worker=worker, stop=stopping),
                      poll_seconds=sender.settings.poll_seconds, on_round=on_round)


def retry_dead(session: Session, *, now: datetime, message_id: int | None = None) -> int:
    """Queue dead nurture e-mails (one, or all) again, due now; how many."""
    return requeue_dead(session, NurtureMessage, now=now, row_id=message_id)
