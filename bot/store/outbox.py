"""What a CRM sync worker needs from the outbox: due events, and recording the outcome.

Delivery is at least once: a worker claims each due event just before sending it (a
lease: `claimed_by` and `claimed_until`, taken with a guarded UPDATE, so two workers never
hold one event, on SQLite as on PostgreSQL; `bot/delivery.py` runs the loop), sends it,
and marks it delivered or failed. Consumers de-duplicate on `event_id`.

Events of one lead go in order: an event is due, and can be claimed, only when every
earlier event of its lead is delivered (`in_order`), so a CRM never sees a stage change
before the lead it belongs to. Failures back off exponentially; after `max_attempts` an
event is `dead` (kept for an operator, no longer retried) and it holds its lead's later
events (`held_events`) until it is retried and delivered.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session, aliased

from bot.store import leases
from bot.store.schema import OutboxEvent

MAX_ATTEMPTS = 10
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=6)


def _in_order() -> ColumnElement[bool]:
    earlier = aliased(OutboxEvent, name="earlier")
    return ~exists(
        select(earlier.id).where(earlier.aggregate_type == OutboxEvent.aggregate_type,
                                 earlier.aggregate_id == OutboxEvent.aggregate_id,
                                 earlier.id < OutboxEvent.id, earlier.status != "delivered")
    )


_IN_ORDER = _in_order()  # built once: every claim uses it


def in_order() -> ColumnElement[bool]:
    """SQL condition on an outbox row: every earlier event of its lead is delivered."""
    return _IN_ORDER


def due_events(session: Session, *, now: datetime, limit: int = 100) -> list[OutboxEvent]:
    """Pending events whose time has come and that nobody holds, oldest first, each the
    next of its lead (`in_order`). A worker claims each one before sending (`claim`)."""
    query = (
        select(OutboxEvent)
        .where(OutboxEvent.status == "pending", OutboxEvent.next_attempt_at <= now,
               leases.unclaimed(OutboxEvent, now), in_order())
        .order_by(OutboxEvent.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def held_events(session: Session) -> list[tuple[OutboxEvent, int]]:
    """Dead events that hold later events of their lead, each with how many it holds."""
    later = aliased(OutboxEvent)
    held = (
        select(func.count(later.id))
        .where(later.aggregate_type == OutboxEvent.aggregate_type, later.aggregate_id == OutboxEvent.aggregate_id,
               later.id > OutboxEvent.id, later.status == "pending")
        .scalar_subquery()
    )
    query = select(OutboxEvent, held).where(OutboxEvent.status == "dead", held > 0).order_by(OutboxEvent.id)
    return [(event, count) for event, count in session.execute(query).tuples()]


def mark_delivered(event: OutboxEvent, *, now: datetime) -> None:
    event.status = "delivered"
    event.delivered_at = now
    event.attempts += 1
    event.last_error = None
    release(event)


def claim(session: Session, event_id: int, *, worker: str, now: datetime, lease: timedelta) -> bool:
    """Take the lease on one due event, next of its lead, unless another worker holds it."""
    return leases.claim(session, OutboxEvent, event_id, worker=worker, now=now, lease=lease, also=in_order())


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
