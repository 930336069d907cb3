"""Validated `settings/pipeline.yml`: the sales stages and lost reasons, as data.

As in Odoo CRM, a stage is a row of configuration, not code: its place in the list is its
sequence, it carries a win probability and may be the won or the lost stage. Sales can
rename stages, add one, or tune `max_days` (how long a deal may sit in a stage before it
counts as stuck) without a release. Lost reasons are data too, so "why we lose" can be
counted. `entry_stage` says where the bot puts a deal for each lead status.

A bad file stops start-up with the file and field named (via `bot.settings.load_settings`).
The defaults below equal the shipped file; a test keeps them equal.
"""
from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.settings import load_settings
from bot.store.errors import UnknownLostReason, UnknownStage

LEAD_STATUSES: tuple[str, ...] = ("qualified", "nurture", "disqualified")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_CONFIG = ConfigDict(extra="forbid", frozen=True)


def _check_key(value: str) -> str:
    if not _KEY.match(value) or len(value) > 50:
        raise ValueError(
            f"{value!r} is not a valid key: use lower-case letters, digits and _ (max 50)"
        )
    return value


class Stage(BaseModel):
    """One column of the pipeline board."""

    model_config = _CONFIG

    key: str  # stored on deals; renaming a key orphans deals, change `label` instead
    label: str
    probability: float = Field(ge=0, le=1)  # chance a deal here is won
    won: bool = False
    lost: bool = False
    max_days: int | None = Field(None, ge=1)  # a deal here longer than this is stuck

    @field_validator("key")
    @classmethod
    def _valid_key(cls, value: str) -> str:
        return _check_key(value)

    @property
    def closed(self) -> bool:
        return self.won or self.lost

    @model_validator(mode="after")
    def _consistent(self) -> Stage:
        if self.won and self.lost:
            raise ValueError(f"stage {self.key!r} cannot be both won and lost")
        if self.won and self.probability != 1:
            raise ValueError(f"won stage {self.key!r} must have probability 1")
        if self.lost and self.probability != 0:
            raise ValueError(f"lost stage {self.key!r} must have probability 0")
        return self


class LostReason(BaseModel):
    """Why a deal was lost; required when a deal moves to the lost stage."""

    model_config = _CONFIG

    key: str
    label: str

    @field_validator("key")
    @classmethod
    def _valid_key(cls, value: str) -> str:
        return _check_key(value)


def _default_stages() -> list[Stage]:
    return [
        Stage(key="new", label="New", probability=0.05, max_days=7),
        Stage(key="qualified", label="Qualified", probability=0.2, max_days=7),
        Stage(key="meeting", label="Meeting booked", probability=0.4, max_days=14),
        Stage(key="proposal", label="Proposal sent", probability=0.6, max_days=21),
        Stage(key="negotiation", label="Negotiation", probability=0.8, max_days=30),
        Stage(key="won", label="Won", probability=1.0, won=True),
        Stage(key="lost", label="Lost", probability=0.0, lost=True),
    ]


def _default_lost_reasons() -> list[LostReason]:
    return [
        LostReason(key="no_commitment", label="No commitment from the prospect"),
        LostReason(key="wrong_timing", label="Wrong timing"),
        LostReason(key="price_above_budget", label="Price above their budget"),
        LostReason(key="chose_competitor", label="Chose a competitor"),
        LostReason(key="no_decision", label="No decision made"),
        LostReason(key="not_a_fit", label="Not a fit for our product"),
        LostReason(key="unresponsive", label="Stopped responding"),
        LostReason(key="duplicate", label="Duplicate of another deal"),
    ]


def _default_entry_stage() -> dict[str, str]:
    return {"qualified": "qualified", "nurture": "new", "disqualified": "new"}


class PipelineSettings(BaseModel):
    """The whole pipeline: ordered stages, lost reasons, and where the bot enters deals."""

    model_config = _CONFIG

    version: str = "2026.11-1"
    stages: list[Stage] = Field(default_factory=_default_stages)
    lost_reasons: list[LostReason] = Field(default_factory=_default_lost_reasons)
    entry_stage: dict[str, str] = Field(default_factory=_default_entry_stage)

    @model_validator(mode="after")
    def _consistent(self) -> PipelineSettings:
        keys = [s.key for s in self.stages]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"stages: duplicate keys {duplicates}")
        won = [s.key for s in self.stages if s.won]
        lost = [s.key for s in self.stages if s.lost]
        if len(won) != 1:
            raise ValueError(f"stages: exactly one stage must be won: true (found {won or 'none'})")
        if len(lost) != 1:
            raise ValueError(f"stages: exactly one stage must be lost: true (found {lost or 'none'})")
        if not [s for s in self.stages if not s.closed]:
            raise ValueError("stages: at least one open stage (neither won nor lost) is needed")
        reasons = [r.key for r in self.lost_reasons]
        if not reasons:
            raise ValueError("lost_reasons: at least one is needed (moving to lost requires one)")
        duplicates = sorted({k for k in reasons if reasons.count(k) > 1})
        if duplicates:
            raise ValueError(f"lost_reasons: duplicate keys {duplicates}")
        missing = [s for s in LEAD_STATUSES if s not in self.entry_stage]
        if missing:
            raise ValueError(f"entry_stage: no stage for lead status {missing}")
        for status, stage in self.entry_stage.items():
            if status not in LEAD_STATUSES:
                raise ValueError(f"entry_stage: {status!r} is not a lead status {LEAD_STATUSES}")
            if stage not in keys:
                raise ValueError(f"entry_stage.{status}: {stage!r} is not a stage key {keys}")
            if self.stage(stage).closed:
                raise ValueError(f"entry_stage.{status}: {stage!r} is a closed stage; use an open one")
        return self

    # --- lookups -------------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        return [s.key for s in self.stages]

    @property
    def won_stage(self) -> Stage:
        return next(s for s in self.stages if s.won)

    @property
    def lost_stage(self) -> Stage:
        return next(s for s in self.stages if s.lost)

    def stage(self, key: str) -> Stage:
        """The stage with `key`; `UnknownStage` naming the valid keys otherwise."""
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise UnknownStage(f"unknown stage {key!r}; stages in settings/pipeline.yml: {', '.join(self.keys)}")

    def sequence(self, key: str) -> int:
        """Position in the pipeline (0 = first); deals only move forward automatically."""
        return self.keys.index(self.stage(key).key)

    def lost_reason(self, key: str | None) -> LostReason:
        valid = ", ".join(r.key for r in self.lost_reasons)
        if not key:
            raise UnknownLostReason(f"a lost reason is required to move a deal to lost; one of: {valid}")
        for reason in self.lost_reasons:
            if reason.key == key:
                return reason
        raise UnknownLostReason(f"unknown lost reason {key!r}; one of: {valid}")

    def entry_stage_for(self, status: str) -> str:
        return self.entry_stage[status]


def load_pipeline_settings(directory: Path | None = None) -> PipelineSettings:
    """`pipeline.yml` from the settings folder (`LEADBOT_SETTINGS_DIR` or settings/)."""
    return load_settings("pipeline.yml", PipelineSettings, directory)
