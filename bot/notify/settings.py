"""Validated `settings/notifications.yml`: where lead cards link to, how e-mail is sent,
who hears of a lead nobody could take, and how patiently failures are retried.

Secrets (the SMTP password, webhook URLs, the webhook signing secret) are never in the
file: it names the environment variables that hold them.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.backoff import RetrySettings
from bot.dashboard_address import dashboard_url
from bot.settings import load_settings

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class MissingSecret(RuntimeError):
    """A secret a channel needs is not in the environment; the message names the variable."""


def secret_from_env(name: str, what: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise MissingSecret(f"set {name} to {what}")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


NO_SMTP = ("no SMTP server is configured: set smtp.host (and port) in settings/notifications.yml "
           "(docs/notifications.md), then `leadbot notifications retry`")


class SmtpSettings(_Strict):
    """How e-mail leaves. No host (the default): e-mail is not configured, and every e-mail
    fails at once with `NO_SMTP` (a dead letter that says so) instead of being retried
    against a server that was never there."""

    host: str | None = Field(None, description="the SMTP server; null: no e-mail is sent")
    port: int = Field(25, ge=1, le=65535)
    security: Literal["none", "starttls", "ssl"] = "none"
    username: str | None = None
    password_env: str = Field("LEADBOT_SMTP_PASSWORD", description="env variable with the password (if username)")
    sender: str = Field("leadbot <leadbot@localhost>", description="the From: header")
    timeout_seconds: float = Field(10, gt=0, le=300)

    @field_validator("host")
    @classmethod
    def _host(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @property
    def configured(self) -> bool:
        return self.host is not None


class FallbackRecipients(_Strict):
    """Who hears of a lead that no rep could take (settings/assignment.yml fallback)."""

    emails: list[str] = Field(default_factory=list)
    slack_webhook_env: str | None = None
    webhook_env: str | None = None

    @field_validator("emails")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not _EMAIL.match(v.strip())]
        if bad:
            raise ValueError(f"not e-mail addresses: {', '.join(bad)}")
        return [v.strip().lower() for v in value]


class NotifySettings(_Strict):
    lead_url: str | None = Field(None, description="link on every card; null: the lead's page where "
                                                   "the dashboard is reached (bot/dashboard_address.py)")
    transcript_lines: int = Field(40, ge=0, le=500, description="the card shows at most the last N lines")
    timeout_seconds: float = Field(10, gt=0, le=300, description="every Slack/webhook call gives up after this")
    lease_seconds: float = Field(120, gt=0, description="a worker's hold on a card it is sending")
    batch_size: int = Field(50, ge=1, le=1000)
    poll_seconds: float = Field(2, gt=0, le=600)
    stuck_digest_hour: int | None = Field(8, ge=0, le=23, description="UTC hour from which the sender queues each "
                                          "owner's daily stuck-deals digest; null: no digest")
    webhook_secret_env: str = Field("LEADBOT_WEBHOOK_SECRET", description="signs webhook cards (HMAC-SHA256), if set")
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    fallback: FallbackRecipients = Field(default_factory=FallbackRecipients)
    retry: RetrySettings = Field(default_factory=lambda: RetrySettings(base_seconds=10, max_seconds=1800, max_attempts=10))

    @field_validator("lead_url")
    @classmethod
    def _lead_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")) or "{lead_id}" not in value:
            raise ValueError("lead_url must be an http(s) URL containing {lead_id}")
        return value

    def link(self, lead_id: int) -> str:
        template = self.lead_url or dashboard_url() + "/leads/{lead_id}"
        return template.replace("{lead_id}", str(lead_id))


def load_notify_settings(directory: Path | None = None) -> NotifySettings:
    return load_settings("notifications.yml", NotifySettings, directory)
