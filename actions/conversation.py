"""Conversation actions that only talk: starting, answering questions, explaining why we ask."""
from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services
from actions.funnel import record_funnel
from actions.script import assign_once, assignment_of, opening_text
from actions.store_calls import off_the_loop
from actions.slots import (
    ANSWER_SLOTS,
    AWAITING_ERASURE,
    AWAITING_RESTART,
    CONSENT_SHOWN_AT,
    FORGOTTEN_ON_START_OVER,
    FORM,
    PHASE,
    PHASE_DONE,
    PHASE_QUALIFYING,
    REQUESTED_SLOT,
    language_of,
    latest_intent,
    latest_text,
)


class ActionStartQualification(Action):
    """Greets and shows the consent notice once, recording when it was shown; a new
    conversation is given its script variants first (it reads the store: in a thread)."""

    def name(self) -> str:
        return "action_start_qualification"

    @off_the_loop
    def run(  # type: ignore[override]  # made awaitable by off_the_loop
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return _show_consent_once(dispatcher, tracker, domain, greet=True)


# Which response answers which question intent.
FAQ_RESPONSES = {
    "faq_pricing": "utter_faq_pricing",
    "faq_product": "utter_faq_product",
    "faq_privacy": "utter_faq_privacy",
    "bot_challenge": "utter_iamabot",
    "out_of_scope": "utter_out_of_scope",
    "greet": "utter_greet_in_form",
    "insult": "utter_insult",
    "repeat": "utter_repeat",
}


class ActionAnswerFaq(Action):
    """Answers a question asked at any point, then goes back to the qualification: in the form
    the pending question is repeated; before it started (a chat that opens with a question),
    the consent notice comes first, then the answer and the first question."""

    def name(self) -> str:
        return "action_answer_faq"

    @off_the_loop
    def run(  # type: ignore[override]  # made awaitable by off_the_loop (the first answer assigns the script)
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent, _ = latest_intent(tracker)
        if tracker.active_loop.get("name") == FORM:
            _answer(dispatcher, tracker, intent or "")
            if intent != "repeat":  # "Sure, here it is again:" leads into the question already
                dispatcher.utter_message(response="utter_resume")
            return []
        if tracker.get_slot(PHASE) == PHASE_DONE or tracker.is_paused():
            _answer(dispatcher, tracker, intent or "")
            return []
        events = _show_consent_once(dispatcher, tracker, domain, greet=False)  # before the answer: the first message
        _answer(dispatcher, tracker, intent or "")
        return events + [FollowupAction(FORM)]


def _answer(dispatcher: CollectingDispatcher, tracker: Tracker, intent: str) -> None:
    """The answer to a question intent, from the site's content in the conversation's language."""
    text = latest_text(tracker)
    content = services.content().in_language(language_of(tracker))
    if intent == "faq_integrations":
        dispatcher.utter_message(response="utter_faq_integrations", answer=content.integrations.for_text(text))
    elif intent == "faq_competitor":
        dispatcher.utter_message(response="utter_faq_competitor", answer=content.competitors.for_text(text))
    elif intent == "chitchat":
        dispatcher.utter_message(response="utter_chitchat", answer=content.small_talk.for_text(text))
    else:
        dispatcher.utter_message(response=FAQ_RESPONSES.get(intent, "utter_default"))


def _show_consent_once(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, *,
                       greet: bool) -> list[EventType]:
    """The consent notice in the bot's first message, once per conversation (its time recorded).

    With the greeting it is the greeting's second line (utter_greet): one message, not a
    second one after it, so a client that shows the bot's first message (rasa-webchat, a
    messaging app, a REST client) shows the notice; our widget also keeps it on screen.
    The conversation is given its script variants here, before its first line is said
    (an experiment's opening replaces the greeting's first line), and that is recorded."""
    if tracker.get_slot(CONSENT_SHOWN_AT):
        return []
    events = assign_once(tracker)
    opening = opening_text(tracker, domain, events) if greet else None
    if opening:
        dispatcher.utter_message(response="utter_greet", text=opening)  # the text replaces the response's
    else:
        dispatcher.utter_message(response="utter_greet" if greet else "utter_consent_notice")
    events.append(SlotSet(CONSENT_SHOWN_AT, services.clock().now().isoformat()))
    if assignment_of(tracker, events).experiment:
        record_funnel(tracker, events)  # counted in its variant from its first line on
    return events


class ActionExplainQuestion(Action):
    """Says why the pending question is asked: a real reason per question."""

    def name(self) -> str:
        return "action_explain_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        in_form = tracker.active_loop.get("name") == FORM
        response = f"utter_why_{requested}" if in_form and requested else "utter_why_general"
        if response not in domain.get("responses", {}):
            response = "utter_why_general"
        dispatcher.utter_message(response=response)
        return []


# Bot messages that ask whether the visitor has something to add: a "yes" or "ok" after them
# means "I do"; after anything else (the wrap-up, an answer) it only acknowledges.
_ASKS_TO_ADD = frozenset({"utter_greet_again", "utter_handback_done"})


class ActionAcknowledge(Action):
    """"ok" / "yes" after the lead is stored: go ahead when we had asked what to add,
    otherwise a short close instead of "tell me what you'd like to change"."""

    def name(self) -> str:
        return "action_acknowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        asked = _last_bot_response(tracker) in _ASKS_TO_ADD
        dispatcher.utter_message(response="utter_go_ahead" if asked else "utter_nothing_to_add")
        return []


def _last_bot_response(tracker: Tracker) -> str | None:
    """The response name of the bot's latest message (Rasa keeps it in the event's metadata)."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None


class ActionConfirmStartOver(Action):
    """"Let's start over" wipes answers, so it is asked first; the form pauses meanwhile."""

    def name(self) -> str:
        return "action_confirm_start_over"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_confirm_start_over")
        events: list[EventType] = [SlotSet(AWAITING_RESTART, True)]
        return events + ([ActiveLoop(None)] if tracker.active_loop.get("name") == FORM else [])


class ActionStartOver(Action):
    """Confirmed: the answers of this chat are forgotten and the questions start again. The
    consent notice stays shown; a lead already stored is updated with the new answers."""

    def name(self) -> str:
        return "action_start_over"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_restart")
        cleared = [SlotSet(slot, None) for slot in (*ANSWER_SLOTS, *FORGOTTEN_ON_START_OVER)]
        return cleared + [SlotSet(AWAITING_RESTART, False), SlotSet(PHASE, PHASE_QUALIFYING),
                          SlotSet(REQUESTED_SLOT, None), FollowupAction(FORM)]


class ActionKeepGoing(Action):
    """Not starting over (or not deleting the data) after all: back to the next open question."""

    def name(self) -> str:
        return "action_keep_going"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_keep_going")
        events: list[EventType] = [SlotSet(AWAITING_RESTART, False), SlotSet(AWAITING_ERASURE, False)]
        return events + ([] if tracker.get_slot(PHASE) == PHASE_DONE else [FollowupAction(FORM)])
