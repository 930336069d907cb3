"""Stuck deals: open deals that have sat in their stage longer than the stage's `max_days`.

Time in stage = now - the deal's latest entry into its current stage (`deals.stage_entered_at`,
written with each stage change), so a stage's stuck deals are one range of the open deals'
index. Stages without `max_days` in settings/pipeline.yml never make a deal stuck. State at
`now`: the period does not apply. The list is oldest first and capped (`limit`, None for
all); counts are exact. `leadbot pipeline --stuck`, the metrics page and the daily digest
all use this one rule.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import CompoundSelect, Select, func, literal, select, union_all
from sqlalchemy.orm import Session

from bot.metrics.common import as_utc
from bot.metrics.indexes import OPEN_DEALS
from bot.metrics.period import MetricsFilter
from bot.store.pipeline import PipelineSettings
from bot.store.schema import Deal, UTCDateTime

LIST_LIMIT = 50


@dataclass(frozen=True)
class StuckDeal:
    deal_id: int
    lead_id: int
    stage: str
    entered_at: datetime
    days: int
    max_days: int
    owner_rep_id: int | None

    def to_dict(self) -> dict[str, Any]:
        return {"deal_id": self.deal_id, "lead_id": self.lead_id, "stage": self.stage, "days": self.days,
                "max_days": self.max_days, "owner_rep_id": self.owner_rep_id}


@dataclass(frozen=True)
class Stuck:
    total: int = 0
    by_stage: tuple[dict[str, Any], ...] = ()
    deals: tuple[StuckDeal, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "by_stage": [dict(s) for s in self.by_stage],
                "deals": [d.to_dict() for d in self.deals]}


def _limits(pipeline: PipelineSettings) -> dict[str, int]:
    """Open stages with a limit: key -> max_days."""
    return {s.key: s.max_days for s in pipeline.stages if not s.closed and s.max_days}


def _stuck_in(f: MetricsFilter, stage: str, max_days: int, now: datetime) -> list[Any]:
    """WHERE clauses on deals: open, in `stage` for more than `max_days` whole days (one
    range of the open deals' index, per stage, instead of a limit looked up per deal)."""
    entered_by = literal(now - timedelta(days=max_days + 1), UTCDateTime())
    return [Deal.closed_at.is_(None), Deal.stage == stage, Deal.stage_entered_at <= entered_by,
            *f.owned_by(Deal.owner_rep_id)]


def _listed(where: list[Any]) -> Select:
    return select(Deal.id, Deal.lead_id, Deal.stage, Deal.stage_entered_at.label("entered_at"),
                  Deal.owner_rep_id).where(*where)


def stuck_query(f: MetricsFilter, pipeline: PipelineSettings, now: datetime) -> Select | CompoundSelect | None:
    """Open deals over their stage's limit: (deal id, lead id, stage, entered_at, owner rep
    id); None when no stage has a limit."""
    parts = [_listed(_stuck_in(f, key, days, now)) for key, days in _limits(pipeline).items()]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _deal(row: Any, now: datetime, pipeline: PipelineSettings) -> StuckDeal:
    entered_at = as_utc(row.entered_at)
    assert entered_at is not None
    return StuckDeal(row.id, row.lead_id, row.stage, entered_at, (now - entered_at).days,
                     pipeline.stage(row.stage).max_days or 0, row.owner_rep_id)


def stuck(session: Session, f: MetricsFilter, pipeline: PipelineSettings, now: datetime,
          limit: int | None = LIST_LIMIT) -> Stuck:
    limits = _limits(pipeline)
    counts: dict[str, int] = {}
    oldest: list[list[StuckDeal]] = []
    read = OPEN_DEALS.reader(f)
    for key, days in limits.items():
        where = _stuck_in(f, key, days, now)
        counts[key] = session.scalar(read(select(func.count()).select_from(Deal).where(*where))) or 0
        if counts[key] and limit != 0:  # this stage's oldest, in index order; merged below
            query = read(_listed(where).order_by(Deal.stage_entered_at, Deal.id))
            rows = session.execute(query if limit is None else query.limit(limit))
            oldest.append([_deal(row, now, pipeline) for row in rows])
    listed = list(heapq.merge(*oldest, key=lambda d: (d.entered_at, d.deal_id)))
    by_stage = tuple({"key": s.key, "label": s.label, "max_days": s.max_days, "count": counts[s.key]}
                     for s in pipeline.stages if s.key in limits)
    return Stuck(sum(counts.values()), by_stage, tuple(listed if limit is None else listed[:limit]))
