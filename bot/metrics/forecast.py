"""Weighted forecast: the open pipeline now, each deal's value times its stage's probability.

weighted(stage) = sum of open deal values in the stage x `probability` from
settings/pipeline.yml, per currency; the total is the sum over open stages. Open means
not closed (a merged deal is closed by the merge); the period does not apply (it is the
pipeline as it stands).
Deals in a stage missing from pipeline.yml are listed with probability None, unweighted.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.formats import money
from bot.metrics.indexes import OPEN_PIPELINE
from bot.metrics.period import MetricsFilter
from bot.store.pipeline import PipelineSettings
from bot.store.schema import Deal


@dataclass(frozen=True)
class StageForecast:
    key: str
    label: str
    probability: float | None
    count: int
    value: dict[str, float] = field(default_factory=dict)
    weighted: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "probability": self.probability, "count": self.count,
                "value": dict(self.value), "weighted": dict(self.weighted)}


@dataclass(frozen=True)
class Forecast:
    stages: tuple[StageForecast, ...] = ()
    weighted_total: dict[str, float] = field(default_factory=dict)

    @property
    def open_deals(self) -> int:
        return sum(s.count for s in self.stages)

    def open_by_currency(self) -> dict[str, int]:
        """Open deals with a value, per currency (pipeline velocity counts these)."""
        return dict(self._counts)

    _counts: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    # Each open deal's value times its learned win probability (bot/metrics/learned_forecast.py), when
    # settings/win_model.yml `forecast_with_model` is on and a model is trained; else None.
    learned_total: dict[str, float] | None = None
    learned_model_version: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"open_deals": self.open_deals, "stages": [s.to_dict() for s in self.stages],
                "weighted_total": dict(self.weighted_total),
                "learned_total": dict(self.learned_total) if self.learned_total is not None else None,
                "learned_model_version": self.learned_model_version}


def forecast(session: Session, f: MetricsFilter, pipeline: PipelineSettings) -> Forecast:
    query = (select(Deal.stage, Deal.currency, func.count(Deal.id), func.count(Deal.value), func.sum(Deal.value))
             .where(Deal.closed_at.is_(None), *f.owned_by(Deal.owner_rep_id))
             .group_by(Deal.stage, Deal.currency))
    counts: dict[str, int] = defaultdict(int)
    values: dict[str, dict[str, float]] = defaultdict(dict)
    valued: dict[str, int] = defaultdict(int)
    for stage, currency, count, with_value, total in session.execute(OPEN_PIPELINE.reader(f)(query)):
        counts[stage] += count
        if currency and total is not None:
            values[stage][currency] = float(total)
            valued[currency] += with_value
    known = {s.key: s for s in pipeline.stages if not s.closed}
    keys = list(known) + sorted(k for k in counts if k not in known and k not in pipeline.keys)
    stages, total_weighted = [], defaultdict(float)
    for key in keys:
        stage = known.get(key)
        probability = stage.probability if stage else None
        weighted = {}
        if probability is not None:
            for currency, value in sorted(values[key].items()):
                weighted[currency] = money(value * probability)
                total_weighted[currency] += value * probability
        stages.append(StageForecast(key, stage.label if stage else key, probability, counts.get(key, 0),
                                    {c: money(v) for c, v in sorted(values[key].items())},  # type: ignore[misc]
                                    weighted))  # type: ignore[arg-type]
    return Forecast(tuple(stages), {c: money(v) for c, v in sorted(total_weighted.items())},  # type: ignore[misc]
                    dict(valued))
