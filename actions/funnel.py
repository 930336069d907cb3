"""Thin adapter: tell bot.funnel how far this conversation has got (the bot funnel metric)."""
from __future__ import annotations

from collections.abc import Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType

from actions import services
from actions.script import assignment_of
from actions.store_calls import within_deadline
from actions.slots import ANSWER_SLOTS, HUMAN_REQUESTED, LANGUAGE, channel_of
from bot.event_stream import streamed
from bot.funnel import steps_from_answers


def record_funnel(tracker: Tracker, events: Sequence[EventType] = (), *, status: str | None = None,
                  handed_to_rep: bool = False, lead_id: int | None = None) -> None:
    """Every step reached so far: the tracker's answers plus this turn's slot events. Not
    when Rasa streams its events (LEADBOT_RABBITMQ_URL): their consumer records the funnel
    from the same slot events (bot/event_stream), off the visitor's turn."""
    if streamed():
        return
    filled = {slot: tracker.get_slot(slot) for slot in ANSWER_SLOTS}
    for event in events:
        if event.get("event") == "slot" and event.get("name") in filled:
            filled[event["name"]] = event.get("value")
    reached = steps_from_answers(filled, status=status,
                                 handed_to_rep=handed_to_rep or bool(tracker.get_slot(HUMAN_REQUESTED)))
    channel, now = channel_of(tracker), services.clock().now()
    assignment = assignment_of(tracker, events)
    variant = (assignment.experiment, assignment.variant) if assignment.experiment and assignment.variant else None
    language = tracker.get_slot(LANGUAGE)
    for event in events:
        if event.get("event") == "slot" and event.get("name") == LANGUAGE:
            language = event.get("value")
    within_deadline(tracker.sender_id,  # a late write is caught up by the next (it carries every step)
                    lambda: services.intake().record_funnel(tracker.sender_id, channel, reached, now=now,
                                                            lead_id=lead_id, variant=variant, language=language),
                    lambda: False)
