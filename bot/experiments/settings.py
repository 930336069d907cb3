"""Validated `settings/experiments.yml`: the script variants that can be tested, and how
their results are judged.

An experiment is a set of named variants; the first one is the control. A variant changes
any of: the opening line (the greeting's first line; the consent notice always follows),
the pitch said after the need of a category (`default` for a need in no category), the
order of the four qualification questions, and the quick replies of a question. What a
variant leaves out is the script as shipped (domain.yml, settings/content.yml). Defining an
experiment runs nothing: `leadbot experiments start KEY` does.
"""
from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.settings import load_settings

QUESTIONS = ("need", "timeline", "authority", "budget")  # the form's order in domain.yml
DEFAULT_PITCH = "default"  # the pitch for a specific need in no category
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuickReply(_Strict):
    """One button: what it shows and what it sends as the visitor's message (an answer the
    bot understands; tests/experiments/test_settings.py reads every shipped payload)."""

    title: str = Field(min_length=1, max_length=40)
    payload: str = Field(min_length=1, max_length=200)


class Variant(_Strict):
    weight: float = Field(1.0, gt=0, description="share of new conversations, relative to the other variants")
    opening: str | None = Field(None, min_length=1, max_length=500)
    pitches: dict[str, str] = Field(default_factory=dict, description="need category (or 'default') -> pitch")
    question_order: tuple[str, ...] | None = None
    quick_replies: dict[str, tuple[QuickReply, ...]] = Field(default_factory=dict)

    @field_validator("question_order")
    @classmethod
    def _a_permutation(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None and sorted(value) != sorted(QUESTIONS):
            raise ValueError(f"question_order must name each of {', '.join(QUESTIONS)} once")
        return value

    @field_validator("quick_replies")
    @classmethod
    def _known_questions(cls, value: dict[str, tuple[QuickReply, ...]]) -> dict[str, tuple[QuickReply, ...]]:
        unknown = set(value) - set(QUESTIONS)
        if unknown:
            raise ValueError(f"quick replies for unknown question(s) {sorted(unknown)}; one of {', '.join(QUESTIONS)}")
        for question, replies in value.items():
            if not 1 <= len(replies) <= 6:
                raise ValueError(f"{question}: between 1 and 6 quick replies")
        return value

    @field_validator("pitches")
    @classmethod
    def _no_blank_pitch(cls, value: dict[str, str]) -> dict[str, str]:
        if any(not str(text).strip() for text in value.values()):
            raise ValueError("a pitch must not be blank")
        return value


class ExperimentDefinition(_Strict):
    description: str = ""
    salt: str | None = Field(None, min_length=1, description="hashed with the visitor; default: the key")
    variants: dict[str, Variant] = Field(min_length=2)

    @field_validator("variants")
    @classmethod
    def _variant_names(cls, value: dict[str, Variant]) -> dict[str, Variant]:
        bad = [name for name in value if not _KEY.match(name)]
        if bad:
            raise ValueError(f"variant names must be lowercase letters, digits, '-' or '_': {bad}")
        return value

    @property
    def control(self) -> str:
        return next(iter(self.variants))


class ExperimentSettings(_Strict):
    min_conversations: int = Field(200, ge=10, description="per variant, before any verdict")
    decision_probability: float = Field(0.95, gt=0.5, lt=1, description="probability to be best that calls a winner")
    credible_level: float = Field(0.95, gt=0.5, lt=1, description="of the interval around each rate")
    metric: str = Field("qualified", description="the rate compared: conversations reaching this step")
    experiments: dict[str, ExperimentDefinition] = Field(default_factory=dict)

    @field_validator("metric")
    @classmethod
    def _a_step(cls, value: str) -> str:
        from bot.store.schema import FUNNEL_STEPS

        if value not in FUNNEL_STEPS:
            raise ValueError(f"metric must be a funnel step: one of {', '.join(FUNNEL_STEPS)}")
        return value

    @model_validator(mode="after")
    def _keys(self) -> "ExperimentSettings":
        bad = [key for key in self.experiments if not _KEY.match(key)]
        if bad:
            raise ValueError(f"experiment keys must be lowercase letters, digits, '-' or '_' (at most 64): {bad}")
        return self

    def definition(self, key: str) -> ExperimentDefinition | None:
        return self.experiments.get(key)


def load_experiment_settings(directory: Path | None = None) -> ExperimentSettings:
    return load_settings("experiments.yml", ExperimentSettings, directory)
