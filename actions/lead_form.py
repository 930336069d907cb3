"""The qualification form's behaviour: what to ask next, re-asking, the need pitch.

The answers themselves were already understood by `action_validate_slot_mappings`
(actions/understanding.py); this action decides how the conversation goes on.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import services
from actions.script import ask, script_of
from actions.slots import (
    ANSWER_ATTEMPTS,
    ANSWER_SLOTS,
    AUTHORITY,
    BUDGET,
    BUDGET_CURRENCY,
    CONTACT_SLOTS,
    NEED,
    PENDING_EMAIL_PROBLEM,
    PITCHED,
    REQUESTED_SLOT,
    SKIPPED,
    TIMELINE,
    currency_to_ask,
    is_interruption,
    latest_intent,
    language_of,
    latest_text,
)
from bot.answers import Need
from bot.extraction import unknown_answer
from bot.speech import phrasebook
from bot.language.requests import requested_language
from bot.parsing.replies import asks_a_question

class ValidateLeadForm(FormValidationAction):
    """Dynamic required slots, re-ask hints, and the one-sentence pitch after the need."""

    def name(self) -> str:
        return "validate_lead_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        skipped = set(tracker.get_slot(SKIPPED) or [])
        # the questions in the order of the conversation's script variant (actions/script.py)
        slots = [slot for slot in script_of(tracker).order(domain_slots) if slot not in skipped]
        if currency_to_ask(tracker) and BUDGET in slots:
            # "15 000 kr" with nothing to settle which krona: asked right after the budget
            slots.insert(slots.index(BUDGET) + 1, BUDGET_CURRENCY)
        return slots

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = []
        events += _pitch_once(dispatcher, tracker)
        events += _report_email_problem(dispatcher, tracker)
        events += _handle_unanswered(dispatcher, tracker)
        tracker.add_slots(events)
        next_slot = await self.next_requested_slot(dispatcher, tracker, domain)
        if next_slot:
            events.append(next_slot)
        return events


def _pitch_once(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """After the need is known, one sentence on how the product helps with that need."""
    need = Need.from_dict(tracker.get_slot(NEED))
    if need is None or need.status != "stated" or tracker.get_slot(PITCHED):
        return []
    content = services.content().in_language(language_of(tracker))
    pitch = script_of(tracker).pitch_for(content, need.category, need.level)
    if not pitch:
        return []
    dispatcher.utter_message(response="utter_pitch", pitch=pitch)
    return [SlotSet(PITCHED, True)]


def _report_email_problem(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    problem = tracker.get_slot(PENDING_EMAIL_PROBLEM)
    if not problem:
        return []
    dispatcher.utter_message(response="utter_email_problem", problem=problem)
    return [SlotSet(PENDING_EMAIL_PROBLEM, None)]


def _handle_unanswered(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The visitor replied but the pending question is still open: hint, or move on.

    Returns at least one SlotSet so that Rasa does not reject the form for this turn
    (the reply was for us, just not understood) and re-asks the pending question.
    """
    requested = tracker.get_slot(REQUESTED_SLOT)
    if not requested or tracker.get_slot(requested) is not None:
        return []
    skipped = tracker.get_slot(SKIPPED) or []
    if requested in skipped:
        # just skipped: re-set the list so that Rasa sees an answer and asks the next question
        return [SlotSet(SKIPPED, skipped)]
    if tracker.get_slot(PENDING_EMAIL_PROBLEM) or any(
        slot in ANSWER_SLOTS for slot in tracker.slots_to_validate()
    ):
        return []  # they told us something else this turn (say, their e-mail): not a miss
    if requested_language(latest_text(tracker)):
        # "can we continue in English?" (actions/language.py switched it): the question again, in
        # that language, with no hint and not counted as an unclear answer
        return [SlotSet(ANSWER_ATTEMPTS, tracker.get_slot(ANSWER_ATTEMPTS))]
    if is_interruption(tracker):
        return []  # nothing set: the form rejects, the interruption's rule answers
    attempts: dict[str, Any] = dict(tracker.get_slot(ANSWER_ATTEMPTS) or {})
    intent, _ = latest_intent(tracker)
    if intent == "out_of_scope" or asks_a_question(latest_text(tracker)):
        # off-topic, or a question NLU was unsure of: answered as off-topic and the question
        # asked again, without counting as an unclear answer (two such never skip a question)
        dispatcher.utter_message(response="utter_out_of_scope")
        return [SlotSet(ANSWER_ATTEMPTS, tracker.get_slot(ANSWER_ATTEMPTS))]
    attempts[requested] = attempts.get(requested, 0) + 1
    events: list[EventType] = [SlotSet(ANSWER_ATTEMPTS, attempts)]
    if attempts[requested] < services.conversation_settings().max_reasks:
        dispatcher.utter_message(response=f"utter_reask_hint_{requested}")
        return events
    dispatcher.utter_message(response="utter_moving_on")
    if requested in CONTACT_SLOTS or requested == BUDGET_CURRENCY:
        skipped = sorted(set(tracker.get_slot(SKIPPED) or []) | {requested})
        return events + [SlotSet(SKIPPED, skipped)]
    unknown = unknown_answer(requested, latest_text(tracker)[:500])
    return events + [SlotSet(requested, unknown.to_dict() if unknown is not None else None)]


class ActionAskBudgetCurrency(Action):
    """Asks which currency a shared symbol meant, naming the likeliest few."""

    def name(self) -> str:
        return "action_ask_budget_currency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language, book = language_of(tracker), phrasebook()
        names = [book.currency_name(code, language) for code in currency_to_ask(tracker)[:_CHOICES_NAMED]]
        choices = book.join(names, language, either=True)
        dispatcher.utter_message(response="utter_ask_budget_currency", choices=choices)
        return []


_CHOICES_NAMED = 3  # "$" has 27 readings: the question names the likeliest three


class _AskQuestion(Action, ABC):
    """Asks a qualification question (Rasa's form runs `action_ask_<slot>` when the domain has
    it): the domain's question, with the quick replies of the conversation's script variant.
    Abstract, so that rasa-sdk registers only the four below."""

    @property
    @abstractmethod
    def question(self) -> str:
        """The form slot this action asks for."""

    def name(self) -> str:
        return f"action_ask_{self.question}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        ask(dispatcher, tracker, domain, self.question)
        return []


class ActionAskNeed(_AskQuestion):
    question = NEED


class ActionAskTimeline(_AskQuestion):
    question = TIMELINE


class ActionAskAuthority(_AskQuestion):
    question = AUTHORITY


class ActionAskBudget(_AskQuestion):
    question = BUDGET
