"""`leadbot meetings`: meetings booked in the chat, and the reps' calendars.

    leadbot meetings list [--rep REP]                         upcoming meetings, soonest first
    leadbot meetings calendar REP URL [--username U] [--password-env VAR]
                                                              read REP's busy times from a CalDAV calendar
                                                              (checked once before it is saved)
    leadbot meetings cancel MEETING [--by NAME]               cancel; both sides get a CANCEL
"""
from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import Any

from bot.cli_support import EXIT_OK, UserError, now, store_session, table


def register(commands: Any) -> None:
    meetings = commands.add_parser("meetings", help="meetings booked in the chat, and the reps' calendars")
    actions = meetings.add_subparsers(dest="meetings_command", required=True, metavar="ACTION")
    p = actions.add_parser("list", help="upcoming meetings, soonest first")
    p.add_argument("--rep", help="only this rep's (id or e-mail)")
    p.set_defaults(handler=cmd_list)
    p = actions.add_parser("calendar", help="connect a rep's CalDAV calendar (its busy times are not offered)")
    p.add_argument("rep", help="rep id or e-mail")
    p.add_argument("url", help="the calendar collection's URL (https://…/calendars/dana/work/)")
    p.add_argument("--username")
    p.add_argument("--password-env", help="the environment variable holding the password (never the password)")
    p.set_defaults(handler=cmd_calendar)
    p = actions.add_parser("cancel", help="cancel a meeting; both sides get a cancellation")
    p.add_argument("meeting", type=int)
    p.add_argument("--by", default="cli")
    p.set_defaults(handler=cmd_cancel)


def cmd_list(args: argparse.Namespace) -> int:
    from bot.assignment.reps import get_rep
    from bot.meetings.booking import upcoming_for_rep

    with store_session() as session:
        rep_id = get_rep(session, args.rep).id if args.rep else None
        rows = [(m.id, m.start_at.strftime("%Y-%m-%d %H:%M UTC"), m.rep.name, m.lead_id, m.lead.name or m.lead.email,
                 m.visitor_timezone) for m in upcoming_for_rep(session, rep_id, now=now())]
    table(["id", "when", "rep", "lead", "name", "visitor's zone"], rows, sys.stdout)
    return EXIT_OK


def cmd_calendar(args: argparse.Namespace) -> int:
    from bot.assignment.reps import get_rep
    from bot.meetings.booking import MeetingError, connect_calendar
    from bot.meetings.calendar import CalendarAccess, CalendarUnavailable, busy_times
    from bot.meetings.settings import load_meeting_settings

    settings, at = load_meeting_settings(), now()
    with store_session() as session:
        rep = get_rep(session, args.rep)
        rep_id, tz = rep.id, rep.timezone or "UTC"
    try:
        busy = busy_times(CalendarAccess(args.url, args.username, args.password_env), at, at + timedelta(days=7),
                          tz=tz, timeout=settings.calendar_timeout_seconds)
    except CalendarUnavailable as exc:
        raise UserError(f"not connected: {exc}") from None
    with store_session(write=True) as session:
        try:
            connect_calendar(session, rep_id, args.url, now=at, username=args.username,
                             password_env=args.password_env)
        except MeetingError as exc:
            raise UserError(str(exc)) from None
    print(f"Calendar connected: {len(busy)} busy time(s) in the next 7 days are not offered.")
    return EXIT_OK


def cmd_cancel(args: argparse.Namespace) -> int:
    from bot.meetings.booking import MeetingError, cancel

    with store_session(write=True) as session:
        try:
            meeting = cancel(session, args.meeting, now=now(), by=args.by)
        except MeetingError as exc:
            raise UserError(str(exc)) from None
        print(f"Meeting {meeting.id} cancelled; both sides will get a cancellation.")
    return EXIT_OK
