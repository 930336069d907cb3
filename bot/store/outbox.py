"""What a CRM sync worker needs from the outbox: due events, and recording the outcome.

Delivery is at least once: a worker claims due events (a lease: `claimed_by` and
`claimed_until`, taken with a guarded UPDATE, so two workers never hold one event, on
SQLite as on PostgreSQL), sends them, and marks each delivered or failed. Consumers de-duplicate on `event_id`. Events of one lead are handed
out strictly in order (only its oldest pending event is ever due), so a CRM never sees a
stage change before the lead it belongs to. Failures back off exponentially; after
`max_attempts` an event is `dead` (kept for an operator, no longer retried) and the lead's
later events proceed.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store import leases
from bot.store.schema import OutboxEvent

MAX_ATTEMPTS = 10
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=6)


def due_events(session: Session, *, now: datetime, limit: int = 100) -> list[OutboxEvent]:
    """Pending events whose time has come, oldest first, at most one per lead.

    On PostgreSQL the rows are locked (SKIP LOCKED), so several workers can run at once.
    """
    oldest = (
        select(func.min(OutboxEvent.id))
        .where(OutboxEvent.status == "pending")
        .group_by(OutboxEvent.aggregate_type, OutboxEvent.aggregate_id)
    )
    query = (
        select(OutboxEvent)
        .where(OutboxEvent.id.in_(oldest), OutboxEvent.next_attempt_at <= now,
               leases.unclaimed(OutboxEvent, now))
        .order_by(OutboxEvent.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def mark_delivered(event: OutboxEvent, *, now: datetime) -> None:
    event.status = "delivered"
    event.delivered_at = now
    event.attempts += 1
    event.last_error = None
    release(event)


def claim(session: Session, event_id: int, *, worker: str, now: datetime, lease: timedelta) -> bool:
    """Take the lease on one pending event unless another worker holds a live one."""
    return leases.claim(session, OutboxEvent, event_id, worker=worker, now=now, lease=lease)


holds_claim = leases.holds_claim
release = leases.release


def mark_failed(event: OutboxEvent, *, now: datetime, error: str, max_attempts: int = MAX_ATTEMPTS,
                retry_after: timedelta | None = None, permanent: bool = False,
                base_delay: timedelta = BASE_DELAY, max_delay: timedelta = MAX_DELAY,
                jitter: float = 0.0, rng: random.Random | None = None) -> None:
    """Record a failed delivery: retry later (backoff, Retry-After wins) or give up (`dead`);
    `permanent` failures (a request the CRM will never accept) are dead at once."""
    leases.record_failure(event, now=now, error=error, max_attempts=max_attempts, base_delay=base_delay,
                          max_delay=max_delay, jitter=jitter, retry_after=retry_after, permanent=permanent, rng=rng)


def retry_dead(session: Session, *, now: datetime, event_id: int | None = None) -> int:
    """Put dead events (one, or all) back in the queue, due now; returns how many."""
    return leases.requeue_dead(session, OutboxEvent, now=now, row_id=event_id)
