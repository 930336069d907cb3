"""Score a qualification: points per dimension with a reason each, then grade and status.

Rules of the game, so a rep can trust the number:
- unknown is unknown: a missing or "not sure" answer earns a neutral share of the
  dimension (`unknown_credit`) and `known=False`, never zero and never an error;
- "none" (no budget, no plans) is a known answer and earns its own, low, points;
- every dimension always appears in the breakdown, with one sentence saying why.
Contact is the exception to neutral credit: its points measure how complete the contact
details are, so nothing given is exactly 0 (there is nothing uncertain about it).
"""
from __future__ import annotations

import math

from bot.answers import Authority, Budget, Contact, Need, Qualification, Timeline
from bot.scoring.money import AnnualAmount, UnknownCurrency, annual_amount, format_amount
from bot.scoring.result import DimensionScore, LeadStatus, ScoreResult
from bot.scoring.settings import Conditions, ScoringSettings

_AUTHORITY_WORDS = {
    "decision_maker": "Decision maker",
    "shared": "Shares the decision",
    "influencer": "Influencer, not the decision maker",
}


def score_lead(q: Qualification, settings: ScoringSettings) -> ScoreResult:
    """The full verdict on one lead; pure, so it can be re-run when settings change."""
    breakdown = (
        _score_need(q.need, settings),
        _score_budget(q.budget, settings),
        _score_authority(q.authority, settings),
        _score_timeline(q.timeline, settings),
        _score_contact(q.contact, settings),
    )
    earned = sum(d.points for d in breakdown)
    # Round half up, after trimming float noise so 64.5 never becomes 64.4999999 -> 64.
    score = min(100, max(0, math.floor(round(100 * earned / settings.max_total(), 6) + 0.5)))
    rule = _first_matching_rule(q, settings)
    status: LeadStatus
    if rule is not None:
        status = "disqualified"
    elif score >= settings.qualified.min_score and _required_known(breakdown, settings):
        status = "qualified"
    else:
        status = "nurture"
    return ScoreResult(
        score=score,
        grade=settings.grade_for(score),
        status=status,
        breakdown=breakdown,
        version=settings.version,
        disqualified_by=rule,
    )


# --- dimensions -------------------------------------------------------------------------


def _fmt(points: float) -> str:
    return format_amount(points)


def _dimension(name: str, points: float, max_points: float, known: bool, reason: str) -> DimensionScore:
    points = float(round(points, 2))
    return DimensionScore(name, points, float(max_points), known, f"{reason}: {_fmt(points)}/{_fmt(max_points)}")


def _unknown(name: str, label: str, text: str | None, settings: ScoringSettings, why: str | None = None) -> DimensionScore:
    """Neutral credit for an answer we do not have; the reason says which case it was."""
    max_points = settings.max_points(name)
    if why is None:
        why = f'{label} unknown (visitor said "{_quote(text)}")' if text else f"{label} not answered yet"
    credit = float(round(max_points * settings.unknown_credit, 2))
    return DimensionScore(name, credit, float(max_points), False,
                          f"{why}: {_fmt(credit)}/{_fmt(max_points)} neutral credit")


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _score_need(need: Need | None, settings: ScoringSettings) -> DimensionScore:
    cfg = settings.need
    if need is None or need.status == "unknown":
        return _unknown("need", "Need", need.text if need else None, settings)
    if need.status == "none":
        return _dimension("need", cfg.none_points, cfg.max_points, True,
                          f'No need for a solution (visitor said "{_quote(need.text)}")')
    base = getattr(cfg.level_points, need.level)
    kind = "Specific need" if need.level == "specific" else "Exploring, no concrete need yet"
    reason = f'{kind} ("{_quote(need.text)}")'
    points = base
    if need.category:
        points += cfg.category_bonus
        reason += f", category {need.category} (+{_fmt(cfg.category_bonus)} bonus)"
    return _dimension("need", points, cfg.max_points, True, reason)


def _score_budget(budget: Budget | None, settings: ScoringSettings) -> DimensionScore:
    cfg = settings.budget
    if budget is None or budget.status == "unknown":
        return _unknown("budget", "Budget", budget.text if budget else None, settings)
    if budget.status == "none":
        return _dimension("budget", cfg.none_points, cfg.max_points, True,
                          f'No budget (visitor said "{_quote(budget.text)}")')
    amount = budget.midpoint()
    if amount is None:
        return _unknown("budget", "Budget", budget.text, settings,
                        why=f'Budget stated without an amount ("{_quote(budget.text)}")')
    try:
        annual = _annual(amount, budget, settings)
    except UnknownCurrency as exc:
        return _unknown("budget", "Budget", budget.text, settings,
                        why=f"Budget {format_amount(amount)} {exc.args[0]}: no exchange rate configured "
                            f"for {exc.args[0]}, treated as unknown")
    range_note = _range_note(budget)
    band = _budget_band_label(annual.amount, settings)
    if annual.in_base:
        band = f"{settings.base_currency} {band} a year"
    points = _budget_band_points(annual.amount, settings)
    return _dimension("budget", points, cfg.max_points, True,
                      f"Budget {range_note}{annual.explanation} is in the {band} band")


def annual_budget_in_base(budget: Budget | None, settings: ScoringSettings) -> float | None:
    """The budget as a yearly amount in the base currency, as scoring reads it; None when
    unknown, without an amount, or in a currency that is neither stated nor assumed."""
    if budget is None or budget.status != "stated":
        return None
    amount = budget.midpoint()
    if amount is None:
        return None
    try:
        annual = _annual(amount, budget, settings)
    except UnknownCurrency:
        return None
    return annual.amount if annual.in_base else None


def _annual(amount: float, budget: Budget, settings: ScoringSettings) -> AnnualAmount:
    return annual_amount(
        amount,
        budget.currency,
        budget.period,
        base=settings.base_currency,
        rates_to_base=settings.currency_rates_to_base,
        assume_base=settings.assume_base_currency,
    )


def _range_note(budget: Budget) -> str:
    """Says how a range became one figure, so the arithmetic can be retraced."""
    if budget.min is not None and budget.max is not None and budget.min != budget.max:
        return f"range {format_amount(budget.min)}-{format_amount(budget.max)}, midpoint "
    if budget.min is not None and budget.max is None:
        return "at least "
    if budget.min is None and budget.max is not None:
        return "at most "
    return ""


def _budget_band_index(amount: float, settings: ScoringSettings) -> int:
    bands = settings.budget.bands
    index = 0
    for i, band in enumerate(bands):
        if amount >= band.min_amount:
            index = i
    return index


def _budget_band_points(amount: float, settings: ScoringSettings) -> float:
    return settings.budget.bands[_budget_band_index(amount, settings)].points


def _budget_band_label(amount: float, settings: ScoringSettings) -> str:
    bands = settings.budget.bands
    i = _budget_band_index(amount, settings)
    low = format_amount(bands[i].min_amount)
    if i + 1 < len(bands):
        return f"{low}-{format_amount(bands[i + 1].min_amount)}"
    return f"{low}+"


def _score_authority(authority: Authority | None, settings: ScoringSettings) -> DimensionScore:
    cfg = settings.authority
    if authority is None or authority.level == "unknown":
        return _unknown("authority", "Authority", authority.text if authority else None, settings)
    words = _AUTHORITY_WORDS[authority.level]
    if authority.role:
        words += f" ({authority.role_shown()})"
    points = getattr(cfg.level_points, authority.level)
    return _dimension("authority", points, cfg.max_points, True, words)


def _score_timeline(timeline: Timeline | None, settings: ScoringSettings) -> DimensionScore:
    cfg = settings.timeline
    if timeline is None or timeline.status == "unknown":
        return _unknown("timeline", "Timeline", timeline.text if timeline else None, settings)
    if timeline.status == "none":
        return _dimension("timeline", cfg.none_points, cfg.max_points, True,
                          f'No plans to buy (visitor said "{_quote(timeline.text)}")')
    if timeline.months is None:
        return _unknown("timeline", "Timeline", timeline.text, settings,
                        why=f'Timeline stated without a date ("{_quote(timeline.text)}")')
    when = _months(max(timeline.months, 0))
    if timeline.target_date:
        when += f" (by {timeline.target_date})"
    for band in cfg.bands:
        if timeline.months <= band.max_months:
            return _dimension("timeline", band.points, cfg.max_points, True,
                              f"Buying within {when}, inside {_months(band.max_months)}")
    return _dimension("timeline", cfg.later_points, cfg.max_points, True,
                      f"Buying in {when}, later than {_months(cfg.bands[-1].max_months)}")


def _months(value: float) -> str:
    return f"{format_amount(value)} month" + ("" if value == 1 else "s")


def _score_contact(contact: Contact, settings: ScoringSettings) -> DimensionScore:
    cfg = settings.contact
    fields = ("name", "company", "email")
    given = [f for f in fields if (getattr(contact, f) or "").strip()]
    missing = [f for f in fields if f not in given]
    points = sum(getattr(cfg, f) for f in given)
    if not given:
        reason = "No contact details given"
    else:
        reason = f"Contact: {', '.join(given)} given"
        if missing:
            reason += f"; {', '.join(missing)} missing"
    return _dimension("contact", points, cfg.max_points, bool(given), reason)


def _required_known(breakdown: tuple[DimensionScore, ...], settings: ScoringSettings) -> bool:
    known = {d.dimension for d in breakdown if d.known}
    return all(name in known for name in settings.qualified.require_known)


# --- disqualification -------------------------------------------------------------------


def _first_matching_rule(q: Qualification, settings: ScoringSettings) -> str | None:
    """The first rule (in file order) whose conditions all hold, if any."""
    for rule in settings.disqualify:
        if _all_hold(rule.when, q, settings):
            return rule.name
    return None


def _all_hold(c: Conditions, q: Qualification, settings: ScoringSettings) -> bool:
    """Every condition the rule sets must hold; conditions it leaves out are ignored."""
    need_level = q.need.level if q.need and q.need.status == "stated" else None
    months = q.timeline.months if q.timeline and q.timeline.status == "stated" else None
    return all((
        c.budget_status is None or _status(q.budget) == c.budget_status,
        c.timeline_status is None or _status(q.timeline) == c.timeline_status,
        c.need_status is None or _status(q.need) == c.need_status,
        c.need_level is None or need_level == c.need_level,
        c.authority_level is None or (q.authority.level if q.authority else "unknown") == c.authority_level,
        c.annual_budget_below is None or _annual_budget_below(q.budget, c.annual_budget_below, settings),
        c.timeline_months_over is None or (months is not None and months > c.timeline_months_over),
    ))


def _status(answer: Budget | Timeline | Need | None) -> str:
    """A question never asked is as unknown as one the visitor could not answer."""
    return answer.status if answer is not None else "unknown"


def _annual_budget_below(budget: Budget | None, minimum: float, settings: ScoringSettings) -> bool:
    """True only for a stated budget whose upper bound, per year in base currency, is below.

    An open-ended budget ("north of 300k") has no upper bound and never matches; neither
    does a figure whose currency we do not know (unless the operator assumes the base).
    """
    if budget is None or budget.status != "stated":
        return False
    if budget.max is None:
        return False
    try:
        annual = _annual(budget.max, budget, settings)
    except UnknownCurrency:
        return False
    return annual.in_base and annual.amount < minimum
