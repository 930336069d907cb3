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
from sqlalchemy.orm import Session, aliased

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


def stage_flow(session: Session, f: MetricsFilter, pipeline: PipelineSettings) -> tuple[StageFlow, ...]:
    order = {s.key: i for i, s in enumerate(pipeline.stages) if not s.lost}
    open_keys = [s.key for s in pipeline.stages if not s.closed]
    entry, after = aliased(StageHistory), aliased(StageHistory)
    # The change that ended a stay: the deal's next history row (history is append-only, so
    # ids follow time within a deal). A correlated lookup on (deal_id) per entry in the
    # period, instead of a window over the whole history.
    next_id = (select(func.min(after.id)).where(after.deal_id == entry.deal_id, after.id > entry.id)
               .correlate(entry).scalar_subquery())
    stays = (
        select(entry.to_stage.label("stage"), entry.changed_at.label("entered_at"), next_id.label("next_id"))
        .join(Deal, Deal.id == entry.deal_id)
        .where(entry.to_stage.in_(open_keys), Deal.merged_into_id.is_(None), *f.owned(Deal.lead_id),
               *f.in_period(entry.changed_at))
        .subquery()
    )
    left = aliased(StageHistory)
    rank = lambda column: case(order, value=column, else_=literal(-1))  # noqa: E731
    advanced = and_(left.to_stage.is_not(None), rank(left.to_stage) > rank(stays.c.stage))
    query = (select(stays.c.stage, case((advanced, 1), else_=0),
                    days_between(session, stays.c.entered_at, left.changed_at))
             .select_from(stays).outerjoin(left, left.id == stays.c.next_id))
    entered: dict[str, int] = defaultdict(int)
    moved_on: dict[str, int] = defaultdict(int)
    durations: dict[str, list[float]] = defaultdict(list)
    for stage, forward, days in session.execute(query):  # one pass: the lookups run once
        entered[stage] += 1
        moved_on[stage] += forward
        if days is not None:
            durations[stage].append(max(float(days), 0.0))
    return tuple(
        StageFlow(s.key, s.label, entered[s.key], moved_on[s.key], ratio(moved_on[s.key], entered[s.key]),
                  median(durations[s.key]))
        for s in pipeline.stages if not s.closed
    )
