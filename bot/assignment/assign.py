"""Give a lead its owner, in the transaction that stored it, and tell everyone who must know.

Applying a choice sets the owner with the rule and the reason on the lead (and the deal's
owner), moves the rep to the back of the round robin, writes a `lead.assigned` outbox
event for the CRM and queues the lead card for the rep (`bot.notify`). All of it commits
with the lead or not at all, so a lead is never owned without its rep being told.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.assignment.engine import UNASSIGNED, Choice, choose_owner
from bot.assignment.facts import lead_facts
from bot.assignment.settings import AssignmentSettings, load_assignment_settings
from bot.formats import iso_utc
from bot.notify.enqueue import enqueue_lead_card
from bot.scoring import ScoringSettings, load_scoring_settings
from bot.store.errors import InvalidRep
from bot.store.repository import add_event, get_lead
from bot.store.schema import Lead, Notification, Rep

MANUAL = "manual"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AssignmentResult:
    lead_id: int
    rep_id: int | None
    rep_name: str | None
    rule: str
    reason: str
    notifications: int  # lead cards queued


def due_reason(lead: Lead, settings: AssignmentSettings) -> str | None:
    """Why this lead should have an owner ("human_requested", "qualified"), or None."""
    if lead.human_requested and settings.assign.human_requested:
        return "human_requested"
    if lead.status == "qualified" and settings.assign.qualified:
        return "qualified"
    return None


def assign_if_due(session: Session, lead_id: int, *, now: datetime, settings: AssignmentSettings | None = None,
                  scoring: ScoringSettings | None = None) -> AssignmentResult | None:
    """Assign the lead if it is due and has no owner; tell its owner when the visitor now
    asks for a person. Safe to call after every save: it does nothing twice."""
    settings = settings or load_assignment_settings()
    lead = session.get(Lead, lead_id)
    if lead is None:
        return None
    reason = due_reason(lead, settings)
    if reason is None:
        return None
    if lead.owner_rep_id is not None:
        if reason == "human_requested" and not _told(session, lead, "human_requested"):
            queued = enqueue_lead_card(session, lead, lead.owner, reason=reason, now=now)
            return AssignmentResult(lead.id, lead.owner_rep_id, lead.owner.name if lead.owner else None,
                                    lead.assignment_rule or "", lead.assignment_reason or "", len(queued))
        return None
    facts = lead_facts(lead, reason, settings, scoring or load_scoring_settings())
    choice = choose_owner(session, lead, facts, settings, now=now)
    return _apply(session, lead, choice, reason=reason, now=now)


def assign_to(session: Session, lead_ref: int | str, rep: Rep, *, now: datetime, by: str) -> AssignmentResult:
    """A person's decision: this rep owns the lead (`leadbot leads assign --rep`)."""
    if not rep.active:
        raise InvalidRep(f"{rep.name} is inactive; `leadbot reps activate {rep.email}` first")
    lead = get_lead(session, lead_ref)
    if lead.owner_rep_id == rep.id:
        raise InvalidRep(f"lead {lead.id} is already owned by {rep.name}")
    reason = "reassigned" if lead.owner_rep_id is not None else (due_reason(lead, load_assignment_settings()) or "assigned")
    return _apply(session, lead, Choice(rep, MANUAL, f"Assigned by {by}."), reason=reason, now=now)


def reassign_by_rules(session: Session, lead_ref: int | str, *, now: datetime,
                      settings: AssignmentSettings | None = None) -> AssignmentResult:
    """Run the rules again for one lead, leaving out its current owner."""
    settings = settings or load_assignment_settings()
    lead = get_lead(session, lead_ref)
    reason = due_reason(lead, settings) or "qualified"
    facts = lead_facts(lead, reason, settings, load_scoring_settings())
    choice = choose_owner(session, lead, facts, settings, now=now, exclude_rep_id=lead.owner_rep_id)
    if choice.rep is None and lead.owner_rep_id is not None:
        raise InvalidRep(f"no other rep is available for lead {lead.id}: {choice.reason}")
    return _apply(session, lead, choice, reason="reassigned" if lead.owner_rep_id else reason, now=now)


def assign_waiting(session: Session, *, now: datetime, settings: AssignmentSettings | None = None) -> list[AssignmentResult]:
    """Every due lead that still has no owner (nobody was available, or rules changed)."""
    settings = settings or load_assignment_settings()
    due = []
    if settings.assign.qualified:
        due.append(Lead.status == "qualified")
    if settings.assign.human_requested:
        due.append(Lead.human_requested.is_(True))
    if not due:
        return []
    query = select(Lead.id).where(Lead.owner_rep_id.is_(None), or_(*due)).order_by(Lead.id)
    results = []
    for lead_id in session.scalars(query).all():
        result = assign_if_due(session, lead_id, now=now, settings=settings)
        if result is not None:
            results.append(result)
    return results


def _apply(session: Session, lead: Lead, choice: Choice, *, reason: str, now: datetime) -> AssignmentResult:
    first_time_unassigned = lead.assignment_rule != UNASSIGNED
    lead.assignment_rule, lead.assignment_reason = choice.rule, choice.reason
    rep = choice.rep
    if rep is None:
        lead.owner_rep_id, lead.assigned_at = None, None
        session.flush()
        # Somebody must hear of a lead nobody could take, once (not at every later update).
        queued = enqueue_lead_card(session, lead, None, reason=reason, now=now) if first_time_unassigned else []
        if first_time_unassigned and not queued:
            log.warning("lead %s has no owner and no fallback recipients are configured "
                        "(settings/notifications.yml fallback): %s", lead.id, choice.reason)
        return AssignmentResult(lead.id, None, None, choice.rule, choice.reason, len(queued))
    lead.owner_rep_id, lead.owner, lead.assigned_at = rep.id, rep, now
    lead.updated_at = now
    rep.last_assigned_at = _turn_stamp(session, now)
    deal = lead.current_deal()
    if deal is not None and deal.closed_at is None:
        deal.owner = rep.email
    session.flush()
    add_event(session, "lead.assigned", lead.id, {
        "lead_id": lead.id, "rep_id": rep.id, "rep_email": rep.email, "rep_name": rep.name,
        "team": rep.team.name if rep.team else None, "rule": choice.rule, "reason": choice.reason,
        "assigned_at": iso_utc(now),
    }, now)
    queued = enqueue_lead_card(session, lead, rep, reason=reason, now=now)
    session.flush()
    return AssignmentResult(lead.id, rep.id, rep.name, choice.rule, choice.reason, len(queued))


def _turn_stamp(session: Session, now: datetime) -> datetime:
    """`now`, or just after the latest stamp: round robin needs a strict order even when
    two leads arrive within one clock tick (or under a fixed test clock)."""
    latest = session.scalar(select(func.max(Rep.last_assigned_at)))
    return max(now, latest + timedelta(microseconds=1)) if latest is not None else now


def _told(session: Session, lead: Lead, reason: str) -> bool:
    query = select(Notification.id).where(Notification.lead_id == lead.id, Notification.reason == reason).limit(1)
    return session.scalars(query).first() is not None
