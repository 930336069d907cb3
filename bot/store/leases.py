"""Leases and retry bookkeeping for a delivery queue table (`outbox`, `notifications`).

A queue row has `status` (pending until delivered or dead), `attempts`, `next_attempt_at`,
`last_error`, and a worker's lease: `claimed_by` / `claimed_until`. A worker takes the
lease on one row just before sending it, with a guarded UPDATE (it succeeds only while
nobody holds a live lease), so two workers never send one row, on SQLite as on
PostgreSQL. The sending worker renews the lease while the send runs (`renew`), so only a
worker that died (or cannot reach the database) leaves a lease that runs out. An outcome
is recorded while the row is still the worker's: nobody else claimed it since.

Written once for any table with those columns; `bot/delivery.py` runs the loop.
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


def claim(session: Session, model: Any, row_id: int, *, worker: str, now: datetime, lease: timedelta,
          also: ColumnElement[bool] | None = None) -> bool:
    """Take the lease on one due, pending row unless another worker holds a live one;
    `also`: a further condition on the row (checked in the same UPDATE)."""
    conditions = [model.id == row_id, model.status == "pending", model.next_attempt_at <= now, unclaimed(model, now)]
    if also is not None:
        conditions.append(also)
    result = session.execute(
        update(model).where(*conditions)
        .values(claimed_by=worker, claimed_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def renew(session: Session, model: Any, row_id: int, *, worker: str, now: datetime, lease: timedelta) -> bool:
    """Extend the worker's lease on a row it is still sending (nobody took it since); False
    when the row is no longer its own (delivered, dead, deleted or claimed by another)."""
    result = session.execute(
        update(model).where(model.id == row_id, model.status == "pending", model.claimed_by == worker)
        .values(claimed_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def still_ours(row: QueueRow, worker: str) -> bool:
    """Nobody took the row from the worker since its claim (even if the lease ran out):
    its outcome is the one to record. A claim always writes `claimed_by`, so another
    worker's claim, or an outcome already recorded (which releases), shows here."""
    return row.status == "pending" and row.claimed_by == worker


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
