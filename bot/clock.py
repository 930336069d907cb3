"""An injectable clock, so that relative dates ("next quarter"), stuck deals and daily digests
are testable on any day and at any hour.

Every process reads its clock through `clock_from_environment`: the system clock, unless
`LEADBOT_NOW` (an ISO-8601 instant) pins it. With `LEADBOT_NOW_SINCE` (Unix seconds) as well,
the clock showed `LEADBOT_NOW` at that moment and runs on at real speed from there: a test and
the worker processes it starts then agree on the date, while retry delays still come due.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Mapping, Protocol
from zoneinfo import ZoneInfo

NOW_VARIABLE = "LEADBOT_NOW"
SINCE_VARIABLE = "LEADBOT_NOW_SINCE"


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


@dataclass(frozen=True)
class RunningClock:
    """A clock set to `start` at Unix time `since` that runs at real speed from there: for tests
    of workers whose backoffs must elapse, on a date the test chose."""

    start: datetime
    since: float

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.time() - self.since)

    def environment(self) -> dict[str, str]:
        """The variables that give a subprocess this same clock."""
        return {NOW_VARIABLE: self.start.isoformat(), SINCE_VARIABLE: repr(self.since)}


def clock_from_environment(tz: str = "UTC", environ: Mapping[str, str] | None = None) -> Clock:
    """The system clock in `tz`, or the one `LEADBOT_NOW` (and `LEADBOT_NOW_SINCE`) describe.
    A `LEADBOT_NOW` without an offset is read in `tz`."""
    environ = os.environ if environ is None else environ
    fixed = environ.get(NOW_VARIABLE)
    if not fixed:
        return SystemClock(tz)
    zone = ZoneInfo(tz)
    at = datetime.fromisoformat(fixed)
    at = (at if at.tzinfo else at.replace(tzinfo=zone)).astimezone(zone)
    since = environ.get(SINCE_VARIABLE)
    return RunningClock(at, float(since)) if since else FixedClock(at)


def today(clock: Clock) -> date:
    """The calendar date on the clock, in the clock's own time zone."""
    return clock.now().date()
