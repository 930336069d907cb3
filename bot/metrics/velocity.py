"""Pipeline velocity: how much money the pipeline turns into won deals per day.

velocity = open deals x win rate x average deal size / average days to close, per
currency: open deals with a value in that currency now, win rate, deal size and days to
close from the deals closed in the period (bot.metrics.outcomes). None whenever a factor is
unknown (no closed deals, no won deal in that currency, zero days), never a made-up 0.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.formats import money
from bot.metrics.forecast import Forecast
from bot.metrics.outcomes import Outcomes


@dataclass(frozen=True)
class Velocity:
    open_deals: int = 0
    win_rate: float | None = None
    avg_days_to_close: float | None = None
    per_currency: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"open_deals": self.open_deals, "win_rate": self.win_rate,
                "avg_days_to_close": self.avg_days_to_close,
                "per_currency": {c: dict(v) for c, v in self.per_currency.items()}}


def velocity(outcomes: Outcomes, pipeline_now: Forecast) -> Velocity:
    open_by_currency = pipeline_now.open_by_currency()
    per_currency = {}
    for currency in sorted(set(open_by_currency) | set(outcomes.avg_deal_size)):
        count = open_by_currency.get(currency, 0)
        size = outcomes.avg_deal_size.get(currency)
        per_day = None
        if size is not None and outcomes.win_rate is not None and outcomes.avg_days_to_close:
            per_day = money(count * outcomes.win_rate * size / outcomes.avg_days_to_close)
        per_currency[currency] = {"open_deals": count, "avg_deal_size": size, "value_per_day": per_day}
    return Velocity(pipeline_now.open_deals, outcomes.win_rate, outcomes.avg_days_to_close, per_currency)
