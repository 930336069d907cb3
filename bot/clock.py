"""An injectable clock, so that relative dates ("next quarter") are testable on any day."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Anything that can tell the current aware datetime."""

    def now(self) -> datetime: ...


@dataclass(frozen=True)
class SystemClock:
    """The real time, seen in the configured business time zone."""

    tz: str = "UTC"

    def now(self) -> datetime:
        return datetime.now(timezone.utc).astimezone(ZoneInfo(self.tz))


@dataclass(frozen=True)
class FixedClock:
    """A clock stopped at one instant; for tests and replays."""

    at: datetime

    def now(self) -> datetime:
        return self.at


def today(clock: Clock) -> date:
    """The calendar date on the clock, in the clock's own time zone."""
    return clock.now().date()
