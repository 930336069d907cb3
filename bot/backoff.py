"""How long to wait before trying a failed delivery again (CRM events, rep notifications).

Exponential: the delay doubles from `base` each attempt up to `max`, spread by +/- `jitter`
(a fraction) so that workers do not retry in lockstep; a receiver's Retry-After wins.
"""
from __future__ import annotations

import random
from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field


class RetrySettings(BaseModel):
    """How patiently a delivery is retried; a section of crm.yml and notifications.yml."""

    model_config = ConfigDict(extra="forbid")

    base_seconds: float = Field(5, gt=0, description="first retry delay; doubles each attempt")
    max_seconds: float = Field(3600, gt=0)
    jitter: float = Field(0.2, ge=0, lt=1, description="spread delays by +/- this fraction")
    max_attempts: int = Field(12, ge=1, le=100, description="then the delivery is dead (a dead letter)")

    @property
    def base(self) -> timedelta:
        return timedelta(seconds=self.base_seconds)

    @property
    def max(self) -> timedelta:
        return timedelta(seconds=self.max_seconds)


def next_delay(attempts: int, *, base: timedelta, max_delay: timedelta, jitter: float = 0.0,
               retry_after: timedelta | None = None, rng: random.Random | None = None) -> timedelta:
    """The wait after the `attempts`-th failure (1 for the first)."""
    if retry_after is not None:
        return retry_after
    delay = min(base * (2 ** max(attempts - 1, 0)), max_delay)
    if jitter:
        delay *= 1 + (rng or random).uniform(-jitter, jitter)
    return delay
