"""Booking, rescheduling and cancelling meetings in the store, and finding a rep's free slots.

One visitor per slot: `book` inserts in a savepoint and the store's partial unique index on
(rep_id, start_at) while booked refuses a second booking of a slot from any process (SQLite
queues writers with BEGIN IMMEDIATE; PostgreSQL makes the second insert wait for the first
and then refuses it): that is `SlotTaken`, and the caller offers other slots. A booking moves
the deal forward to the meeting stage (never back), stamps the funnel's meeting_booked step
and queues the invitation e-mails, all in the caller's transaction.

Finding slots reads the rep's CalDAV calendar outside any transaction (`free_slots_for`
takes a sessionmaker): a slow calendar never holds the store.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.assignment.hours import parse_hours
from bot.funnel import record_progress
from bot.meetings.calendar import CalendarAccess, busy_times
from bot.meetings.settings import MeetingSettings
from bot.meetings.slots import Interval, Slot, free_slots
from bot.store.pipeline import PipelineSettings, load_pipeline_settings
from bot.store.repository import move_stage
from bot.store.schema import Lead, Meeting, MeetingInvitation, Rep, RepCalendar

BOT = "bot"


class SlotTaken(Exception):
    """Someone booked this slot first (or it is no longer free)."""


class MeetingError(ValueError):
    """A booking that cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class RepAvailability:
    """What slot finding needs to know about a lead's rep, read in one short transaction."""

    rep_id: int
    rep_name: str
    timezone: str
    hours: dict[str, list[str]]
    calendar: CalendarAccess | None


def availability_of(session: Session, lead_id: int, settings: MeetingSettings) -> RepAvailability | None:
    """The lead's owner and their hours (the settings' default when they have none), or None
    when the lead has no active owner to meet."""
    lead = session.get(Lead, lead_id)
    rep = lead.owner if lead is not None else None
    if rep is None or not rep.active:
        return None
    row = session.scalars(select(RepCalendar).where(RepCalendar.rep_id == rep.id)).first()
    calendar = CalendarAccess(row.url, row.username, row.password_env) if row else None
    return RepAvailability(rep.id, rep.name, rep.timezone or "UTC",
                           dict(rep.working_hours or {}) or parse_hours(settings.default_hours), calendar)


def booked_intervals(session: Session, rep_id: int, start: datetime, end: datetime,
                     *, except_meeting: int | None = None) -> list[Interval]:
    query = select(Meeting.start_at, Meeting.end_at).where(
        Meeting.rep_id == rep_id, Meeting.status == "booked", Meeting.start_at < end, Meeting.end_at > start)
    if except_meeting is not None:
        query = query.where(Meeting.id != except_meeting)
    return [(s, e) for s, e in session.execute(query)]


def free_slots_for(sessions: sessionmaker[Session], who: RepAvailability, settings: MeetingSettings, *,
                   now: datetime, except_meeting: int | None = None) -> list[Slot]:
    """The rep's free slots from now on: working hours, minus booked meetings, minus busy
    times in their calendar (read with no transaction open; `CalendarUnavailable` if it cannot be)."""
    start, end = now, now + timedelta(days=settings.horizon_days)
    busy: list[Interval] = []
    if who.calendar is not None:
        busy += busy_times(who.calendar, start, end, tz=who.timezone, timeout=settings.calendar_timeout_seconds)
    with sessions() as session:
        busy += booked_intervals(session, who.rep_id, start, end, except_meeting=except_meeting)
    return free_slots(who.hours, who.timezone, busy, now=now, duration=timedelta(minutes=settings.duration_minutes),
                      notice=timedelta(minutes=settings.notice_minutes), horizon=timedelta(days=settings.horizon_days))


def book(session: Session, *, lead_id: int, rep_id: int, slot: Slot, visitor_timezone: str, now: datetime,
         settings: MeetingSettings, conversation_id: str | None = None, channel: str | None = None,
         pipeline: PipelineSettings | None = None) -> Meeting:
    """Book `slot` with the rep for the lead; `SlotTaken` if it is no longer free."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise MeetingError(f"no lead with id {lead_id}")
    if booked_intervals(session, rep_id, slot.start, slot.end):
        raise SlotTaken(f"rep {rep_id} is already booked at {slot.start.isoformat()}")
    meeting = Meeting(uid=f"{uuid.uuid4()}@leadbot", lead_id=lead_id, rep_id=rep_id, start_at=slot.start,
                      end_at=slot.end, visitor_timezone=visitor_timezone, status="booked", sequence=0,
                      conversation_id=conversation_id, channel=channel, created_at=now, updated_at=now)
    try:
        with session.begin_nested():
            session.add(meeting)
            session.flush()
    except IntegrityError:
        raise SlotTaken(f"rep {rep_id} was booked at {slot.start.isoformat()} a moment ago") from None
    _advance_deal(session, lead, settings.stage, now=now, note=f"meeting {meeting.id} booked in the chat",
                  pipeline=pipeline or load_pipeline_settings())
    if conversation_id:
        record_progress(session, conversation_id, channel or lead.channel, {"meeting_booked"}, now=now,
                        lead_id=lead_id)
    queue_invitations(session, meeting, "request", now=now)
    return meeting


def reschedule(session: Session, meeting_id: int, slot: Slot, *, now: datetime) -> Meeting:
    """Move a booked meeting to `slot` (same UID, SEQUENCE + 1); `SlotTaken` if it is not free."""
    meeting = _booked(session, meeting_id)
    if booked_intervals(session, meeting.rep_id, slot.start, slot.end, except_meeting=meeting.id):
        raise SlotTaken(f"rep {meeting.rep_id} is already booked at {slot.start.isoformat()}")
    try:
        with session.begin_nested():
            meeting.start_at, meeting.end_at = slot.start, slot.end
            meeting.sequence += 1
            meeting.updated_at = now
            session.flush()
    except IntegrityError:
        session.refresh(meeting)
        raise SlotTaken(f"rep {meeting.rep_id} was booked at {slot.start.isoformat()} a moment ago") from None
    queue_invitations(session, meeting, "request", now=now)
    return meeting


def cancel(session: Session, meeting_id: int, *, now: datetime, by: str) -> Meeting:
    """Cancel a booked meeting: the slot is free again, both sides get a CANCEL."""
    meeting = _booked(session, meeting_id)
    meeting.status, meeting.cancelled_at, meeting.cancelled_by = "cancelled", now, by
    meeting.sequence += 1
    meeting.updated_at = now
    session.flush()
    queue_invitations(session, meeting, "cancel", now=now)
    return meeting


def queue_invitations(session: Session, meeting: Meeting, kind: str, *, now: datetime) -> list[MeetingInvitation]:
    """One e-mail to the visitor (when they gave an address) and one to the rep."""
    lead, rep = session.get(Lead, meeting.lead_id), session.get(Rep, meeting.rep_id)
    rows = []
    for recipient, address in (("visitor", lead.email if lead else None), ("rep", rep.email if rep else None)):
        if not address:
            continue
        row = MeetingInvitation(meeting_id=meeting.id, recipient=recipient, address=address, kind=kind,
                                sequence=meeting.sequence, status="pending", attempts=0, next_attempt_at=now,
                                created_at=now)
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


def meetings_of_lead(session: Session, lead_id: int) -> list[Meeting]:
    return list(session.scalars(select(Meeting).where(Meeting.lead_id == lead_id).order_by(Meeting.start_at)))


def upcoming_for_rep(session: Session, rep_id: int | None, *, now: datetime, limit: int = 100) -> list[Meeting]:
    """Booked meetings not yet over, soonest first: one rep's, or everyone's with None."""
    query = select(Meeting).where(Meeting.status == "booked", Meeting.end_at > now)
    if rep_id is not None:
        query = query.where(Meeting.rep_id == rep_id)
    return list(session.scalars(query.order_by(Meeting.start_at).limit(limit)))


def connect_calendar(session: Session, rep_id: int, url: str, *, now: datetime, username: str | None = None,
                     password_env: str | None = None) -> RepCalendar:
    """Connect (or change) a rep's CalDAV calendar."""
    if not url.startswith(("http://", "https://")):
        raise MeetingError("a calendar URL starts with http:// or https://")
    row = session.scalars(select(RepCalendar).where(RepCalendar.rep_id == rep_id)).first()
    if row is None:
        row = RepCalendar(rep_id=rep_id, url=url, created_at=now, updated_at=now)
        session.add(row)
    row.url, row.username, row.password_env, row.updated_at = url, username, password_env, now
    session.flush()
    return row


def _booked(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise MeetingError(f"no meeting with id {meeting_id}")
    if meeting.status != "booked":
        raise MeetingError("this meeting was cancelled")
    return meeting


def _advance_deal(session: Session, lead: Lead, stage: str, *, now: datetime, note: str,
                  pipeline: PipelineSettings) -> None:
    """Move the lead's open deal forward to `stage`; a deal already there or beyond stays."""
    deal = lead.current_deal()
    if deal is None or deal.closed_at is not None or stage not in pipeline.keys or deal.stage not in pipeline.keys:
        return
    if pipeline.sequence(deal.stage) >= pipeline.sequence(stage):
        return
    move_stage(session, deal.id, stage, now=now, by=BOT, note=note, pipeline=pipeline)
