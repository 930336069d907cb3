"""Leases and retry bookkeeping for a delivery queue table (`outbox`, `notifications`).

A queue row has `status` (pending until delivered or dead), `attempts`, `next_attempt_at`,
`last_error`, and a worker's lease: `claimed_by` / `claimed_until`. A worker takes the
lease with a guarded UPDATE (it succeeds only while nobody holds a live lease), so two
workers never send one row, on SQLite as on PostgreSQL; a worker that dies mid-send leaves
a lease that runs out. Outcomes are recorded only while the lease is still the worker's.

Written once for any table with those columns; `bot/store/outbox.py` delegates here.
"""
from __future__ import annotations

import os
import random
import socket
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import ColumnElement, or_, update
from sqlalchemy.orm import Session

from bot.backoff import next_delay


class QueueRow(Protocol):
    id: int
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    claimed_by: str | None
    claimed_until: datetime | None


def worker_id() -> str:
    """A default name for this worker in `claimed_by`: host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def unclaimed(model: Any, now: datetime) -> ColumnElement[bool]:
    """SQL condition: nobody holds a live lease on the row."""
    return or_(model.claimed_until.is_(None), model.claimed_until < now)


def claim(session: Session, model: Any, row_id: int, *, worker: str, now: datetime, lease: timedelta) -> bool:
    """Take the lease on one pending row unless another worker holds a live one."""
    result = session.execute(
        update(model)
        .where(model.id == row_id, model.status == "pending", unclaimed(model, now))
        .values(claimed_by=worker, claimed_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def holds_claim(row: QueueRow, worker: str, *, now: datetime) -> bool:
    """The worker's lease is still its own: safe to record the outcome."""
    return row.claimed_by == worker and row.claimed_until is not None and row.claimed_until >= now


def release(row: QueueRow) -> None:
    row.claimed_by = None
    row.claimed_until = None


def record_failure(row: QueueRow, *, now: datetime, error: str, max_attempts: int, base_delay: timedelta,
                   max_delay: timedelta, jitter: float = 0.0, retry_after: timedelta | None = None,
                   permanent: bool = False, rng: random.Random | None = None) -> None:
    """A failed attempt: due again after a backoff (`bot.backoff.next_delay`), or `dead`
    when the failure is permanent or attempts are used up. The error is kept either way."""
    row.attempts += 1
    row.last_error = error[:2000]
    release(row)
    if permanent or row.attempts >= max_attempts:
        row.status = "dead"
        return
    row.next_attempt_at = now + next_delay(row.attempts, base=base_delay, max_delay=max_delay,
                                           jitter=jitter, retry_after=retry_after, rng=rng)


def requeue_dead(session: Session, model: Any, *, now: datetime, row_id: int | None = None) -> int:
    """Put dead rows (one, or all) back in the queue, due now, attempts reset; how many."""
    query = update(model).where(model.status == "dead")
    if row_id is not None:
        query = query.where(model.id == row_id)
    result = session.execute(
        query.values(status="pending", attempts=0, next_attempt_at=now, claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
