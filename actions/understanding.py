"""Understand every user message: run the domain parsers and fill whatever slots it answers.

Rasa calls `action_validate_slot_mappings` after every user message, in or out of the
form. Doing all extraction here (not in per-slot form hooks) means a value is taken from
any message (the opening one, an answer to another question, a late correction) and an
answer is never lost because NLU filed it under another intent.
"""
from __future__ import annotations

from copy import copy
from dataclasses import replace
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions import services
from actions.funnel import record_funnel
from actions.language import language_events
from actions.store_calls import off_the_loop, within_deadline
from actions.slots import (
    HUMAN_REQUESTED,
    open_questions,
    ANSWER_SLOTS,
    AUTHORITY,
    AWAITING_RESTART,
    BUDGET,
    BUDGET_CURRENCY,
    COMPANY,
    CONTACT_SLOTS,
    COUNTRY,
    EMAIL,
    FORM,
    JOB_TITLE,
    LAST_CHANGES,
    LEAD_ID,
    NAME,
    NEED,
    PENDING_EMAIL_PROBLEM,
    PHASE,
    PHASE_DONE,
    PHONE,
    REQUESTED_SLOT,
    SKIPPED,
    caller_of,
    currency_to_ask,
    is_interruption,
    language_of,
    latest_intent,
    latest_text,
)
from actions.submission import store_progress, store_while_waiting, transcript_of, waiting_for_rep
from actions.unread import catching_up, unread_messages
from bot.answers import Authority
from bot.clock import today
from bot.corrections import replace_named_mistake
from bot.language.requests import requested_language
from bot.extraction import Extracted, extract, job_title_until_authority
from bot.pending import answers_pending_question
from bot.places import country_in
from bot.parsing.budget import currency_alone
from bot.parsing.currencies import choose_currency
from bot.parsing.phone import parse_phone
from bot.parsing.replies import asks_a_question, asks_for_a_person, meta_reply

class ActionUnderstandMessage(ValidationAction):
    """Fills answer slots from the latest message, whatever its intent."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    @off_the_loop
    def run(  # type: ignore[override]  # made awaitable by off_the_loop
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot(LEAD_ID) and not tracker.is_paused():
            # Stored already: this message reaches the lead now, whatever answers it.
            lines, now = transcript_of(tracker), services.clock().now()
            within_deadline(tracker.sender_id,
                            lambda: services.intake().add_transcript_lines(tracker.sender_id, lines, now=now),
                            lambda: False)  # the next message's write carries the same lines
        unread = unread_messages(tracker.events)  # sent while the action server was down
        language = language_events(tracker, unread)  # before anything replies: the reply's language
        tracker.add_slots(language)
        events: list[EventType] = []
        for i, message in enumerate(unread):
            if i:
                _expect_next_question(tracker)
            earlier = _understand(_as_latest(tracker, message))
            tracker.add_slots(earlier)
            events += earlier
        if not catching_up(tracker.events, unread):  # else Rasa runs this for no new message
            if unread:
                _expect_next_question(tracker)
            events += _understand(tracker)
        caller = _caller_phone(tracker, events)
        tracker.add_slots(caller)  # the store knows it, but a call is no lead before an answer
        if not events:
            return language + caller
        record_funnel(tracker, events)
        return language + caller + events + store_while_waiting(tracker, events, dispatcher) + store_progress(tracker, events)


def _caller_phone(tracker: Tracker, events: list[EventType]) -> list[EventType]:
    """On a phone call, the number the caller rings from is the lead's phone, unless they
    gave one (this message or earlier)."""
    if tracker.get_slot(PHONE) or any(e.get("event") == "slot" and e.get("name") == PHONE for e in events):
        return []
    caller = caller_of(tracker)
    match = parse_phone(str(caller)) if caller else None
    return [SlotSet(PHONE, match.e164)] if match else []


def _expect_next_question(tracker: Tracker) -> None:
    """After an outage the bot asked nothing, so a visitor's next message answers the question
    it would have asked next (the first still open), not the one asked before the outage: "Acme"
    after "Priya Nair" is the company, not a new name. Only this reading changes; the form
    records what it really asks."""
    if tracker.active_loop.get("name") == FORM:
        still_open = open_questions(tracker)
        tracker.slots[REQUESTED_SLOT] = still_open[0] if still_open else None


def _as_latest(tracker: Tracker, message: dict[str, Any]) -> Tracker:
    """The tracker as it was when `message` (a `user` event) was the latest."""
    earlier = copy(tracker)
    earlier.latest_message = {**(message.get("parse_data") or {}), "text": message.get("text")}
    return earlier


def _understand(tracker: Tracker) -> list[EventType]:
    """The slot events the latest message gives."""
    text = latest_text(tracker)
    intent, confidence = latest_intent(tracker)
    if not text or intent == "message_too_long" or text.startswith("/"):
        return []
    chosen = _currency_chosen(tracker, text)
    if chosen:  # "Norwegian" to "which currency is that?"
        return chosen
    if requested_language(text):
        return []  # a request to switch languages ("English please") answers nothing (actions/language.py)
    requested = _requested_slot(tracker)
    fixed = replace_named_mistake(text, {NAME: tracker.get_slot(NAME), COMPANY: tracker.get_slot(COMPANY)})
    if fixed:  # "oops, it's Katarzyna not Katarina": the stored name, corrected; nothing else
        return _slot_events(tracker, fixed, None, None, None)
    named_country = country_in(text)
    context = {**_context(tracker, intent, text), "country": named_country or tracker.get_slot(COUNTRY),
               "language": language_of(tracker)}  # settles "kr" or "¥" as the visitor's language's
    found = _read(text, requested, tracker.get_slot(EMAIL), **context)
    if requested and (asks_a_question(text) and found.meta is None or is_interruption(tracker) and not (
            answers_pending_question(text, found, requested, intent, confidence)
            or _phone_instead_of_email(text, found, requested, intent, confidence))):
        # clearly something else (bot/pending.py): only what it states outright is taken
        requested, found = None, _read(text, None, tracker.get_slot(EMAIL), **context)
        if intent in _NOT_ABOUT_THE_PURCHASE:
            # an errand, a question about something else or small talk ("how many ounces in
            # 4 pounds", "top stories right now", "how old are you"): its figures and times are
            # not the visitor's budget or timeline; only a way to reach them counts
            found = Extracted(email=found.email, phone=found.phone)
    values = _keep_stated_need(tracker, found.slots(), requested, found.correction)
    values = _carry_budget_units(tracker, values, found.correction)
    events = _slot_events(tracker, values, found.email_problem, found.meta, requested)
    if tracker.get_slot(AWAITING_RESTART) and intent not in ("affirm", "deny"):
        events.append(SlotSet(AWAITING_RESTART, False))  # they went on instead of answering
    if named_country and named_country != tracker.get_slot(COUNTRY):
        events.append(SlotSet(COUNTRY, named_country))
    if not tracker.get_slot(HUMAN_REQUESTED) and asks_for_a_person(text):
        # "…@example.com, and please have a human call me": an answer that also asks for a
        # person; the lead is flagged for a rep without breaking off the questions
        events.append(SlotSet(HUMAN_REQUESTED, True))
    return events


def _currency_chosen(tracker: Tracker, text: str) -> list[EventType]:
    """The reply to "which currency is that?": the budget gets the one named, a skip leaves it
    open; [] when the reply is something else (then read as any message)."""
    options = currency_to_ask(tracker)
    if not options:
        return _currency_added(tracker, text)
    if tracker.active_loop.get("name") != FORM or tracker.get_slot(REQUESTED_SLOT) != BUDGET_CURRENCY:
        return []
    code = choose_currency(text, options, country_in(text) or tracker.get_slot(COUNTRY))
    if code is not None:
        budget = {**tracker.get_slot(BUDGET), "currency": code, "currency_options": []}
        return [SlotSet(BUDGET, budget), SlotSet(BUDGET_CURRENCY, code), SlotSet(LAST_CHANGES, [])]
    if meta_reply(text) in ("skip", "not_sure"):
        skipped = sorted(set(tracker.get_slot(SKIPPED) or []) | {BUDGET_CURRENCY})
        return [SlotSet(SKIPPED, skipped), SlotSet(LAST_CHANGES, [])]
    return []


def _currency_added(tracker: Tracker, text: str) -> list[EventType]:
    """A currency said alone after a budget that had none ("около 200 тысяч в год", then "в
    рублях"): the budget gets it, and the pending question stays open (it is not a name)."""
    budget = tracker.get_slot(BUDGET) or {}
    if budget.get("status") != "stated" or budget.get("currency") or budget.get("min") is None:
        return []
    named = currency_alone(text)
    if named is None:
        return []
    code, unit = named
    scaled = {k: budget[k] * unit for k in ("min", "max") if budget.get(k) is not None}  # toman: 10 rials
    return [SlotSet(BUDGET, {**budget, **scaled, "currency": code, "currency_options": []}), SlotSet(LAST_CHANGES, [])]


def _read(text: str, requested: str | None, known_email: str | None = None, **context: Any) -> Extracted:
    """The message read for every field, `requested` liberally."""
    return extract(text, today=today(services.clock()), requested=requested,
                   categories=services.content().need_keywords(),
                   phone_region=services.conversation_settings().default_phone_region,
                   known_email=known_email, **context)


# Intents of messages about something other than the purchase (errands, small talk).
_NOT_ABOUT_THE_PURCHASE = frozenset({"out_of_scope", "chitchat"})

_NOT_AN_OPENING = frozenset({"greet", "goodbye", "thank", "affirm", "deny", "request_human", "start_over", "ask_why",
                             "message_too_long"})


def _context(tracker: Tracker, intent: str | None, text: str) -> dict[str, Any]:
    """What the conversation tells the parsers: the questions still open (a reply may answer
    one of them out of order), and whether this is the opening message (its wish is the need)."""
    open_fields = open_questions(tracker)
    # "a bot for our site" may look like "are you a bot?" to NLU: a first message that asks
    # nothing and is no greeting or request is read for the need. So is a message written
    # while waiting for a rep, before any need was said ("можно сразу с менеджером?", then
    # what they want): the questions are over, but what they want still belongs on the lead.
    before_the_questions = tracker.active_loop.get("name") is None and tracker.get_slot(PHASE) != PHASE_DONE
    opening = ((before_the_questions or waiting_for_rep(tracker)) and tracker.get_slot(NEED) is None
               and intent not in _NOT_AN_OPENING and not asks_a_question(text))
    return {"open_fields": open_fields, "opening": opening}


def _phone_instead_of_email(text: str, found: Extracted, requested: str, intent: str | None,
                            confidence: float) -> bool:
    """Asked for the e-mail, the visitor gave a phone number ("no email, call me on ..."): it
    answers the question as an address would (bot/pending.py), and the e-mail counts as skipped."""
    return (requested == EMAIL and found.email is None and found.phone is not None
            and answers_pending_question(text, replace(found, email=found.phone), requested, intent, confidence))


def _requested_slot(tracker: Tracker) -> str | None:
    if tracker.active_loop.get("name") != FORM:
        return None
    requested = tracker.get_slot(REQUESTED_SLOT)
    return requested if requested in ANSWER_SLOTS else None


def _keep_stated_need(tracker: Tracker, values: dict[str, Any], requested: str | None,
                      correction: bool) -> dict[str, Any]:
    """A stated need changes only by an answer to the need question or an explicit correction:
    a later "we want it live by March" or "we hope to save time" is not a new need."""
    current = tracker.get_slot(NEED)
    if NEED not in values or requested == NEED or correction or not current or current.get("status") != "stated":
        return values
    return {k: v for k, v in values.items() if k != NEED}


def _carry_budget_units(tracker: Tracker, values: dict[str, Any], correction: bool) -> dict[str, Any]:
    """"Sorry, I meant 15k not 50k" after "£50k a year" is £15k a year: a restated budget keeps
    the currency already given, and a correction keeps the period too, unless it names them."""
    new, current = values.get(BUDGET), tracker.get_slot(BUDGET)
    if not new or not current or new.get("status") != "stated" or current.get("status") != "stated":
        return values
    carried = dict(new)
    options = carried.get("currency_options") or []
    if carried.get("currency") is None and (not options or current.get("currency") in options):
        carried["currency"] = current.get("currency")  # "15 000 kr" again after they said Norwegian
        carried["currency_options"] = [] if carried["currency"] else options
    if correction and carried.get("period") is None:
        carried["period"] = current.get("period")
    return {**values, BUDGET: carried}


def _job_title(tracker: Tracker, values: dict[str, Any], requested: str | None) -> list[EventType]:
    """The job-title rule (`bot.extraction.job_title_until_authority`) on this turn's values.

    Mutates `values`: drops an authority that is only a title, or gives one the title kept.
    """
    if not values.get(AUTHORITY):
        return []
    authority, title = job_title_until_authority(
        Authority.from_dict(values[AUTHORITY]), asked=requested == AUTHORITY,
        stored=Authority.from_dict(tracker.get_slot(AUTHORITY)), kept_title=tracker.get_slot(JOB_TITLE))
    if authority is None:
        del values[AUTHORITY]
    else:
        values[AUTHORITY] = authority.to_dict()
    return [SlotSet(JOB_TITLE, title)] if title else []


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
        if (slot in ANSWER_SLOTS or slot == PHONE) and value != tracker.get_slot(slot):
            events.append(SlotSet(slot, value))
            if tracker.get_slot(slot) is not None:
                changed.append(slot)
    if meta in ("skip", "not_sure") and requested in CONTACT_SLOTS and requested not in values:
        skipped = list(tracker.get_slot(SKIPPED) or [])
        events.append(SlotSet(SKIPPED, sorted(set(skipped) | {requested})))
    elif requested == EMAIL and PHONE in values and EMAIL not in values and not email_problem:
        # a phone number instead of the address: the e-mail question is answered (not asked again)
        skipped = list(tracker.get_slot(SKIPPED) or [])
        events.append(SlotSet(SKIPPED, sorted(set(skipped) | {EMAIL})))
    if email_problem and "email" not in values:
        events.append(SlotSet(PENDING_EMAIL_PROBLEM, email_problem))
    events.append(SlotSet(LAST_CHANGES, changed))
    return events
