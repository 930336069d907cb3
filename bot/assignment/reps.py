"""Reps and teams (stored in the pipeline store): who leads can be assigned to.

Reps are never deleted while they own leads (their history and ownership stay
meaningful); they are deactivated, which takes them out of assignment. A team can only be
removed once it has no reps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.assignment.geo import COUNTRIES
from bot.assignment.hours import InvalidHours, check_timezone, validate_hours
from bot.assignment.settings import load_assignment_settings
from bot.parsing.phone import is_e164
from bot.store.errors import InvalidRep, RepNotFound, TeamNotFound
from bot.store.schema import Deal, Lead, Rep, Team, as_id

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class RepChanges:
    """Fields to set on a rep; None leaves a field as it is."""

    name: str | None = None
    team: str | None = None  # a team name; "" takes the rep out of any team
    active: bool | None = None
    territories: list[str] | None = None
    capacity: int | None = None  # 0 = no limit
    timezone: str | None = None
    working_hours: dict[str, list[str]] | None = None
    notify: dict[str, Any] | None = None
    phone: str | None = None  # E.164; "" removes the line


def add_team(session: Session, name: str, *, now: datetime) -> Team:
    name = name.strip()
    if not name:
        raise InvalidRep("a team needs a name")
    if session.scalars(select(Team).where(func.lower(Team.name) == name.lower())).first():
        raise InvalidRep(f"a team named {name!r} already exists")
    team = Team(name=name, created_at=now)
    session.add(team)
    session.flush()
    return team


def get_team(session: Session, name: str) -> Team:
    team = session.scalars(select(Team).where(func.lower(Team.name) == name.strip().lower())).first()
    if team is None:
        raise TeamNotFound(f"no team named {name!r}; `leadbot teams list` shows them")
    return team


def list_teams(session: Session) -> list[Team]:
    return list(session.scalars(select(Team).order_by(Team.name)))


def remove_team(session: Session, name: str) -> None:
    team = get_team(session, name)
    if team.reps:
        raise InvalidRep(f"team {team.name!r} still has {len(team.reps)} rep(s); move them first")
    session.delete(team)
    session.flush()


def add_rep(session: Session, name: str, email: str, *, now: datetime, changes: RepChanges | None = None) -> Rep:
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise InvalidRep(f"{email!r} is not an e-mail address")
    if not name.strip():
        raise InvalidRep("a rep needs a name")
    if session.scalars(select(Rep).where(Rep.email == email)).first():
        raise InvalidRep(f"a rep with e-mail {email} already exists; use `leadbot reps update`")
    rep = Rep(name=name.strip(), email=email, active=True, territories=[], capacity=None, timezone="UTC",
              working_hours={}, notify={"email": True}, created_at=now, updated_at=now)
    session.add(rep)
    update_rep(session, rep, changes or RepChanges(), now=now)
    return rep


def get_rep(session: Session, id_or_email: int | str) -> Rep:
    key = str(id_or_email).strip()
    row_id = as_id(key)
    rep = (session.get(Rep, row_id) if row_id is not None else None) if key.isdigit() else \
        session.scalars(select(Rep).where(Rep.email == key.lower())).first()
    if rep is None:
        raise RepNotFound(f"no rep {key!r}; `leadbot reps list` shows them")
    return rep


def list_reps(session: Session, *, team: str | None = None, include_inactive: bool = True) -> list[Rep]:
    query = select(Rep).order_by(Rep.name, Rep.id)
    if team:
        query = query.where(Rep.team_id == get_team(session, team).id)
    if not include_inactive:
        query = query.where(Rep.active.is_(True))
    return list(session.scalars(query))


def update_rep(session: Session, rep: Rep, changes: RepChanges, *, now: datetime) -> Rep:
    """Apply `changes`, validating each; the caller's transaction keeps it all or nothing."""
    c = changes
    if c.name is not None:
        if not c.name.strip():
            raise InvalidRep("a rep needs a name")
        rep.name = c.name.strip()
    if c.team is not None:
        rep.team_id = get_team(session, c.team).id if c.team.strip() else None
    if c.active is not None:
        rep.active = c.active
    if c.territories is not None:
        regions = load_assignment_settings().all_regions()
        cleaned = []
        for t in c.territories:
            code = t.strip().upper()
            if code not in COUNTRIES and code not in regions:
                raise InvalidRep(f"territory {t!r} is neither an ISO country code nor a region "
                                 f"({', '.join(sorted(regions))})")
            cleaned.append(code)
        rep.territories = sorted(set(cleaned))
    if c.capacity is not None:
        if c.capacity < 0:
            raise InvalidRep("capacity is a number of open leads (0 = no limit)")
        rep.capacity = c.capacity or None
    try:
        if c.timezone is not None:
            check_timezone(c.timezone)
            rep.timezone = c.timezone
        if c.working_hours is not None:
            rep.working_hours = validate_hours(c.working_hours)
    except InvalidHours as exc:
        raise InvalidRep(str(exc)) from exc
    if c.notify is not None:
        rep.notify = _checked_notify(c.notify)
    if c.phone is not None:
        if c.phone.strip() and not is_e164(c.phone.strip()):
            raise InvalidRep(f"phone {c.phone!r}: write the line in E.164 form, e.g. +14155550132")
        rep.phone = c.phone.strip() or None
    rep.updated_at = now
    session.flush()
    return rep


def set_available(session: Session, rep: Rep, available: bool, *, now: datetime) -> Rep:
    """The rep says they are at their desk (hand-offs go to them first) or away."""
    if rep.available != available or rep.available_changed_at is None:
        rep.available, rep.available_changed_at = available, now
        session.flush()
    return rep


def _checked_notify(value: dict[str, Any]) -> dict[str, Any]:
    from pydantic import ValidationError

    from bot.notify.preferences import RepNotify

    try:
        return RepNotify.model_validate(value).model_dump()
    except ValidationError as exc:
        raise InvalidRep(f"notification preferences: {exc.errors()[0]['msg']}") from exc


def open_lead_counts(session: Session, rep_ids: list[int]) -> dict[int, int]:
    """Leads each rep owns whose deal is still open (what capacity limits)."""
    if not rep_ids:
        return {}
    query = (
        select(Lead.owner_rep_id, func.count(func.distinct(Lead.id)))
        .join(Deal, Deal.lead_id == Lead.id)
        .where(Lead.owner_rep_id.in_(rep_ids), Deal.closed_at.is_(None))
        .group_by(Lead.owner_rep_id)
    )
    counts = {rep_id: 0 for rep_id in rep_ids}
    counts.update({rep_id: count for rep_id, count in session.execute(query)})
    return counts
