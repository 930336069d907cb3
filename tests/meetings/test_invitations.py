"""Invitations through the real sender (`leadbot notifications send`'s round) to a real SMTP
server on 127.0.0.1: an RFC 5545 .ics for each side, the visitor's with signed reschedule and
cancel links that expire; a reschedule and a cancellation update the same calendar event."""
from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.meetings.booking import book, cancel, reschedule
from bot.meetings.links import BadLink, MeetingLinks
from bot.meetings.settings import MeetingSettings
from bot.meetings.slots import Slot
from bot.meetings.worker import meeting_links
from bot.notify.settings import NotifySettings, SmtpSettings
from bot.mail_sender import run_round
from bot.store.schema import MeetingInvitation
from tests.meetings.conftest import NOW, owned_lead
from tests.notify.smtp_server import SmtpServer

SLOT = Slot(NOW + timedelta(days=3, hours=5), NOW + timedelta(days=3, hours=5, minutes=30))  # Mon 14:00 Berlin


def _calendar(message) -> Calendar:  # noqa: ANN001
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") in ("REQUEST", "CANCEL")
    return Calendar.from_ical(part.get_content() if isinstance(part.get_content(), str) else part.get_content())


def _event(message):  # noqa: ANN001, ANN202
    return next(iter(_calendar(message).walk("VEVENT")))


def _invitations(smtp: SmtpServer) -> list:
    """What the server received, leaving out the lead cards the sender also delivers."""
    return [m for m in smtp.messages if any(p.get_content_type() == "text/calendar" for p in m.walk())]


def _send(sessions: sessionmaker[Session], smtp: SmtpServer) -> None:
    notify = NotifySettings(smtp=SmtpSettings(host="127.0.0.1", port=smtp.port, sender="leadbot <bot@example.com>"),
                            stuck_digest_hour=None)
    report = run_round(sessions, notify, now=lambda: NOW)
    assert report.errors == []


def test_both_sides_get_an_invitation_then_the_update_and_the_cancellation(
        sessions: sessionmaker[Session], tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("LEADBOT_MEETING_SECRET", "a-test-secret-of-enough-length-0123456789")
    settings = MeetingSettings()
    lead_id, rep_id = owned_lead(sessions)
    with sessions.begin() as session:
        meeting_id = book(session, lead_id=lead_id, rep_id=rep_id, slot=SLOT, visitor_timezone="America/New_York",
                          now=NOW, settings=settings, conversation_id="conv-1", channel="rest").id
    with SmtpServer() as smtp:
        _send(sessions, smtp)
        visitor, rep = sorted(_invitations(smtp), key=lambda m: m["To"] != "sam@example.com")
        assert (visitor["To"], rep["To"]) == ("sam@example.com", "dana@example.com")
        assert "Monday 7 December 2026, 08:00-08:30 (America/New_York)" in visitor["Subject"]
        assert "Monday 7 December 2026, 14:00-14:30 (Europe/Berlin)" in rep["Subject"]
        event = _event(visitor)
        assert str(_calendar(visitor)["METHOD"]) == "REQUEST"
        assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (SLOT.start, SLOT.end)
        assert event["SEQUENCE"] == 0 and str(event["STATUS"]) == "CONFIRMED"
        assert str(event["ORGANIZER"]) == "mailto:dana@example.com"
        assert str(event["ATTENDEE"]) == "mailto:sam@example.com"
        uid = str(event["UID"])
        assert str(_event(rep)["UID"]) == uid
        assert any(p.get_filename() == "invite.ics" for p in visitor.walk())

        body = visitor.get_body(("plain",)).get_content()
        url = next(word for word in body.split() if "/meetings/manage/" in word)
        token = url.rsplit("/", 1)[1]
        links = meeting_links(settings)
        assert links.verify(token, now=NOW).meeting_id == meeting_id
        with pytest.raises(BadLink, match="expired"):
            links.verify(token, now=NOW + timedelta(days=settings.link_days, seconds=1))
        with pytest.raises(BadLink, match="not valid"):
            links.verify(token[:-2] + ("AA" if not token.endswith("AA") else "BB"), now=NOW)
        with pytest.raises(BadLink, match="not valid"):
            MeetingLinks(b"another key", settings.manage_link, timedelta(days=1)).verify(token, now=NOW)
        assert "/meetings/manage/" not in rep.get_body(("plain",)).get_content()  # the rep's page is the lead

        later = Slot(SLOT.start + timedelta(days=1), SLOT.end + timedelta(days=1))
        with sessions.begin() as session:
            reschedule(session, meeting_id, later, now=NOW)
        _send(sessions, smtp)
        moved = _event(_invitations(smtp)[2])
        assert (str(moved["UID"]), moved["SEQUENCE"], moved.decoded("DTSTART")) == (uid, 1, later.start)

        with sessions.begin() as session:
            cancel(session, meeting_id, now=NOW, by="visitor")
        _send(sessions, smtp)
        assert len(_invitations(smtp)) == 6
        gone = _invitations(smtp)[4]
        assert str(_calendar(gone)["METHOD"]) == "CANCEL" and str(_event(gone)["STATUS"]) == "CANCELLED"
        assert (str(_event(gone)["UID"]), _event(gone)["SEQUENCE"]) == (uid, 2)
        assert gone["Subject"].startswith("Cancelled:")
    with sessions() as session:
        assert {i.status for i in session.scalars(select(MeetingInvitation))} == {"sent"}


def test_a_refused_address_becomes_a_dead_letter_with_the_servers_words(sessions: sessionmaker[Session]) -> None:
    lead_id, rep_id = owned_lead(sessions, email="nobody@refused.example")
    with sessions.begin() as session:
        book(session, lead_id=lead_id, rep_id=rep_id, slot=SLOT, visitor_timezone="UTC", now=NOW,
             settings=MeetingSettings())
    with SmtpServer() as smtp:
        notify = NotifySettings(smtp=SmtpSettings(host="127.0.0.1", port=smtp.port), stuck_digest_hour=None)
        report = run_round(sessions, notify, now=lambda: NOW)
        assert [m["To"] for m in _invitations(smtp)] == ["dana@example.com"]
    assert report.dead == 1 and "550" in report.errors[0] and "nobody@refused.example" in report.errors[0]


def test_an_invitation_queued_before_a_change_says_what_the_change_says(sessions: sessionmaker[Session]) -> None:
    lead_id, rep_id = owned_lead(sessions)
    later = Slot(SLOT.start + timedelta(hours=1), SLOT.end + timedelta(hours=1))
    with sessions.begin() as session:
        meeting_id = book(session, lead_id=lead_id, rep_id=rep_id, slot=SLOT, visitor_timezone="UTC", now=NOW,
                          settings=MeetingSettings()).id
        reschedule(session, meeting_id, later, now=NOW)  # before the sender ran
    with SmtpServer() as smtp:
        _send(sessions, smtp)
        events = [_event(m) for m in _invitations(smtp)]
    assert len(events) == 4 and {(e["SEQUENCE"], e.decoded("DTSTART")) for e in events} == {(1, later.start)}
