"""Read every qualification value a single user message offers: the one entry point the
Rasa actions call after each message (`actions/understanding.py`).

The field the bot just asked for (`requested`) is parsed liberally (answering=True: a bare
"25k" is the budget, "Sam" the name); every other field strictly (answering=False: only
with clear cues), from the same message. So a loaded opener ("Sam Ortiz here, head of
sales at Brightwell Dental; we want a bot that books consultations, budget is 25k, live in
six weeks") fills everything it states, and a late "oops, make that 35k" corrects the
budget whatever was asked. An e-mail address anywhere is always taken.

Meta replies ("skip", "not sure", "why do you ask?") are reported in `meta` only when the
requested field's parser found no real answer, so "not sure, maybe 20k" is a budget of
20k. For the BANT fields "skip"/"not sure" also record an explicit unknown (Budget,
Timeline, Authority with status/level unknown; Need with status unknown, level exploring);
"why" records nothing: the bot explains and asks again.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from bot.answers import Authority, Budget, Need, Timeline
from bot.parsing.authority import parse_authority
from bot.parsing.budget import parse_budget
from bot.parsing.contact import parse_company, parse_email, parse_name
from bot.parsing.need import NEED_TEXT_LIMIT, need_clause, parse_need
from bot.parsing.replies import MetaReply, meta_reply
from bot.parsing.text import clean_text
from bot.parsing.timeline import parse_timeline

__all__ = ["Extracted", "FIELDS", "extract"]

FIELDS: tuple[str, ...] = ("need", "budget", "authority", "timeline", "name", "email", "company")
# Answers are read from the first 8,000 characters (twice the default message cap in
# settings/conversation.yml); the e-mail scan reads all of it. Bounds the work per message.
_PARSE_CHARS = 8_000

_CORRECTION = re.compile(
    r"(?<![a-z])(?:make (?:it|that)|i meant|i mean|meant to say|correction|scratch that|let me correct|to correct"
    r"|change (?:it|that|the \w+|our \w+|my \w+) to|update (?:it|that|the \w+) to|should (?:have )?(?:be|said)|typo"
    r"|^\W*(?:oops|sorry|actually|wait|whoops|my bad|no,? sorry|err?m?)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Extracted:
    """What one message said. Fields are None when the message did not say them."""

    need: Need | None = None
    budget: Budget | None = None
    authority: Authority | None = None
    timeline: Timeline | None = None
    name: str | None = None
    email: str | None = None
    email_problem: str | None = None  # message for the visitor when an email looked invalid
    company: str | None = None
    meta: Literal["skip", "not_sure", "why"] | None = None  # a reply about the question itself
    correction: bool = False  # "oops, make that 35k", "actually it's 40k", "I meant ..."

    def slots(self) -> dict[str, Any]:
        """Only the values found, in slot form: answers as dicts, contact fields as text."""
        out: dict[str, Any] = {}
        for key in ("need", "budget", "authority", "timeline"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value.to_dict()
        for key in ("name", "email", "company"):
            value = getattr(self, key)
            if value:
                out[key] = value
        return out


def extract(
    text: str,
    *,
    today: date,
    requested: str | None,
    categories: Mapping[str, Sequence[str]],
) -> Extracted:
    """Parse `text` for every field; `requested` (one of FIELDS, or None) liberally."""
    if requested not in FIELDS:
        requested = None
    cleaned = clean_text(text)
    if not cleaned:
        return Extracted()
    scan = cleaned[:_PARSE_CHARS]

    email_check = parse_email(cleaned, answering=requested == "email")
    need = parse_need(scan, categories, answering=requested == "need")
    budget = parse_budget(scan, answering=requested == "budget")
    authority = parse_authority(scan, answering=requested == "authority")
    timeline = parse_timeline(scan, today, answering=requested == "timeline")
    name = parse_name(scan, answering=requested == "name")
    company = parse_company(scan, answering=requested == "company")
    correction = bool(_CORRECTION.search(scan[:300]))

    if correction:
        budget, timeline = _corrected(scan, today, requested, budget, timeline)
    if requested == "need" and need is not None and need.status == "stated":
        others = (budget, timeline, authority, email_check.email, name, company)
        need = _need_or_other_answer(scan, today, need, others)
        if need is not None and all(v is None for v in others):
            # the whole reply answers the question: keep all of the visitor's words
            need = replace(need, text=scan[:NEED_TEXT_LIMIT].rstrip())
    if requested == "name" and name and company and name == company:
        company = None
    if requested == "company" and name and company and name == company:
        name = None

    found = {"need": need, "budget": budget, "authority": authority, "timeline": timeline,
             "name": name, "email": email_check.email, "company": company}
    meta = _meta(scan, requested, found)
    if meta is not None and requested is not None:
        found[requested] = _unknown_for(requested, scan, meta)

    return Extracted(
        need=found["need"],
        budget=found["budget"],
        authority=found["authority"],
        timeline=found["timeline"],
        name=found["name"],
        email=email_check.email,
        email_problem=None if email_check.email else email_check.problem,
        company=found["company"],
        meta=meta,
        correction=correction,
    )


def _is_answer(value: Any) -> bool:
    """A real answer: anything found, except an answer type whose status is unknown."""
    if value is None:
        return False
    if isinstance(value, (Budget, Timeline)):
        return value.status != "unknown"
    if isinstance(value, Authority):
        return value.level != "unknown" or value.role is not None
    if isinstance(value, Need):
        return value.status != "unknown"
    return True


def _meta(text: str, requested: str | None, found: Mapping[str, Any]) -> MetaReply | None:
    kind = meta_reply(text)
    if kind is None:
        return None
    if requested is not None:
        return None if _is_answer(found[requested]) else kind
    return None if any(_is_answer(v) for v in found.values()) else kind


def _unknown_for(field: str, text: str, meta: MetaReply) -> Any:
    """The explicit unknown recorded for a skipped / not-sure BANT answer (None for "why")."""
    if meta == "why":
        return None
    if field == "budget":
        return Budget("unknown", text)
    if field == "timeline":
        return Timeline("unknown", text)
    if field == "authority":
        return Authority("unknown", text)
    if field == "need":
        return Need(text=text, level="exploring", status="unknown")
    return None  # contact fields: skipping is recorded by the caller, no value


def _corrected(
    text: str, today: date, requested: str | None, budget: Budget | None, timeline: Timeline | None
) -> tuple[Budget | None, Timeline | None]:
    """"make that 35k" is a budget, "I meant Q4" a timeline, whatever was asked."""
    if requested != "budget" and budget is None:
        liberal = parse_budget(text, answering=True)
        if liberal is not None and liberal.status == "stated" and _looks_like_money(liberal):
            budget = liberal
    if requested != "timeline" and timeline is None and budget is None:
        liberal_t = parse_timeline(text, today, answering=True)
        if liberal_t is not None and liberal_t.status == "stated":
            timeline = liberal_t
    return budget, timeline


def _looks_like_money(budget: Budget) -> bool:
    figure = max(v for v in (budget.min, budget.max, 0.0) if v is not None)
    return budget.currency is not None or figure >= 100


def _need_or_other_answer(text: str, today: date, need: Need, others: tuple[Any, ...]) -> Need | None:
    """Asked for the need, the visitor answered something else ("about 10k", an address):
    without a need cue or a category match, the reply is not taken as the need."""
    if need_clause(text) is not None or need.category is not None or need.level == "exploring":
        return need
    if any(v is not None for v in others):
        return None
    if len(text.split()) <= 4 and (
        _stated(parse_budget(text, answering=True)) or _stated(parse_timeline(text, today, answering=True))
    ):
        return None  # "about 10k", "by March": an answer to another question
    return need


def _stated(value: Budget | Timeline | None) -> bool:
    return value is not None and value.status == "stated"
