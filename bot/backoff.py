"""How long to wait before trying a failed delivery again (CRM events, rep notifications).

Exponential: the delay doubles from `base` each attempt up to `max`, spread by +/- `jitter`
(a fraction) so that workers do not retry in lockstep; a receiver's Retry-After wins.
"""
from __future__ import annotations

import random
from datetime import timedelta


def next_delay(attempts: int, *, base: timedelta, max_delay: timedelta, jitter: float = 0.0,
               retry_after: timedelta | None = None, rng: random.Random | None = None) -> timedelta:
    """The wait after the `attempts`-th failure (1 for the first)."""
    if retry_after is not None:
        return retry_after
    delay = min(base * (2 ** max(attempts - 1, 0)), max_delay)
    if jitter:
        delay *= 1 + (rng or random).uniform(-jitter, jitter)
    return delay
