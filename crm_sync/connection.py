"""Whether the CRM still accepts our credentials (`crm_connections`): one alert, not a pile
of dead letters.

When the CRM refuses the credential itself (a 401 on a call, or `invalid_grant` when an
OAuth token is refreshed: revoked, expired, its user deactivated), the connection is
marked `refused` with the CRM's words. The worker then pauses: the event that met the
refusal stays pending, no later event is tried, and `leadbot sync status` and the
dashboard show the one alert. A new credential in the environment (another hash than
the refused one) clears it at the worker's next round, and the events go out in order.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.schema import CrmConnection


def fingerprint(credential: str) -> str:
    return hashlib.sha256(credential.encode()).hexdigest()


def row(session: Session, crm: str, *, now: datetime) -> CrmConnection:
    found = session.scalar(select(CrmConnection).where(CrmConnection.crm == crm))
    if found is None:
        found = CrmConnection(crm=crm, state="connected", updated_at=now)
        session.add(found)
        session.flush()
    return found


def refuse(sessions: sessionmaker[Session], crm: str, error: str, credential_sha256: str, *,
           now: Callable[[], datetime]) -> None:
    with sessions.begin() as session:
        connection = row(session, crm, now=now())
        if connection.state != "refused" or connection.credential_sha256 != credential_sha256:
            connection.refused_at = now()
        connection.state, connection.error = "refused", error[:2000]
        connection.credential_sha256, connection.updated_at = credential_sha256, now()


def refusal(sessions: sessionmaker[Session], crm: str, credential_sha256: str, *,
            now: Callable[[], datetime]) -> str | None:
    """The alert when the CRM refused this very credential; a different one clears it (None)."""
    with sessions.begin() as session:
        connection = session.scalar(select(CrmConnection).where(CrmConnection.crm == crm))
        if connection is None or connection.state != "refused":
            return None
        if connection.credential_sha256 != credential_sha256:
            connection.state, connection.error, connection.updated_at = "connected", None, now()
            return None
        return alert_text(connection)


def alert_text(connection: CrmConnection) -> str:
    return (f"{connection.crm} refused leadbot's credentials since {connection.refused_at:%Y-%m-%d %H:%M} UTC: "
            f"{connection.error}. Nothing is sent or read until you give it a new one (docs/crm.md "
            f"\"Connections\"); events wait, none is lost.")


def alerts(session: Session) -> list[str]:
    """Every refused connection's alert (the dashboard banner, `leadbot sync status`)."""
    return [alert_text(c) for c in session.scalars(select(CrmConnection).where(CrmConnection.state == "refused"))]
