"""Sign-in and sign-out pages."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from web import csrf
from web.accounts import authenticate
from web.http import Ctx, Dashboard, render, see_other
from web.sessions import COOKIE, end_session, purge_expired, resume_session, start_session

LOGIN_NONCE_SECONDS = 3600


def safe_next(target: str | None) -> str:
    """Only a path on this site (never `//evil.example` or `https://...`): no open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/inbox"


def failed_sign_in(app: Dashboard) -> str:
    """The one answer to every failed sign-in: a locked account, a wrong password and an
    unknown e-mail read the same, so the form never tells which e-mails have accounts."""
    s = app.settings
    return (f"Wrong e-mail or password. After {s.max_failed_logins} wrong passwords in a row an account "
            f"is locked for {s.lockout_minutes:g} minutes.")


def _login_form(app: Dashboard, request: Request, status: int = 200, error: str | None = None,
                email: str = "") -> Response:
    nonce = csrf.new_login_nonce()
    response = render(app, request, "login.html", status, viewer=None, csrf_token="",
                      login_token=csrf.login_token(app.secret, nonce), error=error, email=email,
                      next=safe_next(request.query_params.get("next")))
    response.set_cookie(csrf.LOGIN_COOKIE, nonce, max_age=LOGIN_NONCE_SECONDS, httponly=True, samesite="lax",
                        secure=app.settings.secure_cookies, path="/login")
    return response


async def login_page(request: Request) -> Response:
    app: Dashboard = request.app.state.dashboard

    def signed_in() -> bool:
        with app.sessions.begin() as session:
            return resume_session(session, request.cookies.get(COOKIE, ""), now=app.real_now(),
                                  settings=app.settings) is not None

    if await run_in_threadpool(signed_in):
        return see_other(safe_next(request.query_params.get("next")))
    return _login_form(app, request)


async def login_submit(request: Request) -> Response:
    app: Dashboard = request.app.state.dashboard
    form = await request.form()
    email, password = str(form.get("email") or "").strip(), str(form.get("password") or "")
    target = safe_next(str(form.get("next") or ""))
    if not csrf.valid_login_token(app.secret, request.cookies.get(csrf.LOGIN_COOKIE), str(form.get(csrf.FIELD) or "")):
        return _login_form(app, request, 403, "This sign-in form expired. Please try again.", email)
    if not email or not password:
        return _login_form(app, request, 400, "Enter your e-mail and password.", email)
    if not app.throttle.allow(request.client.host if request.client else "unknown"):
        return _login_form(app, request, 429, "Too many sign-in attempts from here. Wait a few minutes.", email)

    def check() -> tuple[str | None, str | None]:
        with app.sessions.begin() as session:
            now = app.real_now()
            result = authenticate(session, email, password, now=now, settings=app.settings)
            if result.account is None:
                return None, failed_sign_in(app)
            purge_expired(session, now=now)
            token, _ = start_session(session, result.account, now=now, settings=app.settings)
            return token, None

    token, error = await run_in_threadpool(check)
    if token is None:
        return _login_form(app, request, 401, error, email)
    response = see_other(target)
    response.set_cookie(COOKIE, token, max_age=int(app.settings.session_hours * 3600), httponly=True,
                        samesite="lax", secure=app.settings.secure_cookies, path="/")
    response.delete_cookie(csrf.LOGIN_COOKIE, path="/login")
    return response


def logout(ctx: Ctx) -> Response:
    end_session(ctx.session, ctx.request.cookies.get(COOKIE, ""))
    response = see_other("/login")
    response.delete_cookie(COOKIE, path="/")
    return response
