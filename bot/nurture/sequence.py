"""Who is in a nurture sequence, what is due next, and when it stops.

A lead is enrolled once it is a `nurture` lead with an e-mail and a recorded opt-in
(`followup_optin`). Each round of the sender (`bot/nurture/worker.py`) enrolls new leads,
stops sequences whose lead moved on, and queues the steps that came due, one
`nurture_messages` row per step. The same stop rule is checked again in the transaction that
claims each e-mail, so nothing goes out after the lead qualified, booked a meeting, was
handed to a rep or unsubscribed, even between rounds; a deleted lead takes its rows with it
(ON DELETE CASCADE).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session, selectinload

from bot.nurture.settings import NurtureSettings, primary_language
from bot.store.errors import LeadNotFound
from bot.store.schema import Lead, Meeting, NurtureEnrollment, NurtureMessage

STOP_REASONS = ("qualified", "meeting_booked", "handed_to_rep", "unsubscribed", "closed", "not_nurture",
                "opted_out", "no_email", "no_sequence")
OPEN_STATES = ("active", "paused")


def stop_reason(lead: Lead, settings: NurtureSettings, *, booked: bool | None = None) -> str | None:
    """Why this lead must get no further nurture e-mail, or None while it should. `booked`:
    whether it has a meeting booked in the chat, when the caller read that for many leads."""
    deal = lead.current_deal()
    if lead.status == "qualified":
        return "qualified"
    if (deal is not None and deal.stage in settings.meeting_stages) or (
            _has_booked_meeting(lead) if booked is None else booked):
        return "meeting_booked"
    if lead.human_requested or lead.handoff_state is not None:
        return "handed_to_rep"
    if deal is not None and deal.closed_at is not None:
        return "closed"
    if lead.status != "nurture":
        return "not_nurture"
    if lead.followup_optin is not True:
        return "opted_out"
    if not lead.email:
        return "no_email"
    return None


def _with_meetings(session: Session, lead_ids: list[int]) -> set[int]:
    """Which of these leads have a meeting booked, in one query per 500."""
    found: set[int] = set()
    for start in range(0, len(lead_ids), 500):
        chunk = lead_ids[start:start + 500]
        found.update(session.scalars(select(Meeting.lead_id).where(Meeting.lead_id.in_(chunk),
                                                                   Meeting.status == "booked")))
    return found


def _leads(session: Session, lead_ids: list[int]) -> dict[int, Lead]:
    """These leads with their deals, in one query per 500 (not one per lead and per deal list)."""
    found: dict[int, Lead] = {}
    for start in range(0, len(lead_ids), 500):
        chunk = lead_ids[start:start + 500]
        found.update((lead.id, lead) for lead in session.scalars(
            select(Lead).where(Lead.id.in_(chunk)).options(selectinload(Lead.deals))))
    return found


def _has_booked_meeting(lead: Lead) -> bool:
    """A meeting booked in the chat (bot/meetings), whatever stage the deal shows."""
    session = object_session(lead)
    return session is not None and session.scalar(
        select(Meeting.id).where(Meeting.lead_id == lead.id, Meeting.status == "booked").limit(1)) is not None


def stop(session: Session, enrollment: NurtureEnrollment, reason: str, *, now: datetime) -> None:
    """End the sequence at once: its queued e-mails are cancelled. A lead that qualifies
    after at least one e-mail counts as qualified from nurture."""
    if enrollment.state in ("stopped", "completed"):
        return
    enrollment.state, enrollment.stop_reason = "stopped", reason
    enrollment.stopped_at = enrollment.updated_at = now
    enrollment.next_due_at = None
    if reason == "unsubscribed":
        enrollment.unsubscribed_at = now
    sent = False
    for message in enrollment.messages:
        sent = sent or message.status == "sent"
        if message.status == "pending":
            message.status, message.claimed_by, message.claimed_until = "cancelled", None, None
    if reason == "qualified" and sent:
        enrollment.qualified_at = now
    session.flush()


def note_reengagement(enrollment: NurtureEnrollment, lead: Lead, *, now: datetime) -> None:
    """The visitor wrote to the bot again after an e-mail: the transcript grew."""
    if (enrollment.reengaged_at is None and enrollment.transcript_lines is not None
            and len(lead.transcript or []) > enrollment.transcript_lines):
        enrollment.reengaged_at = now


@dataclass
class SweepReport:
    enrolled: int = 0
    queued: int = 0
    stopped: int = 0


def sweep(session: Session, settings: NurtureSettings, *, now: datetime, limit: int = 500) -> SweepReport:
    """One pass: enroll, stop, and queue due steps (in the caller's transaction)."""
    report = SweepReport()
    if not settings.enabled:
        return report
    report.enrolled = enroll_new(session, settings, now=now, limit=limit)
    open_rows = session.scalars(
        select(NurtureEnrollment).where(NurtureEnrollment.state.in_(OPEN_STATES)).order_by(NurtureEnrollment.id)
        .options(selectinload(NurtureEnrollment.messages))
    ).all()
    ids = [e.lead_id for e in open_rows]
    leads, booked = _leads(session, ids), _with_meetings(session, ids)
    for enrollment in open_rows:
        lead = leads.get(enrollment.lead_id)
        if lead is None:
            continue
        note_reengagement(enrollment, lead, now=now)
        reason = (stop_reason(lead, settings, booked=lead.id in booked)
                  or (None if enrollment.sequence in settings.sequences else "no_sequence"))
        if reason:
            stop(session, enrollment, reason, now=now)
            report.stopped += 1
        elif enrollment.state == "active" and enrollment.next_due_at is not None and enrollment.next_due_at <= now:
            report.queued += queue_next_step(session, enrollment, settings, now=now)
    return report


def enroll_new(session: Session, settings: NurtureSettings, *, now: datetime, limit: int) -> int:
    """Enroll opted-in nurture leads that have no enrollment yet (one per lead, ever)."""
    enrolled = select(NurtureEnrollment.lead_id)
    candidates = session.scalars(
        select(Lead).where(Lead.status == "nurture", Lead.followup_optin.is_(True), Lead.email.is_not(None),
                           Lead.id.not_in(enrolled)).order_by(Lead.id).limit(limit).options(selectinload(Lead.deals))
    ).all()
    booked = _with_meetings(session, [lead.id for lead in candidates])
    count = 0
    for lead in candidates:
        if stop_reason(lead, settings, booked=lead.id in booked):
            continue
        category = need.category if (need := lead.need_answer) else None
        name = settings.sequence_for(category)
        if name is None:
            continue
        first = settings.sequences[name].steps[0]
        try:
            with session.begin_nested():
                session.add(NurtureEnrollment(
                    lead_id=lead.id, sequence=name, state="active", next_step=0, next_due_at=now + first.delay,
                    language=primary_language((lead.source or {}).get("language")), category=category,
                    enrolled_at=now, updated_at=now))
                session.flush()
        except IntegrityError:  # another sender enrolled it first
            continue
        count += 1
    return count


def queue_next_step(session: Session, enrollment: NurtureEnrollment, settings: NurtureSettings, *,
                    now: datetime) -> int:
    """Queue the step that is due, advancing the enrollment in one guarded UPDATE (another
    sender that read the same step queues nothing); 1 if this call queued it."""
    steps = settings.sequences[enrollment.sequence].steps
    step = enrollment.next_step
    if step >= len(steps):
        enrollment.next_due_at = None
        return 0
    due = enrollment.next_due_at or now
    following = due + steps[step + 1].delay if step + 1 < len(steps) else None
    moved = session.execute(
        update(NurtureEnrollment)
        .where(NurtureEnrollment.id == enrollment.id, NurtureEnrollment.next_step == step,
               NurtureEnrollment.state == "active")
        .values(next_step=step + 1, next_due_at=following, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        return 0
    session.add(NurtureMessage(enrollment_id=enrollment.id, lead_id=enrollment.lead_id, step=step, status="pending",
                               attempts=0, next_attempt_at=now, created_at=now, clicks=0))
    session.flush()
    session.expire(enrollment)  # next_step, next_due_at and messages as the database has them
    return 1


def enrollment_of(session: Session, lead_id: int) -> NurtureEnrollment | None:
    return session.scalar(select(NurtureEnrollment).where(NurtureEnrollment.lead_id == lead_id))


def _require(session: Session, lead_id: int) -> NurtureEnrollment:
    enrollment = enrollment_of(session, lead_id)
    if enrollment is None:
        raise LeadNotFound(f"lead {lead_id} is in no nurture sequence")
    return enrollment


def pause(session: Session, lead_id: int, *, by: str, now: datetime) -> NurtureEnrollment:
    """A rep holds the sequence: nothing is queued or sent (even an e-mail already queued)."""
    enrollment = _require(session, lead_id)
    if enrollment.state == "active":
        enrollment.state, enrollment.paused_by, enrollment.updated_at = "paused", by, now
        session.flush()
    return enrollment


def resume(session: Session, lead_id: int, *, now: datetime) -> NurtureEnrollment:
    """Carry on from the paused step; a step that came due meanwhile goes out next round."""
    enrollment = _require(session, lead_id)
    if enrollment.state == "paused":
        enrollment.state, enrollment.paused_by, enrollment.updated_at = "active", None, now
        session.flush()
    return enrollment


def unsubscribe(session: Session, message_id: int, *, now: datetime) -> NurtureEnrollment | None:
    """The recipient of this e-mail wants no more: the sequence stops now. None when the
    lead is gone (deleted): there is nothing left to stop."""
    message = session.get(NurtureMessage, message_id)
    if message is None:
        return None
    enrollment = message.enrollment
    if enrollment.unsubscribed_at is None:
        enrollment.unsubscribed_at = now
    stop(session, enrollment, "unsubscribed", now=now)
    return enrollment


def record_click(session: Session, message_id: int, *, now: datetime) -> NurtureMessage | None:
    message = session.get(NurtureMessage, message_id)
    if message is None:
        return None
    message.clicks += 1
    message.first_clicked_at = message.first_clicked_at or now
    message.enrollment.clicked_at = message.enrollment.clicked_at or now
    session.flush()
    return message
