"""Train, evaluate, save and apply the win model: an L2-regularised logistic regression
(scikit-learn) on the features of `bot/winprob/features.py`, learned from won against lost
deals.

Evaluation is a time split: the model is fitted on the older closed deals and scored on the
newest (`test_fraction`), as it will be used (on leads that come after its training data):
ROC AUC, Brier score and a calibration table. The saved model is then refitted on every
closed deal. It is saved as JSON (the coefficient of each `feature=value`, the intercept,
version, training date and evaluation), not a pickle: applying it is a sum and a logistic,
and loading it runs no code.
"""
from __future__ import annotations

import json
import logging
import math
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, load_only

from bot.scoring import ScoringSettings
from bot.store.db import data_dir
from bot.store.pipeline import PipelineSettings
from bot.store.schema import Deal, Lead
from bot.winprob.features import lead_features
from bot.winprob.settings import WinModelSettings

MODEL_FILE = "win-model.json"
# What `lead_features` reads (the transcript: a company size the visitor said).
FEATURE_COLUMNS = (Lead.need, Lead.budget, Lead.authority_level, Lead.timeline, Lead.channel, Lead.source,
                   Lead.transcript, Lead.experiment, Lead.variant)
log = logging.getLogger(__name__)


class NotEnoughDeals(ValueError):
    """Too few closed deals to learn from; the message says how many there are and are needed."""


@dataclass(frozen=True)
class Example:
    features: dict[str, str]
    won: bool
    closed_at: datetime


@dataclass(frozen=True)
class CalibrationRow:
    low: float
    high: float
    deals: int
    predicted: float  # mean predicted probability in the bin
    observed: float  # share won


@dataclass(frozen=True)
class Evaluation:
    train: int
    test: int
    auc: float
    brier: float
    base_rate: float  # share won in the test deals
    calibration: list[CalibrationRow]


@dataclass
class WinModel:
    version: int
    trained_at: str
    intercept: float
    weights: dict[str, float]  # "authority=decision_maker" -> coefficient
    closed_deals: int
    won: int
    evaluation: Evaluation
    settings: dict[str, Any] = field(default_factory=dict)

    def probability(self, features: dict[str, str]) -> float:
        return _logistic(self.intercept + sum(self.weights.get(f"{k}={v}", 0.0) for k, v in features.items()))

    def reasons(self, features: dict[str, str], top: int = 3) -> list[tuple[str, float]]:
        """The features of this lead that moved its probability most, with their weight (log-odds)."""
        moved = [(f"{k}={v}", self.weights.get(f"{k}={v}", 0.0)) for k, v in features.items()]
        return sorted((m for m in moved if m[1]), key=lambda m: -abs(m[1]))[:top]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "WinModel":
        ev = data["evaluation"]
        evaluation = Evaluation(**{**ev, "calibration": [CalibrationRow(**r) for r in ev["calibration"]]})
        return cls(**{**data, "evaluation": evaluation})


def _logistic(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def closed_examples(session: Session, scoring: ScoringSettings, pipeline: PipelineSettings) -> list[Example]:
    """Every won or lost deal (merged ones left out) with its lead's features, oldest first."""
    won, lost = pipeline.won_stage.key, pipeline.lost_stage.key
    rows = session.execute(
        select(Deal.stage, Deal.closed_at, Lead).join(Lead, Lead.id == Deal.lead_id)
        .where(Deal.stage.in_((won, lost)), Deal.merged_into_id.is_(None), Deal.closed_at.is_not(None))
        .order_by(Deal.closed_at, Deal.id)
        .options(load_only(*FEATURE_COLUMNS))
        .execution_options(yield_per=1000)  # a thousand leads in memory at a time, not every one
    )
    examples = []
    for stage, closed_at, lead in rows:
        examples.append(Example(lead_features(lead, scoring), stage == won, closed_at))
        session.expunge(lead)
    return examples


def check_enough(examples: Sequence[Example], settings: WinModelSettings) -> None:
    won = sum(e.won for e in examples)
    lost = len(examples) - won
    if len(examples) < settings.min_closed_deals or min(won, lost) < settings.min_per_outcome:
        raise NotEnoughDeals(
            f"only {len(examples)} closed deals ({won} won, {lost} lost); the model needs at least "
            f"{settings.min_closed_deals}, with {settings.min_per_outcome} of each outcome: the rule score stands alone")


def _fit(examples: Sequence[Example], settings: WinModelSettings) -> tuple[Any, Any]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sparse=True)
    x = vectorizer.fit_transform([e.features for e in examples])
    model = LogisticRegression(C=settings.regularization_c, penalty="l2", solver="lbfgs", max_iter=2000)
    model.fit(x, [int(e.won) for e in examples])
    return vectorizer, model


def evaluate(examples: Sequence[Example], settings: WinModelSettings) -> Evaluation:
    """Fit on the older deals, score the newest `test_fraction` of them."""
    from sklearn.metrics import brier_score_loss, roc_auc_score

    cut = int(round(len(examples) * (1 - settings.test_fraction)))
    train, test = examples[:cut], examples[cut:]
    if len({e.won for e in train}) < 2 or len({e.won for e in test}) < 2:
        raise NotEnoughDeals("the older and the newer closed deals must each hold both won and lost ones")
    vectorizer, model = _fit(train, settings)
    predicted = model.predict_proba(vectorizer.transform([e.features for e in test]))[:, 1]
    actual = [int(e.won) for e in test]
    return Evaluation(train=len(train), test=len(test), auc=float(roc_auc_score(actual, predicted)),
                      brier=float(brier_score_loss(actual, predicted)), base_rate=sum(actual) / len(actual),
                      calibration=calibration(actual, [float(p) for p in predicted], settings.calibration_bins))


def calibration(actual: Sequence[int], predicted: Sequence[float], bins: int) -> list[CalibrationRow]:
    """Equal-width bins of predicted probability: how many deals, mean prediction, share won."""
    rows = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(a, p) for a, p in zip(actual, predicted) if low <= p < high or (b == bins - 1 and p == 1.0)]
        if inside:
            rows.append(CalibrationRow(low, high, len(inside), sum(p for _, p in inside) / len(inside),
                                       sum(a for a, _ in inside) / len(inside)))
    return rows


def train(examples: Sequence[Example], settings: WinModelSettings, *, now: datetime,
          previous: WinModel | None = None) -> WinModel:
    """Evaluate on a time split, then fit on every closed deal; the next version."""
    check_enough(examples, settings)
    evaluation = evaluate(examples, settings)
    vectorizer, model = _fit(examples, settings)
    weights = {name: float(w) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0])}
    return WinModel(version=(previous.version + 1) if previous else 1, trained_at=now.isoformat(),
                    intercept=float(model.intercept_[0]), weights=weights, closed_deals=len(examples),
                    won=sum(e.won for e in examples), evaluation=evaluation, settings=settings.model_dump())


def model_path(directory: Path | None = None) -> Path:
    return (directory or data_dir()) / MODEL_FILE


def save(model: WinModel, path: Path | None = None) -> Path:
    """Written whole or not at all (a temporary file renamed), readable by the dashboard at any time."""
    path = path or model_path()
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    draft.write_text(json.dumps(model.to_json(), indent=2, sort_keys=True), encoding="utf-8")
    os.replace(draft, path)
    return path


def load(path: Path | None = None) -> WinModel | None:
    """The saved model, or None when none was trained (or the file is unreadable)."""
    path = path or model_path()
    try:
        return WinModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:  # say so; the rule score still stands
        log.warning("the win model in %s cannot be read (%s); train it again: leadbot model train", path, exc)
        return None
