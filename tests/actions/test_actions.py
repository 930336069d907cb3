"""Actions run against real trackers: the events they return are what Rasa applies."""
from __future__ import annotations

import asyncio

import pytest
from pathlib import Path

from actions.conversation import ActionAnswerFaq, ActionExplainQuestion, ActionStartQualification
from actions.lead_form import ValidateLeadForm
from actions.submission import ActionHandoff, ActionRecordFollowup, ActionSubmitLead
from actions.understanding import ActionUnderstandMessage
from actions import services
from bot.store.db import database_url, make_engine, session_factory
from bot.store.export import lead_to_export
from bot.store.repository import get_lead
from tests.actions.conftest import make_tracker, responses, slot_events

COMPLETE = {
    "need": {"text": "a bot that books consultations", "level": "specific",
             "category": "appointment_booking", "status": "stated"},
    "timeline": {"status": "stated", "text": "in six weeks", "target_date": "2027-01-03", "months": 1.4},
    "authority": {"level": "decision_maker", "text": "it's my call", "role": None},
    "budget": {"status": "stated", "text": "$25k", "min": 25000, "max": 25000, "currency": "USD", "period": None},
    "name": "Sam Ortiz", "company": "Brightwell Dental", "email": "sam@brightwell.example",
    "consent_shown_at": "2026-11-22T10:00:00+00:00",
}


def run(action, tracker, dispatcher, domain):
    return asyncio.run(action.run(dispatcher, tracker, domain))


def stored(key: str) -> dict:
    with session_factory(make_engine(database_url()))() as session:
        return lead_to_export(get_lead(session, key))


def test_understanding_fills_the_requested_slot(dispatcher, domain):
    tracker = make_tracker("about 900 bucks monthly", form="lead_form", slots={"requested_slot": "budget"})
    slots = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))
    assert slots["budget"]["min"] == 900 and slots["budget"]["period"] == "monthly"
    assert slots["budget"]["currency"] == "USD"
    assert dispatcher.messages == []


def test_understanding_takes_everything_from_a_loaded_opener(dispatcher, domain):
    text = ("Hello, Sam Ortiz here, head of sales at Brightwell Dental; we want a bot that books "
            "consultations, budget is 25k, we'd like it live in six weeks")
    slots = slot_events(run(ActionUnderstandMessage(), make_tracker(text, intent="greet"), dispatcher, domain))
    assert slots["name"] == "Sam Ortiz" and slots["company"] == "Brightwell Dental"
    assert slots["budget"]["min"] == 25000 and slots["budget"]["currency"] is None
    assert slots["timeline"]["target_date"] == "2027-01-03"
    assert "consultation" in slots["need"]["text"]
    # a title alone does not say who decides: kept aside, and the question is still asked
    assert "authority" not in slots and slots["job_title"] == "Head of Sales"


def test_a_later_authority_answer_gets_the_title_given_earlier(dispatcher, domain):
    tracker = make_tracker("I decide together with our COO", form="lead_form",
                           slots={"requested_slot": "authority", "job_title": "Head of Sales"})
    slots = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))
    assert slots["authority"]["level"] == "shared" and slots["authority"]["role"] == "Head of Sales"


def test_a_confident_question_is_not_read_as_the_pending_answer(dispatcher, domain):
    tracker = make_tracker("is it 50 per month?", intent="faq_pricing", confidence=0.9,
                           form="lead_form", slots={"requested_slot": "budget"})
    slots = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))
    assert "budget" not in slots


@pytest.mark.parametrize("text, intent", [
    ("are you busy right now?", "chitchat"),
    ("what's trending on twitter right now", "chitchat"),
    ("how much is a return ticket to Lisbon next week?", "out_of_scope"),
])
def test_small_talk_or_an_errand_gives_no_budget_or_timeline(text, intent, dispatcher, domain):
    tracker = make_tracker(text, intent=intent, confidence=0.7, form="lead_form",
                           slots={"requested_slot": "authority"})
    slots = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))
    assert not {"budget", "timeline", "authority", "need"} & set(slots), slots


def test_an_answer_misfiled_under_another_intent_still_fills_the_slot(dispatcher, domain):
    tracker = make_tracker("next quarter", intent="faq_product", confidence=0.4,
                           form="lead_form", slots={"requested_slot": "timeline"})
    slots = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))
    assert slots["timeline"]["target_date"] == "2027-03-31"


def test_skipping_a_contact_question_marks_it_skipped(dispatcher, domain):
    tracker = make_tracker("I'd rather not say", form="lead_form", slots={"requested_slot": "company"})
    slots = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))
    assert slots["skipped"] == ["company"]


def test_skip_is_about_the_question_whatever_intent_nlu_saw(dispatcher, domain):
    tracker = make_tracker("skip", intent="out_of_scope", confidence=0.9, form="lead_form",
                           slots={"requested_slot": "company"})
    slots = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))
    assert slots["skipped"] == ["company"]


def test_a_correction_is_reported_as_a_change(dispatcher, domain):
    tracker = make_tracker("oops, make that 35k", slots={**COMPLETE, "phase": "done"})
    slots = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))
    assert slots["budget"]["min"] == 35000 and slots["last_changes"] == ["budget"]


def test_form_pitches_once_after_the_need(dispatcher, domain):
    need = COMPLETE["need"]
    tracker = make_tracker("a bot that books consultations", form="lead_form",
                           slots={"need": need, "requested_slot": "need"})
    events = run(ValidateLeadForm(), tracker, dispatcher, domain)
    assert responses(dispatcher) == ["utter_pitch"]
    assert "consult" in dispatcher.messages[0]["pitch"].lower() or dispatcher.messages[0]["pitch"]
    assert slot_events(events)["pitched"] is True
    # nothing skipped: Rasa's form asks the next missing slot in domain order itself
    assert "requested_slot" not in slot_events(events)


def test_form_hints_then_moves_on_after_unclear_answers(dispatcher, domain):
    tracker = make_tracker("purple", form="lead_form", slots={"requested_slot": "budget"})
    events = run(ValidateLeadForm(), tracker, dispatcher, domain)
    assert responses(dispatcher) == ["utter_reask_hint_budget"]
    assert slot_events(events)["answer_attempts"] == {"budget": 1}

    tracker = make_tracker("purple again", form="lead_form",
                           slots={"requested_slot": "budget", "answer_attempts": {"budget": 1}})
    dispatcher.messages.clear()
    slots = slot_events(run(ValidateLeadForm(), tracker, dispatcher, domain))
    assert responses(dispatcher) == ["utter_moving_on"]
    assert slots["budget"]["status"] == "unknown" and slots["budget"]["text"] == "purple again"


def test_another_answer_is_not_a_miss_for_the_pending_question(dispatcher, domain):
    tracker = make_tracker("luis@example.com", form="lead_form", slots={"requested_slot": "company"})
    tracker.events.append({"event": "slot", "name": "email", "value": "luis@example.com"})
    tracker.add_slots([{"event": "slot", "name": "email", "value": "luis@example.com"}])
    events = run(ValidateLeadForm(), tracker, dispatcher, domain)
    assert "answer_attempts" not in slot_events(events)
    assert responses(dispatcher) == []


def test_an_interruption_lets_the_form_reject(dispatcher, domain):
    tracker = make_tracker("are you a bot?", intent="bot_challenge", confidence=0.97, form="lead_form",
                           slots={"requested_slot": "budget"})
    assert run(ValidateLeadForm(), tracker, dispatcher, domain) == []
    assert dispatcher.messages == []


def test_a_specific_need_outside_every_category_gets_the_general_pitch(dispatcher, domain):
    need = {"text": "translate our legal archive", "level": "specific", "category": None, "status": "stated"}
    tracker = make_tracker("translate our legal archive", form="lead_form", slots={"need": need})
    run(ValidateLeadForm(), tracker, dispatcher, domain)
    assert responses(dispatcher) == ["utter_pitch"]
    assert dispatcher.messages[0]["pitch"] == services.content().default_pitch


def test_form_skips_what_is_known_or_skipped(dispatcher, domain):
    slots = {k: v for k, v in COMPLETE.items() if k not in ("company", "email")}
    tracker = make_tracker("skip", form="lead_form", slots={**slots, "skipped": ["company"],
                                                             "requested_slot": "company", "pitched": True})
    events = run(ValidateLeadForm(), tracker, dispatcher, domain)
    assert slot_events(events)["requested_slot"] == "email"


def test_start_shows_the_consent_notice_once(dispatcher, domain):
    events = run(ActionStartQualification(), make_tracker("hi", intent="greet"), dispatcher, domain)
    assert responses(dispatcher) == ["utter_greet"]  # one message: the greeting, then the notice
    assert slot_events(events)["consent_shown_at"].startswith("2026-11-22T10:00")
    dispatcher.messages.clear()
    again = make_tracker("hi", intent="greet", slots={"consent_shown_at": "2026-11-22T10:00:00+00:00"})
    assert run(ActionStartQualification(), again, dispatcher, domain) == []
    assert dispatcher.messages == []


def test_the_greeting_carries_the_consent_notice_as_its_own_line(domain):
    """Every client shows the bot's first message: the notice is in it, word for word (on a
    phone call, the call's own notice: domain.yml `channel: twilio_voice`)."""
    said = domain["responses"]
    notice = {variant.get("channel"): variant["text"] for variant in said["utter_consent_notice"]}
    assert [variant["text"].split("\n")[-1] for variant in said["utter_greet"]] == \
        [notice[variant.get("channel")] for variant in said["utter_greet"]]
    assert all("\n\n" not in variant["text"] for variant in said["utter_greet"]), \
        "Rasa's socket.io channel splits a text at blank lines into separate messages"


def test_a_chat_that_opens_with_a_question_gets_the_consent_notice_first(dispatcher, domain):
    events = run(ActionAnswerFaq(), make_tracker("how much is it?", intent="faq_pricing"), dispatcher, domain)
    assert responses(dispatcher) == ["utter_consent_notice", "utter_faq_pricing"]
    assert slot_events(events)["consent_shown_at"].startswith("2026-11-22T10:00")
    assert events[-1] == {"event": "followup", "name": "lead_form", "timestamp": None}


def test_faq_and_why_answer_the_right_question(dispatcher, domain):
    run(ActionAnswerFaq(), make_tracker("pricing?", intent="faq_pricing", form="lead_form"), dispatcher, domain)
    assert responses(dispatcher) == ["utter_faq_pricing", "utter_resume"]
    dispatcher.messages.clear()
    tracker = make_tracker("why?", intent="ask_why", form="lead_form", slots={"requested_slot": "email"})
    run(ActionExplainQuestion(), tracker, dispatcher, domain)
    assert responses(dispatcher) == ["utter_why_email"]


def test_submit_stores_the_lead_and_tells_the_outcome(dispatcher, domain):
    tracker = make_tracker("sam@brightwell.example", slots=COMPLETE,
                           history=[("user", "hi"), ("bot", "Hi! I'm the leadbot assistant.")])
    slots = slot_events(run(ActionSubmitLead(), tracker, dispatcher, domain))
    assert slots["phase"] == "done" and slots["lead_pending"] is False and slots["lead_id"]
    lead = stored("sam@brightwell.example")
    assert lead["status"] == slots["lead_status"]
    assert responses(dispatcher)[0] == f"utter_outcome_{lead['status']}"
    assert lead["channel"] == "rest" and lead["consent"]["shown_at"]
    if lead["status"] == "qualified":
        assert "https://" in dispatcher.messages[0]["booking"]


def test_a_message_after_storage_without_a_change_is_noted_not_misreported(dispatcher, domain):
    first = make_tracker("sam@brightwell.example", slots=COMPLETE)
    run(ActionSubmitLead(), first, CollectingDispatcherFactory(), domain)
    later = make_tracker("also we use HubSpot", slots={**COMPLETE, "phase": "done", "last_changes": []},
                         history=[("user", "hi"), ("bot", "Thank you, Sam!")])
    run(ActionSubmitLead(), later, dispatcher, domain)
    assert responses(dispatcher) == ["utter_noted"]
    with session_factory(make_engine(database_url()))() as session:
        lead = get_lead(session, "sam@brightwell.example")
        assert "also we use HubSpot" in [line["text"] for line in lead.transcript]


def test_submit_with_the_store_down_keeps_the_answers(dispatcher, domain, monkeypatch, environment: Path):
    monkeypatch.setenv("LEADBOT_DATABASE_URL", f"sqlite:///{environment / 'no-such-dir' / 'x.db'}")
    slots = slot_events(run(ActionSubmitLead(), make_tracker("done", slots=COMPLETE), dispatcher, domain))
    assert responses(dispatcher) == ["utter_store_unavailable"]
    assert slots["lead_pending"] is True
    assert list((environment / "spool").glob("*.json")), "the submission is spooled"


def test_handoff_stores_a_partial_lead_flagged_for_a_rep(dispatcher, domain):
    tracker = make_tracker("can I talk to a person", intent="request_human", form="lead_form",
                           slots={"need": COMPLETE["need"], "requested_slot": "timeline"}, sender="handoff-1")
    events = run(ActionHandoff(), tracker, dispatcher, domain)
    assert responses(dispatcher) == ["utter_handoff"]
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    with session_factory(make_engine(database_url()))() as session:
        from bot.store.repository import list_leads
        lead = lead_to_export(list_leads(session)[0])
    assert lead["human_requested"] is True and lead["conversation_id"] == "handoff-1"


EXPLORING = {
    **COMPLETE,
    "need": {"text": "just looking around", "level": "exploring", "category": None, "status": "stated"},
    "timeline": {"status": "stated", "text": "sometime next year", "target_date": "2027-12-31", "months": 13.3},
    "authority": {"level": "influencer", "text": "my boss decides", "role": None},
    "budget": {"status": "unknown", "text": "not sure", "min": None, "max": None, "currency": None, "period": None},
}


def test_nurture_lead_is_offered_resources_and_a_follow_up(dispatcher, domain):
    slots = slot_events(run(ActionSubmitLead(), make_tracker("x", slots=EXPLORING), dispatcher, domain))
    assert slots["lead_status"] == "nurture" and slots["awaiting_optin"] is True
    assert responses(dispatcher) == ["utter_outcome_nurture", "utter_ask_followup_optin"]
    assert "https://" in dispatcher.messages[0]["resources"]


def test_nurture_opt_in_is_recorded(dispatcher, domain):
    run(ActionSubmitLead(), make_tracker("x", slots=EXPLORING), CollectingDispatcherFactory(), domain)
    tracker = make_tracker("yes please", intent="affirm", slots={**EXPLORING, "awaiting_optin": True})
    slots = slot_events(run(ActionRecordFollowup(), tracker, dispatcher, domain))
    assert slots == {"followup_optin": True, "awaiting_optin": False}
    assert responses(dispatcher) == ["utter_followup_optin_yes"]
    with session_factory(make_engine(database_url()))() as session:
        assert get_lead(session, "sam@brightwell.example").followup_optin is True


def CollectingDispatcherFactory():
    from rasa_sdk.executor import CollectingDispatcher
    return CollectingDispatcher()


def test_a_phone_number_instead_of_the_email_is_stored_and_answers_the_question(dispatcher, domain):
    slots = {k: v for k, v in COMPLETE.items() if k != "email"}
    tracker = make_tracker("no email, call me on 415-555-0132", form="lead_form",
                           slots={**slots, "requested_slot": "email", "pitched": True})
    events = run(ActionUnderstandMessage(), tracker, dispatcher, domain)
    found = slot_events(events)
    assert found["phone"] == "+14155550132" and found["skipped"] == ["email"] and "email" not in found
    tracker.add_slots(events)
    form = slot_events(run(ValidateLeadForm(), tracker, dispatcher, domain))
    assert form.get("skipped") == ["email"] and "answer_attempts" not in form  # answered: the form moves on
    assert responses(dispatcher) == []


def test_a_phone_number_is_taken_from_any_message_without_skipping_anything(dispatcher, domain):
    tracker = make_tracker("Sam here, my cell is +91 98765 43210", form="lead_form", slots={"requested_slot": "budget"})
    found = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))
    assert found["phone"] == "+919876543210" and "skipped" not in found and "budget" not in found


def test_a_national_number_takes_the_country_of_the_known_email(dispatcher, domain):
    tracker = make_tracker("or ring me on 020 7946 0958", slots={**COMPLETE, "email": "sam@brightwell.co.uk",
                                                                 "phase": "done"})
    assert slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))["phone"] == "+442079460958"


def test_a_confident_request_for_a_person_with_a_number_keeps_the_email_question(dispatcher, domain):
    tracker = make_tracker("can a person call me on 415-555-0132", intent="request_human", confidence=0.95,
                           form="lead_form", slots={"requested_slot": "email"})
    found = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))
    assert found["phone"] == "+14155550132" and "skipped" not in found


def test_a_new_number_is_reported_as_a_change_and_submitted_with_the_lead(dispatcher, domain):
    tracker = make_tracker("sorry, my number is +44 20 7946 0958",
                           slots={**COMPLETE, "phone": "+14155550132", "phase": "done"})
    found = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))
    assert found["phone"] == "+442079460958" and found["last_changes"] == ["phone"]
    run(ActionSubmitLead(), make_tracker("done", slots={**COMPLETE, "phone": "+442079460958"}), dispatcher, domain)
    assert stored("sam@brightwell.example")["phone"] == "+442079460958"
