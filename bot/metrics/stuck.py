"""Stuck deals: open deals that have sat in their stage longer than the stage's `max_days`.

Time in stage = now - the deal's latest entry into its current stage (`deals.stage_entered_at`,
written with each stage change). Stages without `max_days` in settings/pipeline.yml never
make a deal stuck. State at `now`: the period does not apply. The list is oldest first and
capped (`limit`, None for all); counts are exact. `leadbot pipeline --stuck`, the metrics
page and the daily digest all use this one rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from bot.metrics.common import as_utc
from bot.metrics.period import MetricsFilter
from bot.store.pipeline import PipelineSettings
from bot.store.schema import Deal, Lead, UTCDateTime

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


def _over_limit(f: MetricsFilter, pipeline: PipelineSettings, now: datetime) -> list[Any] | None:
    """WHERE clauses on deals: open and over their stage's limit (None: no stage has one)."""
    limits = {s.key: s.max_days for s in pipeline.stages if not s.closed and s.max_days}
    if not limits:
        return None
    # Over the limit = more than max_days whole days in the stage.
    latest = {k: literal(now - timedelta(days=days + 1), UTCDateTime()) for k, days in limits.items()}
    return [Deal.closed_at.is_(None), Deal.stage.in_(list(limits)), *f.owned_by(Deal.owner_rep_id),
            Deal.stage_entered_at <= case(latest, value=Deal.stage)]


def stuck_query(f: MetricsFilter, pipeline: PipelineSettings, now: datetime):
    """Open deals over their stage's limit: (deal id, lead id, stage, entered_at, owner rep id)."""
    over = _over_limit(f, pipeline, now)
    if over is None:
        return None
    return (select(Deal.id, Deal.lead_id, Deal.stage, Deal.stage_entered_at.label("entered_at"), Lead.owner_rep_id)
            .join(Lead, Lead.id == Deal.lead_id).where(*over))


def _deal(row: Any, now: datetime, pipeline: PipelineSettings) -> StuckDeal:
    entered_at = as_utc(row.entered_at)
    assert entered_at is not None
    return StuckDeal(row.id, row.lead_id, row.stage, entered_at, (now - entered_at).days,
                     pipeline.stage(row.stage).max_days or 0, row.owner_rep_id)


def stuck(session: Session, f: MetricsFilter, pipeline: PipelineSettings, now: datetime,
          limit: int | None = LIST_LIMIT) -> Stuck:
    over, query = _over_limit(f, pipeline, now), stuck_query(f, pipeline, now)
    if over is None or query is None:
        return Stuck()
    # Counted from the open-deals index alone; only the listed deals read their lead's owner.
    counts = dict(session.execute(select(Deal.stage, func.count()).where(*over).group_by(Deal.stage)).all())
    rows = session.execute(query.order_by(Deal.stage_entered_at, Deal.id).limit(limit)).all()
    by_stage = tuple({"key": s.key, "label": s.label, "max_days": s.max_days, "count": counts.get(s.key, 0)}
                     for s in pipeline.stages if not s.closed and s.max_days)
    return Stuck(sum(counts.values()), by_stage, tuple(_deal(r, now, pipeline) for r in rows))
