"""settings/pipeline.yml: the shipped file equals the defaults; mistakes are named."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.settings import DEFAULT_SETTINGS_DIR, SettingsError
from bot.store.errors import UnknownLostReason, UnknownStage
from bot.store.pipeline import PipelineSettings, load_pipeline_settings


def _write(tmp_path: Path, data: dict) -> Path:
    (tmp_path / "pipeline.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return tmp_path


def _shipped() -> dict:
    return yaml.safe_load((DEFAULT_SETTINGS_DIR / "pipeline.yml").read_text(encoding="utf-8"))


def test_shipped_file_equals_the_defaults() -> None:
    assert load_pipeline_settings(DEFAULT_SETTINGS_DIR) == PipelineSettings()


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    assert load_pipeline_settings(tmp_path) == PipelineSettings()


def test_stage_lookups() -> None:
    p = PipelineSettings()
    assert p.keys == ["new", "qualified", "meeting", "proposal", "negotiation", "won", "lost"]
    assert p.sequence("meeting") > p.sequence("qualified")
    assert p.won_stage.key == "won" and p.lost_stage.key == "lost"
    assert p.entry_stage_for("qualified") == "qualified" and p.entry_stage_for("nurture") == "new"
    with pytest.raises(UnknownStage):
        p.stage("demo")
    with pytest.raises(UnknownLostReason):
        p.lost_reason(None)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["stages"].append(dict(d["stages"][0])), "duplicate keys ['new']"),
    (lambda d: d["stages"][4].update(won=True, probability=1.0), "exactly one stage must be won"),
    (lambda d: d["stages"][6].update(lost=False), "exactly one stage must be lost"),
    (lambda d: d["stages"][1].update(probability=1.5), "less than or equal to 1"),
    (lambda d: d["stages"][1].update(probability=-0.1), "greater than or equal to 0"),
    (lambda d: d["stages"][5].update(probability=0.9), "won stage 'won' must have probability 1"),
    (lambda d: d["stages"][1].update(key="Qualified Leads"), "is not a valid key"),
    (lambda d: d["stages"][1].update(max_days=0), "max_days"),
    (lambda d: d["stages"][1].update(colour="red"), "colour"),
    (lambda d: d["entry_stage"].update(qualified="demo"), "entry_stage.qualified: 'demo' is not a stage key"),
    (lambda d: d["entry_stage"].update(nurture="won"), "is a closed stage"),
    (lambda d: d["entry_stage"].pop("disqualified"), "no stage for lead status ['disqualified']"),
    (lambda d: d["lost_reasons"].append(dict(d["lost_reasons"][0])), "lost_reasons: duplicate keys"),
    (lambda d: d.update(lost_reasons=[]), "at least one is needed"),
])
def test_invalid_files_fail_with_file_and_reason(tmp_path: Path, change, message: str) -> None:
    data = _shipped()
    change(data)
    folder = _write(tmp_path, data)
    with pytest.raises(SettingsError) as error:
        load_pipeline_settings(folder)
    assert "pipeline.yml" in str(error.value)
    assert message in str(error.value)


def test_stages_can_be_renamed_and_added(tmp_path: Path) -> None:
    data = _shipped()
    data["stages"].insert(2, {"key": "demo", "label": "Demo given", "probability": 0.3})
    data["stages"][0]["label"] = "Inbox"
    p = load_pipeline_settings(_write(tmp_path, data))
    assert p.keys[2] == "demo" and p.stage("new").label == "Inbox" and p.stage("demo").max_days is None
