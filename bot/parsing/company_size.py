"""How many people a prospect's company has, when the visitor mentions it in passing.

The bot never asks for company size (four questions are enough), but visitors often say
it: "we're a team of 40", "200 employees", "a 5-person agency", "headcount is about 1.2k",
"50-100 staff", "over 500 employees". Segment routing uses it when it is there and simply
does not fire when it is not. Counts of other things ("200 customers", "50 seats",
"reach 10,000 people") are not company size: "people" and "workers" only count with a
word that makes them ours ("we are 30 people", "a company of 30 people").
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.parsing.numbers import find_amounts
from bot.parsing.text import clean_text

__all__ = ["CompanySize", "company_size_said", "parse_company_size"]

_I = re.IGNORECASE
# A unit that on its own means "people on our payroll".
_STAFF_UNIT = re.compile(
    r"^\s?\+?\s?(?:-\s?)?(?:full[- ]time\s|fte\s)?(?:employees?|staff(?:ers)?|ftes?|full[- ]timers?|headcount"
    r"|(?:person|people|man|member|strong)(?:\s|-)(?:team|company|business|firm|agency|startup|shop|practice|org(?:ani[sz]ation)?|outfit|studio|consultancy)"
    r"|-?strong\b|of us\b)",
    _I,
)
# A unit that means people only with a possessive context before the number.
_PEOPLE_UNIT = re.compile(r"^\s?\+?\s?(?:people|persons|workers|colleagues|folks|heads|souls)(?![a-z])", _I)
_OURS_BEFORE = re.compile(
    r"(?:\bwe(?:['’]re| are|['’]ve| have| employ| got)?|\bour (?:team|company|business|firm|org\w*|staff)(?: is| has| of)?"
    r"|\b(?:team|company|business|firm|agency|startup|organi[sz]ation|practice|staff) of|\bemploy(?:s|ing)?"
    r"|\bteam size(?: is| of|:)?|\bcompany size(?: is| of|:)?|\bsize(?: is| of|:))"
    r"(?:\s(?:about|around|roughly|approximately|approx\.?|almost|nearly|over|more than|under|less than|fewer than|just|only|some|maybe|~))*\s?~?\s?$",
    _I,
)
_HEADCOUNT_BEFORE = re.compile(
    r"(?:\b(?:headcount|team size|company size|employee count|number of employees|staff count|size)"
    r"|\b(?:a|our|the|small|whole)\s(?:\w+\s)?(?:team|company|staff|organi[sz]ation|business|agency|firm|startup) of)"
    r"(?:\s?(?:is|of|at|:|=|-|around|about|roughly|approximately|approx\.?|over|under|nearly|almost|~))*\s?~?\s?$",
    _I,
)
# "we're a small shop, 12 people": ours, a few words back ...
_OURS_NEARBY = re.compile(r"\b(?:we['’]re|we are|we have|we['’]ve got|we employ|our (?:team|company|business|firm|staff)|there are)\b(?!.*[.!?;])", _I)
# ... unless the number is what we sell to or reach: "reach 10,000 people", "for 30 people".
_NOT_OURS_BEFORE = re.compile(r"\b(?:reach|reaching|serve|serving|target|targeting|contact|email|message|for|to|with|about|of|than|hire|hiring|onboard|train)\s?~?\s?$", _I)
_AT_LEAST = re.compile(r"(?:\bover|\bmore than|\babove|\bat least|\bnorth of|\b>)\s?~?\s?$", _I)
_AT_MOST = re.compile(r"(?:\bunder|\bless than|\bfewer than|\bbelow|\bup to|\bat most|\b<)\s?~?\s?$", _I)
_PLUS_AFTER = re.compile(r"^\s?\+", _I)
_RANGE_JOIN = re.compile(r"^\s?(?:-|–|to|or|and)\s?$", _I)
_MAX_PEOPLE = 5_000_000  # more than the largest employer: not a headcount


@dataclass(frozen=True)
class CompanySize:
    """A headcount as said: a range when a range (or a bound) was given."""

    low: int | None
    high: int | None
    text: str

    @property
    def estimate(self) -> int:
        """One figure to compare with segment limits: a range's midpoint, else its bound."""
        if self.low is not None and self.high is not None:
            return (self.low + self.high) // 2
        return self.low if self.low is not None else (self.high or 0)


def parse_company_size(text: str) -> CompanySize | None:
    """The first headcount stated in `text`, or None."""
    cleaned = clean_text(text)
    amounts = find_amounts(cleaned)
    for i, amount in enumerate(amounts):
        if amount.value != int(amount.value) or not 1 <= amount.value <= _MAX_PEOPLE:
            continue
        before, after = cleaned[: amount.start], cleaned[amount.end:]
        staff = _STAFF_UNIT.match(after) is not None
        people = _PEOPLE_UNIT.match(after) is not None and _is_ours(before)
        headcount = _HEADCOUNT_BEFORE.search(before) is not None
        if not (staff or people or headcount):
            # "50-100 employees": this number opens a range whose end carries the unit.
            nxt = amounts[i + 1] if i + 1 < len(amounts) else None
            if nxt is None or not _RANGE_JOIN.match(cleaned[amount.end:nxt.start]):
                continue
            nxt_after = cleaned[nxt.end:]
            if not (_STAFF_UNIT.match(nxt_after) or (_PEOPLE_UNIT.match(nxt_after) and _is_ours(before))):
                continue
            low, high = sorted((int(amount.value), int(nxt.value)))
            return CompanySize(low, high, _phrase(cleaned, amount.start, nxt.end))
        value = int(amount.value)
        if _AT_LEAST.search(before) or _PLUS_AFTER.match(after):
            return CompanySize(value, None, _phrase(cleaned, amount.start, amount.end))
        if _AT_MOST.search(before):
            return CompanySize(None, value, _phrase(cleaned, amount.start, amount.end))
        return CompanySize(value, value, _phrase(cleaned, amount.start, amount.end))
    return None


def company_size_said(source: Mapping[str, Any], transcript: Iterable[Mapping[str, Any]]) -> CompanySize | None:
    """A lead's company size: from its source (a site's form may send `company_size`), else
    from what the visitor said in the transcript (the bot's lines never count)."""
    given = source.get("company_size")
    if given is not None:
        size = parse_company_size(f"{given} employees")
        if size is not None:
            return size
    for line in transcript:
        if line.get("sender") == "user":
            size = parse_company_size(str(line.get("text", "")))
            if size is not None:
                return size
    return None


def _is_ours(before: str) -> bool:
    """Whether "N people" just after `before` are the visitor's own people."""
    if _OURS_BEFORE.search(before):
        return True
    if _NOT_OURS_BEFORE.search(before):
        return False
    return _OURS_NEARBY.search(before[-40:]) is not None


def _phrase(text: str, start: int, end: int) -> str:
    """The words around the figure, for the rep to see what was said."""
    left = text.rfind(" ", 0, max(start - 12, 0)) + 1 if start > 12 else 0
    right = text.find(" ", end + 12)
    return text[left: right if right != -1 else len(text)].strip()
