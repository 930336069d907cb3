"""The one web server of `make run`: the reps' dashboard with the chat widget, its demo page,
the rep API (webchat/) and the CRM's webhooks (crm_sync/) mounted on it."""
from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from crm_sync import webhooks_in
from web.app import create_app
from webchat import app as webchat


def create_site(**options: Any) -> Starlette:
    """`web.app.create_app(**options)` with the widget, the rep API and the CRM webhooks."""
    return create_app(extra_routes=[*webchat.routes(), *webhooks_in.routes()], **options)
