"""How numbers, money, dates and ages read on the dashboard (Jinja filters)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_timedelta
from markupsafe import Markup, escape


def number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def money(value: float | int | None, currency: str | None = None) -> str:
    """12,000 USD; the currency is never guessed ("currency not stated")."""
    if value is None:
        return "–"
    text = f"{value:,.2f}".removesuffix(".00")
    return f"{text} {currency}" if currency else f"{text} (no currency)"


def money_map(values: dict[str | None, float]) -> str:
    """Values per currency, largest first: "120,000 USD · 8,000 EUR"."""
    if not values:
        return "–"
    ordered = sorted(values.items(), key=lambda kv: -kv[1])
    return " · ".join(money(v, c) for c, v in ordered)


def age(then: datetime | None, now: datetime) -> str:
    """How long ago, in the largest sensible unit: 5 min, 3 h, 12 d."""
    if then is None:
        return "–"
    seconds = max((now - then).total_seconds(), 0)
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 86400 * 2:
        return f"{int(seconds // 3600)} h"
    return f"{int(seconds // 86400)} d"


def ago(then: datetime | None, now: datetime) -> Markup:
    """"2 hours ago" (CLDR's words, via Babel), the exact time on hover: a `<time>` element."""
    if then is None:
        return Markup("–")
    words = format_timedelta(then - now, add_direction=True, locale="en")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        then.isoformat(timespec="seconds"), when(then), escape(words))


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else "–"


def in_zone(value: datetime | None, zone: str | None) -> str:
    """"Mon 7 Dec 2026, 14:00 (Europe/Berlin)": a meeting's time as its reader keeps it."""
    if value is None:
        return "–"
    name = zone or "UTC"
    local = value.astimezone(ZoneInfo(name))
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M} ({name})"


def percent(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"


FILTERS = {"number": number, "money": money, "money_map": money_map, "when": when, "percent": percent,
           "in_zone": in_zone}
