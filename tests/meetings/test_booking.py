"""Booking through the real store (SQLite and PostgreSQL): the deal moves to the meeting
stage, the funnel gets its step, invitations are queued, and a slot goes to one visitor
only, however many threads or processes book it at once."""
from __future__ import annotations

import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.funnel import conversation_key
from bot.meetings.booking import (
    SlotTaken,
    availability_of,
    book,
    cancel,
    free_slots_for,
    meetings_of_lead,
    reschedule,
    upcoming_for_rep,
)
from bot.meetings.settings import MeetingSettings
from bot.meetings.slots import Slot
from bot.store.db import make_engine, session_factory
from bot.store.schema import ConversationFunnel, Deal, Meeting, MeetingInvitation, StageHistory
from tests.meetings.conftest import NOW, owned_lead

ROOT = Path(__file__).resolve().parents[2]
SLOT = Slot(NOW + timedelta(hours=4), NOW + timedelta(hours=4, minutes=30))  # Fri 13:00 Berlin


def test_a_booking_moves_the_deal_stamps_the_funnel_and_queues_both_invitations(
        sessions: sessionmaker[Session], settings: MeetingSettings) -> None:
    lead_id, rep_id = owned_lead(sessions)
    with sessions.begin() as session:
        book(session, lead_id=lead_id, rep_id=rep_id, slot=SLOT, visitor_timezone="America/New_York", now=NOW,
             settings=settings, conversation_id="conv-1", channel="rest")
    with sessions() as session:
        deal = session.scalars(select(Deal).where(Deal.lead_id == lead_id)).one()
        assert deal.stage == "meeting"
        last = session.scalars(select(StageHistory).where(StageHistory.deal_id == deal.id)
                               .order_by(StageHistory.id.desc())).first()
        assert (last.from_stage, last.to_stage, last.changed_by) == ("qualified", "meeting", "bot")
        funnel = session.scalars(select(ConversationFunnel)
                                 .where(ConversationFunnel.conversation_key == conversation_key("conv-1"))).one()
        assert funnel.meeting_booked_at == NOW
        invitations = session.scalars(select(MeetingInvitation).order_by(MeetingInvitation.id)).all()
        assert [(i.recipient, i.address, i.kind) for i in invitations] == [
            ("visitor", "sam@example.com", "request"), ("rep", "dana@example.com", "request")]
        assert [m.start_at for m in meetings_of_lead(session, lead_id)] == [SLOT.start]
        assert [m.lead_id for m in upcoming_for_rep(session, rep_id, now=NOW)] == [lead_id]


def test_a_booked_slot_is_no_longer_free_and_cannot_be_booked_again(
        sessions: sessionmaker[Session], settings: MeetingSettings) -> None:
    lead_id, rep_id = owned_lead(sessions)
    other_id, _ = owned_lead(sessions, conversation_id="conv-2", email="kim@example.com",
                             rep_email="other@example.com")
    with sessions.begin() as session:
        book(session, lead_id=lead_id, rep_id=rep_id, slot=SLOT, visitor_timezone="UTC", now=NOW, settings=settings)
        who = availability_of(session, lead_id, settings)
    assert SLOT not in free_slots_for(sessions, who, settings, now=NOW)
    with sessions.begin() as session, pytest.raises(SlotTaken):
        book(session, lead_id=other_id, rep_id=rep_id, slot=SLOT, visitor_timezone="UTC", now=NOW, settings=settings)


def test_reschedule_keeps_the_uid_and_cancel_frees_the_slot(sessions: sessionmaker[Session],
                                                            settings: MeetingSettings) -> None:
    lead_id, rep_id = owned_lead(sessions)
    later = Slot(SLOT.start + timedelta(days=3), SLOT.end + timedelta(days=3))
    with sessions.begin() as session:
        meeting = book(session, lead_id=lead_id, rep_id=rep_id, slot=SLOT, visitor_timezone="UTC", now=NOW,
                       settings=settings)
        uid, meeting_id = meeting.uid, meeting.id
    with sessions.begin() as session:
        moved = reschedule(session, meeting_id, later, now=NOW)
        assert (moved.uid, moved.sequence, moved.start_at) == (uid, 1, later.start)
    with sessions.begin() as session:
        cancel(session, meeting_id, now=NOW, by="visitor")
    with sessions.begin() as session:  # the slot is free again: another booking takes it
        book(session, lead_id=lead_id, rep_id=rep_id, slot=later, visitor_timezone="UTC", now=NOW, settings=settings)
        kinds = [i.kind for i in session.scalars(select(MeetingInvitation).order_by(MeetingInvitation.id))]
    assert kinds == ["request", "request", "request", "request", "cancel", "cancel", "request", "request"]


def test_threads_racing_for_one_slot_book_it_once(db_url: str, sessions: sessionmaker[Session],
                                                  settings: MeetingSettings) -> None:
    leads = [owned_lead(sessions, conversation_id=f"conv-{i}", email=f"v{i}@example.com",
                        rep_email=f"rep{i}@example.com") for i in range(6)]
    rep_id = leads[0][1]
    start, outcomes = threading.Barrier(len(leads)), []

    def race(lead_id: int) -> None:
        engine = make_engine(db_url)  # its own connections, as another process would have
        try:
            start.wait()
            with session_factory(engine).begin() as session:
                book(session, lead_id=lead_id, rep_id=rep_id, slot=SLOT, visitor_timezone="UTC", now=NOW,
                     settings=settings)
            outcomes.append("booked")
        except SlotTaken:
            outcomes.append("taken")
        finally:
            engine.dispose()

    threads = [threading.Thread(target=race, args=(lead_id,)) for lead_id, _ in leads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["booked"] + ["taken"] * (len(leads) - 1)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Meeting).where(Meeting.status == "booked")) == 1


RACER = """
import sys
from datetime import datetime
from bot.meetings.booking import SlotTaken, book
from bot.meetings.settings import MeetingSettings
from bot.meetings.slots import Slot
from bot.store.db import make_engine, session_factory
url, lead_id, rep_id, start, end = sys.argv[1:]
sessions = session_factory(make_engine(url))
with sessions() as session:
    session.connection()  # connected before the go
print("ready", flush=True)
sys.stdin.readline()
try:
    with sessions.begin() as session:
        book(session, lead_id=int(lead_id), rep_id=int(rep_id), visitor_timezone="UTC", settings=MeetingSettings(),
             slot=Slot(datetime.fromisoformat(start), datetime.fromisoformat(end)), now=datetime.fromisoformat(start))
    print("booked")
except SlotTaken:
    print("taken")
"""


def test_two_processes_racing_for_one_slot_book_it_once(db_url: str, sessions: sessionmaker[Session]) -> None:
    (first, rep_id), (second, _) = (owned_lead(sessions, conversation_id=f"conv-{i}", email=f"p{i}@example.com",
                                               rep_email=f"prep{i}@example.com") for i in range(2))
    racers = [subprocess.Popen([sys.executable, "-c", RACER, db_url, str(lead), str(rep_id), SLOT.start.isoformat(),
                                SLOT.end.isoformat()], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True) for lead in (first, second)]
    assert [racer.stdout.readline().strip() for racer in racers] == ["ready", "ready"]  # both connected
    for racer in racers:
        racer.stdin.write("go\n")
    for racer in racers:
        racer.stdin.flush()
    outcomes = sorted(racer.communicate(timeout=60)[0].strip() for racer in racers)
    assert outcomes == ["booked", "taken"]


def test_the_store_itself_refuses_a_second_booking_of_a_slot(sessions: sessionmaker[Session]) -> None:
    """The unique index, not only the check before the insert, keeps the slot to one visitor."""
    lead_id, rep_id = owned_lead(sessions)
    row = dict(lead_id=lead_id, rep_id=rep_id, start_at=SLOT.start, end_at=SLOT.end, visitor_timezone="UTC",
               status="booked", sequence=0, created_at=NOW, updated_at=NOW)
    with sessions.begin() as session:
        session.add(Meeting(uid="a@test", **row))
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.add(Meeting(uid="b@test", **row))
    with sessions.begin() as session:  # a cancelled meeting does not hold its slot
        session.add(Meeting(uid="c@test", **{**row, "status": "cancelled"}))
