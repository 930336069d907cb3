"""What routing rules can know about a lead, derived once from what is stored.

Every fact may be unknown (None); a condition on an unknown fact does not hold, so a
lead without a country never lands in a territory by accident.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.assignment.geo import country_from_tld, normalise_country, regions_of
from bot.assignment.settings import AssignmentSettings, Conditions
from bot.parsing.company_size import CompanySize, company_size_said
from bot.parsing.contact import FREE_MAIL_DOMAINS
from bot.scoring import ScoringSettings, annual_budget_in_base
from bot.store.schema import Lead


@dataclass(frozen=True)
class LeadFacts:
    reason: str  # "qualified" | "human_requested"
    country: str | None
    country_from: str | None  # "source" | "e-mail domain"
    regions: frozenset[str]
    company_domain: str | None  # a company's e-mail domain; None for free-mail addresses
    company_size: CompanySize | None
    annual_budget: float | None  # base currency
    base_currency: str
    grade: str
    score: int
    need_category: str | None
    channel: str


def lead_facts(lead: Lead, reason: str, settings: AssignmentSettings, scoring: ScoringSettings) -> LeadFacts:
    source = dict(lead.source or {})
    domain = lead.email.rsplit("@", 1)[1].lower() if lead.email and "@" in lead.email else None
    free = FREE_MAIL_DOMAINS | frozenset(settings.free_mail_domains)
    company_domain = domain if domain and domain not in free else None
    country, country_from = normalise_country(source.get("country")), "source"
    if country is None:
        country, country_from = country_from_tld(company_domain), "e-mail domain"
    return LeadFacts(
        reason=reason,
        country=country,
        country_from=country_from if country else None,
        regions=regions_of(country, settings.all_regions()),
        company_domain=company_domain,
        company_size=company_size_said(source, lead.transcript or []) if _sizes_matter(settings) else None,
        annual_budget=annual_budget_in_base(lead.budget_answer, scoring),
        base_currency=scoring.base_currency,
        grade=lead.grade,
        score=lead.score,
        need_category=need.category if (need := lead.need_answer) else None,
        channel=lead.channel,
    )


def _sizes_matter(settings: AssignmentSettings) -> bool:
    """Company size is read from the whole transcript, and a lead nobody can take yet is
    routed again on every message: only derive it when a rule asks for it."""
    return any(r.when.company_size_min is not None or r.when.company_size_max is not None
               for r in settings.rules)


def unmet(conditions: Conditions, facts: LeadFacts) -> str | None:
    """None when every condition holds, else the first one that does not (for the log)."""
    c, f = conditions, facts
    checks: list[tuple[bool, bool, str]] = [  # (applies, holds, what)
        (c.reason is not None, f.reason in (c.reason or []), f"reason is {f.reason}"),
        (c.country is not None, f.country in (c.country or []), f"country {f.country or 'unknown'}"),
        (c.region is not None, bool(f.regions & set(c.region or [])), f"country {f.country or 'unknown'} not in the regions"),
        (c.company_size_min is not None,
         f.company_size is not None and f.company_size.estimate >= (c.company_size_min or 0), "company size"),
        (c.company_size_max is not None,
         f.company_size is not None and f.company_size.estimate <= (c.company_size_max or 0), "company size"),
        (c.annual_budget_min is not None,
         f.annual_budget is not None and f.annual_budget >= (c.annual_budget_min or 0), "annual budget"),
        (c.annual_budget_max is not None,
         f.annual_budget is not None and f.annual_budget <= (c.annual_budget_max or 0), "annual budget"),
        (c.grade is not None, f.grade in (c.grade or []), f"grade {f.grade}"),
        (c.score_min is not None, f.score >= (c.score_min or 0), f"score {f.score}"),
        (c.need_category is not None, f.need_category in (c.need_category or []), "need category"),
        (c.channel is not None, f.channel in (c.channel or []), f"channel {f.channel}"),
    ]
    return next((what for applies, holds, what in checks if applies and not holds), None)


def describe_match(conditions: Conditions, facts: LeadFacts) -> str:
    """The conditions that held, in words a rep understands ("company size 800 >= 500")."""
    c, f = conditions, facts
    parts: list[str] = []
    if c.country or c.region:
        parts.append(f"country {f.country} (from the {f.country_from})")
    if (c.company_size_min or c.company_size_max) and f.company_size:
        parts.append(f'company size about {f.company_size.estimate} ("{f.company_size.text}")')
    if (c.annual_budget_min is not None or c.annual_budget_max is not None) and f.annual_budget is not None:
        parts.append(f"annual budget about {f.base_currency} {f.annual_budget:,.0f}")
    if c.grade:
        parts.append(f"grade {f.grade}")
    if c.score_min is not None:
        parts.append(f"score {f.score}")
    if c.need_category:
        parts.append(f"need {f.need_category}")
    if c.channel:
        parts.append(f"channel {f.channel}")
    if c.reason:
        parts.append("asked for a person" if f.reason == "human_requested" else "qualified")
    return ", ".join(parts)
