"""Small helpers every metric shares: safe ratios, medians (in Python or read in SQL), UTC."""
from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Select, select
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


def median_in_sql(session: Session, value: Any, where: Iterable[Any], count: int,
                  read: Callable[[Select], Select] = lambda query: query) -> float | None:
    """The median of `value` over the `count` rows matching `where`, read at its rank (the
    middle one or two rows in `value` order) instead of fetching every row; `read` names
    the index (bot.metrics.indexes)."""
    if not count:
        return None
    query = read(select(value).where(*where).order_by(value).offset((count - 1) // 2).limit(2 - count % 2))
    return median(max(float(v), 0.0) for v in session.scalars(query) if v is not None)


def as_utc(value: datetime | str | None) -> datetime | None:
    """An aggregate's timestamp (SQLite returns text for MAX() over a column) as aware UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
