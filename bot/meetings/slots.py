"""A rep's free slots: inside their working hours, on a grid of the meeting's length, not
overlapping anything busy (meetings already booked, events in their own calendar).

Pure functions of the hours, the busy intervals and `now` (never the system clock). The grid
starts at each working window's start, so every booking of one slot has the same start:
that is what lets the store keep a slot to one visitor with a unique index (bot/meetings/booking.py).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.assignment.hours import DAYS, check_timezone

Interval = tuple[datetime, datetime]


@dataclass(frozen=True, order=True)
class Slot:
    """A meeting's time, as aware UTC datetimes."""

    start: datetime
    end: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end

    def key(self) -> str:
        """The slot's start in a button payload ("2026-12-07T14:00Z"): parsed back by `Slot.from_key`."""
        return self.start.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%MZ")

    @classmethod
    def from_key(cls, key: str, duration: timedelta) -> Slot | None:
        try:
            start = datetime.strptime(key.strip(), "%Y-%m-%dT%H:%MZ").replace(tzinfo=timezone.utc)
        except ValueError:
            return None
        return cls(start, start + duration)


def working_windows(hours: dict[str, list[str]], tz: str, first: date, last: date) -> Iterator[Interval]:
    """Each day's working window from `first` to `last` (rep's calendar days), as aware
    datetimes; a window whose end is not after its start runs past midnight."""
    zone = check_timezone(tz)
    day = first
    while day <= last:
        window = hours.get(DAYS[day.weekday()])
        if window:
            start = _at(day, window[0], zone)
            end = _at(day, window[1], zone)
            if end <= start:
                end = _at(day + timedelta(days=1), window[1], zone)
            yield start, end
        day += timedelta(days=1)


def _at(day: date, clock: str, zone: ZoneInfo) -> datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    if hour == 24:
        return datetime.combine(day + timedelta(days=1), time(0, minute), tzinfo=zone)
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def free_slots(hours: dict[str, list[str]], tz: str, busy: Iterable[Interval], *, now: datetime,
               duration: timedelta, notice: timedelta, horizon: timedelta) -> list[Slot]:
    """Every free slot from `now + notice` to `now + horizon`, in order."""
    earliest, latest = now + notice, now + horizon
    busy = sorted((s.astimezone(timezone.utc), e.astimezone(timezone.utc)) for s, e in busy)
    zone = check_timezone(tz)
    first = (earliest.astimezone(zone) - timedelta(days=1)).date()  # yesterday's window may run past midnight
    slots = []
    for window_start, window_end in working_windows(hours, tz, first, latest.astimezone(zone).date()):
        start, end = window_start.astimezone(timezone.utc), window_end.astimezone(timezone.utc)
        while start + duration <= end:
            slot = Slot(start, start + duration)
            if slot.start >= earliest and slot.end <= latest and not any(slot.overlaps(b, e) for b, e in busy):
                slots.append(slot)
            start += duration
    return sorted(set(slots))


# Hours of the visitor's day that slots are offered in first (a rep's 9 am is a New Yorker's 3 am).
VISITOR_DAY = (8, 20)


def spread(free: Sequence[Slot], tz: str, *, count: int, per_day: int) -> list[Slot]:
    """The slots to offer: the first free one of each half-day (in the visitor's time zone),
    at most `per_day` a day, `count` in all, so the visitor sees a choice of days and of
    mornings and afternoons rather than the next three half-hours. Slots in the visitor's
    waking day come first; others only when there are too few of those."""
    zone = check_timezone(tz)
    awake = [s for s in free if VISITOR_DAY[0] <= s.start.astimezone(zone).hour < VISITOR_DAY[1]]
    chosen = _spread(awake, zone, count, per_day)
    if len(chosen) < count:
        chosen = sorted(chosen + _spread([s for s in free if s not in awake], zone, count - len(chosen), per_day))
    return chosen


def _spread(free: Sequence[Slot], zone: ZoneInfo, count: int, per_day: int) -> list[Slot]:
    chosen: list[Slot] = []
    seen_halves: set[tuple[date, bool]] = set()
    per: dict[date, int] = {}
    for slot in free:
        local = slot.start.astimezone(zone)
        half = (local.date(), local.hour >= 12)
        if half in seen_halves or per.get(local.date(), 0) >= per_day:
            continue
        seen_halves.add(half)
        per[local.date()] = per.get(local.date(), 0) + 1
        chosen.append(slot)
        if len(chosen) == count:
            break
    return chosen


def describe(slot: Slot, tz: str) -> str:
    """"Mon 7 Dec, 14:00" in the time zone `tz`."""
    local = slot.start.astimezone(check_timezone(tz))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"
