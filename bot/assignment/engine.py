"""Choose a lead's owner: the first rule that finds an available rep, else the fallback.

Pure selection: reads reps and leads, changes nothing (`bot.assignment.assign` applies the
choice). Every choice carries the rule's name and a sentence a rep or manager can read:
why this rep, and, when nobody was found, why each rule passed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.assignment.facts import LeadFacts, describe_match, unmet
from bot.assignment.hours import check_timezone, format_hours, is_working, next_start
from bot.assignment.reps import open_lead_counts
from bot.assignment.settings import AssignmentSettings, Rule
from bot.store.schema import Lead, Rep

FALLBACK_NEXT_AVAILABLE = "fallback_next_available"
FALLBACK_REP = "fallback_rep"
UNASSIGNED = "unassigned"
_NEVER = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Choice:
    rep: Rep | None  # None: nobody could take the lead
    rule: str
    reason: str


@dataclass
class _Pool:
    """The active reps and their open-lead counts, read once per choice."""

    reps: list[Rep]
    open_leads: dict[int, int]

    def under_capacity(self, rep: Rep) -> bool:
        return rep.capacity is None or self.open_leads.get(rep.id, 0) < rep.capacity


def choose_owner(session: Session, lead: Lead, facts: LeadFacts, settings: AssignmentSettings, *,
                 now: datetime, exclude_rep_id: int | None = None) -> Choice:
    """The rep of the first rule with an available one, else the fallback's. A visitor who asks
    for a person is waiting in the chat: the rules are tried first among the reps marked
    available on the dashboard, and only when none of them can take it among all reps."""
    pool = _load_pool(session, exclude_rep_id)
    if facts.reason == "human_requested":
        at_desk = _Pool([r for r in pool.reps if r.available], pool.open_leads)
        if len(at_desk.reps) < len(pool.reps):
            found = _by_rules(session, lead, facts, settings, at_desk, now)
            if isinstance(found, Choice):
                return Choice(found.rep, found.rule, f"{found.reason} Marked available on the dashboard.")
    found = _by_rules(session, lead, facts, settings, pool, now)
    if isinstance(found, Choice):
        return found
    passed, first_unavailable = found
    return _fallback(session, settings, pool, first_unavailable, passed, now)


def _by_rules(session: Session, lead: Lead, facts: LeadFacts, settings: AssignmentSettings, pool: _Pool,
              now: datetime) -> Choice | tuple[list[str], tuple[Rule, list[Rep]] | None]:
    """The first rule's choice among `pool`; else why each rule passed, and the first rule
    whose reps matched but were busy or off duty (for the fallback)."""
    passed: list[str] = []
    first_unavailable: tuple[Rule, list[Rep]] | None = None
    for rule in settings.rules:
        missing = unmet(rule.when, facts)
        if missing is not None:
            passed.append(f"{rule.name}: {missing}")
            continue
        candidates, basis = _candidates(session, rule, lead, facts, pool, settings)
        if not candidates:
            passed.append(f"{rule.name}: {basis}")
            continue
        available = [r for r in candidates if _available(r, rule, pool, now)]
        if available:
            rep = _least_recent(available)
            return Choice(rep, rule.name, _because(rule, rep, facts, basis, len(available)))
        passed.append(f"{rule.name}: {_why_unavailable(candidates, rule, pool, now)}")
        if first_unavailable is None:
            first_unavailable = (rule, candidates)
    return passed, first_unavailable


def _load_pool(session: Session, exclude_rep_id: int | None) -> _Pool:
    query = select(Rep).where(Rep.active.is_(True)).options(selectinload(Rep.team)).order_by(Rep.id)
    if session.get_bind().dialect.name == "postgresql":
        # Two processes assigning at once take turns, so round robin stays fair.
        query = query.with_for_update(of=Rep)
    reps = [r for r in session.scalars(query) if r.id != exclude_rep_id]
    return _Pool(reps, open_lead_counts(session, [r.id for r in reps]))


def _candidates(session: Session, rule: Rule, lead: Lead, facts: LeadFacts, pool: _Pool,
                settings: AssignmentSettings) -> tuple[list[Rep], str]:
    """The reps a rule may pick from, and what the pick was based on (or why none)."""
    reps = pool.reps
    if rule.team:
        reps = [r for r in reps if r.team is not None and r.team.name.lower() == rule.team.lower()]
        if not reps:
            return [], f"no active reps in team {rule.team}"
    if rule.pick == "round_robin":
        return reps, f"team {rule.team}" if rule.team else "all reps"
    if rule.pick == "territory":
        if facts.country is None:
            return [], "country unknown"
        places = {facts.country} | set(facts.regions)
        matching = [r for r in reps if places & set(r.territories or [])]
        if not matching:
            return [], f"no rep covers {facts.country}"
        covered = sorted(places & set().union(*(set(r.territories or []) for r in matching)))
        return matching, f"territory {'/'.join(covered)} (country {facts.country} from the {facts.country_from})"
    # account_owner
    if facts.company_domain is None:
        return [], "no company e-mail domain"
    other = _account_lead(session, lead, facts.company_domain)
    if other is None:
        return [], f"no other lead from {facts.company_domain} has an owner"
    owner = next((r for r in reps if r.id == other.owner_rep_id), None)
    if owner is None:
        return [], f"the owner of {facts.company_domain} is inactive or outside the team"
    return [owner], f"owns {other.company or facts.company_domain} (lead #{other.id}, same domain {facts.company_domain})"


def _account_lead(session: Session, lead: Lead, domain: str) -> Lead | None:
    query = (
        select(Lead)
        .where(Lead.email.like(f"%@{domain}"), Lead.owner_rep_id.is_not(None), Lead.id != lead.id)
        .order_by(Lead.assigned_at.desc(), Lead.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def _available(rep: Rep, rule: Rule, pool: _Pool, now: datetime) -> bool:
    if rule.respect_capacity and not pool.under_capacity(rep):
        return False
    return not rule.respect_working_hours or is_working(rep.working_hours or {}, rep.timezone, now)


def _least_recent(reps: list[Rep]) -> Rep:
    """Round robin: the rep whose last assignment is oldest (never assigned first)."""
    return min(reps, key=lambda r: (r.last_assigned_at or _NEVER, r.id))


def _because(rule: Rule, rep: Rep, facts: LeadFacts, basis: str, how_many: int) -> str:
    matched = describe_match(rule.when, facts)
    head = f"Rule {rule.name}"
    if matched:
        head += f" ({matched})"
    if rule.pick == "account_owner":
        return f"{head}: {rep.name} {basis}."
    turn = "the only available rep" if how_many == 1 else f"next in turn among {how_many} available reps"
    return f"{head}: {rep.name} is {turn} ({basis})."


def _why_unavailable(candidates: list[Rep], rule: Rule, pool: _Pool, now: datetime) -> str:
    full = sum(1 for r in candidates if rule.respect_capacity and not pool.under_capacity(r))
    off = len(candidates) - full
    parts = []
    if full:
        parts.append(f"{full} at capacity")
    if off:
        parts.append(f"{off} off duty")
    return f"{len(candidates)} rep(s) match but {' and '.join(parts)}"


def _fallback(session: Session, settings: AssignmentSettings, pool: _Pool,
              first_unavailable: tuple[Rule, list[Rep]] | None, passed: list[str], now: datetime) -> Choice:
    summary = "; ".join(passed)
    if settings.fallback.next_available and first_unavailable is not None:
        rule, candidates = first_unavailable
        eligible = [r for r in candidates if not rule.respect_capacity or pool.under_capacity(r)]
        if eligible:
            rep = min(eligible, key=lambda r: (next_start(r.working_hours or {}, r.timezone, now),
                                               r.last_assigned_at or _NEVER, r.id))
            starts = next_start(rep.working_hours or {}, rep.timezone, now)
            local = starts.astimezone(check_timezone(rep.timezone))
            return Choice(rep, FALLBACK_NEXT_AVAILABLE,
                          f"Nobody available now ({summary}). {rep.name} matches rule {rule.name} and is back "
                          f"first: {local:%a %d %b %H:%M} {rep.timezone} (hours {format_hours(rep.working_hours or {})}).")
    if settings.fallback.rep:
        rep = session.scalars(select(Rep).where(Rep.email == settings.fallback.rep.lower())).first()
        if rep is not None and rep.active:
            return Choice(rep, FALLBACK_REP, f"Nobody available ({summary}); the fallback rep {rep.name} takes it.")
        summary += f"; fallback rep {settings.fallback.rep} is {'inactive' if rep else 'not a rep'}"
    return Choice(None, UNASSIGNED, f"Nobody available: {summary}. The lead waits for `leadbot leads assign`.")

