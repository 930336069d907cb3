"""Rasa events, as the event stream delivers them, written to the conversation analytics
(`conversation_events`) and the bot funnel (bot/funnel.py).

An event is stored once: its key is the SHA-256 of its canonical JSON, unique in the table,
so a redelivery (RabbitMQ after a lost ack, the Rasa spool after a lost confirm, Rasa
streaming a turn again after a failed save) is recognised and skipped. Funnel steps are
read from the slot events one at a time (a step is reached when its slot gets a value; the
time is the event's own), so events may come in any order: the earliest time wins.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.funnel import SLOT_STEPS, conversation_key, record_progress, steps_from_answers
from bot.store.schema import ConversationEvent, ConversationFunnel, Lead

# Slot names of actions/slots.py that move the funnel besides the answers (bot/ cannot import actions/).
LEAD_ID_SLOT, LEAD_STATUS_SLOT, HUMAN_REQUESTED_SLOT, EXPERIMENT_SLOT, LANGUAGE_SLOT = (
    "lead_id", "lead_status", "human_requested", "experiment", "language")
NAME_LIMIT = 200


class MalformedEvent(ValueError):
    """A message that is not a Rasa event of a conversation: it can never be recorded."""


@dataclass(frozen=True)
class StreamedEvent:
    """One Rasa event: what the analytics keep (names, never text or values) and, for a
    slot, its value (read for the funnel, not stored)."""

    key: str
    conversation_id: str
    kind: str
    name: str | None
    channel: str | None
    at: datetime
    value: Any = None
    payload: bool = False  # a user message that is an intent payload ("/greet"), not typed

    @classmethod
    def parse(cls, body: bytes | str) -> "StreamedEvent":
        """A Rasa event as its broker publishes it: `event.as_dict()` plus `sender_id`."""
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise MalformedEvent(f"not JSON: {error}") from None
        if not isinstance(data, dict):
            raise MalformedEvent("not a JSON object")
        sender, kind, timestamp = data.get("sender_id"), data.get("event"), data.get("timestamp")
        if not isinstance(sender, str) or not sender or not isinstance(kind, str) or not kind:
            raise MalformedEvent("no sender_id or event type")
        if not isinstance(timestamp, (int, float)) or isinstance(timestamp, bool):
            raise MalformedEvent("no timestamp")
        key = hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
        channel = data.get("input_channel") if kind == "user" else None
        return cls(key=key, conversation_id=sender, kind=kind[:40], name=_name_of(kind, data),
                   channel=str(channel)[:50] if channel else None,
                   at=datetime.fromtimestamp(timestamp, tz=timezone.utc), value=data.get("value"),
                   payload=kind == "user" and str(data.get("text") or "").startswith("/"))


def _name_of(kind: str, data: Mapping[str, Any]) -> str | None:
    """The intent of a message, the response a bot line came from, an action's, slot's or form's name."""
    if kind == "user":
        name = ((data.get("parse_data") or {}).get("intent") or {}).get("name")
    elif kind == "bot":
        name = (data.get("metadata") or {}).get("utter_action")
    else:
        name = data.get("name")
    return str(name)[:NAME_LIMIT] if isinstance(name, str) and name else None


def record_events(session: Session, events: Iterable[StreamedEvent], *, now: datetime) -> list[StreamedEvent]:
    """Store the events not stored yet and move the funnel by them; the new ones (in time order)."""
    batch = {event.key: event for event in events}
    if not batch:
        return []
    stored = set(session.scalars(select(ConversationEvent.event_key)
                                 .where(ConversationEvent.event_key.in_(list(batch)))))
    new = sorted((e for k, e in batch.items() if k not in stored), key=lambda e: e.at)
    session.add_all([ConversationEvent(event_key=e.key, conversation_key=conversation_key(e.conversation_id),
                                       kind=e.kind, name=e.name, channel=e.channel, at=e.at, consumed_at=now)
                     for e in new])
    session.flush()  # one batched insert; the funnel below reads the batch's messages too
    channels: dict[str, str] = {}
    for event in new:
        _move_funnel(session, event, channels)
    session.flush()
    return new


def _move_funnel(session: Session, event: StreamedEvent, channels: dict[str, str]) -> None:
    """A typed message starts the conversation's row (as in docs/metrics.md, a `/greet` sent by
    the widget does not); a slot may reach a step, give the lead or the experiment variant."""
    if event.kind == "user":
        if event.payload:
            return
        row = record_progress(session, event.conversation_id, event.channel or "unknown", (), now=event.at,
                              earliest=True)
        _set_channel(row, event.channel)
        return
    if event.kind != "slot" or event.name is None:
        return
    lead_id, variant, language = None, None, None
    reached: set[str] = set()
    if event.name in SLOT_STEPS:
        reached = steps_from_answers({event.name: event.value})
    elif event.name == LEAD_STATUS_SLOT:
        reached = steps_from_answers({}, status=event.value if isinstance(event.value, str) else None)
    elif event.name == HUMAN_REQUESTED_SLOT:
        reached = steps_from_answers({}, handed_to_rep=event.value is True)
    elif event.name == LEAD_ID_SLOT:
        lead_id = _existing_lead(session, event.value)
    elif event.name == EXPERIMENT_SLOT and isinstance(event.value, dict):
        experiment, name = event.value.get("experiment"), event.value.get("variant")
        variant = (str(experiment), str(name)) if experiment and name else None
    elif event.name == LANGUAGE_SLOT and isinstance(event.value, str):
        language = event.value[:8]
    if reached or lead_id is not None or variant is not None or language is not None:
        if event.conversation_id not in channels:
            channels[event.conversation_id] = _channel_so_far(session, event)
        record_progress(session, event.conversation_id, channels[event.conversation_id], reached, now=event.at,
                        lead_id=lead_id, variant=variant, earliest=True, language=language)


def _channel_so_far(session: Session, event: StreamedEvent) -> str:
    """The channel of the conversation's latest message stored (for a row a slot begins; read
    once per conversation and batch)."""
    channel = session.scalars(
        select(ConversationEvent.channel)
        .where(ConversationEvent.conversation_key == conversation_key(event.conversation_id),
               ConversationEvent.kind == "user", ConversationEvent.channel.is_not(None))
        .order_by(ConversationEvent.at.desc()).limit(1)).first()
    return channel or "unknown"


def _set_channel(row: ConversationFunnel, channel: str | None) -> None:
    """A row begun by a slot event that arrived before the conversation's first message."""
    if channel and row.channel == "unknown":
        row.channel = channel


def _existing_lead(session: Session, value: Any) -> int | None:
    """The lead id a slot names, if that lead is (still) stored: an erased one is not linked."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        lead_id = int(value)
    except ValueError:
        return None
    return lead_id if session.get(Lead, lead_id) is not None else None
