"""Proactive website chat: when the widget offers a chat on its own (`settings/proactive.yml`).

A site's triggers are tried in order; the first whose conditions all hold shows its teaser
(a bubble beside the launcher). A trigger may wait for time on the page, a scroll depth,
the pointer leaving through the top of the window (exit intent) and a returning visitor,
and may be limited to pages by URL pattern. On a page some trigger names, only the triggers
naming it apply (a pricing page opens on price); on a quiet page (careers) nothing opens.
How often anybody is offered a chat is capped per browser session, per day and per trigger.

The widget gets its site's part (`widget_config`, no openings) from `GET /widget/proactive`
and decides in the browser; a visitor who opens the chat from a teaser sends the trigger's
name with the first message, and the bot's first line is then the trigger's `opening`
(`opening_for`, the consent notice still follows it). The name is stored with the lead's
source (`bot/source.py`). Domain logic only: no Rasa, no web framework.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.settings import load_settings

DEFAULT_SITE = "default"
# The message metadata the widget sends with the first message of a chat opened from a teaser.
TRIGGER_KEY = "proactive_trigger"
SITE_KEY = "proactive_site"
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
# A site is `default` or a host name as browsers report `location.hostname`.
HOST = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")


def page_regex(pattern: str) -> str:
    """A page pattern ("/pricing*": `*` is any text, "/" included) as a regular expression over
    the page's path, written once here and run by the widget (JavaScript reads it alike)."""
    return "^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$"


def page_matches(pattern: str, path: str) -> bool:
    return re.match(page_regex(pattern), path) is not None


def _pattern(value: str) -> str:
    if not value.startswith("/"):
        raise ValueError(f"page pattern {value!r} must start with '/' (a path such as /pricing*)")
    if len(value) > 200 or any(c.isspace() for c in value):
        raise ValueError(f"page pattern {value!r}: at most 200 characters, no spaces")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Trigger(_Strict):
    """One moment to offer a chat; every condition given must hold."""

    name: str = Field(description="recorded on the lead; lowercase letters, digits, '-' or '_'")
    pages: tuple[str, ...] = Field((), description="page patterns it is limited to; none: every page")
    after_seconds: float | None = Field(None, ge=0, le=3600, description="time on the page")
    scroll_percent: int | None = Field(None, ge=1, le=100, description="how far down the page")
    exit_intent: bool = Field(False, description="the pointer leaves through the top of the window")
    returning: bool = Field(False, description="only a visitor seen on an earlier visit (30 min apart)")
    teaser: str = Field(min_length=1, max_length=140, description="the bubble's text (the pitch)")
    opening: str = Field(min_length=1, max_length=500, description="the bot's first line when opened from it")

    @field_validator("name")
    @classmethod
    def _a_name(cls, value: str) -> str:
        if not NAME.fullmatch(value):
            raise ValueError(f"trigger name {value!r}: lowercase letters, digits, '-' or '_' (at most 64)")
        return value

    @field_validator("pages")
    @classmethod
    def _patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_pattern(p) for p in value)

    @field_validator("teaser", "opening")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @model_validator(mode="after")
    def _some_condition(self) -> "Trigger":
        if not (self.pages or self.returning or self.exit_intent or self.after_seconds is not None
                or self.scroll_percent is not None):
            raise ValueError(f"trigger {self.name!r} has no condition: it would open on every page at once; "
                             "give pages, after_seconds, scroll_percent, exit_intent or returning")
        return self

    def to_widget(self) -> dict[str, Any]:
        return {"name": self.name, "pages": [page_regex(p) for p in self.pages],
                "after_seconds": self.after_seconds, "scroll_percent": self.scroll_percent,
                "exit_intent": self.exit_intent, "returning": self.returning, "teaser": self.teaser}


class Frequency(_Strict):
    """How often one visitor may be offered a chat (kept in their browser, across page loads)."""

    per_session: int = Field(1, ge=1, le=10, description="teasers per browser session")
    per_day: int = Field(2, ge=1, le=20, description="teasers in any 24 hours")
    same_trigger_days: float = Field(7, ge=0, le=365, description="before one trigger is shown again")

    @model_validator(mode="after")
    def _session_within_day(self) -> "Frequency":
        if self.per_session > self.per_day:
            raise ValueError(f"per_session ({self.per_session}) cannot exceed per_day ({self.per_day})")
        return self


class Site(_Strict):
    quiet_pages: tuple[str, ...] = Field((), description="page patterns where the chat never opens on its own")
    triggers: tuple[Trigger, ...] = ()

    @field_validator("quiet_pages")
    @classmethod
    def _patterns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_pattern(p) for p in value)

    @field_validator("triggers")
    @classmethod
    def _unique(cls, value: tuple[Trigger, ...]) -> tuple[Trigger, ...]:
        names = [t.name for t in value]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"trigger names must be unique within a site: {twice}")
        return value

    def trigger(self, name: str) -> Trigger | None:
        return next((t for t in self.triggers if t.name == name), None)


class ProactiveSettings(_Strict):
    """Validated `settings/proactive.yml`. A missing file: no site has triggers."""

    enabled: bool = True
    frequency: Frequency = Frequency()
    sites: dict[str, Site] = Field(default_factory=dict)

    @field_validator("sites")
    @classmethod
    def _site_keys(cls, value: dict[str, Site]) -> dict[str, Site]:
        bad = [key for key in value if key != DEFAULT_SITE and not HOST.fullmatch(key)]
        if bad:
            raise ValueError(f"sites are '{DEFAULT_SITE}' or a lowercase host name (www.example.com): {bad}")
        return value

    def site_key(self, host: str | None) -> str | None:
        """The site `host` reads: its own entry, else `default`; None when neither exists."""
        host = (host or "").strip().lower()
        if host in self.sites:
            return host
        return DEFAULT_SITE if DEFAULT_SITE in self.sites else None

    def widget_config(self, host: str | None) -> dict[str, Any]:
        """What the widget needs to decide in the browser: the site's patterns as regular
        expressions, its triggers without their openings, and the caps. Nothing about a visitor."""
        key = self.site_key(host)
        site = self.sites[key] if key is not None else Site()
        enabled = self.enabled and bool(site.triggers)
        return {"enabled": enabled, "site": key,
                "frequency": self.frequency.model_dump(),
                "quiet_pages": [page_regex(p) for p in site.quiet_pages],
                "triggers": [t.to_widget() for t in site.triggers] if enabled else []}

    def opening_for(self, metadata: Mapping[str, Any] | None) -> str | None:
        """The opening line of the trigger a chat was opened from (the first message's
        metadata names it); None when it names none, or one these settings do not have."""
        if not self.enabled or not isinstance(metadata, Mapping):
            return None
        name, site = metadata.get(TRIGGER_KEY), metadata.get(SITE_KEY)
        if not isinstance(name, str) or not isinstance(site, str) or site not in self.sites:
            return None
        trigger = self.sites[site].trigger(name)
        return trigger.opening if trigger else None


def load_proactive_settings(directory: Path | None = None) -> ProactiveSettings:
    return load_settings("proactive.yml", ProactiveSettings, directory)
