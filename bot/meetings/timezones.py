"""The visitor's time zone: the browser's (widget metadata, bot/source.py), else read from
what they answer when asked: an IANA name ("Europe/Berlin"), a city that names a zone
("Berlin", "new york"), a common abbreviation ("CET", "PST") or an offset ("UTC+2", "GMT-5")."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from zoneinfo import available_timezones

from bot.parsing.text import clean_text

# Abbreviations people write, read as the zone most of them mean (with its summer time).
ABBREVIATIONS = {
    "utc": "UTC", "gmt": "Europe/London", "bst": "Europe/London", "wet": "Europe/Lisbon",
    "cet": "Europe/Berlin", "cest": "Europe/Berlin", "eet": "Europe/Athens", "eest": "Europe/Athens",
    "msk": "Europe/Moscow", "ist": "Asia/Kolkata", "sgt": "Asia/Singapore", "jst": "Asia/Tokyo",
    "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "nzst": "Pacific/Auckland",
    "est": "America/New_York", "edt": "America/New_York", "et": "America/New_York",
    "cst": "America/Chicago", "cdt": "America/Chicago", "ct": "America/Chicago",
    "mst": "America/Denver", "mdt": "America/Denver", "mt": "America/Denver",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pt": "America/Los_Angeles",
    "eastern": "America/New_York", "central": "America/Chicago", "mountain": "America/Denver",
    "pacific": "America/Los_Angeles",
}
_OFFSET = re.compile(r"(?<![a-z])(?:utc|gmt)?\s?(?P<sign>[+-−])\s?(?P<hours>\d{1,2})(?::?(?P<minutes>00))?(?![\d:])", re.I)


_REGIONS = {"Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    """Lower-cased IANA names and the cities they name ("new york" -> America/New_York)."""
    names: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        if zone.split("/", 1)[0] not in _REGIONS or "/" not in zone:
            continue  # legacy aliases ("US/Pacific", "Canada/Pacific") would shadow the real zones
        names[zone.lower()] = zone
        city = zone.rsplit("/", 1)[1].replace("_", " ").lower()
        names.setdefault(city, zone)
    names["utc"] = "UTC"
    return names


def read_timezone(text: str) -> str | None:
    """The IANA time zone `text` names, or None."""
    cleaned = clean_text(text).strip().lower().rstrip(".!")
    cleaned = unicodedata.normalize("NFKD", cleaned).encode("ascii", "ignore").decode("ascii")
    if not cleaned:
        return None
    offset = _OFFSET.search(cleaned)
    if offset and ("utc" in cleaned or "gmt" in cleaned or cleaned.startswith(("+", "-"))):
        hours = int(offset["hours"])
        if hours > 14:
            return None
        if hours == 0:
            return "UTC"
        # POSIX-style names invert the sign: UTC+2 is Etc/GMT-2.
        return f"Etc/GMT{'-' if offset['sign'] == '+' else '+'}{hours}"
    zones = _zones()
    for word in re.findall(r"[a-z][a-z_/ ]*[a-z]", cleaned):
        word = word.strip()
        if word in zones:
            return zones[word]
        for part in re.split(r"\s+(?:time|timezone|time zone|in|i'm|im|am|from|near|the)\s*|\s*,\s*", word):
            if part in zones:
                return zones[part]
            if part in ABBREVIATIONS:
                return ABBREVIATIONS[part]
        tokens = word.split()
        for size in (3, 2, 1):
            for i in range(len(tokens) - size + 1):
                phrase = " ".join(tokens[i:i + size])
                if phrase in zones and phrase not in {"time", "central", "eastern", "pacific", "mountain"}:
                    return zones[phrase]
                if size == 1 and phrase in ABBREVIATIONS:
                    return ABBREVIATIONS[phrase]
    return None
