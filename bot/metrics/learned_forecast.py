"""The weighted forecast with the learned win probability instead of the stage's: each open
deal's value times its lead's probability, per currency. Off unless settings/win_model.yml
says `forecast_with_model: true` and a model is trained (then `bot/metrics/report.py` adds it
beside the stage-weighted total). It reads every open deal's lead, so it costs more than the
stage forecast, which is answered from an index."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.formats import money
from bot.metrics.period import MetricsFilter
from bot.scoring import ScoringSettings, load_scoring_settings
from bot.store.schema import Deal, Lead
from bot.winprob.features import lead_features
from bot.winprob.model import WinModel, load
from bot.winprob.settings import WinModelSettings, load_win_model_settings


def learned_forecast(session: Session, f: MetricsFilter, *, settings: WinModelSettings | None = None,
                     model: WinModel | None = None, scoring: ScoringSettings | None = None
                     ) -> tuple[int, dict[str, float]] | None:
    """(model version, value x win probability per currency) of the open deals `f` keeps, or None."""
    settings = settings or load_win_model_settings()
    if not settings.forecast_with_model:
        return None
    model = model or load()
    if model is None:
        return None
    scoring = scoring or load_scoring_settings()
    totals: dict[str, float] = defaultdict(float)
    rows = session.execute(
        select(Deal.value, Deal.currency, Lead).join(Lead, Lead.id == Deal.lead_id)
        .where(Deal.closed_at.is_(None), Deal.value.is_not(None), Deal.currency.is_not(None),
               *f.owned_by(Deal.owner_rep_id)))
    for value, currency, lead in rows:
        totals[currency] += float(value) * model.probability(lead_features(lead, scoring))
    return model.version, {c: money(v) for c, v in sorted(totals.items())}  # type: ignore[misc]
