"""Who may call the action server: Rasa only.

Anything that reaches `/webhook` can rewrite any lead and write lines into its transcript, so
the server
- listens on loopback unless told otherwise (`SANIC_HOST`, rasa-sdk's own setting, which it
  would default to 0.0.0.0);
- answers only requests carrying the shared token `LEADBOT_ACTIONS_TOKEN`, which Rasa sends
  as the query parameter `token` (endpoints.yml: `action_endpoint.token`; Rasa 3.6's
  `EndpointConfig.combine_parameters`), compared in constant time; it does not start without
  one;
- takes only JSON bodies, so a web page cannot post a form or `text/plain` to it from a
  visitor's browser (those need no CORS preflight).
`/health` stays open: it tells nothing but "up"; so does `/metrics` (counts and timings by
action and channel, nothing a visitor wrote: rasa_sdk_plugins/telemetry.py).
"""
from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Awaitable, Callable

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

TOKEN_VARIABLE = "LEADBOT_ACTIONS_TOKEN"
HOST_VARIABLE = "SANIC_HOST"  # read by rasa_sdk.endpoint.run after the plugins are attached
DEFAULT_HOST = "127.0.0.1"
OPEN_PATHS = frozenset({"/health", "/metrics"})

log = logging.getLogger(__name__)


class MissingToken(SystemExit):
    """Raised at start-up: an action server without a token would take anyone's calls."""


def attach(app: Sanic) -> None:
    """Default the listening address to loopback and check every request's token and type."""
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        raise MissingToken(f"{TOKEN_VARIABLE} is not set: the action server answers only requests "
                           f"with the token Rasa sends (endpoints.yml action_endpoint.token). "
                           f"scripts/run.sh makes one per run; see docs/security.md.")
    os.environ.setdefault(HOST_VARIABLE, DEFAULT_HOST)
    app.register_middleware(request_guard(token.encode()), "request")


def request_guard(token: bytes) -> Callable[[Request], Awaitable[HTTPResponse | None]]:
    async def guard(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        supplied = (request.args.get("token") or "").encode()
        if not hmac.compare_digest(supplied, token):
            log.warning("refused %s %s from %s: %s token", request.method, request.path,
                        request.ip, "wrong" if supplied else "no")
            return json({"error": "a valid token is required"}, status=401)
        if request.method == "POST" and _media_type(request) != "application/json":
            return json({"error": "the body must be application/json"}, status=415)
        return None

    return guard


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
