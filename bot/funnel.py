"""Record how far a bot conversation got, for the funnel metric (bot/metrics/funnel.py).

The action server calls `record_progress` after every understood message and when a lead
is stored, with everything the conversation has reached so far (not just this turn's
news): a step is stamped the first time it is seen and never changed after, so a write
lost while the store was down is caught up by the next one. Conversations that never
become leads are counted too: that is the point of the funnel.
"""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.schema import FUNNEL_STEPS, ConversationFunnel

log = logging.getLogger(__name__)

# Answer slots -> funnel step: contact is reached by a name or an e-mail.
SLOT_STEPS: Mapping[str, str] = {"need": "need", "budget": "budget", "authority": "authority",
                                 "timeline": "timeline", "name": "contact", "email": "contact"}


def conversation_key(conversation_id: str) -> str:
    """The SHA-256 of the conversation id: a sender id can be a phone number."""
    return hashlib.sha256(conversation_id.encode("utf-8")).hexdigest()


def steps_from_answers(filled: Mapping[str, Any], *, status: str | None = None,
                       handed_to_rep: bool = False) -> set[str]:
    """The funnel steps a conversation's answers, score status and hand-off have reached."""
    steps = {step for slot, step in SLOT_STEPS.items() if filled.get(slot) not in (None, "", {}, [])}
    if status == "qualified":
        steps.add("qualified")
    if handed_to_rep:
        steps.add("handed_to_rep")
    return steps


CHAIN = tuple(step for step in FUNNEL_STEPS if step != "handed_to_rep")  # a person can be asked for any time


def chain_depth(stamps: Mapping[str, Any]) -> int:
    """How many steps of the chain, from need on, were all reached (`<step>_at` stamps)."""
    depth = 0
    while depth < len(CHAIN) and stamps.get(f"{CHAIN[depth]}_at") is not None:
        depth += 1
    return depth


def record_progress(session: Session, conversation_id: str, channel: str, reached: Iterable[str], *,
                    now: datetime, lead_id: int | None = None,
                    variant: tuple[str, str] | None = None, earliest: bool = False,
                    language: str | None = None) -> ConversationFunnel:
    """Create the conversation's row (started now) if new; stamp steps reached for the first
    time; record its experiment `variant` ((experiment, variant), bot/experiments) once, and its
    `language` (bot/language) as of now.
    `earliest`: `now` is when the step happened and writes may come out of order (the event
    stream, bot/event_stream), so an earlier time replaces a later stamp and start."""
    unknown = set(reached) - set(FUNNEL_STEPS)
    if unknown:
        raise ValueError(f"unknown funnel step(s) {sorted(unknown)}; one of: {', '.join(FUNNEL_STEPS)}")
    key = conversation_key(conversation_id)
    row = session.scalars(select(ConversationFunnel).where(ConversationFunnel.conversation_key == key)).first()
    if row is None:
        row = ConversationFunnel(conversation_key=key, channel=channel or "unknown", started_at=now, updated_at=now)
        session.add(row)
    changed = row.id is None
    if earliest and now < row.started_at:
        row.started_at, changed = now, True
    for step in reached:
        stamp = getattr(row, f"{step}_at")
        if stamp is None or (earliest and now < stamp):
            setattr(row, f"{step}_at", now)
            changed = True
    row.depth = chain_depth({f"{step}_at": getattr(row, f"{step}_at") for step in CHAIN})
    if variant is not None and row.experiment is None:
        (row.experiment, row.variant), changed = variant, True
    if language is not None and row.language != language:
        row.language, changed = language, True
    if lead_id is not None and row.lead_id != lead_id:
        row.lead_id, changed = lead_id, True
    if changed:
        row.updated_at = now
    session.flush()
    return row
