"""A visitor deletes their data from the chat: asked to confirm first, then everything this
conversation gave us is erased (bot/erasure.py) and the conversation starts afresh.

The conversation's own events are deleted by the tracker store after this turn is saved
(`ERASE_CONVERSATION`): deleted during the turn, Rasa would write them back at its end.
"""
from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, AllSlotsReset, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import InterfaceError, OperationalError

from actions import services
from actions.store_calls import off_the_loop
from actions.slots import AWAITING_ERASURE, ERASE_CONVERSATION, FORM, latest_text
from bot.erasure import Copies, erase_conversation
from bot.parsing.replies import asks_to_erase_own_data
from bot.trackers import TrackerStoreError, tracker_store_url

log = logging.getLogger(__name__)


class ActionConfirmErasure(Action):
    """"Delete my data" cannot be undone, so it is asked first; the form pauses meanwhile."""

    def name(self) -> str:
        return "action_confirm_erasure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not asks_to_erase_own_data(latest_text(tracker)):
            # "erase all voicemails in my inbox": an errand, not this chat's data
            dispatcher.utter_message(response="utter_out_of_scope")
            return [FollowupAction(FORM)] if tracker.active_loop.get("name") == FORM else []
        dispatcher.utter_message(response="utter_confirm_erasure")
        events: list[EventType] = [SlotSet(AWAITING_ERASURE, True)]
        return events + ([ActiveLoop(None)] if tracker.active_loop.get("name") == FORM else [])


class ActionEraseConversation(Action):
    """Confirmed: the lead this conversation owns, its spooled state, what it left on other
    leads and the CRM's copy (through the outbox) are deleted now, the conversation itself
    when this turn is saved. If the store is down nothing is deleted and the visitor is told
    to ask again."""

    def name(self) -> str:
        return "action_erase_conversation"

    @off_the_loop
    def run(  # type: ignore[override]  # made awaitable by off_the_loop
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intake = services.intake()
        try:
            trackers = tracker_store_url()
        except TrackerStoreError as exc:  # this conversation still goes (the tracker store deletes it)
            log.error("the lead's other conversations stay in the tracker store: %s", exc)
            trackers = None
        try:
            intake.ensure_schema()
            with intake.sessions.begin() as session:
                erase_conversation(session, tracker.sender_id, Copies(intake.spool, trackers),
                                   now=services.clock().now())
        except (OperationalError, InterfaceError) as exc:
            log.error("erasure asked in the chat not done, the store is unavailable: %s", exc)
            dispatcher.utter_message(response="utter_erasure_unavailable")
            return [SlotSet(AWAITING_ERASURE, False)]
        dispatcher.utter_message(response="utter_erased")
        return [AllSlotsReset(), SlotSet(ERASE_CONVERSATION, True)]
