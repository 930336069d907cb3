"""What the model knows about a lead: the bot's answers as categories, one value per feature.

Need category, budget band (the yearly amount in the base currency, on the bands of
settings/scoring.yml), authority level, timeline band (months, on scoring's bands),
company size band, channel, source (the campaign's `utm_source`, else "referral" or
"direct") and the A/B variant of the bot's script ("experiment:variant", docs/experiments.md). Bands rather than raw figures: a logistic regression reads each band as its own
effect, and a rep can read its weight ("budget 25k-50k: +0.6").
"""
from __future__ import annotations

from typing import Any

from bot.parsing.company_size import company_size_said
from bot.scoring import ScoringSettings, annual_budget_in_base
from bot.store.schema import Lead

FEATURES = ("need", "budget", "authority", "timeline", "company_size", "channel", "source", "variant")
SIZE_BANDS = ((10, "1-10"), (50, "11-50"), (200, "51-200"), (1000, "201-1000"))


def _short(amount: float) -> str:
    return f"{amount / 1000:g}k" if amount >= 1000 else f"{amount:g}"


def budget_band(lead: Lead, scoring: ScoringSettings) -> str:
    budget = lead.budget_answer
    if budget is not None and budget.status == "none":
        return "none"
    annual = annual_budget_in_base(budget, scoring)
    if annual is None:
        return "unknown"
    bands = [b.min_amount for b in scoring.budget.bands]
    label = "unknown"
    for low, high in zip(bands, [*bands[1:], None]):
        if annual >= low:
            label = f"{_short(low)}-{_short(high)}" if high is not None else f"{_short(low)}+"
    return label


def timeline_band(lead: Lead, scoring: ScoringSettings) -> str:
    timeline = lead.timeline_answer
    if timeline is not None and timeline.status == "none":
        return "none"
    months = timeline.months if timeline is not None else None
    if not isinstance(months, (int, float)):
        return "unknown"
    for band in scoring.timeline.bands:
        if months <= band.max_months:
            return f"<={band.max_months:g}m"
    return "later"


def size_band(lead: Lead) -> str:
    size = company_size_said(lead.source or {}, lead.transcript or [])
    if size is None:
        return "unknown"
    for limit, label in SIZE_BANDS:
        if size.estimate <= limit:
            return label
    return "1000+"


def source_of(lead: Lead) -> str:
    source: dict[str, Any] = lead.source or {}
    campaign = str(source.get("utm_source") or "").strip().lower()
    if campaign:
        return campaign[:40]
    return "referral" if source.get("referrer") else "direct"


def lead_features(lead: Lead, scoring: ScoringSettings) -> dict[str, str]:
    """The lead as `feature=value` categories (every feature present, "unknown" when not known)."""
    need = lead.need_answer
    return {
        "need": need.category if need and need.category else ("none" if need and need.status == "none" else "unknown"),
        "budget": budget_band(lead, scoring),
        "authority": lead.authority_level or "unknown",
        "timeline": timeline_band(lead, scoring),
        "company_size": size_band(lead),
        "channel": lead.channel or "unknown",
        "source": source_of(lead),
        "variant": f"{lead.experiment}:{lead.variant}" if lead.experiment and lead.variant else "none",
    }
