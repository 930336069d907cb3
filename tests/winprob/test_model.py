"""The win model learns what decides demo deals (their outcomes depend on the answers, plus
noise), learns nothing from shuffled labels, evaluates on a time split, and refuses to
train on too few deals."""
from __future__ import annotations

import os
import random
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.demo import generate
from bot.scoring import load_scoring_settings
from bot.settings import PROJECT_ROOT
from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.pipeline import load_pipeline_settings
from bot.winprob.model import Example, NotEnoughDeals, closed_examples, evaluate, load, save, train
from bot.winprob.settings import WinModelSettings
from tests.notify.conftest import leadbot_command
from tests.store.builders import NOW

SETTINGS = WinModelSettings()


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('winprob') / 'demo.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        generate(session, 1500, now=NOW, pipeline=load_pipeline_settings(), seed=11)
    engine.dispose()
    yield url


@pytest.fixture(scope="module")
def examples(demo_store: str) -> list[Example]:
    engine = make_engine(demo_store)
    with session_factory(engine)() as session:
        found = closed_examples(session, load_scoring_settings(), load_pipeline_settings())
    engine.dispose()
    return found


def test_it_learns_the_demo_outcomes(examples: list[Example]) -> None:
    assert len(examples) > 1000 and all(a.closed_at <= b.closed_at for a, b in zip(examples, examples[1:]))
    model = train(examples, SETTINGS, now=NOW)
    ev = model.evaluation
    assert ev.test == round(len(examples) * 0.25) and ev.train + ev.test == len(examples)
    assert ev.auc > 0.65, ev
    no_skill = ev.base_rate * (1 - ev.base_rate)  # the Brier score of always saying the base rate
    assert ev.brier < no_skill, (ev.brier, no_skill)
    assert sum(r.deals for r in ev.calibration) == ev.test
    assert all(abs(r.predicted - r.observed) < 0.2 for r in ev.calibration if r.deals >= 30), ev.calibration
    w = model.weights  # the directions demo data was made with (bot/demo.py WIN_EFFECTS)
    assert w["authority=decision_maker"] > 0 > w["authority=unknown"]
    assert w["timeline=<=1m"] > 0 > w["timeline=later"]
    assert w["budget=50k+"] > 0 > w["budget=5k-10k"]
    assert (model.version, model.trained_at, model.closed_deals) == (1, NOW.isoformat(), len(examples))
    assert train(examples, SETTINGS, now=NOW, previous=model).version == 2


def test_shuffled_outcomes_teach_it_nothing(examples: list[Example]) -> None:
    outcomes = [e.won for e in examples]
    random.Random(5).shuffle(outcomes)
    shuffled = [replace(e, won=won) for e, won in zip(examples, outcomes)]
    assert abs(evaluate(shuffled, SETTINGS).auc - 0.5) < 0.08


def test_too_few_closed_deals_leave_the_rules_alone(examples: list[Example]) -> None:
    with pytest.raises(NotEnoughDeals, match="only 40 closed deals"):
        train(examples[:40], SETTINGS, now=NOW)
    only_lost = [e for e in examples if not e.won][:100]
    with pytest.raises(NotEnoughDeals, match="0 won"):
        train(only_lost, SETTINGS, now=NOW)


def test_leadbot_model_train_prints_the_evaluation_and_saves_the_next_version(demo_store: str, examples: list[Example],
                                                                             tmp_path: Path) -> None:
    save(train(examples[:200], SETTINGS, now=NOW), tmp_path / "win-model.json")  # version 1, trained before
    env = {**os.environ, "LEADBOT_DATABASE_URL": demo_store, "LEADBOT_DATA_DIR": str(tmp_path),
           "LEADBOT_NOW": NOW.isoformat(), "LEADBOT_SETTINGS_DIR": str(PROJECT_ROOT / "settings")}
    out = subprocess.run(leadbot_command("model", "train"), env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "ROC AUC 0." in out.stdout and "Brier score 0." in out.stdout and "SHARE WON" in out.stdout
    assert f"Win model v2, trained 2026-11-22T10:00:00+00:00 on {len(examples)} closed deals" in out.stdout
    saved = load(tmp_path / "win-model.json")
    assert saved is not None and saved.version == 2 and saved.evaluation.auc > 0.65


def test_leadbot_model_train_says_when_there_are_too_few_deals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from leadbot.cli import main

    url = f"sqlite:///{tmp_path / 'small.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        generate(session, 20, now=NOW, pipeline=load_pipeline_settings())
    engine.dispose()
    for name, value in {"LEADBOT_DATABASE_URL": url, "LEADBOT_DATA_DIR": str(tmp_path),
                        "LEADBOT_SETTINGS_DIR": str(PROJECT_ROOT / "settings")}.items():
        monkeypatch.setenv(name, value)
    assert main(["model", "train"]) == 1  # the command itself, in this process
    error = capsys.readouterr().err
    assert "not trained: only" in error and "rule score stands alone" in error
    assert not (tmp_path / "win-model.json").exists()


def test_the_forecast_weights_open_deals_by_the_learned_probability_when_asked(
        demo_store: str, examples: list[Example], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import select

    from bot.metrics import MetricsFilter, report
    from bot.store.schema import Deal, Lead
    from bot.winprob.features import lead_features

    model = train(examples, SETTINGS, now=NOW)
    save(model, tmp_path / "win-model.json")
    settings = tmp_path / "settings"
    settings.mkdir()
    monkeypatch.setenv("LEADBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LEADBOT_SETTINGS_DIR", str(settings))
    engine = make_engine(demo_store)
    with session_factory(engine)() as session:
        assert report(session, MetricsFilter(), now=NOW).to_dict()["forecast"]["learned_total"] is None  # off by default
        (settings / "win_model.yml").write_text("forecast_with_model: true\n")
        forecast = report(session, MetricsFilter(), now=NOW).to_dict()["forecast"]
        expected: dict[str, float] = {}
        scoring = load_scoring_settings()
        for value, currency, lead in session.execute(select(Deal.value, Deal.currency, Lead).join(Lead)
                                                     .where(Deal.closed_at.is_(None))):
            expected[currency] = expected.get(currency, 0) + value * model.probability(lead_features(lead, scoring))
    engine.dispose()
    assert forecast["learned_model_version"] == 1
    assert forecast["learned_total"] == pytest.approx(expected, abs=0.01) and set(expected) == {"USD", "EUR", "GBP"}
