"""The examples the bot gives in its hints ("a rough figure is fine, like «около 100 тысяч»")
are answers the parsers read, in every language: a visitor who copies one is understood."""
from __future__ import annotations

import re
from datetime import date

import pytest
import yaml

from bot.parsing.budget import parse_budget
from bot.parsing.timeline import parse_timeline
from tests.e2e.servers import ROOT

QUOTED = re.compile(r"[«“\"]([^»”\"]+)[»”\"]")
TODAY = date(2026, 11, 22)


def responses(code: str) -> dict:
    if code == "en":
        return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    return yaml.safe_load((ROOT / "locales" / f"{code}.yml").read_text(encoding="utf-8"))["responses"]


def examples(code: str, *names: str) -> list[str]:
    found = [m for name in names for m in QUOTED.findall(responses(code)[name][0]["text"])]
    assert found, f"{code}: no examples in {names}"
    return found


@pytest.mark.parametrize("code", ["en", "ru", "nb", "fa", "ms", "zh"])
def test_budget_examples_are_read_as_budgets(code):
    figures = [e for e in examples(code, "utter_ask_budget", "utter_reask_hint_budget", "utter_noted")
               if re.search(r"\d|[۰-۹]", e)]
    assert len(figures) >= 4
    for example in figures:
        budget = parse_budget(example, answering=True)
        assert budget is not None and budget.status == "stated" and budget.min, (example, budget)
        if re.search(r"[-–]|到|تا", example):  # a range keeps both ends
            assert budget.max and budget.max > budget.min, (example, budget)


@pytest.mark.parametrize("code", ["en", "ru", "nb", "fa", "ms", "zh"])
def test_timeline_examples_are_read_as_timelines(code):
    for example in examples(code, "utter_reask_hint_timeline"):
        timeline = parse_timeline(example, TODAY, answering=True)
        assert timeline is not None and timeline.status in ("stated", "unknown"), (example, timeline)
