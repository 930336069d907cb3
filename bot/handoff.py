"""Handing a conversation to a person: business hours, what the visitor is told, who is waiting.

The bot pauses itself when a visitor asks for a person (Rasa's ConversationPaused) and a
rep answers in the same conversation through the rep API or the dashboard (`webchat/`),
signed in with their own dashboard account.
Whether someone can answer now is decided by the business hours in
`settings/handoff.yml`, read on every hand-off so that changed hours (a holiday) apply
without a restart. The wording lives with the rest of the bot's words in
`settings/content.yml` (`handoff:`).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from bot.assignment.hours import InvalidHours, check_timezone, is_working, next_start, parse_hours
from bot.parsing.phone import is_e164
from bot.settings import load_settings
from bot.speech import phrasebook
# The stored lead's hand-off states are the store's (WAITING, WITH_REP, RETURNED), named here too
# for the actions and pages that plan or show a hand-off.
from bot.store.schema import OPEN_HANDOFF, RETURNED, WAITING, WITH_REP, Lead, Rep

# How a rep's message is marked in the Rasa tracker (BotUttered metadata) and transcript.
REP_SENDER = "rep"


def _checked(check: Callable[[str], object], value: str) -> str:
    """`value` if `check` accepts it; its InvalidHours message as a settings error otherwise."""
    try:
        check(value)
    except InvalidHours as exc:
        raise ValueError(str(exc)) from None
    return value


class HandoffSettings(BaseModel):
    """Validated `settings/handoff.yml`."""

    model_config = ConfigDict(extra="forbid")

    timezone: str = Field("UTC", description="the time zone the business hours are in")
    business_hours: str = Field("mon-fri 09:00-17:00", description="when reps answer in the chat")
    call_transfer_to: str | None = Field(
        None, description="the E.164 number a phone call is put through to in business hours "
                          "(a rep's or the sales desk's line); unset: a message is taken at all hours")

    @model_validator(mode="before")
    @classmethod
    def _no_shared_token(cls, data: Any) -> Any:
        if isinstance(data, dict) and "rep_token_env" in data:
            raise ValueError("rep_token_env is no longer used: reps call the rep API with their own dashboard "
                             "account's token (`leadbot users token EMAIL`); remove the key (docs/handoff.md)")
        return data

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _checked(check_timezone, value)

    @field_validator("call_transfer_to")
    @classmethod
    def _e164(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not is_e164(value):
            raise ValueError(f"call_transfer_to must be a phone number in E.164 form (+14155550132), not {value!r}")
        return value

    @field_validator("business_hours")
    @classmethod
    def _readable_hours(cls, value: str) -> str:
        return _checked(parse_hours, value)

    @property
    def hours(self) -> dict[str, list[str]]:
        return parse_hours(self.business_hours)

    def open_at(self, at: datetime) -> bool:
        """Whether a rep is expected to answer in the chat at `at`."""
        return is_working(self.hours, self.timezone, at)

    def next_opening(self, at: datetime) -> datetime:
        """When reps are next at work, in the business time zone (`at` itself when open)."""
        return next_start(self.hours, self.timezone, at).astimezone(check_timezone(self.timezone))


def load_handoff_settings(directory: Path | None = None) -> HandoffSettings:
    return load_settings("handoff.yml", HandoffSettings, directory)


@dataclass(frozen=True)
class HandoffPlan:
    """What happens after a visitor asked for a person: in or out of business hours."""

    open_now: bool
    next_opening: datetime  # equals the request time when open

    def when_text(self, language: str | None = None) -> str:
        """The next opening as a visitor reads it: "Monday 23 November, 09:00 (UTC)", in the
        conversation's `language` (bot/speech.py)."""
        return phrasebook().opening(self.next_opening, language)


def plan_handoff(settings: HandoffSettings, at: datetime) -> HandoffPlan:
    return HandoffPlan(open_now=settings.open_at(at), next_opening=settings.next_opening(at))


def call_transfer_number(settings: HandoffSettings, plan: HandoffPlan, owner_line: str | None = None) -> str | None:
    """Where a caller who asked for a person is put through while business hours are open:
    the line of the rep who owns the lead (`owner_line`, when that rep is at work: `rep_line`),
    else the configured line; None (take a message) after hours or with neither."""
    if not plan.open_now:
        return None
    return owner_line or settings.call_transfer_to


def rep_line(rep: Rep | None, at: datetime) -> str | None:
    """The phone line of `rep` if a call can go to them at `at`: active, marked available,
    within their own working hours, and with a line."""
    if rep is None or not rep.phone or not rep.active or not rep.available:
        return None
    return rep.phone if is_working(rep.working_hours or {}, rep.timezone, at) else None


def next_reply(settings: HandoffSettings, reps: Sequence[Rep], at: datetime) -> datetime:
    """When a person can next answer in the chat (the widget's "typically replies" line): `at`
    itself while business hours are open and one of `reps` (the active ones) is at work by
    their own working hours; else the first moment both hold. Without reps, business hours
    alone. Whether a rep marked themself away is not counted: away has no end time."""
    when = at
    for _ in range(21):  # three weeks of openings: more than any two weekly schedules need
        when = next_start(settings.hours, settings.timezone, when)
        if not reps:
            return when
        first = min(next_start(rep.working_hours or {}, rep.timezone, when) for rep in reps)
        if first == when or settings.open_at(first):
            return first
        when = first
    return next_start(settings.hours, settings.timezone, at)  # no rep ever works in business hours


def open_handoffs(session: Session, limit: int = 100, *, among: ColumnElement[bool] | None = None) -> list[Lead]:
    """Leads whose visitor waits for a rep or talks to one, the longest waiting first
    (`among`: only the leads this filter lets through, e.g. the ones a rep may answer)."""
    query = select(Lead).where(OPEN_HANDOFF)
    if among is not None:
        query = query.where(among)
    query = query.order_by(Lead.handoff_at, Lead.id).limit(limit)
    return list(session.scalars(query))


def waiting_count(session: Session, *, among: ColumnElement[bool] | None = None) -> int:
    """How many visitors wait for a person and have no answer yet (the dashboard's badge)."""
    query = select(func.count(Lead.id)).where(OPEN_HANDOFF, Lead.handoff_state == WAITING)
    if among is not None:
        query = query.where(among)
    return session.scalar(query) or 0


def waited_seconds(lead: Lead, now: datetime) -> int:
    """Seconds since the lead's hand-off state last changed (asked for a person, or a rep
    answered), by the business clock; never negative."""
    if lead.handoff_at is None:
        return 0
    return max(int((now - lead.handoff_at).total_seconds()), 0)
