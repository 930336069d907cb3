"""What a report is about: a period, and optionally one team's or one rep's leads.

The period is half-open, [period_start, period_end), in aware UTC; `None` on either side
leaves it open. Event-based metrics (deals closed, stages entered, conversations started)
count events inside the period; state-based ones (open pipeline, forecast, stuck deals)
describe the pipeline at `now` and ignore the period. Team and rep mean the lead's owner
(`leads.owner_rep_id`, the team through `reps.team_id`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.formats import iso_utc
from bot.store.errors import InvalidFilter
from bot.store.schema import Rep

# Named periods for menus: the last N days up to now, or everything.
PERIODS: tuple[str, ...] = ("7d", "30d", "90d", "365d", "all")


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise InvalidFilter(f"{name} must be an aware datetime, got {value!r}")
    return value


@dataclass(frozen=True)
class MetricsFilter:
    """Which events and which leads a report counts."""

    period_start: datetime | None = None
    period_end: datetime | None = None
    team_id: int | None = None
    rep_id: int | None = None

    def __post_init__(self) -> None:
        _aware(self.period_start, "period_start")
        _aware(self.period_end, "period_end")
        if self.period_start and self.period_end and self.period_start >= self.period_end:
            raise InvalidFilter(
                f"the period starts ({iso_utc(self.period_start)}) after it ends ({iso_utc(self.period_end)})")

    @classmethod
    def for_period(cls, name: str, *, now: datetime, team_id: int | None = None,
                   rep_id: int | None = None) -> MetricsFilter:
        """A named period (one of PERIODS) ending at `now`."""
        if name not in PERIODS:
            raise InvalidFilter(f"unknown period {name!r}; one of: {', '.join(PERIODS)}")
        start = None if name == "all" else now - timedelta(days=int(name[:-1]))
        return cls(start, None if name == "all" else now, team_id, rep_id)

    def in_period(self, column: Any) -> list[Any]:
        """WHERE clauses keeping `column` inside the period."""
        clauses = []
        if self.period_start is not None:
            clauses.append(column >= self.period_start)
        if self.period_end is not None:
            clauses.append(column < self.period_end)
        return clauses

    @property
    def by_owner(self) -> bool:
        """Limited to one team's or rep's rows."""
        return self.rep_id is not None or self.team_id is not None

    def owned_by(self, owner_column: Any) -> list[Any]:
        """WHERE clauses keeping the rows the team or rep owns, by a copy of the lead's owner
        that the database keeps on the row (`owner_rep_id` of deals, stage history and funnel
        rows: migrations 0011, 0012), so the owner leads the index a metric reads."""
        if not self.by_owner:
            return []
        clauses = []
        if self.rep_id is not None:
            clauses.append(owner_column == self.rep_id)
        if self.team_id is not None:
            clauses.append(owner_column.in_(select(Rep.id).where(Rep.team_id == self.team_id)))
        return clauses

    def to_dict(self, now: datetime) -> dict[str, Any]:
        return {"period_start": iso_utc(self.period_start), "period_end": iso_utc(self.period_end),
                "team_id": self.team_id, "rep_id": self.rep_id, "now": iso_utc(now)}
