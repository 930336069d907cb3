"""Validated `settings/win_model.yml`: when the win model may be trained and how."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.settings import load_settings


class WinModelSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_closed_deals: int = Field(60, ge=10, description="below this the rule score stands alone")
    min_per_outcome: int = Field(15, ge=2, description="won and lost deals each, at least")
    test_fraction: float = Field(0.25, gt=0.05, lt=0.8, description="the newest closed deals, held out for evaluation")
    regularization_c: float = Field(1.0, gt=0, description="inverse strength of the L2 penalty")
    calibration_bins: int = Field(5, ge=2, le=20)
    top_features: int = Field(3, ge=1, le=10, description="features shown beside each probability")
    forecast_with_model: bool = Field(False, description="the metrics also weight open deals by the learned "
                                                         "probability (learned_total), beside the stage forecast")


def load_win_model_settings(directory: Path | None = None) -> WinModelSettings:
    return load_settings("win_model.yml", WinModelSettings, directory)
