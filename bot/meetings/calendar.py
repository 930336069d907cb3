"""Busy times in a rep's own calendar, read over CalDAV (RFC 4791) with the `caldav` client.

Events in the range are asked for expanded (recurring ones as their occurrences); an event
marked free (TRANSP:TRANSPARENT) or cancelled does not block a slot; an all-day event blocks
its days in the rep's time zone. Every call has a timeout, and a calendar that cannot be read
is a `CalendarUnavailable` with a message for the operator: slots are then not offered,
because a slot we cannot check could be a meeting the rep already has.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import caldav
from caldav.lib.error import DAVError

from bot.assignment.hours import check_timezone
from bot.meetings.slots import Interval


class CalendarUnavailable(RuntimeError):
    """The rep's calendar could not be read; the message says why and which calendar."""


@dataclass(frozen=True)
class CalendarAccess:
    url: str
    username: str | None = None
    password_env: str | None = None

    def password(self) -> str | None:
        if not self.password_env:
            return None
        value = os.environ.get(self.password_env)
        if value is None:
            raise CalendarUnavailable(f"set {self.password_env} to the password of the calendar {self.url}")
        return value


def busy_times(access: CalendarAccess, start: datetime, end: datetime, *, tz: str,
               timeout: float) -> list[Interval]:
    """Busy intervals (aware UTC) in the calendar between `start` and `end`."""
    try:
        with caldav.DAVClient(url=access.url, username=access.username, password=access.password(),
                              timeout=timeout) as client:
            calendar = client.calendar(url=access.url)
            events = calendar.search(start=start, end=end, event=True, expand=True)
            return sorted(interval for event in events for interval in _intervals(event.icalendar_instance, tz))
    except CalendarUnavailable:
        raise
    except (DAVError, OSError, ValueError) as exc:
        raise CalendarUnavailable(f"calendar {access.url}: {type(exc).__name__}: {exc}") from exc
    except Exception as exc:  # requests' and lxml's errors: still one message for the operator
        raise CalendarUnavailable(f"calendar {access.url}: {type(exc).__name__}: {exc}") from exc


def _intervals(calendar: object, tz: str) -> list[Interval]:
    found = []
    for component in calendar.walk("VEVENT"):  # type: ignore[attr-defined]
        if str(component.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        if str(component.get("STATUS", "")).upper() == "CANCELLED":
            continue
        start = component.decoded("DTSTART")
        if "DTEND" in component:
            end = component.decoded("DTEND")
        elif "DURATION" in component:
            end = start + component.decoded("DURATION")
        else:
            end = start + (timedelta(days=1) if not isinstance(start, datetime) else timedelta(0))
        found.append((_instant(start, tz), _instant(end, tz)))
    return [(s, e) for s, e in found if e > s]


def _instant(value: date | datetime, tz: str) -> datetime:
    """An aware UTC instant: a date is its midnight, a floating time is read in the rep's zone."""
    zone = check_timezone(tz)
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0), tzinfo=zone)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(timezone.utc)
