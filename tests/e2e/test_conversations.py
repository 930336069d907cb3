"""Whole conversations over the REST channel: trained model, real action server, real SQLite.

Each test is one visitor. Assertions are on what the bot says (the questions asked and
not asked) and on the lead as stored, read back through the export contract.
"""
from __future__ import annotations


import pytest
import requests

from bot.store.db import make_engine, session_factory
from bot.store.export import lead_to_export
from bot.store.repository import get_lead

pytestmark = pytest.mark.rasa

# Fragments of each question, to recognise what the bot asked.
ASKS = {
    "need": "What would you like help with",
    "timeline": "When would you like to have a solution",
    "authority": "Who will make the final decision",
    "budget": "Do you have a budget in mind",
    "name": "What's your name",
    "company": "Which company are you with",
    "email": "best email address",
}


def texts(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def asked(replies: list[dict]) -> list[str]:
    joined = texts(replies)
    return [slot for slot, fragment in ASKS.items() if fragment in joined]


def stored(bot, key: str) -> dict:
    """The stored lead (by email or id), in the export-contract form."""
    engine = make_engine(bot.database_url)
    try:
        with session_factory(engine)() as session:
            return lead_to_export(get_lead(session, key))
    finally:
        engine.dispose()


def stored_by_conversation(bot, sender: str) -> dict:
    r = requests.get(f"{bot.rasa_url}/conversations/{sender}/tracker",
                     params={"token": bot.auth_token}, timeout=10)
    lead_id = r.json()["slots"]["lead_id"]
    assert lead_id, "the conversation has no stored lead"
    return stored(bot, str(int(lead_id)))


def test_happy_path_stores_a_qualified_lead(bot, sender):
    replies = bot.say(sender, "hi")
    assert "recorded" in texts(replies), "the consent notice is shown first"
    assert asked(replies) == ["need"]

    replies = bot.say(sender, "We need a chatbot to capture and qualify leads on our website")
    assert asked(replies) == ["timeline"]
    assert len(replies) >= 2, "a pitch relevant to the need comes before the next question"

    assert asked(bot.say(sender, "in 8-10 weeks")) == ["authority"]
    assert asked(bot.say(sender, "it's my call, I run IT")) == ["budget"]
    assert asked(bot.say(sender, "$12k")) == ["name"]
    assert asked(bot.say(sender, "Sam Ortiz")) == ["company"]
    assert asked(bot.say(sender, "Brightwell Dental")) == ["email"]
    replies = bot.say(sender, "sam.ortiz@brightwell.com")
    assert asked(replies) == []

    lead = stored(bot, "sam.ortiz@brightwell.com")
    assert lead["name"] == "Sam Ortiz"
    assert lead["company"] == "Brightwell Dental"
    assert lead["channel"] == "rest"
    assert lead["conversation_id"] == sender
    assert lead["budget"]["min"] == 12000 and lead["budget"]["max"] == 12000
    assert lead["budget"]["currency"] == "USD"
    assert lead["budget"]["status"] == "stated"
    assert lead["authority"]["level"] == "decision_maker"
    assert lead["timeline"]["status"] == "stated"
    assert lead["timeline"]["target_date"] == "2027-01-31"  # 10 weeks after 2026-11-22
    assert 2.0 <= lead["timeline"]["months"] <= 2.5
    assert lead["need"]["level"] == "specific"
    assert 0 <= lead["score"] <= 100 and lead["score_breakdown"]
    assert lead["status"] in ("qualified", "nurture")
    if lead["status"] == "qualified":
        assert "book" in texts(replies).lower()


def test_loaded_opening_message_is_never_asked_again(bot, sender):
    opener = ("Hello, Sam Ortiz here, head of sales at Brightwell Dental; we want a bot that "
              "books consultations, budget is 25k, we'd like it live in six weeks")
    replies = bot.say(sender, opener)
    already = {"need", "budget", "timeline", "name", "company"}
    questions = asked(replies)
    for _ in range(4):
        if not questions:
            break
        assert not already & set(questions), f"asked again for {questions}"
        answer = {"authority": "I decide together with our COO", "email": "sam@brightwell-dental.com"}[questions[0]]
        replies = bot.say(sender, answer)
        questions = asked(replies)
    lead = stored(bot, "sam@brightwell-dental.com")
    assert lead["name"] == "Sam Ortiz"
    assert lead["company"] == "Brightwell Dental"
    assert lead["budget"]["min"] == 25000 and lead["budget"]["currency"] is None
    assert lead["timeline"]["target_date"] == "2027-01-03"  # six weeks after 2026-11-22
    assert lead["authority"]["level"] == "shared"
    assert lead["authority"]["role"] == "Head of Sales"
    assert "consultation" in lead["need"]["text"]


def _answer_until(bot, sender, answers: dict[str, str], first: str = "hello") -> list[dict]:
    """Answer whatever is asked from `answers` until the bot stops asking."""
    replies = bot.say(sender, first)
    for _ in range(12):
        questions = asked(replies)
        if not questions:
            return replies
        replies = bot.say(sender, answers[questions[-1]])
    raise AssertionError(f"conversation did not finish: {texts(replies)}")


STANDARD = {
    "need": "we want to automate appointment booking for our clinics",
    "timeline": "this quarter",
    "authority": "I'm the owner",
    "budget": "8.500 EUR",
    "name": "Dana Kim",
    "company": "Kim Clinics",
    "email": "dana@kimclinics.example",
}


def test_skip_and_not_sure_record_unknowns(bot, sender):
    answers = dict(STANDARD, budget="skip", timeline="not sure", email="dana.skip@kimclinics.example")
    _answer_until(bot, sender, answers)
    lead = stored(bot, "dana.skip@kimclinics.example")
    assert lead["budget"]["status"] == "unknown"
    assert lead["budget"]["min"] is None
    assert lead["timeline"]["status"] == "unknown"
    breakdown = {d["dimension"]: d for d in lead["score_breakdown"]}
    assert breakdown["budget"]["known"] is False and breakdown["budget"]["points"] > 0


def test_correction_after_storage_updates_the_lead(bot, sender):
    answers = dict(STANDARD, budget="30k", email="dana.fix@kimclinics.example")
    _answer_until(bot, sender, answers)
    assert stored(bot, "dana.fix@kimclinics.example")["budget"]["min"] == 30000
    replies = bot.say(sender, "oops, make that 35k")
    assert "updated" in texts(replies).lower()
    lead = stored(bot, "dana.fix@kimclinics.example")
    assert lead["budget"]["min"] == 35000 and lead["budget"]["max"] == 35000


def test_faq_mid_form_then_back_to_the_pending_question(bot, sender):
    bot.say(sender, "hi")
    bot.say(sender, STANDARD["need"])
    bot.say(sender, STANDARD["timeline"])
    replies = bot.say(sender, STANDARD["authority"])
    assert asked(replies) == ["budget"]
    replies = bot.say(sender, "how much does your product cost?")
    assert "plans" in texts(replies).lower(), texts(replies)
    assert asked(replies) == ["budget"], "the pending question is asked again"
    replies = bot.say(sender, "are you a bot?")
    assert "bot" in texts(replies).lower() and asked(replies) == ["budget"]
    replies = bot.say(sender, "why do you ask?")
    assert "plan that fits" in texts(replies) and asked(replies) == ["budget"]
    assert asked(bot.say(sender, "about 900 bucks monthly")) == ["name"]


def test_human_request_stores_the_lead_flagged_for_a_rep(bot, sender):
    bot.say(sender, "hello")
    bot.say(sender, "looking for a bot for our support team")
    replies = bot.say(sender, "can I talk to a real person please")
    assert "sales team" in texts(replies)
    assert asked(replies) == []
    lead = stored_by_conversation(bot, sender)
    assert lead["human_requested"] is True
    assert lead["need"]["text"]


def test_invalid_email_is_reasked_with_a_suggestion(bot, sender):
    answers = dict(STANDARD)
    replies = bot.say(sender, "hi")
    for slot in ("need", "timeline", "authority", "budget", "name", "company"):
        replies = bot.say(sender, answers[slot])
    assert asked(replies) == ["email"]
    replies = bot.say(sender, "dana@gmial.com")
    assert "gmail.com" in texts(replies), texts(replies)
    assert asked(replies) == ["email"]
    bot.say(sender, "dana.typo@kimclinics.example")
    assert stored(bot, "dana.typo@kimclinics.example")["name"] == "Dana Kim"


def test_ten_thousand_character_message_gets_a_clear_reply(bot, sender):
    bot.say(sender, "hi")
    replies = bot.say(sender, "lorem ipsum dolor " * 560)  # 10,080 characters: refused before NLU
    assert "too long" in texts(replies)
    assert asked(replies) == ["need"], "the pending question is asked again"
    assert asked(bot.say(sender, STANDARD["need"])) == ["timeline"]


def test_emoji_and_html_in_answers_are_cleaned(bot, sender):
    answers = dict(
        STANDARD,
        budget="<b>about 20k</b> 👍",
        name="Zoë Ørsted 😀",
        company="<i>Ørsted & Co</i>",
        email="zoe@orsted.example",
    )
    _answer_until(bot, sender, answers)
    lead = stored(bot, "zoe@orsted.example")
    assert lead["budget"]["min"] == 20000
    assert lead["name"] == "Zoë Ørsted"
    assert lead["company"] == "Ørsted & Co"


def test_tracker_endpoint_needs_the_token(bot, sender):
    bot.say(sender, "hi")
    url = f"{bot.rasa_url}/conversations/{sender}/tracker"
    assert requests.get(url, timeout=10).status_code == 401
    ok = requests.get(url, params={"token": bot.auth_token}, timeout=10)
    assert ok.status_code == 200 and ok.json()["sender_id"] == sender
    assert ok.json()["slots"]["consent_shown_at"], "consent notice recorded"


def test_greeting_goodbye_thanks_and_restart(bot, sender):
    bot.say(sender, "hey")
    assert "You're welcome" in texts(bot.say(sender, "thanks!"))
    replies = bot.say(sender, "let's start over")
    assert "start over" in texts(replies).lower()
    replies = bot.say(sender, "hello")
    assert asked(replies) == ["need"]
    # a goodbye with the questions open is answered once by asking to stay; the second closes
    assert "Before you go" in texts(bot.say(sender, "bye"))
    assert "Have a great day" in texts(bot.say(sender, "bye"))
