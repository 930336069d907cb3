"""Meeting invitations: an iCalendar file (RFC 5545, iTIP RFC 5546 METHOD:REQUEST or CANCEL,
made with `icalendar`) in an e-mail with the times in the reader's own time zone and, for the
visitor, the signed reschedule and cancel links.

One UID per meeting; SEQUENCE goes up with every change, so a calendar that imported the
first invitation updates (or removes) that same event instead of adding another.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate

from icalendar import Calendar, Event, vCalAddress, vText

from bot.assignment.hours import check_timezone

PRODID = "-//leadbot//meetings//EN"


@dataclass(frozen=True)
class Invitation:
    """Everything one e-mail says, read from the store when it is sent."""

    uid: str
    sequence: int
    kind: str  # "request" | "cancel"
    start: datetime
    end: datetime
    title: str
    rep_name: str
    rep_email: str
    visitor_name: str | None
    visitor_email: str | None
    to: str
    to_timezone: str  # the reader's zone: the visitor's, or the rep's
    for_visitor: bool
    manage_url: str | None  # the visitor's reschedule/cancel page
    lead_url: str | None  # the rep's lead page
    stamp: datetime  # DTSTAMP: when this version was made


def calendar_file(inv: Invitation) -> bytes:
    """The .ics for this version of the meeting."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if inv.kind == "cancel" else "REQUEST")
    event = Event()
    event.add("uid", inv.uid)
    event.add("sequence", inv.sequence)
    event.add("dtstamp", inv.stamp)
    event.add("dtstart", inv.start)
    event.add("dtend", inv.end)
    event.add("summary", inv.title)
    event.add("status", "CANCELLED" if inv.kind == "cancel" else "CONFIRMED")
    if inv.manage_url and inv.for_visitor:
        event.add("description", f"Reschedule or cancel: {inv.manage_url}")
    organizer = vCalAddress(f"mailto:{inv.rep_email}")
    organizer.params["cn"] = vText(inv.rep_name)
    event.add("organizer", organizer)
    if inv.visitor_email:
        attendee = vCalAddress(f"mailto:{inv.visitor_email}")
        if inv.visitor_name:
            attendee.params["cn"] = vText(inv.visitor_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED")
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical()


def when_text(inv: Invitation) -> str:
    zone = check_timezone(inv.to_timezone)
    start, end = inv.start.astimezone(zone), inv.end.astimezone(zone)
    return f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M}-{end:%H:%M} ({inv.to_timezone})"


def email_message(inv: Invitation, sender: str, *, key: str) -> EmailMessage:
    """Plain text plus the .ics as text/calendar (so mail clients offer to add it) and as an attachment."""
    cancelled = inv.kind == "cancel"
    other = inv.rep_name if inv.for_visitor else (inv.visitor_name or inv.visitor_email or "the visitor")
    subject = f"{'Cancelled' if cancelled else 'Invitation'}: {inv.title} - {when_text(inv)}"
    lines = [f"{'Cancelled' if cancelled else 'Booked'}: {inv.title}", f"With: {other}", f"When: {when_text(inv)}", ""]
    if inv.for_visitor and inv.manage_url and not cancelled:
        lines += [f"Need another time, or cannot make it? Reschedule or cancel here: {inv.manage_url}", ""]
    if not inv.for_visitor and inv.lead_url:
        lines += [f"The lead: {inv.lead_url}", ""]
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = inv.to
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = f"<{key}@leadbot>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n".join(lines), charset="utf-8")
    ics = calendar_file(inv)
    method = "CANCEL" if cancelled else "REQUEST"
    message.add_alternative(ics, maintype="text", subtype="calendar", params={"method": method})
    message.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    return message
