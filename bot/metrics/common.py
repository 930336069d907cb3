"""Small helpers every metric shares: safe ratios, medians, days between two timestamps."""
from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Float, cast, func
from sqlalchemy.orm import Session


def ratio(part: float | int | None, whole: float | int | None, digits: int = 4) -> float | None:
    """part / whole, or None when it is undefined (no whole): "n/a" is not 0."""
    if part is None or not whole:
        return None
    return round(part / whole, digits)


def median(values: Iterable[float]) -> float | None:
    """The median, or None for no values."""
    values = list(values)
    return round(statistics.median(values), 2) if values else None


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), 2) if values else None


def days_between(session: Session, start: Any, end: Any) -> Any:
    """SQL for (end - start) in days, as a float, on SQLite and PostgreSQL."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return cast(func.extract("epoch", end - start), Float) / 86400.0


def as_utc(value: datetime | str | None) -> datetime | None:
    """An aggregate's timestamp (SQLite returns text for MAX() over a column) as aware UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
