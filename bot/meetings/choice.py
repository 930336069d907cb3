"""Which slot the visitor chose: a button's payload, a number ("2", "the second one"), or
words ("Thursday after lunch", "tomorrow at 10", "any morning next week").

Words are read as a day (the timeline parser's dates: weekdays, "tomorrow", "8 December";
plus "today", "this/next week") and a part of the day or a clock time, in the visitor's time
zone; the earliest free slot that fits is taken. A reply that names a time nothing free fits
is told apart from one that names no time at all, so the bot can say which.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.assignment.hours import check_timezone
from bot.meetings.slots import VISITOR_DAY, Slot
from bot.parsing.text import clean_text
from bot.parsing.timeline import resolve_timeline

PICKED, REQUESTED, NO_FIT, DECLINED, UNCLEAR = "picked", "requested", "no_fit", "declined", "unclear"
_I = re.IGNORECASE


@dataclass(frozen=True)
class Choice:
    """What the reply says: `kind` is one of PICKED, REQUESTED, NO_FIT, DECLINED, UNCLEAR."""

    kind: str
    slot: Slot | None = None


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
             "fifth": 5, "5th": 5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "last": -1}
_NUMBER = re.compile(r"^(?:(?:the|number|no\.?|option|slot|#)\s*)*(?P<n>\d|first|second|third|fourth|fifth|1st|2nd|3rd"
                     r"|4th|5th|one|two|three|four|five|last)(?:\s*(?:one|option|slot|please|pls|thanks|[.)!]))*$", _I)
_DECLINE = re.compile(r"^(?:no|nope|nah|none|neither|not now|no thanks?|no,? thank you|later|maybe later|not yet"
                      r"|none of (?:them|these|those)(?: work)?|skip|i'?ll book later|not interested)[.!]*$", _I)
_DAY_WORD = re.compile(r"(?<![a-z])(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu"
                       r"|thur|thurs|fri|sat|sun)(?![a-z])|tomorrow"
                       r"|(?<![a-z])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s?\d"
                       r"|\d{1,2}(?:st|nd|rd|th)?\s(?:of\s)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
                       r"|\d{1,2}[/.]\d{1,2}", _I)
_TODAY = re.compile(r"(?<![a-z])(?:today|this (?:morning|afternoon|evening)|tonight)(?![a-z])", _I)
_WEEK = re.compile(r"(?<![a-z])(?P<which>this|next|coming)\s(?:week)(?![a-z])", _I)
# A clock time: "at 2pm", "2:30", "14:00", "around 3", "after 3pm", "before 11".
_CLOCK = re.compile(r"(?<![\d:])(?:(?P<prep>at|around|about|after|before|from|by)\s)?(?P<h>\d{1,2})(?::(?P<m>\d{2}))?"
                    r"\s?(?P<half>am|pm|a\.m\.|p\.m\.)?(?![\d/.])", _I)
# Parts of the day: (from, to) in hours, local time.
_PARTS = (
    (re.compile(r"after lunch|(?<![a-z])afternoon", _I), (13, 24)),
    (re.compile(r"(?<![a-z])(?:lunch|noon|midday|lunchtime)(?![a-z])", _I), (12, 14)),
    (re.compile(r"(?<![a-z])(?:morning|before lunch)(?![a-z])", _I), (0, 12)),
    (re.compile(r"(?<![a-z])(?:evening|end of (?:the )?day|late|tonight)(?![a-z])", _I), (16, 24)),
    (re.compile(r"(?<![a-z])early(?![a-z])", _I), (0, 11)),
)


def read_choice(text: str, offered: Sequence[Slot], free: Sequence[Slot], *, tz: str, now: datetime,
                duration: timedelta) -> Choice:
    """Read `text` against the slots offered (numbered from 1) and every free slot."""
    cleaned = clean_text(text).strip()
    if not cleaned:
        return Choice(UNCLEAR)
    for slot in offered:  # a button's payload, or the visitor typing the offered label's key
        if cleaned == slot.key():
            return Choice(PICKED, slot)
    if ":" in cleaned and cleaned.endswith("Z"):
        keyed = Slot.from_key(cleaned, duration)
        if keyed is not None:  # an older offer's button: the caller tells whether it is still free
            return Choice(PICKED, keyed)
    number = _NUMBER.match(cleaned)
    if number:
        n = _ORDINALS.get(number["n"].lower()) or int(number["n"])
        index = len(offered) - 1 if n == -1 else n - 1
        return Choice(PICKED, offered[index]) if 0 <= index < len(offered) else Choice(UNCLEAR)
    if _DECLINE.match(cleaned):
        return Choice(DECLINED)
    zone = check_timezone(tz)
    today = now.astimezone(zone).date()
    days = _days(cleaned, today)
    hours, exact = _hours(cleaned)
    if days is None and hours is None:
        return Choice(UNCLEAR)
    fitting = []
    for slot in free:
        local = slot.start.astimezone(zone)
        if days is not None and not days[0] <= local.date() <= days[1]:
            continue
        minute = local.hour * 60 + local.minute
        if hours is not None and not hours[0] <= minute < hours[1]:
            continue
        fitting.append(slot)
    if not fitting:
        return Choice(NO_FIT)
    if exact is not None:  # "at 2pm": that time if free, else the nearest that fits
        fitting.sort(key=lambda s: abs(_minute(s, zone) - exact))
    else:  # "Thursday morning" from New York: 8 am there, not the rep's 9 am (3 am there)
        fitting.sort(key=lambda s: not VISITOR_DAY[0] * 60 <= _minute(s, zone) < VISITOR_DAY[1] * 60)
    return Choice(REQUESTED, fitting[0])


def _minute(slot: Slot, zone: object) -> int:
    local = slot.start.astimezone(zone)  # type: ignore[arg-type]
    return local.hour * 60 + local.minute


def _days(text: str, today: date) -> tuple[date, date] | None:
    """The range of days `text` names, or None when it names none."""
    if _TODAY.search(text):
        return today, today
    week = _WEEK.search(text)
    if week and not _DAY_WORD.search(text):
        monday = today - timedelta(days=today.weekday())
        if week["which"].lower() != "this":
            monday += timedelta(days=7)
        return max(monday, today), monday + timedelta(days=6)
    named = _DAY_WORD.search(text)
    if not named:
        return None
    # Only the words that name the day: the rest ("any time", "at 10") is no part of a date.
    end = named.end() + len(re.match(r"[a-z]*(?:\s\d{1,2}(?:st|nd|rd|th)?(?![\d:]))?", text[named.end():], _I)[0])
    day = resolve_timeline(text[named.start():end], today, answering=True)
    return (day, day) if day is not None else None


def _hours(text: str) -> tuple[tuple[int, int] | None, int | None]:
    """The minutes of the day a slot may start in, and the exact minute asked for (if any)."""
    without_dates = _DAY_WORD.sub(" ", text)
    clock = next((m for m in _CLOCK.finditer(without_dates) if _is_clock(m)), None)
    if clock:
        hour, minute = int(clock["h"]), int(clock["m"] or 0)
        half = (clock["half"] or "").lower().replace(".", "")
        if half == "pm" and hour < 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        elif not half and 1 <= hour <= 7:
            hour += 12  # "at 3": nobody books a meeting at 3 in the night
        if hour > 23 or minute > 59:
            return None, None
        at = hour * 60 + minute
        prep = (clock["prep"] or "").lower()
        if prep in ("after", "from"):
            return (at, 24 * 60), None
        if prep in ("before", "by"):
            return (0, at), None
        return (at - 60, at + 61), at
    for pattern, (start, end) in _PARTS:
        if pattern.search(text):
            return (start * 60, end * 60), None
    return None, None


def _is_clock(match: re.Match[str]) -> bool:
    """A number that is a time: with a preposition, minutes or am/pm (not "the 9th", "2 people")."""
    return bool(match["prep"] or match["m"] or match["half"])
