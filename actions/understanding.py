"""Understand every user message: run the domain parsers and fill whatever slots it answers.

Rasa calls `action_validate_slot_mappings` after every user message, in or out of the
form. Doing all extraction here (not in per-slot form hooks) means a value is taken from
any message (the opening one, an answer to another question, a late correction) and an
answer is never lost because NLU filed it under another intent.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions import services
from actions.funnel import record_funnel
from actions.slots import (
    ANSWER_SLOTS,
    AUTHORITY,
    CONTACT_SLOTS,
    FORM,
    JOB_TITLE,
    LAST_CHANGES,
    LEAD_ID,
    PENDING_EMAIL_PROBLEM,
    REQUESTED_SLOT,
    SKIPPED,
    is_interruption,
    latest_intent,
    latest_text,
)
from actions.submission import store_while_waiting, transcript_of
from bot.clock import today
from bot.extraction import extract
from bot.parsing.replies import meta_reply

class ActionUnderstandMessage(ValidationAction):
    """Fills answer slots from the latest message, whatever its intent."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot(LEAD_ID) and not tracker.is_paused():
            # Stored already: this message reaches the lead now, whatever answers it.
            services.intake().add_transcript_lines(tracker.sender_id, transcript_of(tracker),
                                                   now=services.clock().now())
        text = latest_text(tracker)
        intent, _ = latest_intent(tracker)
        if not text or intent == "message_too_long" or text.startswith("/"):
            return []
        requested = _requested_slot(tracker)
        if is_interruption(tracker) and meta_reply(text) not in ("skip", "not_sure"):
            requested = None  # "skip" is about the question, whatever intent NLU saw in it
        found = extract(
            text,
            today=today(services.clock()),
            requested=requested,
            categories=services.content().need_keywords(),
        )
        events = _slot_events(tracker, found.slots(), found.email_problem, found.meta, requested)
        record_funnel(tracker, events)
        return events + store_while_waiting(tracker, events)


def _requested_slot(tracker: Tracker) -> str | None:
    if tracker.active_loop.get("name") != FORM:
        return None
    requested = tracker.get_slot(REQUESTED_SLOT)
    return requested if requested in ANSWER_SLOTS else None


def _job_title(tracker: Tracker, values: dict[str, Any], requested: str | None) -> list[EventType]:
    """A job title alone does not answer who decides: keep it aside and still ask.

    Mutates `values`: drops an unasked authority with an unknown level, and gives an
    authority answer without a title the one the visitor mentioned earlier.
    """
    authority = values.get(AUTHORITY)
    if not authority:
        return []
    if authority["level"] == "unknown" and requested != AUTHORITY and tracker.get_slot(AUTHORITY) is None:
        del values[AUTHORITY]
        role = authority.get("role")
        return [SlotSet(JOB_TITLE, role)] if role else []
    if not authority.get("role") and tracker.get_slot(JOB_TITLE):
        values[AUTHORITY] = {**authority, "role": tracker.get_slot(JOB_TITLE)}
    return []


def _slot_events(
    tracker: Tracker,
    values: dict[str, Any],
    email_problem: str | None,
    meta: str | None,
    requested: str | None,
) -> list[EventType]:
    events: list[EventType] = []
    changed = []
    values = dict(values)
    events += _job_title(tracker, values, requested)
    for slot, value in values.items():
        if slot in ANSWER_SLOTS and value != tracker.get_slot(slot):
            events.append(SlotSet(slot, value))
            if tracker.get_slot(slot) is not None:
                changed.append(slot)
    if meta in ("skip", "not_sure") and requested in CONTACT_SLOTS and requested not in values:
        skipped = list(tracker.get_slot(SKIPPED) or [])
        events.append(SlotSet(SKIPPED, sorted(set(skipped) | {requested})))
    if email_problem and "email" not in values:
        events.append(SlotSet(PENDING_EMAIL_PROBLEM, email_problem))
    events.append(SlotSet(LAST_CHANGES, changed))
    return events
