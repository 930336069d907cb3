"""Read-back, put together: the configured CRM's reader, one poll of its change feeds, and
one webhook request, each applied to the store by `crm_sync/reconcile.py`.

Polling is the safety net under webhooks (and all there is for Salesforce): every stream
is read from its cursor (`crm_sync/cursors.py`), page by page, each page applied in one
transaction with the cursor that follows it. A first poll starts a little before our
first object in that CRM: nothing of ours changed there earlier.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.outbound import Outcome
from bot.store.pipeline import PipelineSettings, load_pipeline_settings
from crm_sync import cursors
from crm_sync.readback import Change, Reader
from crm_sync.readback.vocabulary import Vocabulary
from crm_sync.reconcile import ReadBackReport, apply_changes
from crm_sync.settings import CrmSettings

LABELS = {"hubspot": "HubSpot", "pipedrive": "Pipedrive", "salesforce": "Salesforce"}
FIRST_POLL_MARGIN = timedelta(minutes=5)  # clocks differ: start a little before our first object


def vocabulary(settings: CrmSettings, pipeline: PipelineSettings | None = None) -> Vocabulary | None:
    """The configured CRM's values in leadbot's terms; None for a CRM without read-back."""
    if settings.provider not in LABELS:
        return None
    pipeline = pipeline or load_pipeline_settings()
    pipeline.lost_reason(settings.read_back.unknown_lost_reason)  # a typo fails at start-up
    cfg = getattr(settings, settings.provider)
    stages = cfg.statuses if settings.provider == "salesforce" else cfg.stages
    return Vocabulary(settings.provider, LABELS[settings.provider], stages, cfg.owners, pipeline,
                      settings.read_back.unknown_lost_reason)


def make_reader(settings: CrmSettings, vocab: Vocabulary, target: Any = None) -> Reader:
    """The reader of the configured CRM. Without `target` it reads webhooks only (the
    dashboard needs no CRM token); with it, it polls through the target's session."""
    if settings.provider == "hubspot":
        from crm_sync.readback.hubspot import HubSpotReader

        cfg = settings.hubspot
        return HubSpotReader(vocab, cfg.lead_id_property, secret=cfg.client_secret(), webhook_url=cfg.webhook_url,
                             call=target._call if target else None)
    if settings.provider == "pipedrive":
        from crm_sync.readback.pipedrive import PipedriveReader

        p = settings.pipedrive
        return PipedriveReader(vocab, p.lead_id_field, credentials=p.webhook_credentials(),
                               call=(lambda m, path, body: target._call(m, path, body)) if target else None)
    from crm_sync.readback.salesforce import SalesforceReader

    sf = settings.salesforce
    return SalesforceReader(vocab, sf.external_id_field, sf.task_external_id_field,
                            f"/services/data/{sf.api_version}", lost_reason_field=sf.lost_reason_field,
                            call=(lambda m, path, body: target._call(m, target.instance_url() + path, body))
                            if target else None)


@dataclass
class PollReport:
    read: int = 0
    pages: int = 0
    changes: ReadBackReport = field(default_factory=ReadBackReport)
    failure: Outcome | None = None  # the CRM call that stopped this poll

    @property
    def handled(self) -> int:
        return self.changes.applied


def poll_once(sessions: sessionmaker[Session], reader: Reader, vocab: Vocabulary, *, now: Callable[[], datetime],
              max_pages: int = 20) -> PollReport:
    """Read every stream from its cursor, up to `max_pages` pages each."""
    report = PollReport()
    for stream in reader.streams:
        with sessions() as session:
            start = cursors.position(session, reader.crm, stream)
            first = cursors.first_link_at(session, reader.crm) if start is None else None
        if start is None:
            if first is None:
                continue  # nothing of ours in this CRM yet
            start = reader.initial_position(first - FIRST_POLL_MARGIN)
        after = None
        for _ in range(max_pages):
            page = reader.poll(stream, start, after)
            if not page.outcome.delivered:
                report.failure = page.outcome
                return report
            report.pages += 1
            report.read += len(page.changes)
            with sessions.begin() as session:
                report.changes.add(apply_changes(session, page.changes, vocab, now=now()))
                if page.position:
                    cursors.advance(session, reader.crm, stream, page.position, now=now())
            if not page.more:
                break
            after = page.after
            if after is None and page.position:  # a feed without paging tokens: read on from the newest seen
                start = page.position
    return report


def receive(sessions: sessionmaker[Session], changes: list[Change], vocab: Vocabulary, *,
            now: Callable[[], datetime]) -> ReadBackReport:
    """A verified webhook's changes, applied in one transaction."""
    with sessions.begin() as session:
        return apply_changes(session, changes, vocab, now=now())
