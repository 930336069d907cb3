"""settings/experiments.yml: the shipped experiments are valid and their quick replies are
answers the bot understands; mistakes fail with the field at fault."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.content import load_content
from bot.experiments.settings import ExperimentSettings, load_experiment_settings
from bot.extraction import extract
from bot.settings import SettingsError

SHIPPED = load_experiment_settings()


def test_the_shipped_experiments_are_valid_and_each_has_a_control_first() -> None:
    assert set(SHIPPED.experiments) >= {"opening-line", "budget-early", "outcome-pitch"}
    assert all(d.control == "control" for d in SHIPPED.experiments.values())
    assert SHIPPED.metric == "qualified" and SHIPPED.min_conversations >= 100


def test_the_shipped_pitches_name_need_categories_of_the_content() -> None:
    categories = set(load_content().needs) | {"default"}
    for definition in SHIPPED.experiments.values():
        for variant in definition.variants.values():
            assert set(variant.pitches) <= categories


@pytest.mark.parametrize(("question", "payload"), [
    (question, reply.payload)
    for definition in SHIPPED.experiments.values() for variant in definition.variants.values()
    for question, replies in variant.quick_replies.items() for reply in replies])
def test_every_quick_reply_answers_its_question(question: str, payload: str) -> None:
    found = extract(payload, today=date(2026, 11, 22), requested=question, categories={})
    if found.meta in ("skip", "not_sure"):
        return
    value = found.slots().get(question)
    assert value is not None and value.get("status", "stated") in ("stated", "none"), payload


@pytest.mark.parametrize(("yaml", "field"), [
    ("experiments: {x: {variants: {control: {}}}}", "at least 2"),
    ("experiments: {x: {variants: {a: {}, b: {question_order: [need, budget]}}}}", "question_order"),
    ("experiments: {x: {variants: {a: {}, b: {quick_replies: {email: [{title: t, payload: p}]}}}}}", "email"),
    ("experiments: {x: {variants: {a: {}, b: {weight: 0}}}}", "weight"),
    ("experiments: {X Y: {variants: {a: {}, b: {}}}}", "experiment keys"),
    ("experiments: {x: {variants: {a: {}, b: {openning: hi}}}}", "openning"),
    ("metric: revenue", "metric"),
])
def test_mistakes_fail_with_the_field(tmp_path: Path, yaml: str, field: str) -> None:
    (tmp_path / "experiments.yml").write_text(yaml, encoding="utf-8")
    with pytest.raises(SettingsError, match=field):
        load_experiment_settings(tmp_path)


def test_a_missing_file_means_no_experiments(tmp_path: Path) -> None:
    assert load_experiment_settings(tmp_path) == ExperimentSettings()
