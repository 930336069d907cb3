"""Deal outcomes in a period: won, lost, win rate, deal size, time to close.

- A deal counts in the period it was closed (`deals.closed_at`), in the won or the lost
  stage; merged deals are never counted (their lead lives on in another deal).
- win rate = won / (won + lost); None when nothing was closed.
- average deal size = sum of won values / won deals with a value, per currency.
- time to close = days from the deal's creation to its close (`days_to_close`, written when
  it closes), over won deals: mean and median (read at its rank) in SQL.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.formats import money
from bot.metrics.common import median_in_sql, ratio
from bot.metrics.indexes import CLOSED_DEALS, DAYS_TO_CLOSE
from bot.metrics.period import MetricsFilter
from bot.store.pipeline import PipelineSettings
from bot.store.schema import Deal


@dataclass(frozen=True)
class Outcomes:
    won: int = 0
    lost: int = 0
    win_rate: float | None = None
    won_value: dict[str, float] = field(default_factory=dict)
    avg_deal_size: dict[str, float] = field(default_factory=dict)
    avg_days_to_close: float | None = None
    median_days_to_close: float | None = None
    # Won deals with a value, per currency (bot/metrics/reporting.py averages across currencies).
    won_with_value: dict[str, int] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"won": self.won, "lost": self.lost, "win_rate": self.win_rate,
                "won_value": dict(self.won_value), "avg_deal_size": dict(self.avg_deal_size),
                "avg_days_to_close": self.avg_days_to_close, "median_days_to_close": self.median_days_to_close}


def outcomes(session: Session, f: MetricsFilter, pipeline: PipelineSettings) -> Outcomes:
    won_key, lost_key = pipeline.won_stage.key, pipeline.lost_stage.key
    closed = (Deal.merged_into_id.is_(None), Deal.closed_at.is_not(None), *f.in_period(Deal.closed_at),
              *f.owned_by(Deal.owner_rep_id))
    # One pass in SQL: counts, money and days to close per stage and currency; the median of
    # the days is read at its rank.
    totals_query = (select(Deal.stage, Deal.currency, func.count(Deal.id), func.count(Deal.value), func.sum(Deal.value),
                           func.count(Deal.days_to_close), func.sum(Deal.days_to_close))
                    .where(Deal.stage.in_((won_key, lost_key)), *closed).group_by(Deal.stage, Deal.currency))
    won = lost = timed = 0
    days = 0.0
    totals: dict[str, float] = defaultdict(float)
    counted: dict[str, int] = defaultdict(int)
    for stage, currency, count, with_value, total, with_days, days_total in session.execute(
            CLOSED_DEALS.reader(f)(totals_query)):
        if stage == lost_key:
            lost += count
            continue
        won += count
        timed, days = timed + with_days, days + float(days_total or 0)
        if currency and total is not None:
            totals[currency] += float(total)
            counted[currency] += with_value
    won_closed = [Deal.stage == won_key, Deal.days_to_close.is_not(None), *closed]
    return Outcomes(
        won, lost, ratio(won, won + lost),
        {c: money(v) for c, v in sorted(totals.items())},  # type: ignore[misc]
        {c: money(totals[c] / counted[c]) for c in sorted(totals) if counted[c]},  # type: ignore[misc]
        round(days / timed, 2) if timed else None,
        median_in_sql(session, Deal.days_to_close, won_closed, timed, DAYS_TO_CLOSE.reader(f)),
        dict(counted),
    )
