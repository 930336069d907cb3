"""Server-side sign-in sessions: a random token in an HttpOnly cookie, its hash in the store.

A session ends at the first of: `session_hours` after sign-in, `idle_minutes` without a
request, sign-out, or a password change. Each session carries its own CSRF token, which
every form posts back (`web/csrf.py`).
"""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.schema import Account, WebSession
from web.passwords import token_hash
from web.settings import DashboardSettings

COOKIE = "leadbot_session"
TOUCH_EVERY = timedelta(minutes=1)  # write last_seen_at at most this often (keeps reads cheap)


def start_session(session: Session, account: Account, *, now: datetime,
                  settings: DashboardSettings) -> tuple[str, WebSession]:
    """A new session for `account`; returns the cookie token (never stored) and the row."""
    token = secrets.token_urlsafe(32)
    row = WebSession(token_hash=token_hash(token), account_id=account.id, csrf_token=secrets.token_urlsafe(32),
                     created_at=now, last_seen_at=now, expires_at=_expiry(now, now, settings))
    session.add(row)
    session.flush()
    return token, row


def _expiry(created: datetime, seen: datetime, settings: DashboardSettings) -> datetime:
    return min(created + timedelta(hours=settings.session_hours), seen + timedelta(minutes=settings.idle_minutes))


def resume_session(session: Session, token: str, *, now: datetime, settings: DashboardSettings) -> WebSession | None:
    """The live session for a cookie token (and its account), sliding the idle expiry; else None."""
    if not token:
        return None
    row = session.scalars(select(WebSession).where(WebSession.token_hash == token_hash(token))).first()
    if row is None:
        return None
    if row.expires_at <= now or not row.account.active:
        session.delete(row)
        session.flush()
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        row.expires_at = _expiry(row.created_at, now, settings)
        session.flush()
    return row


def end_session(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))


def end_all_sessions(session: Session, account: Account) -> None:
    session.execute(delete(WebSession).where(WebSession.account_id == account.id))


def purge_expired(session: Session, *, now: datetime) -> int:
    """Delete sessions past their expiry (run at each sign-in: the table stays small)."""
    return session.execute(delete(WebSession).where(WebSession.expires_at <= now)).rowcount or 0
