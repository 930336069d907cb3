"""Speech-recognition forms written the way the parsers read typed text.

A phone call's answers arrive as a speech recogniser writes them: mostly as typed ("$50,000",
"March 1st"), but some forms only speech produces: "Q one" for Q1, a year said as "twenty
twenty seven", letters spelled one by one ("A S A P"), "fifty-K". `written` rewrites only
those, word-bounded, so typed text passes unchanged; the timeline and budget parsers scan
its result (the answer keeps the caller's own words).
"""
from __future__ import annotations

import re

__all__ = ["written"]

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_QUARTERS = {"one": "1", "two": "2", "three": "3", "four": "4", "first": "1", "second": "2", "third": "3",
             "fourth": "4"}
_QUARTER = re.compile(r"\bq\s+(one|two|three|four)\b", re.IGNORECASE)
_QUARTER_WORD = re.compile(r"\b(first|second|third|fourth)\s+q\b", re.IGNORECASE)
# "twenty twenty seven", "twenty thirty", "two thousand (and) twenty six": 2020-2039
_YEAR = re.compile(r"\b(?:twenty|two\s+thousand(?:\s+and)?)\s+(twenty|thirty)(?:[\s-]+(one|two|three|four|five|six|"
                   r"seven|eight|nine))?\b", re.IGNORECASE)
_SPELLED_ASAP = re.compile(r"\ba\.?\s+s\.?\s+a\.?\s+p\b\.?", re.IGNORECASE)
_HYPHENATED_K = re.compile(r"\b([a-z]+)-k\b", re.IGNORECASE)


def _year(match: re.Match[str]) -> str:
    decade = 2020 if match.group(1).lower() == "twenty" else 2030
    return str(decade + _UNITS.get((match.group(2) or "").lower(), 0))


def written(text: str) -> str:
    """`text` with the spoken-only forms above written out ("by Q one" -> "by Q1")."""
    text = _QUARTER.sub(lambda m: "Q" + _QUARTERS[m.group(1).lower()], text)
    text = _QUARTER_WORD.sub(lambda m: "Q" + _QUARTERS[m.group(1).lower()], text)
    text = _YEAR.sub(_year, text)
    text = _SPELLED_ASAP.sub("asap", text)
    return _HYPHENATED_K.sub(r"\1 k", text)
