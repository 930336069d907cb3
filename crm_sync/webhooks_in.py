"""`POST /crm/webhooks/hubspot` and `/crm/webhooks/pipedrive`: the CRM's pushes, on the dashboard.

Mounted on the dashboard by `leadbot/site.py`, the one leadbot server a CRM can
reach. Outside the dashboard's sign-in and CSRF: the CRM proves itself instead (HubSpot's
v3 signature, Pipedrive's basic auth; `crm_sync/readback/`). A verified request's changes
are applied in one store transaction, off the event loop, before we answer 200; an
answer other than 2xx makes the CRM send it again, which is harmless (read-back is
idempotent). Needs no CRM token: only the configured provider's webhook secret.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from crm_sync.read_back import make_reader, receive, vocabulary
from crm_sync.readback import WebhookRefused
from crm_sync.settings import load_crm_settings

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024  # HubSpot batches at most 100 events


def _now() -> datetime:
    return datetime.now(timezone.utc)


def routes() -> list[BaseRoute]:
    settings = load_crm_settings()
    vocab = vocabulary(settings)
    reader = make_reader(settings, vocab) if vocab is not None else None

    async def webhook(request: Request) -> JSONResponse:
        crm = request.path_params["crm"]
        if reader is None or vocab is None or crm != settings.provider or crm == "salesforce":
            return JSONResponse({"error": f"{crm} is not the configured CRM's webhook (settings/crm.yml)"}, 404)
        body = await request.body()
        if len(body) > MAX_BODY:
            return JSONResponse({"error": "body too large"}, 413)
        try:
            changes = reader.webhook(request.method, str(request.url), request.headers, body)
        except WebhookRefused as refused:
            log.warning("%s webhook refused: %s", crm, refused)
            return JSONResponse({"error": str(refused)}, refused.status)
        sessions = request.app.state.dashboard.sessions
        report = await run_in_threadpool(receive, sessions, changes, vocab, now=_now)
        return JSONResponse({"received": len(changes), "applied": report.applied})

    return [Route("/crm/webhooks/{crm}", webhook, methods=["POST"])]
