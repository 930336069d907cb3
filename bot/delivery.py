"""The one lease loop of every delivery queue: CRM outbox events and lead cards.

A round lists due rows, then for each one, just before sending it: takes the row's own
lease (`bot.store.leases.claim`, a guarded UPDATE, so two workers never send one row),
reads what to send in the same transaction, sends it, and records the outcome. A lease
covers one send, never a batch, and is renewed every third of its length while the send
runs (`leases.renew`, from a thread beside the send), so neither a slow receiver late in
a long round nor one send slower than a lease (a CRM answering in 30 s, several calls
per event) lets another worker take the row. The outcome of an accepted send is
recorded as long as no other worker has taken the row since (`leases.still_ours`; so
every running worker needs its own name, as the default host:pid gives), even if our
lease ran out meanwhile (renewals that could not reach the database). A worker that
dies mid-send stops renewing and leaves a lease that runs out; the row is then sent
again with the same id (at least once; receivers de-duplicate).

What differs per queue (which rows are due, what a row's job is, how it is sent and what
"delivered" means) is a `DeliveryQueue`; `crm_sync/worker.py`, `bot/notify/worker.py`,
`bot/nurture/worker.py` and `bot/meetings/worker.py` each define one.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import ColumnElement
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.backoff import RetrySettings
from bot.outbound import Outcome
from bot.store import leases
from bot.telemetry import observe_delivery

log = logging.getLogger(__name__)

Job = TypeVar("Job")


@dataclass
class DeliveryReport:
    """What one round did; `lost_lease`: outcomes left to the worker that took the row over."""

    delivered: int = 0
    retrying: int = 0
    dead: int = 0
    lost_lease: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.delivered + self.retrying + self.dead + self.lost_lease


class DeliveryQueue(Protocol, Generic[Job]):
    """One queue table and how its rows are sent."""

    model: Any  # the table: OutboxEvent, Notification (columns of `leases.QueueRow`)
    noun: str  # "event", "notification": for logs

    def due(self, session: Session, *, now: datetime, limit: int) -> list[int]:
        """Ids of rows that may be claimed now, in sending order."""
        ...

    def claimable(self) -> ColumnElement[bool] | None:
        """A further condition the claim's guarded UPDATE checks (e.g. a lead's order), or None."""
        ...

    def job(self, session: Session, row: Any) -> Job | None:
        """What to send for a claimed row, read in the claim's transaction; None: nothing
        left to send (its lead was deleted meanwhile)."""
        ...

    def send(self, job: Job) -> Outcome:
        ...

    def mark_delivered(self, row: Any, *, now: datetime) -> None:
        ...

    def dead_letter(self, row: Any, error: str) -> str:
        """The operator's line for a row that became dead."""
        ...


@dataclass(frozen=True)
class LeaseLoop(Generic[Job]):
    """A queue and how patiently its worker sends: the settings every queue shares."""

    queue: DeliveryQueue[Job]
    lease: timedelta
    batch_size: int
    retry: RetrySettings

    def run_once(self, sessions: sessionmaker[Session], *, now: Callable[[], datetime], worker: str,
                 stop: Callable[[], bool] = lambda: False) -> DeliveryReport:
        """One round: each due row (up to `batch_size`) claimed, sent and recorded in turn;
        `stop()` true ends the round before the next row."""
        report = DeliveryReport()
        with sessions() as session:
            candidates = self.queue.due(session, now=now(), limit=self.batch_size)
        for row_id in candidates:
            if stop():
                break
            claimed, job = self._claim(sessions, row_id, now(), worker)
            if not claimed:
                continue  # another worker has it, or it is no longer due
            if job is None:
                self._release(sessions, row_id, worker)
                continue
            outcome = self._send_holding_lease(sessions, row_id, job, now, worker)
            self._record(sessions, row_id, outcome, now(), worker, report)
        return report

    def _send_holding_lease(self, sessions: sessionmaker[Session], row_id: int, job: Job,
                            now: Callable[[], datetime], worker: str) -> Outcome:
        """Send `job`, renewing the row's lease every third of a lease until the send returns."""
        sent = threading.Event()
        interval = self.lease.total_seconds() / 3

        def renew() -> None:
            while not sent.wait(interval):
                try:
                    with sessions.begin() as session:
                        if not leases.renew(session, self.queue.model, row_id, worker=worker, now=now(),
                                            lease=self.lease):
                            return  # no longer ours: _record will see it
                except SQLAlchemyError as error:  # the database is down: try again next time
                    log.warning("could not renew the lease on %s %s: %s", self.queue.noun, row_id, error)

        renewer = threading.Thread(target=renew, name=f"lease-{self.queue.noun}-{row_id}", daemon=True)
        renewer.start()
        try:
            return self.queue.send(job)
        finally:
            sent.set()
            renewer.join()

    def _claim(self, sessions: sessionmaker[Session], row_id: int, at: datetime, worker: str) -> tuple[bool, Job | None]:
        with sessions.begin() as session:
            if not leases.claim(session, self.queue.model, row_id, worker=worker, now=at, lease=self.lease,
                                also=self.queue.claimable()):
                return False, None
            row = session.get(self.queue.model, row_id)
            return row is not None, self.queue.job(session, row) if row is not None else None

    def _release(self, sessions: sessionmaker[Session], row_id: int, worker: str) -> None:
        with sessions.begin() as session:
            row = session.get(self.queue.model, row_id)
            if row is not None and leases.still_ours(row, worker):
                leases.release(row)

    def _record(self, sessions: sessionmaker[Session], row_id: int, outcome: Outcome, at: datetime, worker: str,
                report: DeliveryReport) -> None:
        with sessions.begin() as session:
            row = session.get(self.queue.model, row_id)
            if row is None:
                return  # deleted with its lead while we were sending
            if not leases.still_ours(row, worker):
                # Our lease ran out and another worker took the row: its outcome counts.
                report.lost_lease += 1
                log.warning("lease on %s %s expired while sending; leaving it to its new holder",
                            self.queue.noun, row.id)
                return
            queue = self.queue.model.__tablename__
            if outcome.delivered:
                self.queue.mark_delivered(row, now=at)
                report.delivered += 1
                observe_delivery(queue, "delivered", queued_at=row.created_at, at=at)
                return
            retry = self.retry
            leases.record_failure(row, now=at, error=outcome.error, max_attempts=retry.max_attempts,
                                  base_delay=retry.base, max_delay=retry.max, jitter=retry.jitter,
                                  retry_after=outcome.retry_after, permanent=not outcome.retryable)
            if row.status == "dead":
                report.dead += 1
                report.errors.append(self.queue.dead_letter(row, outcome.error))
            else:
                report.retrying += 1
            observe_delivery(queue, "dead" if row.status == "dead" else "retrying")
