"""The widget's files, the demo landing page and the rep API, as Starlette routes.

They are served by the reps' dashboard server (`leadbot dashboard`, started by `make run`):
`leadbot/site.py` mounts these routes on the dashboard (`web.app.create_app`'s `extra_routes`),
so the site has one web server. Configuration from the environment (set by scripts/run.sh):

    LEADBOT_RASA_URL          Rasa's HTTP API, private side (default http://127.0.0.1:5005)
    LEADBOT_AUTH_TOKEN        Rasa's API token, if Rasa requires one
    LEADBOT_WIDGET_SOCKET_URL where browsers reach Rasa's socket.io (default: LEADBOT_RASA_URL)

Reps use the rep API with their own dashboard account (`leadbot users token EMAIL`); the
former shared LEADBOT_REP_API_TOKEN is no longer read (a warning says so when it is set).
"""
from __future__ import annotations

import html
import logging
import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from webchat.rasa_api import RasaApi
from webchat.rep_api import RepDesk
from bot.proactive import load_proactive_settings
from webchat.proactive import proactive_config
from webchat.reply_time import reply_time

STATIC = Path(__file__).resolve().parent / "static"
SOCKET_URL_MARKER = "{{SOCKET_URL}}"
log = logging.getLogger(__name__)


def demo_page(socket_url: str) -> str:
    """The demo landing page with the widget's one script tag pointing at `socket_url`."""
    page = (STATIC / "demo.html").read_text(encoding="utf-8")
    return page.replace(SOCKET_URL_MARKER, html.escape(socket_url, quote=True))


def routes() -> list[BaseRoute]:
    """/demo/ (landing page), /widget/* (widget.js, widget.css, vendored socket.io client,
    reply-time: when a person typically replies, and proactive: when the chat offers itself),
    /api/handoff/* (rep API) and the lead page's reply and hand-back forms."""
    rasa_url = os.environ.get("LEADBOT_RASA_URL", "http://127.0.0.1:5005")
    rasa = RasaApi(rasa_url, os.environ.get("LEADBOT_AUTH_TOKEN") or None)
    page = demo_page(os.environ.get("LEADBOT_WIDGET_SOCKET_URL", rasa_url))
    load_proactive_settings()  # a mistake in settings/proactive.yml stops the server at start
    if os.environ.get("LEADBOT_REP_API_TOKEN"):
        log.warning("LEADBOT_REP_API_TOKEN is set but no longer used: reps call the rep API with their own "
                    "dashboard token (`leadbot users token EMAIL`), docs/handoff.md")

    def demo(request: Request) -> HTMLResponse:
        return HTMLResponse(page)

    return [
        Route("/demo/", demo, methods=["GET"]),
        Route("/widget/reply-time", reply_time, methods=["GET"]),  # before the files' mount
        Route("/widget/proactive", proactive_config, methods=["GET"]),
        Mount("/widget", app=StaticFiles(directory=STATIC), name="widget"),
        *RepDesk(rasa).routes(),
    ]
