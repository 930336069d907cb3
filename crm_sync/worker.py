"""The sync worker: the outbox as a delivery queue (`bot/delivery.py`) sent to a CRM target.

Nothing is lost: an event leaves `pending` only when the CRM accepted it (`delivered`) or
refused it for good (`dead`, with the CRM's message, retryable by hand). Each event is
claimed just before it is sent; a worker that dies mid-send leaves a lease that expires,
and the event is sent again with the same `event_id`. Events of one lead go out in order:
an event is claimed only once every earlier event of its lead is delivered.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import DeliveryReport, LeaseLoop
from bot.export import iso_utc, lead_to_export
from bot.outbound import Outcome
from bot.service import run_until_stopped
from bot.store.leases import worker_id
from bot.store.outbox import due_events, in_order, mark_delivered
from bot.store.schema import Lead, OutboxEvent
from crm_sync.links import LinkBook
from crm_sync.settings import CrmSettings


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
    """The outbox for `bot.delivery.LeaseLoop`: due events, each sent with the lead as it is now."""

    model = OutboxEvent
    noun = "event"

    def __init__(self, target: Target, links: LinkBook) -> None:
        self.target = target
        self.links = links

    def due(self, session: Session, *, now: datetime, limit: int) -> list[int]:
        return [e.id for e in due_events(session, now=now, limit=limit)]

    def claimable(self) -> ColumnElement[bool]:
        return in_order()

    def job(self, session: Session, event: OutboxEvent) -> dict[str, Any]:
        """What the CRM receives: the event, and the lead as it is now (newest answers)."""
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

    def send(self, document: dict[str, Any]) -> Outcome:
        return self.target.deliver(document, self.links)

    def mark_delivered(self, event: OutboxEvent, *, now: datetime) -> None:
        mark_delivered(event, now=now)

    def dead_letter(self, event: OutboxEvent, error: str) -> str:
        return f"event {event.id} ({event.event_type}, lead {event.aggregate_id}) is dead: {error}"


def lease_loop(target: Target, settings: CrmSettings, now: Callable[[], datetime],
               sessions: sessionmaker[Session]) -> LeaseLoop[dict[str, Any]]:
    return LeaseLoop(OutboxQueue(target, LinkBook(sessions, target.name, now)),
                     lease=timedelta(seconds=settings.lease_seconds), batch_size=settings.batch_size,
                     retry=settings.retry)


def run_once(sessions: sessionmaker[Session], target: Target, settings: CrmSettings, *,
             now: Callable[[], datetime], worker: str | None = None,
             stop: Callable[[], bool] = lambda: False) -> DeliveryReport:
    """One round: up to `batch_size` due events, each claimed, delivered and recorded."""
    return lease_loop(target, settings, now, sessions).run_once(sessions, now=now, worker=worker or worker_id(),
                                                                  stop=stop)


def follow(sessions: sessionmaker[Session], target: Target, settings: CrmSettings, *,
           now: Callable[[], datetime], worker: str | None = None,
           on_round: Callable[[DeliveryReport], None] | None = None) -> None:
    """Run rounds until SIGTERM/SIGINT (`bot.service`); pause `poll_seconds` when idle."""
    loop, worker = lease_loop(target, settings, now, sessions), worker or worker_id()
    run_until_stopped(lambda stopping: loop.run_once(sessions, now=now, worker=worker, stop=stopping),
                      poll_seconds=settings.poll_seconds, on_round=on_round)
