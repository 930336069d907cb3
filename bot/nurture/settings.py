"""Validated `settings/nurture.yml`: the sequences of e-mails a nurture lead receives.

A sequence is a list of steps; each step waits `delay_hours` after the previous one (the
first after enrollment: the sender's first round after the opt-in) and has its content per language and need category. A lead gets
the text for its language (the browser's, `source.language`, by its primary subtag) and
need category, falling back to the category `default`, then to `default_language`. Bodies
may use `{name}`, `{pitch}` (the category's pitch in settings/content.yml), `{resources}`
(content.yml's resources) and `{chat_link}` (back into the conversation); anything else is
refused at start-up, not at send time.
"""
from __future__ import annotations

import string
from datetime import timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.backoff import RetrySettings
from bot.dashboard_address import dashboard_url
from bot.settings import load_settings

PLACEHOLDERS = frozenset({"name", "pitch", "resources", "chat_link"})
DEFAULT_CATEGORY = "default"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StepText(_Strict):
    """One e-mail: subject and plain-text body (links in it are tracked when sent)."""

    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1)

    @field_validator("subject", "body")
    @classmethod
    def _known_placeholders(cls, value: str) -> str:
        try:
            names = {field for _, field, _, _ in string.Formatter().parse(value) if field is not None}
        except ValueError as exc:
            raise ValueError(f"unbalanced braces: {exc}") from None
        unknown = names - PLACEHOLDERS
        if unknown:
            raise ValueError(f"unknown placeholder(s) {sorted(unknown)}; use {sorted(PLACEHOLDERS)}")
        return value


class Step(_Strict):
    delay_hours: float = Field(ge=0, le=24 * 365, description="after the previous step (the first: after enrollment)")
    # language ("en") -> need category (or "default") -> text
    content: dict[str, dict[str, StepText]] = Field(min_length=1)

    @property
    def delay(self) -> timedelta:
        return timedelta(hours=self.delay_hours)


class Sequence(_Strict):
    needs: list[str] = Field(default_factory=list, description="need categories it is for; empty: every lead")
    steps: list[Step] = Field(min_length=1)


class NurtureSettings(_Strict):
    enabled: bool = True
    default_language: str = "en"
    link_base_url: str | None = Field(None, description="where the links in e-mails point; null: the dashboard, "
                                                        "where it is reached (bot/dashboard_address.py)")
    resume_link_days: float = Field(30, gt=0, description="how long a link back into the chat works")
    secret_env: str = Field("LEADBOT_NURTURE_SECRET", description="signs the links; else a key kept in the data folder")
    lease_seconds: float = Field(120, gt=0)
    batch_size: int = Field(50, ge=1, le=1000)
    poll_seconds: float = Field(30, gt=0, le=3600)
    meeting_stages: list[str] = Field(default_factory=lambda: ["meeting", "proposal", "negotiation", "won"],
                                      description="a deal in one of these stages has booked a meeting")
    retry: RetrySettings = Field(default_factory=lambda: RetrySettings(base_seconds=60, max_seconds=3600, max_attempts=8))
    sequences: dict[str, Sequence] = Field(default_factory=dict)

    @field_validator("link_base_url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/")

    @property
    def links_base(self) -> str:
        """`link_base_url`, else where the dashboard is reached."""
        return self.link_base_url or dashboard_url()

    @model_validator(mode="after")
    def _every_step_has_a_fallback(self) -> "NurtureSettings":
        for name, sequence in self.sequences.items():
            for number, step in enumerate(sequence.steps, 1):
                fallback = step.content.get(self.default_language, {})
                if DEFAULT_CATEGORY not in fallback:
                    raise ValueError(f"sequence {name!r} step {number}: needs content for "
                                     f"{self.default_language}.{DEFAULT_CATEGORY} (the fallback)")
        return self

    def sequence_for(self, category: str | None) -> str | None:
        """The first sequence (in file order) for this need category, or for every lead."""
        for name, sequence in self.sequences.items():
            if not sequence.needs or (category is not None and category in sequence.needs):
                return name
        return None

    def text(self, sequence: str, step: int, language: str | None, category: str | None) -> StepText:
        """The content of step `step` (0-based) for a lead's language and need category."""
        content = self.sequences[sequence].steps[step].content
        for lang in (language, self.default_language):
            by_category = content.get(lang or "")
            if by_category:
                chosen = by_category.get(category or "") or by_category.get(DEFAULT_CATEGORY)
                if chosen:
                    return chosen
        return content[self.default_language][DEFAULT_CATEGORY]


def primary_language(tag: str | None) -> str | None:
    """"pt-BR" -> "pt": content is written per language, not per region."""
    if not tag:
        return None
    return tag.split("-")[0].split("_")[0].lower() or None


def load_nurture_settings(directory: Path | None = None) -> NurtureSettings:
    return load_settings("nurture.yml", NurtureSettings, directory)
