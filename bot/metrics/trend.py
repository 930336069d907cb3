"""Leads, qualified leads and won deals per week: the trend a sales manager reads first.

- Weeks start on Monday, 00:00 UTC; the last one is the week of the period's end (or `now`).
- leads: leads created that week; qualified: those of them whose status is qualified now (the
  store keeps no time of qualifying, and the bot qualifies within the conversation);
  won: deals closed won that week (`deals.closed_at`), merged deals never counted.
- At most `MAX_WEEKS` weeks, the latest ones; "all time" starts at the first lead.
Only timestamps are read (the created / closed indexes), bucketed here.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.metrics.common import as_utc
from bot.metrics.period import MetricsFilter
from bot.store.pipeline import PipelineSettings
from bot.store.schema import Deal, Lead

MAX_WEEKS = 26


@dataclass(frozen=True)
class Week:
    start: date  # a Monday
    leads: int
    qualified: int
    won: int

    def to_dict(self) -> dict[str, Any]:
        return {"week_start": self.start.isoformat(), "leads": self.leads, "qualified": self.qualified,
                "won": self.won}


@dataclass(frozen=True)
class Trend:
    weeks: tuple[Week, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"weeks": [w.to_dict() for w in self.weeks]}


def monday(at: datetime) -> date:
    day = at.astimezone(timezone.utc).date()
    return day - timedelta(days=day.weekday())


def trend(session: Session, f: MetricsFilter, pipeline: PipelineSettings, now: datetime) -> Trend:
    end = f.period_end or now
    start = f.period_start or as_utc(session.scalar(select(func.min(Lead.created_at)))) or end
    first = max(monday(start), monday(end) - timedelta(weeks=MAX_WEEKS - 1))
    since = datetime.combine(first, time(), tzinfo=timezone.utc)
    created = select(Lead.created_at, Lead.status).where(
        Lead.created_at >= since, *f.in_period(Lead.created_at), *f.owned_by(Lead.owner_rep_id))
    leads, qualified = Counter(), Counter()
    for at, status in session.execute(created):
        week = monday(as_utc(at))
        leads[week] += 1
        qualified[week] += status == "qualified"
    closed = select(Deal.closed_at).where(
        Deal.stage == pipeline.won_stage.key, Deal.merged_into_id.is_(None), Deal.closed_at >= since,
        *f.in_period(Deal.closed_at), *f.owned_by(Deal.owner_rep_id))
    won = Counter(monday(as_utc(at)) for at in session.scalars(closed))
    weeks, week = [], first
    while week <= monday(end):
        weeks.append(Week(week, leads[week], qualified[week], won[week]))
        week += timedelta(weeks=1)
    return Trend(tuple(weeks))
