"""Experiments as run: started, stopped with or without a winner, and the variant a new
conversation gets. The definitions live in settings/experiments.yml; the `experiments`
table is what happened to them. At most one experiment runs at a time, so a conversation is
in at most one and every report compares like with like.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.experiments.assignment import Assignment, choose
from bot.experiments.settings import ExperimentSettings
from bot.funnel import conversation_key
from bot.store.errors import StoreError
from bot.store.schema import ConversationFunnel, Experiment, Lead, LinkedConversation

log = logging.getLogger(__name__)


class ExperimentError(StoreError):
    """An experiment command that cannot be carried out as asked (the message says why)."""


@dataclass(frozen=True)
class ExperimentState:
    key: str
    state: str  # "defined" (never started), "running", "stopped"
    description: str
    variants: tuple[str, ...]
    started_at: datetime | None = None
    stopped_at: datetime | None = None
    winner: str | None = None


def start(session: Session, settings: ExperimentSettings, key: str, *, now: datetime, by: str) -> Experiment:
    """Start experiment `key` of the settings: new conversations are assigned its variants."""
    definition = settings.definition(key)
    if definition is None:
        known = ", ".join(settings.experiments) or "none defined"
        raise ExperimentError(f"no experiment {key!r} in settings/experiments.yml ({known})")
    if session.scalars(select(Experiment).where(Experiment.key == key)).first() is not None:
        raise ExperimentError(f"experiment {key!r} has already run; give the new run a new key, so its "
                              "results never mix with the old one's")
    running = running_experiment(session)
    if running is not None:
        raise ExperimentError(f"experiment {running.key!r} is running; stop it first (one at a time)")
    row = Experiment(key=key, variants={name: v.weight for name, v in definition.variants.items()},
                     started_at=now, started_by=by)
    session.add(row)
    session.flush()
    return row


def stop(session: Session, key: str, *, now: datetime, by: str, winner: str | None = None) -> Experiment:
    """Stop experiment `key`; with a `winner`, every new conversation gets that variant."""
    row = session.scalars(select(Experiment).where(Experiment.key == key)).first()
    if row is None or row.stopped_at is not None:
        raise ExperimentError(f"experiment {key!r} is not running")
    if winner is not None and winner not in row.variants:
        raise ExperimentError(f"experiment {key!r} has no variant {winner!r} (one of: {', '.join(row.variants)})")
    row.stopped_at, row.stopped_by, row.winner = now, by, winner
    session.flush()
    return row


def running_experiment(session: Session) -> Experiment | None:
    return session.scalars(select(Experiment).where(Experiment.stopped_at.is_(None))).first()


def states(session: Session, settings: ExperimentSettings) -> list[ExperimentState]:
    """Every experiment defined or run, running first, then defined, then stopped (newest first)."""
    rows = {row.key: row for row in session.scalars(select(Experiment))}
    result = []
    for key in dict.fromkeys([*settings.experiments, *rows]):
        row, definition = rows.get(key), settings.definition(key)
        variants = tuple(definition.variants) if definition else tuple((row.variants if row else {}))
        state = "defined" if row is None else ("running" if row.stopped_at is None else "stopped")
        result.append(ExperimentState(key, state, definition.description if definition else "(no longer defined)",
                                      variants, row.started_at if row else None, row.stopped_at if row else None,
                                      row.winner if row else None))
    order = {"running": 0, "defined": 1, "stopped": 2}
    return sorted(result, key=lambda s: (order[s.state], -(s.stopped_at.timestamp() if s.stopped_at else 0)))


def assign(session: Session, settings: ExperimentSettings, conversation_id: str) -> Assignment:
    """The script of a conversation that starts now: the winners of stopped experiments
    (oldest first) and, while one runs, its variant for this visitor, which is, in order,
    the variant this conversation already has, the variant of the lead this sender is
    (linked to), or the hash of the lead's e-mail (the sender id for an unknown visitor)."""
    winners = tuple((row.key, row.winner) for row in session.scalars(
        select(Experiment).where(Experiment.winner.is_not(None)).order_by(Experiment.stopped_at, Experiment.id)))
    running = running_experiment(session)
    definition = settings.definition(running.key) if running else None
    if running is None or definition is None:
        if running is not None:
            log.warning("experiment %s runs but is not in settings/experiments.yml: nobody is assigned", running.key)
        return Assignment(winners=winners)
    known = session.scalars(select(ConversationFunnel.variant).where(
        ConversationFunnel.conversation_key == conversation_key(conversation_id),
        ConversationFunnel.experiment == running.key)).first()
    lead = _lead_of(session, conversation_id)
    if known is None and lead is not None and lead.experiment == running.key:
        known = lead.variant
    if known is None or known not in definition.variants:
        identity = f"email:{lead.email}" if lead is not None and lead.email else f"sender:{conversation_id}"
        known = choose(running.key, definition, identity, running.variants)
    return Assignment(running.key, known, winners)


def _lead_of(session: Session, conversation_id: str) -> Lead | None:
    """The lead this conversation is, or the one it was linked beside (it gave that e-mail)."""
    lead = session.scalars(select(Lead).where(Lead.conversation_id == conversation_id)
                           .order_by(Lead.updated_at.desc()).limit(1)).first()
    if lead is not None:
        return lead
    return session.scalars(select(Lead).join(LinkedConversation, LinkedConversation.lead_id == Lead.id)
                           .where(LinkedConversation.conversation_id == conversation_id)
                           .order_by(LinkedConversation.updated_at.desc()).limit(1)).first()
