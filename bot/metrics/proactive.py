"""Leads per proactive trigger: which of the widget's teasers bring leads, and good ones.

- A lead counts in the period it was created (`leads.created_at`), under the trigger whose
  teaser the visitor opened the chat from (`source.proactive_trigger`, bot/proactive.py);
  leads of chats the visitor opened themselves (or from another channel) count as one row
  without a trigger, to compare with.
- qualified: those of them whose status is qualified now (as the weekly trend counts them);
  rate = qualified / leads.
Triggers come most leads first, then by name; the row without a trigger comes last.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.metrics.common import ratio
from bot.metrics.period import MetricsFilter
from bot.proactive import TRIGGER_KEY
from bot.store.schema import Lead


@dataclass(frozen=True)
class TriggerLeads:
    trigger: str | None  # None: the chat was not opened from a teaser
    leads: int
    qualified: int

    def to_dict(self) -> dict[str, Any]:
        return {"trigger": self.trigger, "leads": self.leads, "qualified": self.qualified,
                "qualified_rate": ratio(self.qualified, self.leads)}


@dataclass(frozen=True)
class ProactiveLeads:
    rows: tuple[TriggerLeads, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"triggers": [r.to_dict() for r in self.rows]}


def proactive_leads(session: Session, f: MetricsFilter) -> ProactiveLeads:
    trigger = Lead.source[TRIGGER_KEY].as_string()
    query = (select(trigger, Lead.status, func.count())
             .where(*f.in_period(Lead.created_at), *f.owned_by(Lead.owner_rep_id))
             .group_by(trigger, Lead.status))
    leads, qualified = Counter(), Counter()
    for name, status, count in session.execute(query):
        leads[name] += count
        qualified[name] += count if status == "qualified" else 0
    named = sorted((n for n in leads if n is not None), key=lambda n: (-leads[n], n))
    rows = [TriggerLeads(n, leads[n], qualified[n]) for n in named]
    if None in leads:
        rows.append(TriggerLeads(None, leads[None], qualified[None]))
    return ProactiveLeads(tuple(rows))
