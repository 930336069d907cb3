"""Conversion and median time per stage, from the append-only stage history.

For each open stage of settings/pipeline.yml, over the entries into it within the period:
- entered: how many times a deal entered the stage;
- advanced: of those, how many next went to a later stage (or won); lost is not advancing;
- conversion = advanced / entered (None when nothing entered);
- median_days: median time between entering the stage and the deal's next stage change,
  over entries that have left it (a deal still there has no finished stay yet).
Merged deals are left out, as everywhere in the metrics.

The history row that ends a stay carries its start (`from_entered_at`) and length
(`stay_days`), so nothing is paired at read time. Each figure is a count over index ranges
(entries by `to_stage`, `changed_at`; finished stays by `from_stage`, `to_stage`,
`from_entered_at`) and the median is read at its rank along (`from_stage`, `stay_days`);
the few merged deals' rows are fetched once and taken out of those figures. For one team
or rep, the same indexes led by the row's copy of the deal's owner (`owner_rep_id`).
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, select
from sqlalchemy.orm import Session

from bot.metrics.common import median, median_in_sql, ratio
from bot.metrics.indexes import FINISHED_STAYS, STAGE_ENTRIES, STAY_LENGTHS
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


@dataclass
class _Tally:
    """Per stage: entries, finished stays, advancing stays, and the stays' lengths."""

    entered: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    finished: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    advanced: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    days: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    medians: dict[str, float | None] = field(default_factory=dict)  # read in SQL, instead of `days`

    def median_days(self, stage: str) -> float | None:
        return self.medians[stage] if stage in self.medians else median(self.days[stage])


def _when(clauses: list[Any]) -> Any:
    """A 0/1 column: the row meets `clauses` (always 1 without any)."""
    return case((and_(*clauses), 1), else_=0) if clauses else literal(1)


def _rows(f: MetricsFilter) -> tuple[Any, ...]:
    """What `_tally` reads of a history row, with the period tests done in SQL."""
    return (StageHistory.to_stage, StageHistory.from_stage, StageHistory.stay_days,
            _when(f.in_period(StageHistory.changed_at)),
            _when([StageHistory.from_entered_at.is_not(None), *f.in_period(StageHistory.from_entered_at)]))


def _tally(rows: Iterable[Any], later: dict[str, set[str]]) -> _Tally:
    """Count history rows (`_rows`) the way the index queries do, in Python."""
    t = _Tally()
    for to_stage, from_stage, days, entered_in_period, stay_began_in_period in rows:
        t.entered[to_stage] += entered_in_period
        if from_stage is not None and stay_began_in_period:
            t.finished[from_stage] += 1
            t.advanced[from_stage] += to_stage in later.get(from_stage, ())
            if days is not None:
                t.days[from_stage].append(float(days))
    return t


def _kth_stay(session: Session, where: list[Any], k: int, left_out: list[float],
              read: Callable[[Select], Select]) -> float | None:
    """The k-th (from 0) smallest stay length matching `where`, once the lengths in
    `left_out` (sorted; a sub-multiset of them) are taken out: read at rank k + j along the
    index, where j counts the left-out lengths at or below the value found."""
    skipped = 0
    while True:
        query = select(StageHistory.stay_days).where(*where).order_by(StageHistory.stay_days)
        value = session.scalar(read(query).offset(k + skipped).limit(1))
        if value is None:
            return None
        below = bisect.bisect_right(left_out, float(value))
        if below == skipped:
            return float(value)
        skipped = below


def _count(session: Session, f: MetricsFilter, stages: list[str], later: dict[str, set[str]]) -> _Tally:
    owned = f.owned_by(StageHistory.owner_rep_id)
    lengths_read = STAY_LENGTHS.reader(f)
    merged_deals = select(Deal.id).where(Deal.merged_into_id.is_not(None))
    merged = _tally(session.execute(select(*_rows(f)).where(StageHistory.deal_id.in_(merged_deals), *owned)), later)
    t = _Tally()
    entered = select(StageHistory.to_stage, func.count()).where(
        StageHistory.to_stage.in_(stages), *f.in_period(StageHistory.changed_at), *owned).group_by(StageHistory.to_stage)
    for stage, count in session.execute(STAGE_ENTRIES.reader(f)(entered)):
        t.entered[stage] = count - merged.entered[stage]
    stays = [StageHistory.from_entered_at.is_not(None), *f.in_period(StageHistory.from_entered_at), *owned]
    # Per pair of stages, in index order; whether a pair advances is decided here.
    finished = (select(StageHistory.from_stage, StageHistory.to_stage, func.count())
                .where(StageHistory.from_stage.in_(stages), *stays)
                .group_by(StageHistory.from_stage, StageHistory.to_stage))
    for stage, to_stage, count in session.execute(FINISHED_STAYS.reader(f)(finished)):
        t.finished[stage] += count
        t.advanced[stage] += count if to_stage in later[stage] else 0
    for stage in stages:
        t.finished[stage] -= merged.finished[stage]
        t.advanced[stage] -= merged.advanced[stage]
        n, left_out = t.finished[stage], sorted(merged.days[stage])
        if not n:
            continue
        lengths = [StageHistory.from_stage == stage, StageHistory.stay_days.is_not(None), *stays]
        if left_out:
            middle = [_kth_stay(session, lengths, k, left_out, lengths_read) for k in sorted({(n - 1) // 2, n // 2})]
            t.days[stage] = [d for d in middle if d is not None]
        else:  # nothing to take out: read at its rank
            t.medians[stage] = median_in_sql(session, StageHistory.stay_days, lengths, n, lengths_read)
    return t


def stage_flow(session: Session, f: MetricsFilter, pipeline: PipelineSettings) -> tuple[StageFlow, ...]:
    open_stages = [s for s in pipeline.stages if not s.closed]
    sequence = [s.key for s in pipeline.stages if not s.lost]  # advancing: to a later stage, or won
    later = {s.key: set(sequence[sequence.index(s.key) + 1:]) for s in open_stages}
    t = _count(session, f, [s.key for s in open_stages], later)
    return tuple(
        StageFlow(s.key, s.label, t.entered[s.key], t.advanced[s.key], ratio(t.advanced[s.key], t.entered[s.key]),
                  t.median_days(s.key))
        for s in open_stages
    )
