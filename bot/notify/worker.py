"""The notification worker: claim due lead cards, send them, record what happened.

A card is claimed by moving its `next_attempt_at` forward by the lease (a guarded UPDATE:
only one worker can move it from "due"), so two workers never send the same card, and a
worker that dies mid-send leaves a card that becomes due again when the lease runs out.
The outcome is recorded only while the claim is still the worker's own.
"""
from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import requests
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.backoff import next_delay
from bot.notify.card import build_card
from bot.notify.channels import send
from bot.notify.settings import NotifySettings
from bot.outbound import Outcome
from bot.store.schema import Lead, Notification

log = logging.getLogger(__name__)


@dataclass
class NotifyReport:
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    lost_lease: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.dead + self.lost_lease


def run_once(sessions: sessionmaker[Session], settings: NotifySettings, *, now: Callable[[], datetime],
             http: requests.Session | None = None) -> NotifyReport:
    http = http or requests.Session()
    report = NotifyReport()
    for notification_id, lease_until in _claim_batch(sessions, settings, now()):
        with sessions() as session:
            row = session.get(Notification, notification_id)
            lead = session.get(Lead, row.lead_id) if row is not None else None
            if row is None or lead is None:
                continue  # deleted with its lead meanwhile
            card = build_card(lead, reason=row.reason, link=settings.link(lead.id),
                              transcript_lines=settings.transcript_lines, for_rep=row.rep_id is not None)
            channel, target = row.channel, row.target
        outcome = send(channel, target, card, settings, http, key=f"leadbot-notification-{notification_id}")
        _record(sessions, notification_id, lease_until, outcome, settings, now(), report)
    return report


def follow(sessions: sessionmaker[Session], settings: NotifySettings, *, now: Callable[[], datetime],
           on_round: Callable[[NotifyReport], None] | None = None) -> None:
    """Run rounds until SIGTERM/SIGINT; pause `poll_seconds` when there was nothing to do."""
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    http = requests.Session()
    while not stopping:
        report = run_once(sessions, settings, now=now, http=http)
        if on_round:
            on_round(report)
        if report.handled == 0:
            time.sleep(settings.poll_seconds)


def retry_dead(session: Session, *, now: datetime, notification_id: int | None = None) -> int:
    """Queue dead cards (one, or all) again, due now; returns how many."""
    query = update(Notification).where(Notification.status == "dead")
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    result = session.execute(query.values(status="pending", attempts=0, next_attempt_at=now)
                             .execution_options(synchronize_session=False))
    return result.rowcount


def _claim_batch(sessions: sessionmaker[Session], settings: NotifySettings, at: datetime) -> list[tuple[int, datetime]]:
    lease_until = at + timedelta(seconds=settings.lease_seconds)
    claimed = []
    with sessions.begin() as session:
        due = session.scalars(
            select(Notification.id)
            .where(Notification.status == "pending", Notification.next_attempt_at <= at)
            .order_by(Notification.id).limit(settings.batch_size)
        ).all()
        for notification_id in due:
            result = session.execute(
                update(Notification)
                .where(Notification.id == notification_id, Notification.status == "pending",
                       Notification.next_attempt_at <= at)
                .values(next_attempt_at=lease_until)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:
                claimed.append((notification_id, lease_until))
    return claimed


def _record(sessions: sessionmaker[Session], notification_id: int, lease_until: datetime, outcome: Outcome,
            settings: NotifySettings, at: datetime, report: NotifyReport) -> None:
    with sessions.begin() as session:
        row = session.get(Notification, notification_id)
        if row is None:
            return
        if row.status != "pending" or row.next_attempt_at != lease_until:
            report.lost_lease += 1
            log.warning("lease on notification %s expired while sending; leaving it to its new holder", row.id)
            return
        row.attempts += 1
        if outcome.delivered:
            row.status, row.sent_at, row.last_error = "sent", at, None
            report.sent += 1
            return
        row.last_error = outcome.error[:2000]
        retry = settings.retry
        if not outcome.retryable or row.attempts >= retry.max_attempts:
            row.status = "dead"
            report.dead += 1
            report.errors.append(f"notification {row.id} ({row.channel} to {row.target}, lead {row.lead_id}) "
                                 f"is dead: {outcome.error}")
            return
        row.next_attempt_at = at + next_delay(row.attempts, base=retry.base, max_delay=retry.max,
                                              jitter=retry.jitter, retry_after=outcome.retry_after)
        report.retrying += 1
