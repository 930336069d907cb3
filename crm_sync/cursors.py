"""How far polling has read each CRM's change feed (`crm_cursors`), one row per stream.

A position is the CRM's own (HubSpot milliseconds, a Pipedrive timestamp, a Salesforce
SystemModstamp), written in the transaction that applied the changes read up to it, so a
crash re-reads at most one page, and re-reading is harmless (read-back is idempotent).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.schema import CrmCursor, CrmLink


def position(session: Session, crm: str, stream: str) -> str | None:
    return session.scalar(select(CrmCursor.position).where(CrmCursor.crm == crm, CrmCursor.stream == stream))


def advance(session: Session, crm: str, stream: str, value: str, *, now: datetime) -> None:
    row = session.scalar(select(CrmCursor).where(CrmCursor.crm == crm, CrmCursor.stream == stream))
    if row is None:
        session.add(CrmCursor(crm=crm, stream=stream, position=value, updated_at=now))
    else:
        row.position, row.updated_at = value, now
    session.flush()


def first_link_at(session: Session, crm: str) -> datetime | None:
    """When we first created anything in this CRM: nothing of ours changed there before."""
    return session.scalar(select(func.min(CrmLink.created_at)).where(CrmLink.crm == crm))
