"""The notification sender: lead cards as a delivery queue (`bot/delivery.py`).

Nothing is silent: a card leaves `pending` only when the channel took it (`sent`) or
refused it for good (`dead`, with the receiver's words, `leadbot notifications retry`).
Each card is claimed just before it is sent, with a lease (`bot.store.leases`:
`claimed_by`/`claimed_until`), so two senders never send one card, and a sender that dies
mid-send leaves a card that is sent again once its lease runs out. The card is rendered
from the lead as it is when sent.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import requests
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import DeliveryReport, LeaseLoop
from bot.notify.card import LeadCard, build_card
from bot.notify.channels import send
from bot.notify.digest import REASON as DIGEST_REASON
from bot.notify.digest import DigestCard, build_digest, queue_stuck_digests
from bot.notify.settings import NotifySettings
from bot.outbound import Outcome
from bot.store.leases import release, requeue_dead, unclaimed, worker_id
from bot.store.schema import Lead, Notification, Rep

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Job:
    notification_id: int
    channel: str
    target: str
    card: LeadCard | DigestCard | None
    problem: str | None = None  # why no card could be built


class NotificationQueue:
    """Lead cards and digests for `bot.delivery.LeaseLoop`, rendered when sent."""

    model = Notification
    noun = "notification"

    def __init__(self, settings: NotifySettings, http: requests.Session) -> None:
        self.settings = settings
        self.http = http

    def due(self, session: Session, *, now: datetime, limit: int) -> list[int]:
        return due_notifications(session, now=now, limit=limit)

    def claimable(self) -> None:
        return None  # cards have no order among themselves

    def job(self, session: Session, row: Notification) -> _Job | None:
        return _job(session, row, self.settings)

    def send(self, job: _Job) -> Outcome:
        if job.card is None:
            return Outcome(False, retryable=False, error=job.problem or "no card")
        return _send(job, self.settings, self.http)

    def mark_delivered(self, row: Notification, *, now: datetime) -> None:
        row.status, row.sent_at, row.last_error = "sent", now, None
        row.attempts += 1
        release(row)

    def dead_letter(self, row: Notification, error: str) -> str:
        return f"notification {row.id} ({row.channel} to {row.target}, lead {row.lead_id}) is dead: {error}"


def lease_loop(settings: NotifySettings, http: requests.Session) -> LeaseLoop[_Job]:
    return LeaseLoop(NotificationQueue(settings, http), lease=timedelta(seconds=settings.lease_seconds),
                     batch_size=settings.batch_size, retry=settings.retry)


def run_once(sessions: sessionmaker[Session], settings: NotifySettings, *, now: Callable[[], datetime],
             worker: str | None = None, http: requests.Session | None = None,
             stop: Callable[[], bool] = lambda: False) -> DeliveryReport:
    """One round: today's digests queued if due, then up to `batch_size` due cards, each
    claimed, sent and recorded."""
    _queue_digests_once_a_day(sessions, settings, now())
    return lease_loop(settings, http or requests.Session()).run_once(sessions, now=now, worker=worker or worker_id(),
                                                                     stop=stop)


def retry_dead(session: Session, *, now: datetime, notification_id: int | None = None) -> int:
    """Queue dead cards (one, or all) again, due now; returns how many."""
    return requeue_dead(session, Notification, now=now, row_id=notification_id)


def due_notifications(session: Session, *, now: datetime, limit: int) -> list[int]:
    """Pending cards whose time has come and that nobody holds, oldest first. A sender
    claims each one just before sending it (`bot.delivery`): that guarded UPDATE is what
    makes a claim exclusive."""
    query = (
        select(Notification.id)
        .where(Notification.status == "pending", Notification.next_attempt_at <= now,
               unclaimed(Notification, now))
        .order_by(Notification.id)
        .limit(limit)
    )
    return list(session.scalars(query))


# The day each store's digests were last queued by this process (by sessionmaker), so a
# round does not recompute every rep's stuck deals; other senders are kept out by the
# store's unique index, not by this.
_digests_queued_on: dict[int, date] = {}


def _queue_digests_once_a_day(sessions: sessionmaker[Session], settings: NotifySettings, at: datetime) -> None:
    if settings.stuck_digest_hour is None or at.hour < settings.stuck_digest_hour:
        return
    if _digests_queued_on.get(id(sessions)) == at.date():
        return
    try:
        with sessions.begin() as session:
            queued = queue_stuck_digests(session, now=at, settings=settings)
    except SQLAlchemyError as exc:  # the store is busy or down: the next round tries again
        log.warning("stuck-deals digests not queued yet: %s", exc)
        return
    _digests_queued_on[id(sessions)] = at.date()
    if queued:
        log.info("queued %d stuck-deals digest(s) for %s", queued, at.date().isoformat())


def _job(session: Session, row: Notification, settings: NotifySettings) -> _Job | None:
    if row.reason == DIGEST_REASON:
        return _digest_job(session, row, settings)
    lead = session.get(Lead, row.lead_id) if row.lead_id is not None else None
    if lead is None:
        return None
    try:
        card = build_card(lead, reason=row.reason, link=settings.link(lead.id),
                          transcript_lines=settings.transcript_lines, for_rep=row.rep_id is not None)
    except Exception as exc:  # a stored lead the card cannot read: a dead letter, not a stuck queue
        log.exception("cannot build the card for notification %s (lead %s)", row.id, lead.id)
        return _Job(row.id, row.channel, row.target, None, f"could not build the card: {type(exc).__name__}: {exc}")
    return _Job(row.id, row.channel, row.target, card)


def _digest_job(session: Session, row: Notification, settings: NotifySettings) -> _Job | None:
    rep = session.get(Rep, row.rep_id) if row.rep_id is not None else None
    if rep is None:
        return _Job(row.id, row.channel, row.target, None, "the rep of this digest no longer exists")
    try:
        card = build_digest(session, rep, now=row.created_at, settings=settings)
    except Exception as exc:  # noqa: BLE001 (a dead letter with the reason, not a stuck queue)
        log.exception("cannot build the stuck-deals digest %s (rep %s)", row.id, rep.id)
        return _Job(row.id, row.channel, row.target, None, f"could not build the digest: {type(exc).__name__}: {exc}")
    return _Job(row.id, row.channel, row.target, card)


def _send(job: _Job, settings: NotifySettings, http: requests.Session) -> Outcome:
    assert job.card is not None
    try:
        return send(job.channel, job.target, job.card, settings, http,
                    key=f"leadbot-notification-{job.notification_id}")
    except Exception as exc:  # a bug must not kill the sender nor hide the card: record it, retry
        log.exception("sending notification %s failed unexpectedly", job.notification_id)
        return Outcome(False, retryable=True, error=f"unexpected {type(exc).__name__}: {exc}")
