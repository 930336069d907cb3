"""Meetings on the dashboard (bot/meetings, docs/meetings.md).

    GET  /meetings                          upcoming meetings: a rep's own, a manager's all (signed in)
    GET  /meetings/manage/{token}           the visitor's page from the invitation: the meeting,
                                            other free times to move it to, and a cancel button
    POST /meetings/manage/{token}/reschedule  move it to the posted `slot` (a free slot's key)
    POST /meetings/manage/{token}/cancel      cancel it

The manage pages need no sign-in: the signed, expiring token is the authority
(bot/meetings/links.py). A GET never changes anything (mail scanners open links). Free
times are read with the rep's calendar outside any store transaction.
"""
from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.meetings.booking import MeetingError, SlotTaken, availability_of, cancel, free_slots_for, reschedule, \
    upcoming_for_rep
from bot.meetings.calendar import CalendarUnavailable
from bot.meetings.links import BadLink
from bot.meetings.settings import load_meeting_settings
from bot.meetings.slots import Slot, describe, spread
from bot.meetings.worker import meeting_links
from bot.store.schema import Meeting
from web.http import SECURITY_HEADERS, Ctx, endpoint

RESCHEDULE_CHOICES = 8  # free times shown on the manage page


def meetings_page(ctx: Ctx) -> Response:
    rep_id = None if ctx.viewer.is_manager else ctx.viewer.rep_id
    meetings = upcoming_for_rep(ctx.session, rep_id, now=ctx.now()) if ctx.viewer.is_manager or rep_id else []
    return ctx.render("meetings.html", meetings=meetings)


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    page = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            f"content=\"width=device-width, initial-scale=1\"><title>{html.escape(title)}</title>"
            f"<link rel=\"stylesheet\" href=\"/static/dashboard.css\"></head>"
            f"<body><main class=\"manage-meeting\"><h1>{html.escape(title)}</h1>{body}</main></body></html>")
    return HTMLResponse(page, status_code=status, headers=SECURITY_HEADERS)


def _when(meeting: Meeting) -> str:
    zone = meeting.visitor_timezone
    return f"{describe(Slot(meeting.start_at, meeting.end_at), zone)} ({zone})"


def _verify(request: Request) -> int:
    now = request.app.state.dashboard.clock.now()
    return meeting_links(load_meeting_settings()).verify(request.path_params["token"], now=now).meeting_id


async def manage_page(request: Request) -> Response:
    try:
        meeting_id = _verify(request)
    except BadLink as exc:
        return _page("This link does not work", f"<p>{html.escape(str(exc))}</p>", 404)
    return await run_in_threadpool(_manage, request, meeting_id, "")


def _manage(request: Request, meeting_id: int, notice: str) -> Response:
    dashboard, settings = request.app.state.dashboard, load_meeting_settings()
    with dashboard.sessions() as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:
            return _page("Meeting not found", "<p>This meeting no longer exists.</p>", 404)
        when, booked, zone, rep = _when(meeting), meeting.status == "booked", meeting.visitor_timezone, meeting.rep.name
        who = availability_of(session, meeting.lead_id, settings)
    parts = [f"<p role=\"status\">{html.escape(notice)}</p>" if notice else ""]
    if not booked:
        parts.append(f"<p>Your call with {html.escape(rep)} on {html.escape(when)} is cancelled.</p>")
        return _page("Meeting cancelled", "".join(parts))
    parts.append(f"<p>Your call with {html.escape(rep)}: <strong>{html.escape(when)}</strong>.</p>")
    token = html.escape(request.path_params["token"])
    choices: list[Slot] = []
    if who is not None:
        try:
            free = free_slots_for(dashboard.sessions, who, settings, now=dashboard.clock.now(), except_meeting=meeting_id)
            choices = spread(free, zone, count=RESCHEDULE_CHOICES, per_day=settings.per_day)
        except CalendarUnavailable:
            parts.append("<p>Other times cannot be shown right now; please try again later.</p>")
    if choices:
        buttons = "".join(f"<button type=\"submit\" name=\"slot\" value=\"{s.key()}\">{html.escape(describe(s, zone))}"
                          f"</button> " for s in choices)
        parts.append(f"<h2>Move it to another time ({html.escape(zone)})</h2>"
                     f"<form method=\"post\" action=\"/meetings/manage/{token}/reschedule\">{buttons}</form>")
    parts.append(f"<h2>Cancel</h2><form method=\"post\" action=\"/meetings/manage/{token}/cancel\">"
                 "<button type=\"submit\" class=\"danger\">Cancel this meeting</button></form>")
    return _page("Your meeting", "".join(parts))


async def reschedule_action(request: Request) -> Response:
    try:
        meeting_id = _verify(request)
    except BadLink as exc:
        return _page("This link does not work", f"<p>{html.escape(str(exc))}</p>", 404)
    form = await request.form()
    settings = load_meeting_settings()
    slot = Slot.from_key(str(form.get("slot", "")), timedelta(minutes=settings.duration_minutes))
    if slot is None:
        return _page("Pick a time", "<p>Choose one of the times on the page.</p>", 400)
    return await run_in_threadpool(_reschedule, request, meeting_id, slot)


def _reschedule(request: Request, meeting_id: int, slot: Slot) -> Response:
    dashboard, settings = request.app.state.dashboard, load_meeting_settings()
    now = dashboard.clock.now()
    with dashboard.sessions() as session:
        meeting = session.get(Meeting, meeting_id)
        who = availability_of(session, meeting.lead_id, settings) if meeting is not None else None
    if who is None:
        return _page("Meeting not found", "<p>This meeting can no longer be moved.</p>", 404)
    try:
        if slot not in free_slots_for(dashboard.sessions, who, settings, now=now, except_meeting=meeting_id):
            raise SlotTaken("not free")
        with dashboard.sessions.begin() as session:
            reschedule(session, meeting_id, slot, now=now)
    except SlotTaken:
        return _manage(request, meeting_id, "Sorry, that time is no longer free. Please pick another.")
    except (MeetingError, CalendarUnavailable) as exc:
        return _page("Not moved", f"<p>{html.escape(str(exc))}</p>", 409)
    return RedirectResponse(f"/meetings/manage/{request.path_params['token']}?done=moved", status_code=303)


async def cancel_action(request: Request) -> Response:
    try:
        meeting_id = _verify(request)
    except BadLink as exc:
        return _page("This link does not work", f"<p>{html.escape(str(exc))}</p>", 404)

    def run() -> Any:
        dashboard = request.app.state.dashboard
        with dashboard.sessions.begin() as session:
            cancel(session, meeting_id, now=dashboard.clock.now(), by="visitor")
    try:
        await run_in_threadpool(run)
    except MeetingError as exc:
        return _page("Not cancelled", f"<p>{html.escape(str(exc))}</p>", 409)
    return RedirectResponse(f"/meetings/manage/{request.path_params['token']}", status_code=303)


def routes() -> list[BaseRoute]:
    return [
        Route("/meetings", endpoint(meetings_page)),
        Route("/meetings/manage/{token}", manage_page, methods=["GET"]),
        Route("/meetings/manage/{token}/reschedule", reschedule_action, methods=["POST"]),
        Route("/meetings/manage/{token}/cancel", cancel_action, methods=["POST"]),
    ]
