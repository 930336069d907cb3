"""The sync worker: the outbox as a delivery queue (`bot/delivery.py`) sent to a CRM target.

Nothing is lost: an event leaves `pending` only when the CRM accepted it (`delivered`) or
refused it for good (`dead`, with the CRM's message, retryable by hand). Each event is
claimed just before it is sent; a worker that dies mid-send leaves a lease that expires,
and the event is sent again with the same `event_id`. Events of one lead go out in order:
an event is claimed only once every earlier event of its lead is delivered.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import DeliveryReport, LeaseLoop
from bot.formats import iso_utc
from bot.outbound import Outcome
from bot.service import run_until_stopped
from bot.store.export import lead_to_export
from bot.store.leases import worker_id
from bot.store.outbox import due_events, in_order, mark_delivered
from bot.store.schema import Lead, OutboxEvent
from crm_sync import connection
from crm_sync.links import LinkBook
from crm_sync.settings import CrmSettings
from crm_sync.sync_state import agree, agreed, lead_values, unchanged

if TYPE_CHECKING:
    from crm_sync.read_back import PollReport


class Target(Protocol):
    name: str

    def deliver(self, event: dict[str, Any], links: LinkBook) -> Outcome:
        """Send one event; `links` keeps the ids the CRM gave this lead's objects."""
        ...


def make_target(settings: CrmSettings) -> Target | None:
    """The configured CRM, or None for `provider: none` (events stay queued)."""
    if settings.provider == "webhook":
        from crm_sync.webhook import WebhookTarget

        return WebhookTarget(settings)
    if settings.provider == "hubspot":
        from crm_sync.hubspot import HubSpotTarget

        return HubSpotTarget(settings)
    if settings.provider == "pipedrive":
        from crm_sync.pipedrive import PipedriveTarget

        return PipedriveTarget(settings)
    if settings.provider == "salesforce":
        from crm_sync.salesforce import SalesforceTarget

        return SalesforceTarget(settings)
    return None


class OutboxQueue:
    """The outbox for `bot.delivery.LeaseLoop`: due events, each sent with the lead as it is now.

    Two-way sync (docs/crm.md "Read-back"): an event written when a change read back from
    this CRM was applied (`payload.origin`) is not sent back to it; a lead's synced fields
    that the CRM already holds (`crm_sync/sync_state.py`) are listed in `unchanged`, and
    the target leaves them out, so an event never overwrites a rep's newer change there;
    and what the CRM accepted is recorded as agreed the moment it answers.
    """

    model = OutboxEvent
    noun = "event"

    def __init__(self, target: Target, links: LinkBook, sessions: sessionmaker[Session] | None = None,
                 now: Callable[[], datetime] | None = None) -> None:
        self.target = target
        self.links = links
        self.sessions, self.now = sessions, now

    def due(self, session: Session, *, now: datetime, limit: int) -> list[int]:
        return [e.id for e in due_events(session, now=now, limit=limit)]

    def claimable(self) -> ColumnElement[bool]:
        return in_order()

    def job(self, session: Session, event: OutboxEvent) -> dict[str, Any]:
        """What the CRM receives: the event, and the lead as it is now (newest answers)."""
        lead = session.get(Lead, event.aggregate_id) if event.aggregate_type == "lead" else None
        exported = lead_to_export(lead) if lead is not None and event.event_type != "lead.deleted" else None
        document = {
            "event_id": event.event_id,
            "event_type": event.event_type,
            "occurred_at": iso_utc(event.created_at),
            "lead_id": event.aggregate_id,
            "lead": exported,
            "payload": event.payload,
            "transcript": list(lead.transcript or []) if lead is not None else [],
        }
        if exported is not None and _reads_back(self.target):
            document["unchanged"] = unchanged(agreed(session, self.target.name, lead.id), lead_values(exported))
        return document

    def send(self, document: dict[str, Any]) -> Outcome:
        if (document.get("payload") or {}).get("origin") == self.target.name:
            return Outcome(True)  # read back from this CRM: it has it already
        if self.refused:
            return Outcome(False, retryable=True, error="not sent: the CRM refused our credentials")
        outcome = self.target.deliver(document, self.links)
        if not outcome.delivered and self._refused(outcome):
            return Outcome(False, retryable=True, error=f"waiting for new CRM credentials: {outcome.error}")
        if outcome.delivered and document.get("lead") and _reads_back(self.target) and self.sessions is not None:
            # Fields left out as unchanged keep the time of their agreement: a rep may have changed them since.
            written = [f for f in self.target.writes(document) if f not in (document.get("unchanged") or ())]
            if written:
                values = lead_values(document["lead"])
                at = self.now() if self.now else datetime.now(timezone.utc)
                with self.sessions.begin() as session:
                    if session.get(Lead, document["lead_id"]) is not None:
                        agree(session, self.target.name, document["lead_id"], {f: values[f] for f in written}, at)
        return outcome

    refused = False

    def _refused(self, outcome: Outcome) -> bool:
        """A 401 (or a grant the token endpoint refused) is about the credentials, not this
        event: the connection is marked refused, the event waits, the round stops."""
        if self.sessions is None or not hasattr(self.target, "credential_sha256"):
            return False
        now = self.now or (lambda: datetime.now(timezone.utc))
        if outcome.status == 401:
            connection.refuse(self.sessions, self.target.name, outcome.error, self.target.credential_sha256(), now=now)
        self.refused = connection.refusal(self.sessions, self.target.name, self.target.credential_sha256(),
                                          now=now) is not None
        return self.refused

    def mark_delivered(self, event: OutboxEvent, *, now: datetime) -> None:
        mark_delivered(event, now=now)

    def dead_letter(self, event: OutboxEvent, error: str) -> str:
        return f"event {event.id} ({event.event_type}, lead {event.aggregate_id}) is dead: {error}"


def _reads_back(target: Target) -> bool:
    return hasattr(target, "writes")


def lease_loop(target: Target, settings: CrmSettings, now: Callable[[], datetime],
               sessions: sessionmaker[Session]) -> LeaseLoop[dict[str, Any]]:
    return LeaseLoop(OutboxQueue(target, LinkBook(sessions, target.name, now), sessions, now),
                     lease=timedelta(seconds=settings.lease_seconds), batch_size=settings.batch_size,
                     retry=settings.retry)


def connected(sessions: sessionmaker[Session], target: Target, now: Callable[[], datetime]) -> str | None:
    """Hand the store to a target that keeps tokens in it; the alert if the CRM refused our
    credentials (then nothing is sent or read until a new credential clears it)."""
    if hasattr(target, "bind"):
        target.bind(sessions, now)
    if not hasattr(target, "credential_sha256"):
        return None
    return connection.refusal(sessions, target.name, target.credential_sha256(), now=now)


def run_once(sessions: sessionmaker[Session], target: Target, settings: CrmSettings, *,
             now: Callable[[], datetime], worker: str | None = None,
             stop: Callable[[], bool] = lambda: False) -> DeliveryReport:
    """One round: up to `batch_size` due events, each claimed, delivered and recorded; none
    while the CRM refuses our credentials (the report carries the alert)."""
    alert = connected(sessions, target, now)
    if alert:
        return DeliveryReport(errors=[alert])
    loop = lease_loop(target, settings, now, sessions)
    queue = loop.queue
    return loop.run_once(sessions, now=now, worker=worker or worker_id(),
                         stop=lambda: stop() or bool(getattr(queue, "refused", False)))


def read_back_once(sessions: sessionmaker[Session], target: Target, settings: CrmSettings, *,
                   now: Callable[[], datetime]) -> PollReport | None:
    """One poll of the CRM's change feeds (read-back's safety net); None when the CRM has none."""
    from crm_sync.read_back import make_reader, poll_once, vocabulary

    vocab = vocabulary(settings) if settings.read_back.enabled and _reads_back(target) else None
    if vocab is None or connected(sessions, target, now):
        return None
    reader = make_reader(settings, vocab, target)
    report = poll_once(sessions, reader, vocab, now=now, max_pages=settings.read_back.max_pages)
    if report.failure is not None and report.failure.status == 401:
        connection.refuse(sessions, target.name, report.failure.error, target.credential_sha256(), now=now)
    return report


def follow(sessions: sessionmaker[Session], target: Target, settings: CrmSettings, *,
           now: Callable[[], datetime], worker: str | None = None,
           on_round: Callable[[DeliveryReport], None] | None = None,
           on_poll: Callable[[PollReport], None] | None = None) -> None:
    """Run rounds until SIGTERM/SIGINT (`bot.service`); pause `poll_seconds` when idle; read
    the CRM's changes back every `read_back.poll_seconds`."""
    worker = worker or worker_id()
    next_poll = time.monotonic()

    def one_round(stopping: Callable[[], bool]) -> DeliveryReport:
        nonlocal next_poll
        if time.monotonic() >= next_poll:  # read back first: a rep's newer change wins before ours go out
            next_poll = time.monotonic() + settings.read_back.poll_seconds
            polled = read_back_once(sessions, target, settings, now=now)
            if polled is not None and on_poll:
                on_poll(polled)
        return run_once(sessions, target, settings, now=now, worker=worker, stop=stopping)

    run_until_stopped(one_round, poll_seconds=settings.poll_seconds, on_round=on_round)
