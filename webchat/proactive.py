"""The widget's proactive-chat settings: `GET /widget/proactive?site=<host>`.

    {"enabled": true, "site": "default", "frequency": {...}, "quiet_pages": [...], "triggers": [...]}

The site's part of `settings/proactive.yml` as `ProactiveSettings.widget_config` gives it
(page patterns as regular expressions, each trigger's conditions and teaser; the openings
stay on the server, which says them). Public and read-only like reply-time and the widget's
files (`Access-Control-Allow-Origin: *`, no cookies, no visitor data in or out), cached by
browsers for a few minutes; the file is parsed once per content (`bot.settings`), so an
edited file applies to the next request.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot.proactive import load_proactive_settings

MAX_AGE_SECONDS = 300  # a browser asks again at most every five minutes, whatever the page
MAX_SITE_CHARS = 253   # a host name's longest


async def proactive_config(request: Request) -> Response:
    site = request.query_params.get("site", "")[:MAX_SITE_CHARS]
    return JSONResponse(load_proactive_settings().widget_config(site), headers={
        "Access-Control-Allow-Origin": "*", "Cache-Control": f"public, max-age={MAX_AGE_SECONDS}"})
