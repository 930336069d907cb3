"""Actions that hand the lead to the pipeline store: at the end of the form, on a
correction after that, when the visitor asks for a person (and when a rep answers or hands
the conversation back, see docs/handoff.md) or leaves early."""
from __future__ import annotations

from datetime import datetime

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActiveLoop,
    AllSlotsReset,
    ConversationPaused,
    ConversationResumed,
    EventType,
    FollowupAction,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services
from actions.funnel import record_funnel
from actions.meetings import offer_meeting
from actions.script import ask, assignment_of
from actions.store_calls import off_the_loop, within_deadline
from actions.slots import (
    open_questions,
    ANSWER_SLOTS,
    AWAITING_OPTIN,
    CLOSE_OFFERED,
    CONSENT_SHOWN_AT,
    COUNTRY,
    EMAIL,
    ERASE_CONVERSATION,
    PHONE,
    FOLLOWUP_OPTIN,
    FORM,
    HANDOFF_STATE,
    HUMAN_REQUESTED,
    LANGUAGE,
    LAST_CHANGES,
    LEAD_ID,
    LEAD_PENDING,
    LEAD_STATUS,
    MEETING,
    NAME,
    PHASE,
    PHASE_DONE,
    PHASE_QUALIFYING,
    REQUESTED_SLOT,
    VOICE_CHANNEL,
    channel_of,
    language_of,
    latest_intent,
    latest_text,
    qualification_from,
)
from bot.parsing.replies import asks_a_question
from bot.handoff import RETURNED, WAITING, WITH_REP, HandoffPlan, call_transfer_number, plan_handoff
from bot.intake import IntakeResult
from bot.leads import TranscriptLine
from bot.meetings.desk import MeetingState, asks_for_meeting
from bot.scoring.result import ScoreResult
from bot.source import lead_source
from bot.speech import phrasebook
from bot.submission import Conversation, submit_lead
from bot.transcript import transcript_from_events, user_metadata

# The slots a correction is confirmed for ("Got it, I've updated your budget"): each is named
# by its phrase `changed_<slot>` in the conversation's language (locales/, bot/speech.py).
CHANGE_LABELS = ("need", "budget", "timeline", "authority", "name", "company", "email", "phone")


def store_lead(tracker: Tracker, *, human_requested: bool = False,
               handoff_state: str | None = None) -> tuple[ScoreResult, IntakeResult]:
    """Score what the conversation learned and store it (or spool it past the store's deadline)."""
    consent_at = tracker.get_slot(CONSENT_SHOWN_AT)
    conversation = Conversation(
        conversation_id=tracker.sender_id,
        channel=channel_of(tracker),
        qualification=qualification_from(tracker),
        transcript=transcript_of(tracker),
        source=lead_source(user_metadata(tracker.events)),
        country=tracker.get_slot(COUNTRY),
        consent_shown_at=datetime.fromisoformat(consent_at) if consent_at else None,
        human_requested=human_requested or bool(tracker.get_slot(HUMAN_REQUESTED)),
        handoff_state=handoff_state or tracker.get_slot(HANDOFF_STATE),
        lead_id=int(tracker.get_slot(LEAD_ID)) if tracker.get_slot(LEAD_ID) is not None else None,
        experiment=_variant(tracker),
        language=tracker.get_slot(LANGUAGE),
    )
    score, result = submit_lead(
        conversation, intake=services.intake(), scoring=services.scoring_settings(), clock=services.clock(),
        consent_version=services.conversation_settings().consent_version,
        run=lambda store, spool: within_deadline(conversation.conversation_id, store, spool))
    record_funnel(tracker, status=score.status, handed_to_rep=conversation.human_requested, lead_id=result.lead_id)
    return score, result


def _variant(tracker: Tracker) -> tuple[str, str] | None:
    assignment = assignment_of(tracker)
    return (assignment.experiment, assignment.variant) if assignment.experiment and assignment.variant else None


def transcript_of(tracker: Tracker) -> tuple[TranscriptLine, ...]:
    """Every visitor, bot and rep message of the conversation, in order."""
    return transcript_from_events(tracker.events)


def erased_events() -> list[EventType]:
    """The conversation's lead was erased (its state is from before): forget it, and have the
    tracker store delete it after this turn (rasa_addons/tracker_store.py)."""
    return [AllSlotsReset(), SlotSet(ERASE_CONVERSATION, True)]


def _stored_events(score: ScoreResult, result: IntakeResult) -> list[EventType]:
    if result.erased:
        return erased_events()
    return [
        SlotSet(LEAD_ID, result.lead_id),
        SlotSet(LEAD_STATUS, score.status),
        SlotSet(LEAD_PENDING, not result.stored),
        SlotSet(PHASE, PHASE_DONE),
    ]


class ActionSubmitLead(Action):
    """Stores the lead and tells the outcome; after that, stores corrections."""

    def name(self) -> str:
        return "action_submit_lead"

    @off_the_loop
    def run(  # type: ignore[override]  # made awaitable by off_the_loop
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        first_time = tracker.get_slot(PHASE) != PHASE_DONE
        score, result = store_lead(tracker)
        events = _stored_events(score, result)
        if result.erased:
            dispatcher.utter_message(response="utter_erased")
            return events
        if not result.stored:
            dispatcher.utter_message(response="utter_store_unavailable")
            return events
        if first_time:
            events += _tell_outcome(dispatcher, tracker, score)
            if score.status == "qualified":  # the owner's free times, while the visitor is here
                events += offer_meeting(dispatcher, tracker, result.lead_id)
            return events
        if _wants_a_meeting(tracker):
            offer = offer_meeting(dispatcher, tracker, result.lead_id)
            if offer:
                return events + offer
        language, book = language_of(tracker), phrasebook()
        changed = [slot for slot in tracker.get_slot(LAST_CHANGES) or [] if slot in CHANGE_LABELS]
        changes = [book.say(f"changed_{slot}", language) for slot in changed]
        if changes:
            dispatcher.utter_message(response="utter_noted_changes", changes=book.join(changes, language))
        else:
            dispatcher.utter_message(response="utter_noted")  # kept in the stored transcript
        return events


def _wants_a_meeting(tracker: Tracker) -> bool:
    """A stored lead asks for a demo or a call, and has no meeting booked in this chat yet."""
    state = MeetingState.from_dict(tracker.get_slot(MEETING))
    return (state is None or state.booked is None) and asks_for_meeting(latest_text(tracker))


def _tell_outcome(dispatcher: CollectingDispatcher, tracker: Tracker, score: ScoreResult) -> list[EventType]:
    language = language_of(tracker)
    content = services.content().in_language(language)
    if score.status == "qualified":
        reach = tracker.get_slot(EMAIL) or tracker.get_slot(PHONE)
        name = tracker.get_slot(NAME)
        thanks = phrasebook().say("thanks_named", language, name=name) if name else phrasebook().say("thanks", language)
        dispatcher.utter_message(  # never promises an address the visitor did not give
            response="utter_outcome_qualified" if reach else "utter_outcome_qualified_no_contact",
            thanks=thanks,
            email=reach or "",
            booking=content.booking_sentence(),
        )
        return []
    if score.status == "nurture":
        dispatcher.utter_message(response="utter_outcome_nurture", resources=content.resources_text())
        if tracker.get_slot("email"):
            dispatcher.utter_message(response="utter_ask_followup_optin")
            return [SlotSet(AWAITING_OPTIN, True)]
        return []
    dispatcher.utter_message(response="utter_outcome_disqualified")
    return []


class ActionHandoff(Action):
    """The visitor asked for a person: store the lead flagged for a rep with the conversation
    so far, say what happens next (in or out of business hours) and pause the bot here.

    While paused Rasa still records (and understands) what the visitor writes but predicts
    no action, so the bot stays silent until a rep hands back (`action_hand_back`).
    """

    def name(self) -> str:
        return "action_handoff"

    @off_the_loop
    def run(  # type: ignore[override]  # made awaitable by off_the_loop
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        score, result = store_lead(tracker, human_requested=True, handoff_state=WAITING)
        events = _stored_events(score, result) + [SlotSet(HUMAN_REQUESTED, True), SlotSet(HANDOFF_STATE, WAITING)]
        settings = services.handoff_settings()
        plan = plan_handoff(settings, services.clock().now())
        if channel_of(tracker) == VOICE_CHANNEL:
            owner_line = _owner_line(tracker, result) if plan.open_now else None
            _hand_over_the_call(dispatcher, tracker, call_transfer_number(settings, plan, owner_line), plan)
        else:
            language = language_of(tracker)
            next_step = services.content().in_language(language).handoff_next_step(
                tracker.get_slot(EMAIL), open_now=plan.open_now, when=plan.when_text(language),
                phone=tracker.get_slot(PHONE))
            dispatcher.utter_message(response="utter_handoff", next_step=next_step)
        return events + _leave_form(tracker) + [ConversationPaused()]


def _owner_line(tracker: Tracker, result: IntakeResult) -> str | None:
    """The phone line of the rep the stored lead was just assigned to, if they can take a call."""
    if not result.lead_id:
        return None
    now = services.clock().now()
    return within_deadline(tracker.sender_id, lambda: services.intake().owner_line(result.lead_id, now=now),
                           lambda: None)


def _hand_over_the_call(dispatcher: CollectingDispatcher, tracker: Tracker, transfer_to: str | None,
                        plan: HandoffPlan) -> None:
    """On a phone call: put through to `transfer_to` now, or take a message. The connector
    (rasa_addons/channels/twilio_voice.py) turns the custom message into <Dial> or a last
    <Gather> whose words reach this paused conversation, and so the lead's transcript."""
    language = language_of(tracker)
    next_step = services.content().in_language(language).handoff_by_phone(
        transfer=transfer_to is not None, when=plan.when_text(language))
    dispatcher.utter_message(response="utter_handoff", next_step=next_step)
    voice = {"transfer_to": transfer_to} if transfer_to else {"take_message": True}
    dispatcher.utter_message(json_message={"voice": voice})


def waiting_for_rep(tracker: Tracker) -> bool:
    """The bot is paused for a person: the visitor is waiting for a rep or talking with one."""
    return tracker.is_paused() and tracker.get_slot(HANDOFF_STATE) in (WAITING, WITH_REP)


def store_while_waiting(tracker: Tracker, events: list[EventType],
                        dispatcher: CollectingDispatcher | None = None) -> list[EventType]:
    """While the bot is paused for a rep, store each visitor message as it comes.

    Rasa predicts no action while paused, but still runs the understanding action on every
    message: this is where what the visitor writes while waiting (an e-mail left after
    hours, more about their need) reaches the stored lead and its transcript at once,
    instead of only when a rep answers. A visitor still waiting who leaves a new way to
    reach them is told it arrived (through `dispatcher`).
    """
    if not waiting_for_rep(tracker):
        return []
    before = {slot: tracker.get_slot(slot) for slot in (EMAIL, PHONE)}
    tracker.add_slots(events)
    score, result = store_lead(tracker)
    contact = next((tracker.get_slot(slot) for slot in (EMAIL, PHONE)
                    if tracker.get_slot(slot) and tracker.get_slot(slot) != before[slot]), None)
    if dispatcher is not None and contact and tracker.get_slot(HANDOFF_STATE) == WAITING:
        plan = plan_handoff(services.handoff_settings(), services.clock().now())
        language = language_of(tracker)
        dispatcher.utter_message(text=services.content().in_language(language).handoff_contact_noted(
            contact, open_now=plan.open_now, when=plan.when_text(language)))
    return _stored_events(score, result)


def store_progress(tracker: Tracker, events: list[EventType]) -> list[EventType]:
    """While qualifying, once the visitor can be reached (an e-mail or a phone number), the
    lead is stored after every message that adds an answer: a visitor who closes the tab
    half-way is not lost. The outcome is told only when the questions are done."""
    if tracker.is_paused() or tracker.get_slot(PHASE) == PHASE_DONE:
        return []
    answered = {e.get("name") for e in events if e.get("event") == "slot"} & {*ANSWER_SLOTS, PHONE}
    if not answered:
        return []
    tracker.add_slots(events)
    if not (tracker.get_slot(EMAIL) or tracker.get_slot(PHONE)):
        return []
    _, result = store_lead(tracker)
    if result.erased:
        return erased_events()
    return [SlotSet(LEAD_ID, result.lead_id), SlotSet(LEAD_PENDING, not result.stored)]


class ActionRepReplied(Action):
    """Run by the rep API after a rep's message was added: the stored lead gets the
    transcript with it (and whatever the visitor wrote while waiting). Says nothing."""

    def name(self) -> str:
        return "action_rep_replied"

    @off_the_loop
    def run(  # type: ignore[override]  # made awaitable by off_the_loop
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        score, result = store_lead(tracker, handoff_state=WITH_REP)
        return _stored_events(score, result) + [SlotSet(HANDOFF_STATE, WITH_REP)]


class ActionHandBack(Action):
    """Run by the rep API when the rep hands the conversation back: the bot resumes.

    If questions are still open the phase goes back to qualifying and the rep API then
    runs the form, which asks the next one; otherwise the bot says what it can still do.
    After the visitor's session has ended it only records that the hand-off is closed.
    """

    def name(self) -> str:
        return "action_hand_back"

    @off_the_loop
    def run(  # type: ignore[override]  # made awaitable by off_the_loop
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        score, result = store_lead(tracker, handoff_state=RETURNED)
        events: list[EventType] = [ConversationResumed()]
        events += _stored_events(score, result) + [SlotSet(HANDOFF_STATE, RETURNED)]
        if not tracker.is_paused():
            return events  # the session ended (and the pause with it): only close the hand-off
        still_open = open_questions(tracker)
        if still_open:
            dispatcher.utter_message(response="utter_handback_continue")
            return events + [SlotSet(PHASE, PHASE_QUALIFYING)]
        dispatcher.utter_message(response="utter_handback_done")
        return events


class ActionSaveAndClose(Action):
    """The visitor leaves mid-way: keep what they told us, say goodbye."""

    def name(self) -> str:
        return "action_save_and_close"

    @off_the_loop
    def run(  # type: ignore[override]  # made awaitable by off_the_loop
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.active_loop.get("name") == FORM and asks_a_question(latest_text(tracker)):
            # "when does the bank close?" read as goodbye: a question is never a goodbye
            dispatcher.utter_message(response="utter_out_of_scope")
            dispatcher.utter_message(response="utter_resume")
            ask(dispatcher, tracker, domain, tracker.get_slot(REQUESTED_SLOT) or "need")
            return [FollowupAction("action_listen")]
        if tracker.active_loop.get("name") == FORM and tracker.get_slot(REQUESTED_SLOT) in tracker.slots_to_validate():
            # "cepat2 la, minggu ni pun ok" ("quickly, even this week is fine") read as goodbye:
            # it answered the pending question, so the questions go on
            return [FollowupAction(FORM)]
        offer = _offer_to_stay(dispatcher, tracker, domain)
        if offer:
            return offer
        events: list[EventType] = []
        if _learned_anything(tracker):
            score, result = store_lead(tracker)
            events = _stored_events(score, result)
        dispatcher.utter_message(response="utter_goodbye")
        return events + _leave_form(tracker)


def _offer_to_stay(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
    """The first goodbye while questions are open is answered by asking to stay, once: the
    conversation never ends with the lead incomplete unless the visitor says so twice. With no
    e-mail yet the bot asks for it (their next message is read as the address); otherwise it
    repeats the pending question."""
    if tracker.active_loop.get("name") != FORM or tracker.get_slot(CLOSE_OFFERED):
        return []
    still_open = open_questions(tracker)
    if not still_open:
        return []
    events: list[EventType] = [SlotSet(CLOSE_OFFERED, True)]
    if EMAIL in still_open:
        dispatcher.utter_message(response="utter_before_you_go_email")
        events.append(SlotSet(REQUESTED_SLOT, EMAIL))
    else:
        count = phrasebook().number(len(still_open), language_of(tracker))  # "۲" in Persian
        dispatcher.utter_message(response="utter_before_you_go_questions", count=count)
        pending = tracker.get_slot(REQUESTED_SLOT) or still_open[0]
        ask(dispatcher, tracker, domain, pending)
    return events + [FollowupAction("action_listen")]


def _learned_anything(tracker: Tracker) -> bool:
    q = qualification_from(tracker)
    return any([q.need, q.budget, q.authority, q.timeline, q.contact.name, q.contact.email, q.contact.phone])


def _leave_form(tracker: Tracker) -> list[EventType]:
    if tracker.active_loop.get("name"):
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
    return []


class ActionRecordFollowup(Action):
    """Records the nurture follow-up opt-in (yes or no) on the lead."""

    def name(self) -> str:
        return "action_record_followup"

    @off_the_loop
    def run(  # type: ignore[override]  # made awaitable by off_the_loop
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent, _ = latest_intent(tracker)
        opted_in = intent == "affirm"
        now = services.clock().now()
        within_deadline(tracker.sender_id,
                        lambda: services.intake().record_followup_optin(tracker.sender_id, opted_in, now=now),
                        lambda: False)
        dispatcher.utter_message(response="utter_followup_optin_yes" if opted_in else "utter_followup_optin_no")
        return [SlotSet(FOLLOWUP_OPTIN, opted_in), SlotSet(AWAITING_OPTIN, False)]
