"""How a rep wants lead cards: stored as JSON on the rep (`reps.notify`), validated here.

Webhook URLs carry their own credentials, so the store never holds them: a rep's
preferences name the environment variable that does (`SLACK_WEBHOOK_DANA`).
"""
from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")


class RepNotify(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: bool = Field(True, description="lead cards by e-mail, to the rep's address")
    slack_webhook_env: str | None = Field(None, description="NAME of the env variable with a Slack incoming-webhook URL")
    webhook_env: str | None = Field(None, description="NAME of the env variable with a generic webhook URL")

    @field_validator("slack_webhook_env", "webhook_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if value.startswith(("http://", "https://")):
            raise ValueError("give the NAME of an environment variable holding the URL, not the URL itself")
        if not _ENV_NAME.match(value):
            raise ValueError(f"{value!r} is not an environment variable name")
        return value
