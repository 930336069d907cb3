"""Conversation actions that only talk: starting, answering questions, explaining why we ask."""
from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services
from actions.slots import CONSENT_SHOWN_AT, FORM, REQUESTED_SLOT, latest_intent


class ActionStartQualification(Action):
    """Greets and shows the consent notice once, recording when it was shown."""

    def name(self) -> str:
        return "action_start_qualification"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot(CONSENT_SHOWN_AT):
            return []
        dispatcher.utter_message(response="utter_greet")
        dispatcher.utter_message(response="utter_consent_notice")
        shown_at = services.clock().now().isoformat()
        return [SlotSet(CONSENT_SHOWN_AT, shown_at)]


# Which response answers which question intent.
FAQ_RESPONSES = {
    "faq_pricing": "utter_faq_pricing",
    "faq_product": "utter_faq_product",
    "faq_privacy": "utter_faq_privacy",
    "bot_challenge": "utter_iamabot",
    "out_of_scope": "utter_out_of_scope",
}


class ActionAnswerFaq(Action):
    """Answers a question asked at any point; the form then repeats its pending question."""

    def name(self) -> str:
        return "action_answer_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent, _ = latest_intent(tracker)
        dispatcher.utter_message(response=FAQ_RESPONSES.get(intent or "", "utter_default"))
        if tracker.active_loop.get("name") == FORM:
            dispatcher.utter_message(response="utter_resume")
        return []


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
