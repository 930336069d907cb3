"""Conversion and median time per stage, from the append-only stage history.

For each open stage of settings/pipeline.yml, over the entries into it within the period:
- entered: how many times a deal entered the stage;
- advanced: of those, how many next went to a later stage (or won); lost is not advancing;
- conversion = advanced / entered (None when nothing entered);
- median_days: median time between entering the stage and the deal's next stage change,
  over entries that have left it (a deal still there has no finished stay yet).
Merged deals are left out, as everywhere in the metrics.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from bot.metrics.common import days_between, median, ratio
from bot.metrics.period import MetricsFilter
from bot.store.pipeline import PipelineSettings
from bot.store.schema import Deal, StageHistory


@dataclass(frozen=True)
class StageFlow:
    key: str
    label: str
    entered: int
    advanced: int
    conversion: float | None
    median_days: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "entered": self.entered, "advanced": self.advanced,
                "conversion": self.conversion, "median_days": self.median_days}


def _deals_active_in(f: MetricsFilter) -> list[Any]:
    """Only deals with a stage entry in the period need their history windowed (speed)."""
    if f.period_start is None and f.period_end is None:
        return []
    return [StageHistory.deal_id.in_(select(StageHistory.deal_id).where(*f.in_period(StageHistory.changed_at))
                                     .scalar_subquery())]


def stage_flow(session: Session, f: MetricsFilter, pipeline: PipelineSettings) -> tuple[StageFlow, ...]:
    order = {s.key: i for i, s in enumerate(pipeline.stages) if not s.lost}
    window = {"partition_by": StageHistory.deal_id, "order_by": (StageHistory.changed_at, StageHistory.id)}
    stays = (
        select(StageHistory.to_stage.label("stage"), StageHistory.changed_at.label("entered_at"),
               func.lead(StageHistory.to_stage).over(**window).label("next_stage"),
               func.lead(StageHistory.changed_at).over(**window).label("left_at"))
        .join(Deal, Deal.id == StageHistory.deal_id)
        .where(Deal.merged_into_id.is_(None), *f.owned(Deal.lead_id), *_deals_active_in(f))
        .subquery()
    )
    rank = lambda column: case(order, value=column, else_=literal(-1))  # noqa: E731
    advanced = and_(stays.c.next_stage.is_not(None), rank(stays.c.next_stage) > rank(stays.c.stage))
    open_keys = [s.key for s in pipeline.stages if not s.closed]
    in_period = (stays.c.stage.in_(open_keys), *f.in_period(stays.c.entered_at))
    counts = select(stays.c.stage, func.count(), func.sum(case((advanced, 1), else_=0))).where(*in_period)
    entered: dict[str, int] = defaultdict(int)
    moved_on: dict[str, int] = defaultdict(int)
    for stage, count, forward in session.execute(counts.group_by(stays.c.stage)):
        entered[stage], moved_on[stage] = count, int(forward or 0)
    durations: dict[str, list[float]] = defaultdict(list)
    finished = select(stays.c.stage, days_between(session, stays.c.entered_at, stays.c.left_at)).where(
        *in_period, stays.c.left_at.is_not(None))
    for stage, days in session.execute(finished):
        durations[stage].append(max(float(days), 0.0))
    return tuple(
        StageFlow(s.key, s.label, entered[s.key], moved_on[s.key], ratio(moved_on[s.key], entered[s.key]),
                  median(durations[s.key]))
        for s in pipeline.stages if not s.closed
    )
