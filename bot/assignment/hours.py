"""A rep's working hours: parse them as people write them, and ask "working now?".

Stored on the rep as `{"mon": ["09:00", "17:00"], ...}` in the rep's own time zone; a day
that is absent is a day off, and no hours at all means "always available" (a rep who
wants leads at any time, or a team that does not track hours). A window whose end is
before its start runs past midnight ("22:00-06:00").
"""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_ALIASES = {d: d for d in DAYS} | {
    "monday": "mon", "tuesday": "tue", "tues": "tue", "wednesday": "wed", "thursday": "thu",
    "thur": "thu", "thurs": "thu", "friday": "fri", "saturday": "sat", "sunday": "sun",
}
_CLOCK = re.compile(r"^(\d{1,2})(?::?(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
_PART = re.compile(r"^\s*(?P<days>[a-z]+(?:\s*-\s*[a-z]+)?(?:\s*,\s*[a-z]+(?:\s*-\s*[a-z]+)?)*)\s+(?P<start>[\d:apm ]+?)\s*-\s*(?P<end>[\d:apm ]+?)\s*$", re.IGNORECASE)


class InvalidHours(ValueError):
    """Working hours or a time zone that cannot be understood; the message says which part."""


def check_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidHours(f"unknown time zone {name!r} (use an IANA name such as Europe/Berlin)") from None


def parse_hours(text: str) -> dict[str, list[str]]:
    """ "mon-fri 9-17; sat 10:00-14:00" -> {"mon": ["09:00", "17:00"], ...}; "" or "always" -> {}."""
    text = text.strip()
    if not text or text.lower() in {"always", "any", "24/7", "anytime"}:
        return {}
    hours: dict[str, list[str]] = {}
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        match = _PART.match(part)
        if not match:
            raise InvalidHours(f"{part.strip()!r}: write days then a time range, e.g. 'mon-fri 09:00-17:00'")
        start, end = _clock(match["start"]), _clock(match["end"])
        if start == end:
            raise InvalidHours(f"{part.strip()!r}: the window is empty")
        for day in _days(match["days"]):
            hours[day] = [start, end]
    return {d: hours[d] for d in DAYS if d in hours}


def validate_hours(value: Any) -> dict[str, list[str]]:
    """The stored form, checked (for values that did not come through `parse_hours`)."""
    if not isinstance(value, dict):
        raise InvalidHours("working hours must be a mapping of day -> [start, end]")
    checked: dict[str, list[str]] = {}
    for day, window in value.items():
        if day not in DAYS:
            raise InvalidHours(f"{day!r} is not one of {', '.join(DAYS)}")
        if not (isinstance(window, list) and len(window) == 2):
            raise InvalidHours(f"{day}: expected [start, end]")
        checked[day] = [_clock(str(window[0])), _clock(str(window[1]))]
    return checked


def format_hours(hours: dict[str, list[str]]) -> str:
    """Back to the short form, grouping runs of days with the same window."""
    if not hours:
        return "always"
    groups: list[tuple[list[str], list[str]]] = []
    for day in DAYS:
        if day not in hours:
            continue
        previous = groups[-1] if groups else None
        if previous and previous[1] == hours[day] and DAYS.index(previous[0][-1]) == DAYS.index(day) - 1:
            previous[0].append(day)
        else:
            groups.append(([day], hours[day]))
    return "; ".join((f"{d[0]}-{d[-1]}" if len(d) > 1 else d[0]) + f" {w[0]}-{w[1]}" for d, w in groups)


def is_working(hours: dict[str, list[str]], tz: str, at: datetime) -> bool:
    """Whether `at` falls in a working window (windows past midnight count on both days)."""
    if not hours:
        return True
    local = at.astimezone(check_timezone(tz))
    minute = local.hour * 60 + local.minute
    today, yesterday = DAYS[local.weekday()], DAYS[(local.weekday() - 1) % 7]
    if today in hours:
        start, end = (_minutes(t) for t in hours[today])
        if (start < end and start <= minute < end) or (start > end and minute >= start):
            return True
    if yesterday in hours:
        start, end = (_minutes(t) for t in hours[yesterday])
        if start > end and minute < end:
            return True
    return False


def next_start(hours: dict[str, list[str]], tz: str, at: datetime) -> datetime:
    """When the rep is next at work: `at` itself if working now."""
    if is_working(hours, tz, at):
        return at
    zone = check_timezone(tz)
    local = at.astimezone(zone)
    for offset in range(0, 8):
        day = local.date() + timedelta(days=offset)
        window = hours.get(DAYS[day.weekday()])
        if not window:
            continue
        h, m = divmod(_minutes(window[0]), 60)
        start = datetime.combine(day, time(h, m), tzinfo=zone)
        if start > local:
            return start.astimezone(at.tzinfo)
    return at + timedelta(days=7)  # unreachable with any window; keeps the type honest


def _days(spec: str) -> list[str]:
    days: list[str] = []
    for piece in spec.lower().split(","):
        ends = [p.strip() for p in piece.split("-")]
        names = [_DAY_ALIASES.get(e) for e in ends]
        if any(n is None for n in names):
            raise InvalidHours(f"{piece.strip()!r}: days are mon, tue, wed, thu, fri, sat, sun")
        if len(names) == 1:
            days.append(names[0])  # type: ignore[arg-type]
        else:
            i, j = DAYS.index(names[0]), DAYS.index(names[1])  # type: ignore[arg-type]
            span = range(i, j + 1) if i <= j else list(range(i, 7)) + list(range(0, j + 1))
            days.extend(DAYS[k] for k in span)
    return days


def _clock(text: str) -> str:
    match = _CLOCK.match(text.strip())
    if not match:
        raise InvalidHours(f"{text.strip()!r} is not a time (09:00, 9, 9am, 17:30)")
    hour, minute, half = int(match[1]), int(match[2] or 0), (match[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise InvalidHours(f"{text.strip()!r}: 1-12 before am/pm")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour == 24 and minute == 0:
        return "24:00"
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise InvalidHours(f"{text.strip()!r} is not a time of day")
    return f"{hour:02d}:{minute:02d}"


def _minutes(clock: str) -> int:
    h, m = clock.split(":")
    return int(h) * 60 + int(m)
