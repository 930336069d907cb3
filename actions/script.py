"""Thin adapter: the conversation's script variant (bot/experiments) for the actions.

A conversation is given its variants once, when the bot first speaks to it (the consent
notice, actions/conversation.py), and keeps them in the `experiment` slot; every action
that says a scripted line (the opening, the pitch, a question and its quick replies, the
order of the questions) reads the script from here.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services
from actions.slots import EXPERIMENT, channel_of, language_of
from actions.store_calls import within_deadline
from bot.experiments.assignment import Assignment
from bot.experiments.script import Script, script_for
from bot.speech import BASE_LANGUAGE


def assignment_of(tracker: Tracker, events: list[EventType] | tuple[EventType, ...] = ()) -> Assignment:
    """The conversation's assignment, this turn's SlotSet included."""
    value = tracker.get_slot(EXPERIMENT)
    for event in events:
        if event.get("event") == "slot" and event.get("name") == EXPERIMENT:
            value = event.get("value")
    return Assignment.from_dict(value)


def script_of(tracker: Tracker) -> Script:
    """The variant's script; a conversation in another language than English has the shipped
    one (the variants are written in English, and it is never assigned one: `assign_once`)."""
    if language_of(tracker) != BASE_LANGUAGE:
        return script_for(services.experiment_settings(), Assignment.from_dict(None))
    return script_for(services.experiment_settings(), assignment_of(tracker))


def assign_once(tracker: Tracker) -> list[EventType]:
    """Give a conversation its variants (once; called from an action's thread). Past the
    store's deadline, or with the store down, it keeps the shipped script: nothing is
    recorded for it then, so it counts in no variant."""
    if tracker.get_slot(EXPERIMENT) is not None or language_of(tracker) != BASE_LANGUAGE:
        return []  # assigned already, or speaking a language the variants are not written in
    settings = services.experiment_settings()
    assignment = within_deadline(tracker.sender_id, lambda: services.intake().assign_variant(tracker.sender_id, settings),
                                 lambda: None)
    return [] if assignment is None else [SlotSet(EXPERIMENT, assignment.to_dict())]


def ask(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, question: str) -> None:
    """Ask `question` (a form slot): the domain's `utter_ask_<question>`, with the variant's
    quick replies instead of its buttons when the variant has its own (Rasa would add
    buttons to a response's, never replace them, so the text is sent with them)."""
    response = f"utter_ask_{question}"
    buttons = script_of(tracker).buttons(question)
    text = _text_of(domain, response, channel_of(tracker))
    if buttons is None or text is None:
        dispatcher.utter_message(response=response)
        return
    dispatcher.utter_message(text=text, buttons=buttons)


def _text_of(domain: DomainDict, response: str, channel: str | None = None) -> str | None:
    """The response's text for `channel` (its `channel:` variant, else the first plain one), as
    Rasa would choose it."""
    variations: list[dict[str, Any]] = (domain or {}).get("responses", {}).get(response) or []
    own = [v for v in variations if channel and v.get("channel") == channel]
    plain = [v for v in variations if not v.get("channel")]
    chosen = (own or plain or variations)[:1]
    return chosen[0].get("text") if chosen else None


def opening_text(tracker: Tracker, domain: DomainDict, events: list[EventType]) -> str | None:
    """The greeting with its opening line replaced, before the consent notice; None: as shipped.
    A chat the visitor opened from a proactive teaser opens on that trigger's line (it goes
    on from what the teaser said), else on the experiment variant's."""
    if language_of(tracker) != BASE_LANGUAGE:
        return None  # the openings are written in English: the greeting in the visitor's language
    metadata = (tracker.latest_message or {}).get("metadata")
    opening = services.proactive_settings().opening_for(metadata) \
        or script_for(services.experiment_settings(), assignment_of(tracker, events)).opening
    notice = _text_of(domain, "utter_consent_notice", channel_of(tracker))
    return f"{opening}\n{notice}" if opening and notice else None
