"""What leadbot and the CRM last agreed each synced field of a lead is (`crm_field_states`).

Four fields go both ways: the deal's `stage`, its `amount`, its `lost_reason`, and the
lead's `owner` (a rep's e-mail), all kept in leadbot's terms. A field is *agreed* when we
wrote it to the CRM (recorded the moment the CRM accepted it) or when we applied a value
the CRM reported. The agreement is what tells, when the CRM reports a field,
- our own write coming back (the value agreed: nothing to do, nothing to send again),
- a change older than our last write of the field (stale: our later write won),
- a real change in the CRM, and whether leadbot changed the field too since (a conflict);
and, when we send a lead, which fields we need not send again (`unchanged`), so an event
about a note never overwrites a stage a rep just changed in the CRM.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.schema import CrmFieldState

FIELDS = ("stage", "amount", "lost_reason", "owner")
Agreed = dict[str, tuple[str | None, datetime]]


def amount_text(value: Any) -> str | None:
    """An amount as one canonical text ("12000", "12000.5"), whatever the CRM or the store wrote."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    text = format(number.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


def lead_values(lead: Mapping[str, Any]) -> dict[str, str | None]:
    """The synced fields of a lead in the export contract's shape (`bot.store.export.lead_to_export`)."""
    deal = lead.get("deal") or {}
    return {"stage": deal.get("stage"), "amount": amount_text(deal.get("value")),
            "lost_reason": deal.get("lost_reason"), "owner": (lead.get("assignment") or {}).get("rep_email")}


def agreed(session: Session, crm: str, lead_id: int) -> Agreed:
    rows = session.scalars(select(CrmFieldState).where(CrmFieldState.crm == crm, CrmFieldState.lead_id == lead_id))
    return {row.field: (row.value, row.agreed_at) for row in rows}


def agree(session: Session, crm: str, lead_id: int, values: Mapping[str, str | None], at: datetime) -> None:
    """Both sides hold `values` since `at` (never moves an agreement back in time)."""
    rows = {row.field: row for row in session.scalars(select(CrmFieldState).where(
        CrmFieldState.crm == crm, CrmFieldState.lead_id == lead_id, CrmFieldState.field.in_(list(values))))}
    for field, value in values.items():
        row = rows.get(field)
        if row is None:
            session.add(CrmFieldState(crm=crm, lead_id=lead_id, field=field, value=value, agreed_at=at))
        elif row.agreed_at <= at:
            row.value, row.agreed_at = value, at
    session.flush()


def unchanged(agreement: Agreed, values: Mapping[str, str | None], fields: Iterable[str] = FIELDS) -> list[str]:
    """The fields whose value is the one both sides agreed: no need to send them again."""
    return sorted(f for f in fields if f in agreement and agreement[f][0] == values.get(f))
