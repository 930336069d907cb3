"""Validated `settings/assignment.yml`: which leads get an owner, and by which rules.

Rules are tried in order; the first that finds an available rep wins and its name is
recorded on the lead. A rule has an optional `when` (conditions on the lead: all must
hold), an optional `team` (only its reps), and a `pick`:
- `round_robin`: the available rep who was assigned a lead longest ago;
- `territory`: like round robin, among reps whose territories contain the lead's country
  or one of its regions;
- `account_owner`: the rep who owns another lead from the same company e-mail domain.
"Available" means active, under capacity (open leads), and within working hours, unless
the rule says `respect_capacity: false` / `respect_working_hours: false`.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.assignment.geo import COUNTRIES, DEFAULT_REGIONS
from bot.settings import load_settings

Pick = Literal["round_robin", "territory", "account_owner"]
REASONS = ("qualified", "human_requested")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,99}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Conditions(_Strict):
    """What must hold for a rule to apply. Unknown facts never satisfy a condition."""

    country: list[str] | None = Field(None, description="ISO alpha-2 codes")
    region: list[str] | None = Field(None, description="region names (see `regions`)")
    company_size_min: int | None = Field(None, ge=1)
    company_size_max: int | None = Field(None, ge=1)
    annual_budget_min: float | None = Field(None, ge=0, description="yearly, in scoring's base currency")
    annual_budget_max: float | None = Field(None, ge=0)
    grade: list[str] | None = None
    score_min: int | None = Field(None, ge=0, le=100)
    need_category: list[str] | None = None
    channel: list[str] | None = None
    reason: list[Literal["qualified", "human_requested"]] | None = None

    @field_validator("country")
    @classmethod
    def _countries(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        codes = [c.strip().upper() for c in value]
        unknown = [c for c in codes if c not in COUNTRIES]
        if unknown:
            raise ValueError(f"not ISO 3166-1 alpha-2 country codes: {', '.join(unknown)}")
        return codes

    @field_validator("region", "grade", "need_category", "channel")
    @classmethod
    def _not_empty(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and not value:
            raise ValueError("an empty list never matches; leave the condition out instead")
        return value


class Rule(_Strict):
    name: str
    pick: Pick = "round_robin"
    team: str | None = Field(None, description="only reps of this team (by name)")
    when: Conditions = Field(default_factory=Conditions)
    respect_capacity: bool = True
    respect_working_hours: bool = True

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(f"{value!r}: rule names are lower_case_with_underscores")
        return value


class AssignWhen(_Strict):
    """Which leads get an owner."""

    qualified: bool = True
    human_requested: bool = True  # any lead whose visitor asked for a person


class Fallback(_Strict):
    """When no rule found an available rep."""

    next_available: bool = Field(
        True, description="the rep of the first applicable rule whose working day starts soonest (under capacity)"
    )
    rep: str | None = Field(None, description="else this rep (e-mail), even if busy or off duty")


def _default_rules() -> list[Rule]:
    return [
        Rule(name="account_owner", pick="account_owner", respect_working_hours=False),
        Rule(name="territory", pick="territory"),
        Rule(name="round_robin", pick="round_robin"),
    ]


class AssignmentSettings(_Strict):
    assign: AssignWhen = Field(default_factory=AssignWhen)
    rules: list[Rule] = Field(default_factory=_default_rules, min_length=1)
    fallback: Fallback = Field(default_factory=Fallback)
    regions: dict[str, list[str]] = Field(default_factory=dict, description="added to / replacing the built-in ones")
    free_mail_domains: list[str] = Field(default_factory=list, description="added to the built-in list")

    @field_validator("regions")
    @classmethod
    def _regions(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        checked: dict[str, list[str]] = {}
        for name, members in value.items():
            codes = [c.strip().upper() for c in members]
            unknown = [c for c in codes if c not in COUNTRIES]
            if unknown:
                raise ValueError(f"region {name}: not ISO country codes: {', '.join(unknown)}")
            if not codes:
                raise ValueError(f"region {name} has no countries")
            checked[name.strip().upper()] = codes
        return checked

    @field_validator("free_mail_domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        return [d.strip().lower().lstrip("@") for d in value if d.strip()]

    @model_validator(mode="after")
    def _consistent(self) -> "AssignmentSettings":
        names = [r.name for r in self.rules]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"rule names must be unique: {', '.join(duplicates)}")
        known = set(self.all_regions())
        for rule in self.rules:
            unknown = [r for r in (rule.when.region or []) if r.upper() not in known]
            if unknown:
                raise ValueError(f"rule {rule.name}: unknown regions {', '.join(unknown)} (known: {', '.join(sorted(known))})")
            if rule.when.region:
                rule.when.region = [r.upper() for r in rule.when.region]
        return self

    def all_regions(self) -> dict[str, tuple[str, ...]]:
        merged = dict(DEFAULT_REGIONS)
        merged.update({name: tuple(codes) for name, codes in self.regions.items()})
        return merged


def load_assignment_settings(directory: Path | None = None) -> AssignmentSettings:
    return load_settings("assignment.yml", AssignmentSettings, directory)
