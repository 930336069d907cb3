"""Load and validate the YAML settings files (scoring, pipeline, content).

Defaults ship in `settings/` at the project root; an operator points
`LEADBOT_SETTINGS_DIR` at a folder of their own to override any file. A missing
file means "use the model's defaults"; an invalid one fails loudly with the
file name and the field at fault, at start-up rather than mid-conversation.
"""
from __future__ import annotations

import functools
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
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return model()
    return _parse(str(path), text, model)


@functools.lru_cache(maxsize=64)
def _parse(path: str, text: str, model: type[M]) -> M:
    """Parse and validate once per file content: settings are read on every turn, and
    YAML parsing was a third of the action server's CPU. Keyed by the text itself, so an
    edited file takes effect at once, however quickly it is rewritten. Settings models
    are treated as read-only by every caller."""
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise SettingsError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise SettingsError(f"{path}: expected a mapping at the top level")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise SettingsError(f"{path}: {exc}") from exc
