"""What read-back tests share: a rep in the store, the lead's deal and its history, the
changes read back, and the pipeline report as `leadbot pipeline report --json` prints it."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.assignment.reps import add_rep
from bot.store.schema import CrmChange, Deal, Lead, Note, OutboxEvent, StageHistory
from tests.crm_sync.sync_helpers import cli, utcnow

REP = "dana@seller.example"


def add_dana(sessions) -> None:
    with sessions.begin() as s:
        add_rep(s, "Dana", REP, now=utcnow())


def deal_of(sessions, lead_id: int) -> Deal:
    with sessions() as s:
        deal = s.get(Lead, lead_id).current_deal()
        s.expunge(deal)
        return deal


def history(sessions, lead_id: int) -> list[tuple[str | None, str, str]]:
    with sessions() as s:
        rows = s.scalars(select(StageHistory).join(Deal).where(Deal.lead_id == lead_id).order_by(StageHistory.id))
        return [(h.from_stage, h.to_stage, h.changed_by) for h in rows]


def changes(sessions, lead_id: int) -> list[tuple[str, str | None, str | None, str]]:
    """(field, CRM value, leadbot's value, outcome) of every change logged for the lead."""
    with sessions() as s:
        rows = s.scalars(select(CrmChange).where(CrmChange.lead_id == lead_id).order_by(CrmChange.id))
        return [(c.field, c.value, c.other_value, c.outcome) for c in rows]


def notes(sessions, lead_id: int) -> list[tuple[str, str]]:
    with sessions() as s:
        return [(n.author, n.body) for n in s.scalars(select(Note).where(Note.lead_id == lead_id).order_by(Note.id))]


def pending(sessions) -> int:
    with sessions() as s:
        return len(s.scalars(select(OutboxEvent.id).where(OutboxEvent.status == "pending")).all())


def report() -> dict:
    result = cli("pipeline", "report", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def later(seconds: float) -> float:
    """An epoch time `seconds` from now (a rep's change at a chosen moment)."""
    return (utcnow() + timedelta(seconds=seconds)).timestamp()


def at(moment: datetime) -> float:
    return moment.timestamp()
