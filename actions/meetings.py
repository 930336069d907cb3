"""Thin adapter: meetings in the chat (bot/meetings/desk.py does the work, docs/meetings.md).

`offer_meeting` is called by `action_submit_lead` when a lead is stored as qualified (and
when a stored lead asks for a demo or a call); `action_book_meeting` reads the reply to the
offer: a button's payload (intent `choose_meeting`, entity `meeting_choice`), a number, or
words. A reply that is not about the meeting goes on to the action the rules would have run.
"""
from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import services
from actions.slots import AWAITING_MEETING, LEAD_ID, MEETING, channel_of, language_of, latest_intent, latest_text
from actions.store_calls import off_the_loop
from bot.meetings.desk import ENTITY, MeetingDesk, MeetingState, Reply
from bot.meetings.settings import load_meeting_settings
from bot.source import TIME_ZONE, lead_source
from bot.transcript import user_metadata

log = logging.getLogger(__name__)

# Where a message that is not about the meeting goes (as data/rules.yml would have sent it).
PASS_ON = {"affirm": "action_acknowledge", "deny": "utter_nothing_to_add"}


def desk(tracker: Tracker) -> MeetingDesk:
    """The desk, speaking the conversation's language."""
    return MeetingDesk(services.intake().sessions, load_meeting_settings(), language_of(tracker))


def _say(dispatcher: CollectingDispatcher, reply: Reply) -> list[EventType]:
    buttons = [{"title": title, "payload": payload} for title, payload in reply.buttons]
    if buttons:
        dispatcher.utter_message(text=reply.text, buttons=buttons)
    else:
        dispatcher.utter_message(text=reply.text)
    return [SlotSet(MEETING, reply.state.to_dict() if reply.state else None), SlotSet(AWAITING_MEETING, reply.awaiting)]


def offer_meeting(dispatcher: CollectingDispatcher, tracker: Tracker, lead_id: int | None, *,
                  intro: bool = True) -> list[EventType]:
    """Offer the lead's rep's free times (or ask the visitor's time zone); nothing when there
    is nobody to meet, meetings are off, or the store cannot be read."""
    if lead_id is None:
        return []
    zone = lead_source(user_metadata(tracker.events)).get(TIME_ZONE)
    try:
        reply = desk(tracker).start(int(lead_id), zone, now=services.clock().now(), intro=intro)
    except SQLAlchemyError as exc:  # the lead is stored (or spooled): the offer can wait
        log.warning("no meeting offered to lead %s: %s", lead_id, exc)
        return []
    return _say(dispatcher, reply) if reply is not None else []


class ActionBookMeeting(Action):
    """The visitor answered a meeting offer (or clicked one of its times)."""

    def name(self) -> str:
        return "action_book_meeting"

    @off_the_loop
    def run(  # type: ignore[override]  # made awaitable by off_the_loop
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        state = MeetingState.from_dict(tracker.get_slot(MEETING))
        key = next((e.get("value") for e in (tracker.latest_message or {}).get("entities") or []
                    if e.get("entity") == ENTITY), None)
        if state is None:  # a button from an offer that is over: offer again
            return offer_meeting(dispatcher, tracker, tracker.get_slot(LEAD_ID), intro=False)
        try:
            reply = desk(tracker).answer(state, latest_text(tracker), now=services.clock().now(),
                                  conversation_id=tracker.sender_id, channel=channel_of(tracker), choice_key=key)
        except SQLAlchemyError as exc:
            log.warning("meeting not booked for lead %s: %s", state.lead_id, exc)
            dispatcher.utter_message(response="utter_store_unavailable")
            return []
        if reply.passed_on:
            intent, _ = latest_intent(tracker)
            if intent == "out_of_scope" and state.booked is None:
                # an errand while the offer stands: answered as one, and the offer still open
                return [FollowupAction("action_answer_faq")]
            return [SlotSet(AWAITING_MEETING, False), FollowupAction(PASS_ON.get(intent or "", "action_submit_lead"))]
        return _say(dispatcher, reply)
