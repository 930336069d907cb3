"""Play the blind visitor scripts (`visitors.yml`) against a running bot and compare the stored
lead with what a careful rep would have written down, field by field.

The scripts were written by someone who had seen only the product brief and the bot's
questions (never the training data or the parsers); the bot is never tuned to one line of
them. Used by `tests/e2e/test_blind_visitors.py` (a fixed part, in CI) and by
`bench/visitors.py` (all of them, with a report).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import requests
import yaml

from bot.store.db import make_engine, session_factory
from bot.store.export import lead_to_export
from bot.store.repository import get_lead

SUITE = Path(__file__).with_name("visitors.yml")


class Bot(Protocol):
    rasa_url: str
    auth_token: str | None
    database_url: str

    def say(self, sender: str, text: str, timeout: float = 30) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class Check:
    field: str
    expected: Any
    actual: Any
    ok: bool


@dataclass
class Outcome:
    visitor: str
    checks: list[Check] = field(default_factory=list)
    transcript: list[tuple[str, str]] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(c.ok for c in self.checks)

    @property
    def fully_right(self) -> bool:
        return all(c.ok for c in self.checks)

    def failures(self) -> str:
        return "; ".join(f"{c.field}: expected {c.expected!r}, got {c.actual!r}" for c in self.checks if not c.ok)


def load_visitors(path: Path = SUITE) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["visitors"]


def play(bot: Bot, visitor: dict[str, Any], sender: str) -> Outcome:
    """Send the visitor's messages one by one, then check the stored lead."""
    outcome = Outcome(visitor["id"])
    for message in visitor["messages"]:
        replies = bot.say(sender, str(message), timeout=60)
        outcome.transcript.append((str(message), "\n".join(r.get("text", "") for r in replies)))
    lead = stored_lead(bot, sender)
    outcome.checks = compare(visitor.get("expect") or {}, lead)
    return outcome


def stored_lead(bot: Bot, sender: str) -> dict[str, Any] | None:
    """The conversation's lead in the export-contract form, or None when nothing was stored."""
    params = {"token": bot.auth_token} if bot.auth_token else {}
    slots = requests.get(f"{bot.rasa_url}/conversations/{sender}/tracker", params=params, timeout=30).json()["slots"]
    lead_id = slots.get("lead_id")
    if not lead_id:
        return None
    engine = make_engine(bot.database_url)
    try:
        with session_factory(engine)() as session:
            return lead_to_export(get_lead(session, str(int(lead_id))))
    finally:
        engine.dispose()


# expect key -> (path in the export, how to compare)
_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "need_status": (("need", "status"), "exact"),
    "need_contains": (("need", "text"), "contains"),
    "budget_status": (("budget", "status"), "exact"),
    "budget_min": (("budget", "min"), "number"),
    "budget_max": (("budget", "max"), "number"),
    "budget_currency": (("budget", "currency"), "exact"),
    "budget_period": (("budget", "period"), "exact"),
    "authority_level": (("authority", "level"), "exact"),
    "authority_role": (("authority", "role"), "role"),
    "timeline_status": (("timeline", "status"), "exact"),
    "timeline_month": (("timeline", "target_date"), "month"),
    "name": (("name",), "text"),
    "company": (("company",), "text"),
    "email": (("email",), "email"),
    "phone": (("phone",), "exact"),
    "human_requested": (("human_requested",), "exact"),
}


def compare(expect: dict[str, Any], lead: dict[str, Any] | None) -> list[Check]:
    checks = []
    for key, expected in expect.items():
        if key not in _FIELDS:
            continue
        path, how = _FIELDS[key]
        actual = _get(lead, path)
        checks.append(Check(key, expected, actual, lead is not None and _matches(how, expected, actual)))
    return checks


def _get(lead: dict[str, Any] | None, path: tuple[str, ...]) -> Any:
    value: Any = lead
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _fold(text: Any) -> str:
    """Case, accents, punctuation and spacing folded away: "Brightline Partners, Inc." ~ "brightline partners inc".
    Letters of every script are kept ("Ромашка", "刘芳", "شرکت"); only combining marks go."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch != "\u200c")
    return " ".join(re.sub(r"[^\w@.+]+", " ", text.casefold()).split())


def _matches(how: str, expected: Any, actual: Any) -> bool:
    if how == "number":
        if expected is None or actual is None:
            return expected is None and actual is None
        return abs(float(actual) - float(expected)) <= max(0.005 * abs(float(expected)), 0.5)
    if how == "contains":
        words = [expected] if isinstance(expected, str) else list(expected)
        return actual is not None and all(_fold(w) in _fold(actual) for w in words)
    if how == "month":
        return (expected is None and actual is None) or (actual is not None and str(actual)[:7] == str(expected))
    if how == "text":
        return (expected is None and actual is None) or (actual is not None and _fold(actual) == _fold(expected))
    if how == "role":
        return actual is not None and (_fold(expected) in _fold(actual) or _fold(actual) in _fold(expected))
    if how == "email":
        return actual is not None and str(actual).lower() == str(expected).lower()
    return expected == actual
