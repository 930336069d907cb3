"""What the dashboard's pages read, as few and as cheap queries as possible.

At 100k leads every page must answer in under 300 ms (bench/dashboard.py), so: the inbox
is a page of one indexed query (status, score) with no total count; the board's counts and
values come from one GROUP BY (`pipeline_summary`) and its cards from one indexed query
per stage; the lead page reads one lead by id.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from urllib.parse import urlencode

from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlalchemy.orm import Session, selectinload

from bot.formats import iso_utc, money
from bot.store.errors import LeadNotFound
from bot.store.pipeline import LEAD_STATUSES, PipelineSettings
from bot.store.repository import StageSummary, get_lead, pipeline_summary
from bot.store.schema import CrmChange, CrmLink, Deal, Lead, OutboxEvent, Rep
from web.viewer import Viewer

INBOX_STATUSES = LEAD_STATUSES
NOBODY = "none"  # the owner filter's value for leads nobody owns yet
MAX_SEARCH_CHARS = 200


@dataclass(frozen=True)
class LeadSearch:
    """The inbox's and board's filters: words in the lead's name, company or e-mail (each word
    somewhere, any case), an owner (a rep's id, or NOBODY) and the conversation's language
    (bot/language's code)."""

    text: str = ""
    owner: int | str | None = None
    language: str | None = None

    def condition(self) -> ColumnElement[bool]:
        terms = [or_(Lead.name.icontains(w, autoescape=True), Lead.company.icontains(w, autoescape=True),
                     Lead.email.icontains(w, autoescape=True)) for w in self.text.split()]
        if self.owner == NOBODY:
            terms.append(Lead.owner_rep_id.is_(None))
        elif self.owner is not None:
            terms.append(Lead.owner_rep_id == self.owner)
        if self.language is not None:
            terms.append(Lead.language == self.language)
        return and_(*terms) if terms else true()

    @property
    def active(self) -> bool:
        return bool(self.text.strip()) or self.owner is not None or self.language is not None

    def query(self) -> str:
        """The filters as query-string pairs ("&q=...&owner=...&language=..."), for links that keep them."""
        pairs = {k: v for k, v in (("q", self.text), ("owner", self.owner), ("language", self.language))
                 if v not in (None, "")}
        return "&" + urlencode(pairs) if pairs else ""


@dataclass(frozen=True)
class InboxRow:
    lead_id: int
    name: str | None
    company: str | None
    email: str | None
    status: str
    score: int
    grade: str
    stage: str
    value: float | None
    currency: str | None
    created_at: datetime
    owner: str | None
    assignment_rule: str | None
    human_requested: bool
    language: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"lead_id": self.lead_id, "name": self.name, "company": self.company, "email": self.email,
                "status": self.status, "score": self.score, "grade": self.grade, "stage": self.stage,
                "value": money(self.value), "currency": self.currency, "created_at": iso_utc(self.created_at),
                "owner": self.owner, "assignment_rule": self.assignment_rule,
                "human_requested": self.human_requested, "language": self.language}


@dataclass(frozen=True)
class InboxPage:
    status: str
    only_new: bool
    page: int
    rows: list[InboxRow]
    has_next: bool
    search: LeadSearch = LeadSearch()


def inbox(session: Session, viewer: Viewer, pipeline: PipelineSettings, *, status: str = "qualified",
          only_new: bool = True, page: int = 1, size: int = 50, search: LeadSearch = LeadSearch()) -> InboxPage:
    """Open leads of one status, best score first (newest first among equals).

    `only_new`: only deals still in the stage the bot put them in (no rep has moved them
    yet): the leads waiting for someone to act.
    """
    if status not in INBOX_STATUSES:
        status = "qualified"
    page = max(page, 1)
    query = (
        select(Lead.id, Lead.name, Lead.company, Lead.email, Lead.status, Lead.score, Lead.grade, Deal.stage,
               Deal.value, Deal.currency, Lead.created_at, Rep.name, Lead.assignment_rule, Lead.human_requested,
               Lead.language)
        .join(Deal, (Deal.lead_id == Lead.id) & Deal.closed_at.is_(None))
        .outerjoin(Rep, Rep.id == Lead.owner_rep_id)
        .where(Lead.status == status, viewer.lead_filter(), search.condition())
        .order_by(Lead.score.desc(), Lead.id.desc())
        .offset((page - 1) * size).limit(size + 1)
    )
    if only_new:
        query = query.where(Deal.stage == pipeline.entry_stage_for(status))
    rows = [InboxRow(*r) for r in session.execute(query)]
    return InboxPage(status, only_new, page, rows[:size], len(rows) > size, search)


@dataclass(frozen=True)
class Card:
    deal_id: int
    lead_id: int
    name: str | None
    company: str | None
    score: int
    value: float | None
    currency: str | None
    updated_at: datetime


@dataclass(frozen=True)
class Column:
    summary: StageSummary
    cards: list[Card]

    @property
    def more(self) -> int:
        return max(self.summary.count - len(self.cards), 0)


FEW_MATCHES = 500  # a board search with at most this many deals reads its leads' ids first


def board(session: Session, viewer: Viewer, pipeline: PipelineSettings, *, cards_per_stage: int,
          search: LeadSearch = LeadSearch()) -> list[Column]:
    """One column per stage: count and value of all its deals (that the search lets through),
    and its most recently changed cards."""
    owner = None if viewer.is_manager else (viewer.rep_id if viewer.rep_id is not None else -1)
    columns = []
    leads = search.condition() if search.active else None
    summaries = pipeline_summary(session, pipeline, owner_rep_id=owner, leads=leads)
    matching = search.condition()
    if leads is not None and 0 < sum(s.count for s in summaries) <= FEW_MATCHES:
        # Few matches: the matching leads read once, each column's cards by their ids. Else each
        # column walks its deals newest first and tests each one's lead, which for a rare word
        # read every lead once per column (bench/README.md).
        matching = Deal.lead_id.in_(list(session.scalars(select(Lead.id).where(leads))))
    for summary in summaries:
        cards: list[Card] = []
        if summary.count:
            query = (
                select(Deal.id, Lead.id, Lead.name, Lead.company, Lead.score, Deal.value, Deal.currency,
                       Deal.updated_at)
                .join(Lead, Lead.id == Deal.lead_id)
                .where(Deal.stage == summary.stage, Deal.merged_into_id.is_(None), viewer.lead_filter(),
                       matching)
                .order_by(Deal.updated_at.desc()).limit(cards_per_stage)
            )
            cards = [Card(*row) for row in session.execute(query)]
        columns.append(Column(summary, cards))
    return columns


@dataclass(frozen=True)
class SyncStatus:
    """Where the lead's changes are on their way to the CRM."""

    events: list[OutboxEvent]
    links: list[CrmLink]
    read_back: list[CrmChange] = field(default_factory=list)  # what the CRM changed, newest first

    @property
    def conflicts(self) -> list[CrmChange]:
        return [c for c in self.read_back if c.outcome.startswith("conflict")]

    @property
    def pending(self) -> int:
        return sum(1 for e in self.events if e.status == "pending")

    @property
    def dead(self) -> int:
        return sum(1 for e in self.events if e.status == "dead")

    def to_dict(self) -> dict[str, Any]:
        return {
            "pending": self.pending, "dead": self.dead,
            "events": [{"event_id": e.event_id, "event_type": e.event_type, "status": e.status,
                        "attempts": e.attempts, "created_at": iso_utc(e.created_at),
                        "delivered_at": iso_utc(e.delivered_at), "last_error": e.last_error}
                       for e in self.events],
            "links": [{"crm": link.crm, "object_type": link.object_type, "external_id": link.external_id}
                      for link in self.links],
        }


def visible_lead(session: Session, viewer: Viewer, lead_id: int) -> Lead:
    """The lead if this viewer may see it; `LeadNotFound` otherwise (the same answer either way)."""
    lead = get_lead(session, lead_id)
    if not viewer.can_see(lead):
        raise LeadNotFound(f"no lead with id {lead_id}")
    return lead


def sync_status(session: Session, lead_id: int, limit: int = 30) -> SyncStatus:
    events = list(session.scalars(
        select(OutboxEvent).where(OutboxEvent.aggregate_type == "lead", OutboxEvent.aggregate_id == lead_id)
        .order_by(OutboxEvent.id.desc()).limit(limit)))
    links = list(session.scalars(select(CrmLink).where(CrmLink.lead_id == lead_id).order_by(CrmLink.id)))
    read_back = list(session.scalars(select(CrmChange).where(CrmChange.lead_id == lead_id)
                                     .order_by(CrmChange.id.desc()).limit(limit)))
    return SyncStatus(events, links, read_back)


def active_reps(session: Session) -> list[Rep]:
    return list(session.scalars(select(Rep).where(Rep.active.is_(True)).options(selectinload(Rep.team))
                                .order_by(Rep.name)))
