"""A lead's win probability as the lead page shows it: beside the rule score, with the
features that moved it most, or why there is none."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.scoring import ScoringSettings
from bot.store.schema import Lead
from bot.winprob.features import lead_features
from bot.winprob.model import WinModel
from bot.winprob.settings import WinModelSettings


@dataclass(frozen=True)
class LeadProbability:
    probability: float | None  # None: no model yet (`note` says why)
    reasons: tuple[tuple[str, float], ...] = ()  # ("authority: decision maker", +0.84), strongest first
    version: int | None = None
    trained_at: str | None = None
    note: str = ""


def _words(feature: str) -> str:
    name, _, value = feature.partition("=")
    return f"{name.replace('_', ' ')}: {value.replace('_', ' ')}"


def lead_probability(lead: Lead, model: WinModel | None, scoring: ScoringSettings,
                     settings: WinModelSettings) -> LeadProbability | None:
    """None for a closed deal (its outcome is known)."""
    deal = lead.current_deal()
    if deal is not None and deal.closed_at is not None:
        return None
    if model is None:
        return LeadProbability(None, note=f"not learned yet: `leadbot model train` needs at least "
                                          f"{settings.min_closed_deals} closed deals; the rule score stands alone")
    features = lead_features(lead, scoring)
    reasons = tuple((_words(name), weight) for name, weight in model.reasons(features, settings.top_features))
    return LeadProbability(model.probability(features), reasons, model.version, model.trained_at[:10])


def probabilities(session: Session, lead_ids: list[int], model: WinModel | None,
                  scoring: ScoringSettings) -> dict[int, float]:
    """Lead id -> win probability for a page of leads (one query), empty without a model."""
    if model is None or not lead_ids:
        return {}
    leads = session.scalars(select(Lead).where(Lead.id.in_(lead_ids)))
    return {lead.id: model.probability(lead_features(lead, scoring)) for lead in leads}
