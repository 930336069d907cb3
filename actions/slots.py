"""Slot names shared by the actions and domain.yml, and the tracker -> domain conversions."""
from __future__ import annotations

from rasa_sdk import Tracker

from bot.answers import Authority, Budget, Contact, Need, Qualification, Timeline
from bot.extraction import authority_so_far
from bot.speech import language_code

FORM = "lead_form"
REQUESTED_SLOT = "requested_slot"

NEED, TIMELINE, AUTHORITY, BUDGET = "need", "timeline", "authority", "budget"
NAME, COMPANY, EMAIL = "name", "company", "email"
PHONE = "phone"  # never asked by the form; taken from any message (E.164)
ANSWER_SLOTS = (NEED, TIMELINE, AUTHORITY, BUDGET, NAME, COMPANY, EMAIL)
CONTACT_SLOTS = (NAME, COMPANY, EMAIL)

JOB_TITLE = "job_title"
SKIPPED = "skipped"
ANSWER_ATTEMPTS = "answer_attempts"
LAST_CHANGES = "last_changes"
PENDING_EMAIL_PROBLEM = "pending_email_problem"
CONSENT_SHOWN_AT = "consent_shown_at"
PITCHED = "pitched"
HUMAN_REQUESTED = "human_requested"
HANDOFF_STATE = "handoff_state"
LEAD_ID = "lead_id"
LEAD_STATUS = "lead_status"
LEAD_PENDING = "lead_pending"
FOLLOWUP_OPTIN = "followup_optin"
PHASE = "phase"
AWAITING_OPTIN = "awaiting_optin"
CLOSE_OFFERED = "close_offered"
AWAITING_RESTART = "awaiting_restart"
AWAITING_ERASURE = "awaiting_erasure"
MEETING = "meeting"  # bot.meetings.desk.MeetingState as a dict: the offer in progress
AWAITING_MEETING = "awaiting_meeting"  # the next message is read as the meeting choice (data/rules.yml)
# Set by action_erase_conversation; the tracker store then deletes the conversation once the
# turn is saved (rasa_addons/tracker_store.py ERASE_SLOT: the same name).
ERASE_CONVERSATION = "erase_conversation"
# The conversation's language (ISO 639-1, set by lang-core's detection): the responses' locale
# (rasa_addons/localized_nlg.py) and the actions' own phrases and content (bot/speech.py).
LANGUAGE = "language"
COUNTRY = "country"
# bot.experiments.assignment.Assignment as a dict: the script variants this conversation was
# given when the bot first spoke to it (actions/script.py); kept across sessions and start-overs.
EXPERIMENT = "experiment"
# Asked right after the budget only when its symbol is shared ("kr", "Rs") and neither the
# visitor's country nor the site's settled it: the code the visitor chose.
BUDGET_CURRENCY = "budget_currency"

PHASE_QUALIFYING = "qualifying"

# The phone channel (rasa_addons/channels/twilio_voice.py): its messages carry the caller's
# number as `caller` metadata, and a hand-off transfers the call or takes a message.
VOICE_CHANNEL = "twilio_voice"
CALLER = "caller"

# What "start over" forgets besides the answers (the consent, the lead id and the channel stay).
FORGOTTEN_ON_START_OVER = ("phone", "job_title", "skipped", "answer_attempts", "pitched", "close_offered",
                           "pending_email_problem", "last_changes")
PHASE_DONE = "done"


# Intents that are questions or requests rather than answers. When NLU is confident a
# message is one of these, it is not read as the answer to the pending question (a pricing
# question mentioning "50 a month" is not a budget), though values stated explicitly in it
# are still taken, and the form lets the interruption's rule answer it.
NOT_AN_ANSWER = frozenset({
    "ask_why", "faq_pricing", "faq_product", "faq_integrations", "faq_competitor", "faq_privacy", "bot_challenge",
    "request_human",
    "start_over", "delete_my_data", "out_of_scope", "goodbye", "greet", "thank", "message_too_long", "chitchat",
    "insult", "repeat",
})
CONFIDENT = 0.6


def is_interruption(tracker: Tracker) -> bool:
    """The latest message is confidently a question or request, not an answer."""
    intent, confidence = latest_intent(tracker)
    return intent == "message_too_long" or (intent in NOT_AN_ANSWER and confidence >= CONFIDENT)


def open_questions(tracker: Tracker) -> list[str]:
    """The answer slots still unanswered and not skipped, in the form's order."""
    skipped = set(tracker.get_slot(SKIPPED) or [])
    return [slot for slot in ANSWER_SLOTS if tracker.get_slot(slot) is None and slot not in skipped]


def qualification_from(tracker: Tracker) -> Qualification:
    """The answers collected so far, as domain values."""
    return Qualification(
        need=Need.from_dict(tracker.get_slot(NEED)),
        budget=Budget.from_dict(tracker.get_slot(BUDGET)),
        authority=authority_so_far(Authority.from_dict(tracker.get_slot(AUTHORITY)), tracker.get_slot(JOB_TITLE)),
        timeline=Timeline.from_dict(tracker.get_slot(TIMELINE)),
        contact=Contact(
            name=tracker.get_slot(NAME),
            email=tracker.get_slot(EMAIL),
            company=tracker.get_slot(COMPANY),
            phone=tracker.get_slot(PHONE),
        ),
    )


def currency_to_ask(tracker: Tracker) -> tuple[str, ...]:
    """The currencies a stated budget's symbol can mean while none is chosen; () otherwise."""
    budget = tracker.get_slot(BUDGET) or {}
    if budget.get("status") != "stated" or budget.get("currency") or BUDGET_CURRENCY in (tracker.get_slot(SKIPPED) or []):
        return ()
    return tuple(budget.get("currency_options") or ())


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> tuple[str | None, float]:
    intent = (tracker.latest_message or {}).get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def caller_of(tracker: Tracker) -> str | None:
    """The number a phone call comes from (the latest message's `caller` metadata), only for
    messages of the phone channel: another channel's metadata is the client's to write."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if event.get("input_channel") != VOICE_CHANNEL:
                return None
            return (event.get("metadata") or {}).get(CALLER)
    return None


def language_of(tracker: Tracker) -> str:
    """The conversation's language code ("en" until one is known; "no" read as "nb")."""
    return language_code(tracker.get_slot(LANGUAGE))


def channel_of(tracker: Tracker) -> str:
    """The input channel of the latest message ("rest", "socketio", "telegram", ...)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user" and event.get("input_channel"):
            return str(event["input_channel"])
    return "unknown"
