"""The sync worker: claim due outbox events, deliver them, record what happened.

Nothing is lost: an event leaves `pending` only when the CRM accepted it (`delivered`) or
refused it for good (`dead`, with the CRM's message, retryable by hand). A worker that
dies mid-send leaves a lease that expires, and the event is sent again with the same
`event_id`. Events of one lead go out in order: only the oldest pending one is ever due.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.export import iso_utc, lead_to_export
from bot.outbound import Outcome
from bot.service import run_until_stopped
from bot.store.leases import worker_id
from bot.store.outbox import claim, due_events, holds_claim, mark_delivered, mark_failed
from bot.store.schema import Lead, OutboxEvent
from crm_sync.links import LinkBook
from crm_sync.settings import CrmSettings

log = logging.getLogger(__name__)


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


@dataclass
class SyncReport:
    delivered: int = 0
    retrying: int = 0
    dead: int = 0
    lost_lease: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.delivered + self.retrying + self.dead + self.lost_lease


def run_once(sessions: sessionmaker[Session], target: Target, settings: CrmSettings, *,
             now: Callable[[], datetime], worker: str | None = None) -> SyncReport:
    """One round: claim up to `batch_size` due events and deliver each."""
    worker = worker or worker_id()
    report = SyncReport()
    links = LinkBook(sessions, target.name, now)
    for event_id in _claim_batch(sessions, settings, now(), worker):
        document = _document(sessions, event_id)
        if document is None:
            continue  # deleted with its lead since we claimed it
        outcome = target.deliver(document, links)
        _record(sessions, event_id, outcome, settings, now(), worker, report)
    return report


def follow(sessions: sessionmaker[Session], target: Target, settings: CrmSettings, *,
           now: Callable[[], datetime], worker: str | None = None,
           on_round: Callable[[SyncReport], None] | None = None) -> None:
    """Run rounds until SIGTERM/SIGINT (`bot.service`); pause `poll_seconds` when idle."""
    run_until_stopped(lambda: run_once(sessions, target, settings, now=now, worker=worker),
                      poll_seconds=settings.poll_seconds, on_round=on_round)


def _claim_batch(sessions: sessionmaker[Session], settings: CrmSettings, at: datetime, worker: str) -> list[int]:
    lease = timedelta(seconds=settings.lease_seconds)
    with sessions.begin() as session:
        candidates = [e.id for e in due_events(session, now=at, limit=settings.batch_size)]
        return [i for i in candidates if claim(session, i, worker=worker, now=at, lease=lease)]


def _document(sessions: sessionmaker[Session], event_id: int) -> dict[str, Any] | None:
    """What the CRM receives: the event, and the lead as it is now (newest answers)."""
    with sessions() as session:
        event = session.get(OutboxEvent, event_id)
        if event is None:
            return None
        lead = session.get(Lead, event.aggregate_id) if event.aggregate_type == "lead" else None
        return {
            "event_id": event.event_id,
            "event_type": event.event_type,
            "occurred_at": iso_utc(event.created_at),
            "lead_id": event.aggregate_id,
            "lead": lead_to_export(lead) if lead is not None and event.event_type != "lead.deleted" else None,
            "payload": event.payload,
            "transcript": list(lead.transcript or []) if lead is not None else [],
        }


def _record(sessions: sessionmaker[Session], event_id: int, outcome: Outcome, settings: CrmSettings,
            at: datetime, worker: str, report: SyncReport) -> None:
    with sessions.begin() as session:
        event = session.get(OutboxEvent, event_id)
        if event is None:
            return
        if not holds_claim(event, worker, now=at):
            # Our lease ran out and another worker may be sending it: its outcome counts.
            report.lost_lease += 1
            log.warning("lease on event %s expired while sending; leaving it to its new holder", event.event_id)
            return
        if outcome.delivered:
            mark_delivered(event, now=at)
            report.delivered += 1
            return
        retry = settings.retry
        mark_failed(event, now=at, error=outcome.error, max_attempts=retry.max_attempts,
                    retry_after=outcome.retry_after, permanent=not outcome.retryable,
                    base_delay=retry.base, max_delay=retry.max, jitter=retry.jitter)
        if event.status == "dead":
            report.dead += 1
            report.errors.append(f"event {event.id} ({event.event_type}, lead {event.aggregate_id}) is dead: {outcome.error}")
        else:
            report.retrying += 1
