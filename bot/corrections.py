"""Corrections that name the mistake: "it's Katarzyna not Katarina", "Horvat Pack, not Horvath",
"Катарина, а не Катерина", "Kari, ikke Karin", "Siti, bukan Sita", "是王伟不是王维", "سارا نه سارینا".

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
# The same in Russian, Norwegian, Malay and Persian ("Катарина, а не Катерина", "ikke Karin, men
# Kari", "Siti, bukan Sita", "سارا نه سارینا") and Chinese, written without spaces ("是王伟不是王维").
_NATIVE_X_NOT_Y = re.compile(
    rf"(?:^|[\s,:;])(?P<new>{_WORDS}),?\s+(?:а не|но не|ikke|bukan|نه)\s+(?P<old>{_WORDS})\W*$"
    rf"|(?:^|[\s,:;])(?:не|ikke|bukan|نه)\s+(?P<old2>{_WORDS}),?\s+(?:а|men|tetapi|tapi|بلکه)\s+(?P<new2>{_WORDS})\W*$"
    r"|(?:是|叫)(?P<new3>[\u4e00-\u9fff]{1,4}),?(?:不是|而不是)(?P<old3>[\u4e00-\u9fff]{1,4})\W*$"
    r"|不是(?P<old4>[\u4e00-\u9fff]{1,4}?),?(?:而是|是)(?P<new4>[\u4e00-\u9fff]{1,4})\W*$",
    re.IGNORECASE,
)
# What may stand before the right words: the shared opener ("oops", "sorry, ..."), then "it's".
_LEAD_IN = re.compile(rf"^(?:(?:{CORRECTION_OPENER}|no|correction|нет|nei|tidak|نه)\W+)*(?:it'?s|it is|i meant|meant|that'?s"
                      r"|should be|spelled|это|правильно|пишется|det er|riktig er|det skrives|betul|yang betul|ejaan"
                      r"|درستش|درست)\s+",
                      re.IGNORECASE)


def replace_named_mistake(text: str, stored: Mapping[str, str | None]) -> dict[str, str]:
    """{slot: corrected value} for each stored text value that holds the words said to be
    wrong; {} when the message names no stored mistake."""
    cleaned = clean_text(text[:300])
    m = _X_NOT_Y.search(cleaned) or _NATIVE_X_NOT_Y.search(cleaned)
    if not m:
        return {}
    groups = m.groupdict()
    new = _LEAD_IN.sub("", next(groups[k] for k in ("new", "new2", "new3", "new4") if groups.get(k)).strip())
    old = next(groups[k] for k in ("old", "old2", "old3", "old4") if groups.get(k)).strip()
    if not new or new.lower() == old.lower():
        return {}
    changes = {}
    for slot, value in stored.items():
        if not value:
            continue
        if re.match(r"[\u4e00-\u9fff]", old):
            pattern = re.compile(re.escape(old))  # Chinese has no word bounds
        else:
            pattern = re.compile(rf"(?<![\w]){re.escape(old)}(?![\w])", re.IGNORECASE)
        if pattern.search(value):
            changes[slot] = pattern.sub(new, value, count=1)
    return changes
