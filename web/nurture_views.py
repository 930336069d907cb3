"""The public side of nurture e-mails (bot/nurture): no sign-in, the signed token in the URL
is the authority (bot/nurture/links.py).

    GET  /nurture/u/{token}    the unsubscribe page: one button
    POST /nurture/u/{token}    unsubscribe now (the button, and RFC 8058 one-click POSTs
                               from mail providers: body `List-Unsubscribe=One-Click`)
    GET  /nurture/c/{token}    a tracked link: counted, then redirected to the signed target
    GET  /nurture/chat/{token} the chat widget continuing the visitor's own conversation

A GET never unsubscribes: mail scanners open every link of a message, and would unsubscribe
everyone. The POST takes effect in its own transaction: the sequence stops and queued
e-mails are cancelled before the page answers.
"""
from __future__ import annotations

import html
import os
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.nurture.links import CLICK, RESUME, RESUME_TARGET, UNSUBSCRIBE, Links, Signer, nurture_secret
from bot.nurture.sequence import record_click, unsubscribe
from bot.nurture.settings import NurtureSettings, load_nurture_settings
from bot.store.schema import Lead
from web.http import SECURITY_HEADERS

WIDGET_CHANNEL = "socketio"  # conversations the widget can continue


def _page(title: str, body: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    page = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            f"content=\"width=device-width, initial-scale=1\"><title>{html.escape(title)}</title></head>"
            f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>")
    return HTMLResponse(page, status_code=status, headers=headers if headers is not None else SECURITY_HEADERS)


def _signer(settings: NurtureSettings) -> Signer:
    return Signer(nurture_secret(settings.secret_env))


def _now(request: Request) -> datetime:
    return request.app.state.dashboard.clock.now()


def _in_store(request: Request, work: Any) -> Any:
    """Run `work(session)` in one transaction of the dashboard's store, off the event loop."""
    def run() -> Any:
        with request.app.state.dashboard.sessions.begin() as session:
            return work(session)
    return run_in_threadpool(run)


async def unsubscribe_page(request: Request) -> Response:
    settings = load_nurture_settings()
    token = request.path_params["token"]
    payload = _signer(settings).verify(token, UNSUBSCRIBE)
    if payload is None:
        return _page("Link not valid", "<p>This unsubscribe link is not valid. Use the link in the e-mail as it "
                     "came.</p>", 404)
    if request.method == "POST":
        at = _now(request)
        await _in_store(request, lambda s: unsubscribe(s, int(payload["m"]), now=at))
        return _page("You are unsubscribed", "<p>You will get no more of these e-mails.</p>")
    form = (f"<p>Stop getting these e-mails?</p><form method=\"post\" action=\"/nurture/u/{html.escape(token)}\">"
            "<button type=\"submit\">Unsubscribe</button></form>")
    return _page("Unsubscribe", form)


async def click(request: Request) -> Response:
    settings = load_nurture_settings()
    payload = _signer(settings).verify(request.path_params["token"], CLICK)
    if payload is None or not isinstance(payload.get("u"), str):
        return _page("Link not valid", "<p>This link is not valid.</p>", 404)
    at = _now(request)
    lead_id = await _in_store(request, lambda s: _clicked(s, int(payload["m"]), at))
    target = payload["u"]
    if target != RESUME_TARGET:
        return RedirectResponse(target, status_code=302)
    if lead_id is None:
        return _page("Link expired", "<p>This conversation is no longer kept.</p>", 410)
    expires = int(payload.get("x", 0))
    if at.timestamp() > expires:
        return _page("Link expired", "<p>This link has expired; open a new chat on our site.</p>", 410)
    links = Links(_signer(settings), settings.links_base)
    return RedirectResponse(links.resume(lead_id, expires), status_code=303)


def _clicked(session: Any, message_id: int, at: datetime) -> int | None:
    message = record_click(session, message_id, now=at)
    return message.lead_id if message is not None else None


async def chat(request: Request) -> Response:
    settings = load_nurture_settings()
    payload = _signer(settings).verify(request.path_params["token"], RESUME)
    if payload is None:
        return _page("Link not valid", "<p>This link is not valid.</p>", 404)
    if _now(request).timestamp() > int(payload.get("x", 0)):
        return _page("Link expired", "<p>This link has expired; open a new chat on our site.</p>", 410)
    lead = await _in_store(request, lambda s: _conversation(s, int(payload["l"])))
    if lead is None:
        return _page("Link expired", "<p>This conversation is no longer kept.</p>", 410)
    name, conversation = lead
    socket_url = os.environ.get("LEADBOT_WIDGET_SOCKET_URL") or os.environ.get("LEADBOT_RASA_URL",
                                                                                "http://127.0.0.1:5005")
    resume = f' data-resume="{html.escape(conversation, quote=True)}"' if conversation else ""
    greeting = f"Welcome back, {html.escape(name)}." if name else "Welcome back."
    body = (f"<p>{greeting} The chat opens where you left it: tell us what changed.</p>"
            f"<script src=\"/widget/widget.js\" data-server=\"{html.escape(socket_url, quote=True)}\" "
            f"data-open=\"true\"{resume} defer></script>")
    # No-store and no referrer: the page names the conversation; the widget needs its own script only.
    headers = {**SECURITY_HEADERS, "Content-Security-Policy": "default-src 'self'; connect-src *; script-src 'self'; "
               "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'", "Referrer-Policy": "no-referrer"}
    return _page("Continue the conversation", body, headers=headers)


def _conversation(session: Any, lead_id: int) -> tuple[str | None, str | None] | None:
    """The lead's first name and its widget conversation (None: it chatted on another channel,
    the chat starts afresh and the lead's e-mail links it)."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        return None
    first = (lead.name or "").split()[0] if (lead.name or "").strip() else None
    return first, (lead.conversation_id if lead.channel == WIDGET_CHANNEL else None)


def routes() -> list[BaseRoute]:
    return [
        Route("/nurture/u/{token}", unsubscribe_page, methods=["GET", "POST"]),
        Route("/nurture/c/{token}", click, methods=["GET"]),
        Route("/nurture/chat/{token}", chat, methods=["GET"]),
    ]
