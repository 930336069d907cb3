"""Corrections that name the mistake: "it's Katarzyna not Katarina", "Horvat Pack, not Horvath".

The visitor says what was wrong and what is right; when the wrong words are part of a name or
company we stored, they are replaced there (the rest kept: "Katarina Zielińska" becomes
"Katarzyna Zielińska"). Numbers and dates are corrected by their own parsers ("15k not 50k").
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from bot.parsing.replies import CORRECTION_OPENER
from bot.parsing.text import clean_text

__all__ = ["replace_named_mistake"]

_WORDS = r"[^\W\d_][\w'’.&-]*(?: [^\W\d_][\w'’.&-]*){0,3}"
_X_NOT_Y = re.compile(
    rf"(?:^|[\s,:;])(?P<new>{_WORDS}),?\s+not\s+(?P<old>{_WORDS})\W*$"
    rf"|(?:^|[\s,:;])not\s+(?P<old2>{_WORDS}),?\s+but\s+(?P<new2>{_WORDS})\W*$",
    re.IGNORECASE,
)
# What may stand before the right words: the shared opener ("oops", "sorry, ..."), then "it's".
_LEAD_IN = re.compile(rf"^(?:(?:{CORRECTION_OPENER}|no|correction)\W+)*(?:it'?s|it is|i meant|meant|that'?s|should be|spelled)\s+",
                      re.IGNORECASE)


def replace_named_mistake(text: str, stored: Mapping[str, str | None]) -> dict[str, str]:
    """{slot: corrected value} for each stored text value that holds the words said to be
    wrong; {} when the message names no stored mistake."""
    cleaned = clean_text(text[:300])
    m = _X_NOT_Y.search(cleaned)
    if not m:
        return {}
    new = _LEAD_IN.sub("", (m.group("new") or m.group("new2")).strip())
    old = (m.group("old") or m.group("old2")).strip()
    if not new or new.lower() == old.lower():
        return {}
    changes = {}
    for slot, value in stored.items():
        if not value:
            continue
        pattern = re.compile(rf"(?<![\w]){re.escape(old)}(?![\w])", re.IGNORECASE)
        if pattern.search(value):
            changes[slot] = pattern.sub(new, value, count=1)
    return changes
