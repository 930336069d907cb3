"""Settings for how the conversation behaves: time zone, patience, consent notice version,
how soon answers kept while the pipeline store was down are retried, and the country a
phone number without "+" is read in when nothing else hints.

Loaded from `settings/conversation.yml`. The clock is built here too, so that every
part of the bot resolves "next quarter" against the same business time zone; tests (and
replays) fix the time with `LEADBOT_NOW` (an ISO-8601 datetime).
"""
from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.clock import Clock, clock_from_environment
from bot.settings import load_settings


class ConversationSettings(BaseModel):
    """Validated `settings/conversation.yml`."""

    model_config = ConfigDict(extra="forbid")

    timezone: str = "UTC"
    max_reasks: int = Field(2, ge=1, le=5, description="unclear answers before moving on")
    max_message_chars: int = Field(4000, ge=200, le=100_000)
    consent_version: str = "2026-11-v1"
    pending_retry_seconds: float = Field(
        30, ge=0.1, le=3600, description="how often leads kept while the store was down are retried"
    )
    store_deadline_seconds: float = Field(
        3, ge=0.05, le=60,
        description="longest a visitor's reply waits for the pipeline store; then the lead is spooled (actions/store_calls.py)"
    )
    default_phone_region: str = Field(
        "US", description="country a phone number without + is read in, when nothing else hints (bot/parsing/phone.py)"
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


    @field_validator("default_phone_region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        from bot.parsing.phone import is_region

        code = value.strip().upper()
        if code == "UK":
            code = "GB"
        if not is_region(code):
            raise ValueError(f"unknown phone region {value!r}: use a two-letter country code such as US, GB, DE")
        return code


def load_conversation_settings(directory: Path | None = None) -> ConversationSettings:
    return load_settings("conversation.yml", ConversationSettings, directory)


def make_clock(settings: ConversationSettings) -> Clock:
    """The system clock in the business time zone, or the one `LEADBOT_NOW` sets (bot.clock)."""
    return clock_from_environment(settings.timezone)
