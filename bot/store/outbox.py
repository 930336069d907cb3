"""What a CRM sync worker needs from the outbox: due events, and recording the outcome.

Delivery is at least once: a worker takes due events, sends them, and marks each
delivered or failed. Consumers de-duplicate on `event_id`. Events of one lead are handed
out strictly in order (only its oldest pending event is ever due), so a CRM never sees a
stage change before the lead it belongs to. Failures back off exponentially; after
`max_attempts` an event is `dead` (kept for an operator, no longer retried) and the lead's
later events proceed.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
        .where(OutboxEvent.id.in_(oldest), OutboxEvent.next_attempt_at <= now)
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


def mark_failed(event: OutboxEvent, *, now: datetime, error: str, max_attempts: int = MAX_ATTEMPTS) -> None:
    """Record a failed delivery; retry later (30 s, 1 min, 2 min, ... up to 6 h) or give up."""
    event.attempts += 1
    event.last_error = error[:2000]
    if event.attempts >= max_attempts:
        event.status = "dead"
        return
    delay = min(BASE_DELAY * (2 ** (event.attempts - 1)), MAX_DELAY)
    event.next_attempt_at = now + delay
