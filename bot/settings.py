"""Load and validate the YAML settings files (scoring, pipeline, content).

Defaults ship in `settings/` at the project root; an operator points
`LEADBOT_SETTINGS_DIR` at a folder of their own to override any file. A missing
file means "use the model's defaults"; an invalid one fails loudly with the
file name and the field at fault, at start-up rather than mid-conversation.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS_DIR = PROJECT_ROOT / "settings"

M = TypeVar("M", bound=BaseModel)


class SettingsError(ValueError):
    """A settings file exists but is not valid; the message names file and field."""


def settings_dir() -> Path:
    """The folder settings are read from (env override, else the project's own)."""
    return Path(os.environ.get("LEADBOT_SETTINGS_DIR", DEFAULT_SETTINGS_DIR))


def load_settings(filename: str, model: type[M], directory: Path | None = None) -> M:
    """Read `filename` from the settings folder and validate it against `model`."""
    path = (directory or settings_dir()) / filename
    if not path.exists():
        return model()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise SettingsError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise SettingsError(f"{path}: expected a mapping at the top level")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise SettingsError(f"{path}: {exc}") from exc
