"""The conversation around the questions, through the trained model and the real action
server: a chat that opens with a question, interruptions and small talk mid-form, starting
over only when confirmed, leaving half-way, a lead kept as soon as it can be reached."""
from __future__ import annotations

import pytest
import requests

from tests.e2e.test_conversations import asked, stored, texts

pytestmark = pytest.mark.rasa


def slots(bot, sender: str) -> dict:
    r = requests.get(f"{bot.rasa_url}/conversations/{sender}/tracker", params={"token": bot.auth_token}, timeout=10)
    return r.json()["slots"]


def test_a_chat_opening_with_a_question_gets_the_answer_the_notice_and_the_first_question(bot, sender):
    replies = texts(bot.say(sender, "how much does this cost per month?"))
    assert "free trial" in replies, "the pricing answer"
    assert "this chat is recorded" in replies, "the consent notice before any question"
    assert "What would you like help with" in replies
    assert slots(bot, sender)["consent_shown_at"]


def test_small_talk_and_integration_questions_mid_form_return_to_the_question(bot, sender):
    bot.say(sender, "hi")
    bot.say(sender, "we need a bot that books appointments for our salons")
    replies = bot.say(sender, "who made you?")
    assert "built by the team behind leadbot" in texts(replies) and asked(replies) == ["timeline"]
    replies = bot.say(sender, "ok but first tell me a joke")
    assert "spreadsheet" in texts(replies) and asked(replies) == ["timeline"], "small talk answered on its topic"
    replies = bot.say(sender, "does it work with Pipedrive?")
    assert "Pipedrive: each lead becomes a person and a deal" in texts(replies)
    assert asked(replies) == ["timeline"]
    assert slots(bot, sender)["timeline"] is None, "neither was taken as the answer"


def test_start_over_happens_only_when_confirmed(bot, sender):
    bot.say(sender, "hi")
    bot.say(sender, "we want a chatbot that qualifies leads from our website")
    replies = bot.say(sender, "let's start over")
    assert "forget the answers" in texts(replies)
    replies = bot.say(sender, "no")
    assert asked(replies) == ["timeline"], "declined: back to the open question, the need kept"
    assert slots(bot, sender)["need"]["status"] == "stated"
    bot.say(sender, "can we start from scratch")
    replies = bot.say(sender, "yes")
    assert "start over" in texts(replies).lower() and asked(replies) == ["need"]
    assert slots(bot, sender)["need"] is None


def test_a_lead_is_kept_as_soon_as_the_visitor_can_be_reached(bot, sender):
    bot.say(sender, "hello, Priya Nair here, priya@lumen.example")
    bot.say(sender, "a bot that answers questions from parents about admissions")
    # the visitor closes the tab after the timeline: the lead is already stored with it
    bot.say(sender, "before the school year starts in September")
    lead = stored(bot, "priya@lumen.example")
    assert lead["name"] == "Priya Nair"
    assert lead["timeline"]["target_date"].startswith("2027-09")


def test_ok_after_the_wrap_up_closes_politely(bot, sender):
    for text in ("hi", "we want to book demos from our website", "next month", "I decide", "5k EUR",
                 "Jonas Berg", "Berg Labs", "jonas@berglabs.example"):
        bot.say(sender, text)
    replies = texts(bot.say(sender, "ok"))
    assert "Have a great day" in replies and "what you'd like to add" not in replies


def test_an_answer_that_also_asks_for_a_person_flags_the_lead_and_the_questions_go_on(bot, sender):
    bot.say(sender, "hi")
    bot.say(sender, "we want a bot that captures quote requests for our print shop")
    replies = bot.say(sender, "in about two months; could someone from your sales team give me a call?")
    assert asked(replies) == ["authority"], "the answer is taken and the next question asked"
    for answer in ("I own the shop", "around 300 EUR a month", "Ana Lima", "Lima Print"):
        bot.say(sender, answer)
    bot.say(sender, f"{sender.lower()}@limaprint.example")
    lead = stored(bot, f"{sender.lower()}@limaprint.example")
    assert lead["human_requested"] is True, "a rep sees the visitor asked for a person"
    assert lead["timeline"]["status"] == "stated"


def test_an_answer_signed_off_with_a_goodbye_goes_on_with_the_questions(bot, sender):
    bot.say(sender, "hi")
    bot.say(sender, "we want a bot that answers delivery questions for our bakery")
    replies = bot.say(sender, "later this year, cheers")  # read as goodbye by NLU, yet it answers "when?"
    assert asked(replies) == ["authority"], "the answer is taken and the next question asked"
    assert slots(bot, sender)["timeline"]["status"] == "stated"


def test_a_currency_said_alone_after_a_bare_figure_completes_the_budget(bot, sender):
    for text in ("Здравствуйте! Нам нужен чат-бот, который записывает клиентов в наши салоны",
                 "в следующем месяце", "решаю я", "около 200 тысяч в год"):
        bot.say(sender, text)
    assert slots(bot, sender)["requested_slot"] == "name"
    replies = bot.say(sender, "в рублях")  # to "what is your name?": no name, the budget's currency
    budget = slots(bot, sender)["budget"]
    assert (budget["min"], budget["currency"], budget["period"]) == (200000, "RUB", "yearly")
    assert slots(bot, sender)["name"] is None
    assert slots(bot, sender)["requested_slot"] == "name" and texts(replies), "the name is asked again"
    bot.say(sender, "Ольга Смирнова")
    assert slots(bot, sender)["name"] == "Ольга Смирнова"
