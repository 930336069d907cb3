"""A budget in a symbol several countries write ("kr", "Rs", "$") that neither the visitor's
country nor the site's settles: the bot never assumes one, it asks which, once, right after
the budget, and takes the answer (or a skip) like any other."""
from __future__ import annotations

import asyncio

from actions.lead_form import ActionAskBudgetCurrency, ValidateLeadForm
from actions.understanding import ActionUnderstandMessage
from tests.actions.conftest import make_tracker, responses, slot_events

KRONOR = {"status": "stated", "text": "about 15 000 kr", "min": 15000, "max": 15000, "currency": None,
          "period": None, "currency_options": ["SEK", "NOK", "DKK"]}


def run(action, tracker, dispatcher, domain):
    return asyncio.run(action.run(dispatcher, tracker, domain))


def required(tracker, dispatcher, domain) -> list[str]:
    return asyncio.run(ValidateLeadForm().required_slots(
        ["need", "timeline", "authority", "budget", "name", "company", "email"], dispatcher, tracker, domain))


def test_a_shared_symbol_nothing_settles_is_stored_without_a_currency(dispatcher, domain):
    tracker = make_tracker("about 15 000 kr", form="lead_form", slots={"requested_slot": "budget"})
    budget = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))["budget"]
    assert budget["min"] == 15000 and budget["currency"] is None
    assert set(budget["currency_options"]) >= {"SEK", "NOK", "DKK"}


def test_the_visitors_country_settles_it_and_nothing_is_asked(dispatcher, domain):
    tracker = make_tracker("about 15 000 kr", form="lead_form", slots={"requested_slot": "budget", "country": "NO"})
    budget = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))["budget"]
    assert budget["currency"] == "NOK" and budget["currency_options"] == ()
    settled = make_tracker("x", form="lead_form", slots={"budget": {**KRONOR, "currency": "NOK", "currency_options": []}})
    assert "budget_currency" not in required(settled, dispatcher, domain)


def test_the_currency_question_comes_right_after_the_budget(dispatcher, domain):
    tracker = make_tracker("about 15 000 kr", form="lead_form", slots={"budget": KRONOR})
    slots = required(tracker, dispatcher, domain)
    assert slots[slots.index("budget") + 1] == "budget_currency"
    run(ActionAskBudgetCurrency(), tracker, dispatcher, domain)
    assert responses(dispatcher) == ["utter_ask_budget_currency"]
    assert dispatcher.messages[0]["choices"] == "Swedish kronor, Norwegian kroner or Danish kroner"


def test_the_answer_names_the_currency(dispatcher, domain):
    for reply, code in [("Norwegian", "NOK"), ("DKK", "DKK"), ("we're in Sweden", "SEK")]:
        tracker = make_tracker(reply, form="lead_form", slots={"budget": KRONOR, "requested_slot": "budget_currency"})
        slots = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))
        assert slots["budget"]["currency"] == code and slots["budget"]["currency_options"] == []
        assert slots["budget"]["min"] == 15000 and slots["budget_currency"] == code
        answered = make_tracker(reply, form="lead_form", slots={"budget": slots["budget"]})
        assert "budget_currency" not in required(answered, dispatcher, domain)


def test_a_skip_leaves_the_currency_open_and_the_form_goes_on(dispatcher, domain):
    tracker = make_tracker("skip", form="lead_form", slots={"budget": KRONOR, "requested_slot": "budget_currency"})
    slots = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))
    assert slots["skipped"] == ["budget_currency"] and "budget" not in slots
    skipped = make_tracker("skip", form="lead_form", slots={"budget": KRONOR, "skipped": ["budget_currency"]})
    assert "budget_currency" not in required(skipped, dispatcher, domain)


def test_an_unclear_answer_gets_a_hint_then_the_form_moves_on(dispatcher, domain):
    tracker = make_tracker("purple", form="lead_form", slots={"budget": KRONOR, "requested_slot": "budget_currency"})
    run(ValidateLeadForm(), tracker, dispatcher, domain)
    assert responses(dispatcher) == ["utter_reask_hint_budget_currency"]
    dispatcher.messages.clear()
    again = make_tracker("purple again", form="lead_form", slots={
        "budget": KRONOR, "requested_slot": "budget_currency", "answer_attempts": {"budget_currency": 1}})
    slots = slot_events(run(ValidateLeadForm(), again, dispatcher, domain))
    assert responses(dispatcher) == ["utter_moving_on"] and "budget_currency" in slots["skipped"]


def test_a_budget_named_outright_is_never_asked_about(dispatcher, domain):
    tracker = make_tracker("15 000 NOK", form="lead_form", slots={"requested_slot": "budget"})
    budget = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))["budget"]
    assert budget["currency"] == "NOK" and not budget["currency_options"]


def test_every_new_response_and_action_is_in_the_domain(domain):
    assert "action_ask_budget_currency" in domain["actions"]
    assert {"utter_ask_budget_currency", "utter_reask_hint_budget_currency"} <= set(domain["responses"])
    assert "budget_currency" in domain["slots"]


def test_the_conversations_language_settles_it_before_the_sites_country(dispatcher, domain):
    for text, language, code in [("about 15 000 kr", "nb", "NOK"), ("¥5000 每月", "zh", "CNY"),
                                 ("примерно 15 000 kr", "ru", None), ("about 15 000 kr", "en", None)]:
        tracker = make_tracker(text, form="lead_form", slots={"requested_slot": "budget", "language": language})
        budget = slot_events(run(ActionUnderstandMessage(), tracker, dispatcher, domain))["budget"]
        assert budget["currency"] == code, (text, language, budget)
        assert bool(budget["currency_options"]) == (code is None)
    said_in_sweden = make_tracker("about 15 000 kr", form="lead_form",
                                  slots={"requested_slot": "budget", "language": "nb", "country": "SE"})
    assert slot_events(run(ActionUnderstandMessage(), said_in_sweden, dispatcher, domain))["budget"]["currency"] == "SEK"
