"""How timestamps, dates and money are written in what leadbot hands to others.

One place for the export contract's value formats (docs/export-contract.md), so the
export, the outbox events, the dashboard's JSON and the metrics write them alike:
timestamps ISO-8601 in UTC, dates YYYY-MM-DD, money a plain JSON number.
"""
from __future__ import annotations

from datetime import date, datetime, timezone


def iso_utc(value: datetime | None) -> str | None:
    """ISO-8601 in UTC to the second, e.g. 2026-11-22T10:00:00+00:00."""
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat(timespec="seconds")


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def money(value: float | int | None) -> float | int | None:
    """A JSON number: 12000 rather than 12000.0, cents kept when there are any."""
    if value is None:
        return None
    value = float(value)
    return int(value) if value.is_integer() else round(value, 2)
