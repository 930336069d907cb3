"""Which variant a visitor gets: deterministic, sticky, and spread by the variants' weights.

The variant is a function of the experiment's salt and the visitor's identity, never of
the clock or a random generator: the SHA-256 of `salt:identity` read as a number in
[0, 1) picks a variant by cumulative weight. The same visitor gets the same variant on
every reload (the widget keeps its session id), in every conversation on the same sender,
and, once the store knows them, on every channel (registry.assign reuses their lead's
variant). `Assignment` is what a conversation remembers (the `experiment` slot): the
running experiment's variant and the winners of stopped ones, applied in order.
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.experiments.settings import ExperimentDefinition


def bucket(salt: str, identity: str) -> float:
    """A number in [0, 1), uniform over identities, fixed for one (salt, identity)."""
    digest = hashlib.sha256(f"{salt}:{identity}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def choose(key: str, definition: ExperimentDefinition, identity: str,
           weights: Mapping[str, float] | None = None) -> str:
    """The variant of `definition` (experiment `key`) for `identity`. `weights` (as the
    experiment was started) win over the settings' own, so editing a weight mid-run does
    not move visitors between variants."""
    weights = {name: (weights or {}).get(name, variant.weight) for name, variant in definition.variants.items()}
    point = bucket(definition.salt or key, identity) * sum(weights.values())
    for name, weight in weights.items():
        if point < weight:
            return name
        point -= weight
    return next(reversed(weights))  # rounding at the very top of the range


@dataclass(frozen=True)
class Assignment:
    """One conversation's script: `winners` of stopped experiments ([key, variant], oldest
    first), then the running `experiment`'s `variant` (None when none was running)."""

    experiment: str | None = None
    variant: str | None = None
    winners: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def applied(self) -> tuple[tuple[str, str], ...]:
        """The (experiment, variant) pairs that shape the script, later ones winning."""
        running = ((self.experiment, self.variant),) if self.experiment and self.variant else ()
        return self.winners + running

    def to_dict(self) -> dict[str, Any]:
        return {"experiment": self.experiment, "variant": self.variant, "winners": [list(w) for w in self.winners]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> "Assignment":
        data = data or {}
        return cls(data.get("experiment"), data.get("variant"),
                   tuple((str(k), str(v)) for k, v in data.get("winners") or ()))
