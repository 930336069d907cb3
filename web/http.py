"""Request plumbing shared by every dashboard page and API endpoint.

`endpoint(...)` turns a plain function `handler(ctx) -> Response` into a Starlette
endpoint that: reads the form (or JSON body), runs the handler in a worker thread inside
one store transaction, signs the caller in from the session cookie (or, for the API, a
bearer token), refuses a POST whose CSRF token is missing or wrong, and turns the store's
user errors into a 400/404 page or JSON answer. Handlers stay small and synchronous, and
call the same domain functions the CLI does.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from jinja2 import Environment
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bot.clock import Clock
from bot.settings import SettingsError
from bot.store.errors import StoreError
from bot.store.pipeline import PipelineSettings
from bot.store.schema import WebSession
from web import csrf
from web.accounts import account_for_api_token
from web.nav import nav_context
from web.sessions import COOKIE, resume_session
from web.settings import DashboardSettings
from web.throttle import Throttle
from web.viewer import Viewer

# Sent with every dashboard page: nothing but our own files runs or loads, and no one frames us.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass
class Dashboard:
    """What every request needs, built once per app (`web.app.create_app`)."""

    sessions: sessionmaker[Session]
    settings: DashboardSettings
    pipeline: PipelineSettings
    clock: Clock  # the business clock (LEADBOT_NOW in tests), for the store's changes
    secret: bytes
    templates: Environment
    throttle: Throttle  # sign-in attempts per client address
    extras: dict[str, Any] = field(default_factory=dict)

    def real_now(self) -> datetime:
        """Wall-clock UTC, for sessions and lockouts (security clocks are never faked)."""
        return datetime.now(timezone.utc)


@dataclass(frozen=True)
class AfterCommit:
    """What a handler returns for work that must run after its store transaction ends: a call
    to Rasa whose action server writes the same store would wait forever on our write lock
    (SQLite transactions take it up front). `then()` runs in the same worker thread; an
    `HttpError` it raises is answered like one raised by the handler."""

    then: Callable[[], Response]


class HttpError(Exception):
    """A handler's way to answer with an error status and a message for the user."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class Ctx:
    request: Request
    app: Dashboard
    session: Session
    viewer: Viewer
    web_session: WebSession | None  # None when signed in with an API token
    form: dict[str, Any]

    def now(self) -> datetime:
        return self.app.clock.now()

    @property
    def csrf_token(self) -> str:
        return self.web_session.csrf_token if self.web_session else ""

    def field(self, name: str, default: str = "") -> str:
        value = self.form.get(name, default)
        return str(value).strip() if value is not None else default

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        return render(self.app, self.request, template, status, viewer=self.viewer, csrf_token=self.csrf_token,
                      **nav_context(self.session, self.viewer), **context)


def render(app: Dashboard, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = app.templates.get_template(template).render(request=request, path=request.url.path,
                                                       now=app.clock.now(), **context)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def json_response(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers={"Cache-Control": "no-store"})


def endpoint(handler: Callable[[Ctx], Response | AfterCommit], *, api: bool = False) -> Callable[[Request], Any]:
    """A Starlette endpoint around `handler` (see the module docstring)."""

    async def run(request: Request) -> Response:
        form: dict[str, Any] = {}
        if request.method == "POST":
            try:
                if request.headers.get("content-type", "").startswith("application/json"):
                    form = flat_object(await request.json())
                else:
                    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
            except (ValueError, RecursionError):  # RecursionError: JSON nested thousands deep
                return _error(request.app.state.dashboard, request, None, api, 400,
                              "the request body is not valid: send a JSON object of plain values, or a form")
        return await run_in_threadpool(_handle, handler, request, form, api)

    run.__name__ = handler.__name__
    return run


def flat_object(body: Any) -> dict[str, Any]:
    """A JSON body as the handlers read it: an object whose values are strings, numbers,
    booleans or null (every field of every endpoint is one of those); else ValueError."""
    if not isinstance(body, dict):
        raise ValueError("not a JSON object")
    if any(isinstance(v, (dict, list)) for v in body.values()):
        raise ValueError("nested JSON")
    return body


def _handle(handler: Callable[[Ctx], Response | AfterCommit], request: Request, form: dict[str, Any],
            api: bool) -> Response:
    app: Dashboard = request.app.state.dashboard
    viewer: Viewer | None = None
    token = ""  # kept outside the transaction: an error page still offers a working sign-out
    try:
        with app.sessions.begin() as session:
            web_session, viewer = _sign_in(app, session, request, api)
            token = web_session.csrf_token if web_session else ""
            if viewer is None:
                if api:
                    return JSONResponse({"error": "sign in first: session cookie or Authorization: Bearer <token>"},
                                        401, headers={"Cache-Control": "no-store", "WWW-Authenticate": "Bearer"})
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return see_other(f"/login?next={quote(target)}")
            if request.method == "POST" and web_session is not None:
                sent = form.get(csrf.FIELD) or request.headers.get(csrf.HEADER)
                if not csrf.same(str(sent or ""), web_session.csrf_token):
                    return _error(app, request, viewer, api, 403,
                                  "this form has expired or did not come from the dashboard; reload the page and try again",
                                  token)
            ctx = Ctx(request, app, session, viewer, web_session, form)
            result = handler(ctx)
        return result.then() if isinstance(result, AfterCommit) else result
    except HttpError as exc:
        return _error(app, request, viewer, api, exc.status, exc.message, token)
    except LookupError as exc:  # LeadNotFound, DealNotFound, RepNotFound, AccountNotFound
        return _error(app, request, viewer, api, 404, exc.args[0] if exc.args else "not found", token)
    except (StoreError, SettingsError, ValueError) as exc:
        return _error(app, request, viewer, api, 400, str(exc), token)


def _sign_in(app: Dashboard, session: Session, request: Request, api: bool) -> tuple[WebSession | None, Viewer | None]:
    auth = request.headers.get("authorization", "")
    if api and auth.lower().startswith("bearer "):
        account = account_for_api_token(session, auth[7:].strip())
        return None, Viewer.of(account) if account else None
    row = resume_session(session, request.cookies.get(COOKIE, ""), now=app.real_now(), settings=app.settings)
    return (row, Viewer.of(row.account)) if row else (None, None)


def _error(app: Dashboard, request: Request, viewer: Viewer | None, api: bool, status: int, message: str,
           token: str = "") -> Response:
    if api:
        return json_response({"error": message}, status)
    return render(app, request, "error.html", status, viewer=viewer, csrf_token=token, code=status, message=message)
