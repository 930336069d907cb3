"""Validated `settings/scoring.yml`: weights, bands, rates, thresholds and rules as data.

Sales teams tune scoring without a release, so every knob lives in YAML; a typo must
fail at start-up (with file and field, via `bot.settings.load_settings`) rather than
silently score every lead wrong. Hence `extra="forbid"` and `strict=True` everywhere,
and cross-field checks (no level worth more than its dimension, bands in order, a grade
for every score). The defaults here are the shipped file; a test keeps them equal.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.answers import AnswerStatus, AuthorityLevel, NeedLevel
from bot.settings import load_settings

DimensionName = Literal["need", "budget", "authority", "timeline", "contact"]
DIMENSIONS: tuple[str, ...] = ("need", "budget", "authority", "timeline", "contact")

Points = float
_STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


class _Strict(BaseModel):
    model_config = _STRICT


def _check_within(max_points: float, **values: float) -> None:
    for name, value in values.items():
        if value > max_points:
            raise ValueError(f"{name} ({value:g}) is more than max_points ({max_points:g})")


class NeedLevelPoints(_Strict):
    specific: Points = Field(16, ge=0)
    exploring: Points = Field(8, ge=0)


class NeedSettings(_Strict):
    """Concrete needs close; "just looking" rarely does. A known category is a plus."""

    max_points: Points = Field(20, ge=0)
    level_points: NeedLevelPoints = Field(default_factory=NeedLevelPoints)
    category_bonus: Points = Field(4, ge=0)
    none_points: Points = Field(0, ge=0)

    @model_validator(mode="after")
    def _within_max(self) -> NeedSettings:
        _check_within(
            self.max_points,
            **{
                "level_points.specific + category_bonus": self.level_points.specific + self.category_bonus,
                "level_points.exploring + category_bonus": self.level_points.exploring + self.category_bonus,
                "none_points": self.none_points,
            },
        )
        return self


class BudgetBand(_Strict):
    """Annual amounts from `min_amount` up to the next band's minimum earn `points`."""

    min_amount: float = Field(ge=0)
    points: Points = Field(ge=0)


def _default_budget_bands() -> list[BudgetBand]:
    return [
        BudgetBand(min_amount=0, points=2),
        BudgetBand(min_amount=2_000, points=8),
        BudgetBand(min_amount=5_000, points=14),
        BudgetBand(min_amount=10_000, points=19),
        BudgetBand(min_amount=25_000, points=23),
        BudgetBand(min_amount=50_000, points=25),
    ]


class BudgetSettings(_Strict):
    max_points: Points = Field(25, ge=0)
    none_points: Points = Field(0, ge=0)
    bands: list[BudgetBand] = Field(default_factory=_default_budget_bands)

    @model_validator(mode="after")
    def _bands_in_order(self) -> BudgetSettings:
        if not self.bands or self.bands[0].min_amount != 0:
            raise ValueError("bands must start with a band at min_amount 0 so every amount has one")
        mins = [b.min_amount for b in self.bands]
        if any(a >= b for a, b in zip(mins, mins[1:])):
            raise ValueError(f"bands must be in strictly increasing min_amount order, got {mins}")
        _check_within(self.max_points, none_points=self.none_points,
                      **{f"bands[{i}].points": b.points for i, b in enumerate(self.bands)})
        return self


class AuthorityLevelPoints(_Strict):
    """Points per known level; "unknown" always earns the neutral credit instead."""

    decision_maker: Points = Field(25, ge=0)
    shared: Points = Field(19, ge=0)
    influencer: Points = Field(10, ge=0)


class AuthoritySettings(_Strict):
    max_points: Points = Field(25, ge=0)
    level_points: AuthorityLevelPoints = Field(default_factory=AuthorityLevelPoints)

    @model_validator(mode="after")
    def _within_max(self) -> AuthoritySettings:
        _check_within(self.max_points,
                      **{f"level_points.{k}": v for k, v in self.level_points.model_dump().items()})
        return self


class TimelineBand(_Strict):
    """A purchase within `max_months` (and beyond the previous band) earns `points`."""

    max_months: float = Field(ge=0)
    points: Points = Field(ge=0)


def _default_timeline_bands() -> list[TimelineBand]:
    return [
        TimelineBand(max_months=1, points=25),
        TimelineBand(max_months=3, points=22),
        TimelineBand(max_months=6, points=16),
        TimelineBand(max_months=12, points=10),
    ]


class TimelineSettings(_Strict):
    max_points: Points = Field(25, ge=0)
    bands: list[TimelineBand] = Field(default_factory=_default_timeline_bands)
    later_points: Points = Field(5, ge=0, description="beyond the last band")
    none_points: Points = Field(2, ge=0, description="no plans to buy")

    @model_validator(mode="after")
    def _bands_in_order(self) -> TimelineSettings:
        if not self.bands:
            raise ValueError("bands must not be empty")
        months = [b.max_months for b in self.bands]
        if any(a >= b for a, b in zip(months, months[1:])):
            raise ValueError(f"bands must be in strictly increasing max_months order, got {months}")
        _check_within(self.max_points, later_points=self.later_points, none_points=self.none_points,
                      **{f"bands[{i}].points": b.points for i, b in enumerate(self.bands)})
        return self


class ContactSettings(_Strict):
    """Points per contact field given; the dimension's maximum is their sum."""

    name: Points = Field(1, ge=0)
    company: Points = Field(1, ge=0)
    email: Points = Field(3, ge=0)

    @property
    def max_points(self) -> Points:
        return self.name + self.company + self.email


class QualifiedSettings(_Strict):
    """When a lead that is not disqualified goes to sales instead of nurture."""

    min_score: float = Field(65, ge=0, le=100)
    require_known: list[DimensionName] = Field(default_factory=list)


class Conditions(_Strict):
    """The fixed vocabulary of a disqualification rule; every condition given must hold."""

    budget_status: AnswerStatus | None = None  # a missing answer counts as "unknown"
    timeline_status: AnswerStatus | None = None
    need_status: AnswerStatus | None = None
    need_level: NeedLevel | None = None  # only matches a stated need
    authority_level: AuthorityLevel | None = None
    annual_budget_below: float | None = Field(None, gt=0)  # base currency, stated budget's upper bound
    timeline_months_over: float | None = Field(None, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _known_names(cls, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(cls.model_fields))
            if unknown:
                raise ValueError(
                    f"unknown condition(s) {', '.join(unknown)}; "
                    f"known conditions: {', '.join(cls.model_fields)}"
                )
        return data

    @model_validator(mode="after")
    def _not_empty(self) -> Conditions:
        if not self.model_dump(exclude_none=True):
            raise ValueError("a rule needs at least one condition (an empty one would match every lead)")
        return self


class DisqualificationRule(_Strict):
    name: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    when: Conditions


def _default_rules() -> list[DisqualificationRule]:
    return [
        DisqualificationRule(name="no_budget_and_no_timeline",
                             when=Conditions(budget_status="none", timeline_status="none")),
        DisqualificationRule(name="budget_below_minimum", when=Conditions(annual_budget_below=1000)),
        DisqualificationRule(name="not_buying", when=Conditions(timeline_status="none", need_level="exploring")),
    ]


def _default_rates() -> dict[str, float]:
    return {
        "EUR": 1.08, "GBP": 1.27, "CHF": 1.13, "CAD": 0.73, "AUD": 0.66, "NZD": 0.60,
        "SEK": 0.095, "NOK": 0.093, "DKK": 0.145, "PLN": 0.25, "JPY": 0.0067,
        "INR": 0.012, "BRL": 0.18, "MXN": 0.055, "ZAR": 0.055, "SGD": 0.75,
        "RUB": 0.0125, "IRR": 0.0000009, "MYR": 0.24, "CNY": 0.14,
    }


class ScoringSettings(_Strict):
    """Everything `score_lead` needs besides the answers."""

    version: str = Field("2026.12-1", min_length=1)
    unknown_credit: float = Field(0.3, ge=0, le=1, description="share of max_points for an unknown answer")
    base_currency: str = "USD"
    assume_base_currency: bool = False
    currency_rates_to_base: dict[str, float] = Field(default_factory=_default_rates)
    need: NeedSettings = Field(default_factory=NeedSettings)
    budget: BudgetSettings = Field(default_factory=BudgetSettings)
    authority: AuthoritySettings = Field(default_factory=AuthoritySettings)
    timeline: TimelineSettings = Field(default_factory=TimelineSettings)
    contact: ContactSettings = Field(default_factory=ContactSettings)
    grades: dict[str, float] = Field(default_factory=lambda: {"A": 80, "B": 60, "C": 40, "D": 0})
    qualified: QualifiedSettings = Field(default_factory=QualifiedSettings)
    disqualify: list[DisqualificationRule] = Field(default_factory=_default_rules)

    @field_validator("base_currency")
    @classmethod
    def _iso_code(cls, value: str) -> str:
        if not _CURRENCY_CODE.match(value):
            raise ValueError(f"{value!r} is not an upper-case ISO 4217 code such as USD")
        return value

    @field_validator("currency_rates_to_base")
    @classmethod
    def _valid_rates(cls, rates: dict[str, float]) -> dict[str, float]:
        for code, rate in rates.items():
            if not _CURRENCY_CODE.match(code):
                raise ValueError(f"{code!r} is not an upper-case ISO 4217 code such as EUR")
            if rate <= 0:
                raise ValueError(f"rate for {code} must be positive, got {rate}")
        return rates

    @field_validator("grades")
    @classmethod
    def _valid_grades(cls, grades: dict[str, float]) -> dict[str, float]:
        for grade, threshold in grades.items():
            if not grade:
                raise ValueError("grade names must not be empty")
            if not 0 <= threshold <= 100:
                raise ValueError(f"grade {grade} threshold {threshold} is outside 0-100")
        if 0 not in grades.values():
            raise ValueError("one grade needs threshold 0 so every score gets a grade")
        if len(set(grades.values())) != len(grades):
            raise ValueError("two grades share a threshold")
        return grades

    @model_validator(mode="after")
    def _consistent(self) -> ScoringSettings:
        rate = self.currency_rates_to_base.get(self.base_currency)
        if rate is not None and rate != 1:
            raise ValueError(f"currency_rates_to_base.{self.base_currency}: the base currency's rate must be 1")
        names = [r.name for r in self.disqualify]
        if len(set(names)) != len(names):
            raise ValueError(f"disqualify: rule names must be unique, got {names}")
        if self.max_total() <= 0:
            raise ValueError("the dimensions' max_points add up to 0; nothing could be scored")
        return self

    def max_points(self, dimension: str) -> Points:
        """The maximum of one dimension (contact's is the sum of its field points)."""
        return getattr(self, dimension).max_points

    def max_total(self) -> Points:
        return sum(self.max_points(d) for d in DIMENSIONS)

    def grade_for(self, score: float) -> str:
        """The grade with the highest threshold the score reaches."""
        reached = [(t, g) for g, t in self.grades.items() if score >= t]
        return max(reached)[1]


def load_scoring_settings(directory: Path | None = None) -> ScoringSettings:
    """`scoring.yml` from the settings folder (or `directory`); defaults when absent."""
    return load_settings("scoring.yml", ScoringSettings, directory)
