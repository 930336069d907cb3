"""Facebook Messenger and WhatsApp (Twilio) turns with their rendering, Telegram/Slack button
rendering, and each connector refusing a request the platform did not sign."""
from __future__ import annotations

import json
import random
import time

import pytest
import requests

from tests.channels import config
from tests.channels.clients import FacebookUser, SlackUser, TelegramUser, WhatsAppUser
from tests.channels.test_qualification import asked, choices
from tests.e2e.test_conversations import stored_by_conversation

pytestmark = pytest.mark.rasa

NEED = "We'd like a chatbot that books appointments for our clinics"


def test_telegram_renders_long_choice_lists_one_per_row(bot, platforms):
    user = TelegramUser(bot, platforms, random.randint(10**8, 10**9))
    user.say("hello")
    user.say(NEED)
    body = platforms.sent("telegram", "sendMessage", lambda b: b.get("reply_markup") and b["chat_id"] == user.user_id)
    rows = body[-1]["reply_markup"]["inline_keyboard"]
    assert len(rows) == 6 and all(len(row) == 1 for row in rows), "six timeline choices, one per row"
    assert rows[0][0] == {"text": "Right away", "callback_data": "right away"}


def test_telegram_start_command_opens_the_conversation(bot, platforms):
    user = TelegramUser(bot, platforms, random.randint(10**8, 10**9))
    replies = user.say("/start")  # what the app sends when the visitor taps Start
    assert "start over" not in " ".join(r.text for r in replies).lower()
    assert asked(replies) == ["need"] and "recorded" in " ".join(r.text for r in replies)
    other = TelegramUser(bot, platforms, random.randint(10**8, 10**9))
    assert asked(other.say("/start website-pricing-page")) == ["need"], "a deep link's /start too"


def test_slack_renders_block_kit_buttons_with_every_choice(bot, platforms):
    user = SlackUser(bot, platforms, f"U{random.randint(10**8, 10**9)}")
    user.say("hello")
    replies = user.say(NEED)
    assert choices(replies) == ["Right away", "Within 3 months", "3-6 months", "Later than that",
                                "Just researching", "Skip"], "all six, past Rasa's own limit of five"
    body = platforms.sent("slack", "chat.postMessage", lambda b: b.get("blocks") and b["channel"] == user.dm_channel)
    assert body[-1]["blocks"][0]["type"] == "section" and body[-1]["blocks"][1]["type"] == "actions"


def test_messenger_turns_with_quick_replies_and_postback_buttons(bot, platforms):
    user = FacebookUser(bot, platforms, str(random.randint(10**14, 10**15)))
    replies = user.say("hi")
    assert asked(replies) == ["need"]
    replies = user.say(NEED)
    assert asked(replies) == ["timeline"]
    assert getattr(replies[-1], "quick", False), "six choices: Messenger quick replies (a template holds three)"
    assert choices(replies)[0] == "Right away"
    replies = user.click("Within 3 months")  # a quick_reply payload
    assert asked(replies) == ["authority"]
    replies = user.click("I decide")
    assert asked(replies) == ["budget"]
    template = [r for r in replies if r.choices and not getattr(r, "quick", False)]
    assert template and choices(template) == ["No budget yet", "Not sure", "Skip"], "three: a button template"
    replies = user.click("Not sure")  # a postback
    assert asked(replies) == ["name"]
    assert asked(user.say("Sam Ortiz")) == ["company"]
    assert asked(user.say("Brightwell Dental")) == ["email"]
    assert asked(user.say("sam@fb-brightwell.example")) == []
    actions = [b.get("sender_action") for b in platforms.sent("facebook", "me/messages",
                                                               lambda b: b["recipient"]["id"] == user.user_id)]
    assert "typing_on" in actions and "mark_seen" in actions
    lead = stored_by_conversation(bot, user.user_id)
    assert lead["channel"] == "facebook"
    assert lead["timeline"]["status"] == "stated"
    assert lead["authority"]["level"] == "decision_maker"


def test_whatsapp_numbered_choices_map_back_to_payloads(bot, platforms):
    user = WhatsAppUser(bot, platforms, f"+1555{random.randint(10**6, 10**7)}")
    assert asked(user.say("hello")) == ["need"]
    replies = user.say(NEED)
    assert asked(replies) == ["timeline"]
    question = replies[-1].text
    assert "1. Right away\n2. Within 3 months" in question and "Reply with a number" in question, question
    assert asked(user.say("2.")) == ["authority"]
    assert asked(user.say("option 1")) == ["budget"]
    replies = user.say("2")  # "Not sure" for the budget
    assert asked(replies) == ["name"]
    # No choices offered with the name question: a number is plain text again.
    assert not replies[-1].choices
    assert asked(user.say("Dana Kim")) == ["company"]
    assert asked(user.say("Kim Clinics")) == ["email"]
    assert asked(user.say("dana@wa-kimclinics.example")) == []
    lead = stored_by_conversation(bot, user.user_id)
    assert lead["channel"] == "whatsapp"
    assert lead["authority"]["level"] == "decision_maker"
    assert lead["timeline"]["status"] == "stated" and lead["timeline"]["months"] <= 3
    assert lead["budget"]["status"] != "stated"


def _no_reply(platforms, platform: str, method: str, where, before: int) -> None:
    time.sleep(1.5)
    assert len(platforms.sent(platform, method, where)) == before, "a refused request got an answer"


def test_forged_requests_are_refused(bot, platforms):
    tg = TelegramUser(bot, platforms, random.randint(10**8, 10**9))
    mine = lambda b: str(b.get("chat_id")) == tg.user_id  # noqa: E731
    assert tg.post(tg.text_update("hi"), secret=None).status_code == 403
    assert tg.post(tg.text_update("hi"), secret="guessed").status_code == 403
    _no_reply(platforms, "telegram", "sendMessage", mine, 0)

    slack = SlackUser(bot, platforms, f"U{random.randint(10**8, 10**9)}")
    assert slack.post(slack.event("hi"), "application/json", secret="wrong").status_code == 400
    stale = int(time.time()) - 3600  # a replayed request, correctly signed an hour ago
    assert slack.post(slack.event("hi"), "application/json", timestamp=stale).status_code == 400
    _no_reply(platforms, "slack", "chat.postMessage", lambda b: b.get("channel") == slack.dm_channel, 0)

    fb = FacebookUser(bot, platforms, str(random.randint(10**14, 10**15)))
    r = fb.post(fb.entry({"message": {"mid": "m_x", "text": "hi"}}), secret="wrong")
    assert r.status_code == 403
    _no_reply(platforms, "facebook", "me/messages", lambda b: b["recipient"]["id"] == fb.user_id, 0)

    wa = WhatsAppUser(bot, platforms, f"+1555{random.randint(10**6, 10**7)}")
    assert wa.post(wa.form("hi"), token="wrong").status_code == 403
    forged = wa.form("hi")
    r = requests.post(config.twilio_webhook_url(bot.rasa_url), data=forged, timeout=10)
    assert r.status_code == 403
    _no_reply(platforms, "twilio", "Messages.json", lambda b: b.get("To") == wa.user_id, 0)


def test_messenger_webhook_verification_handshake(bot):
    url = f"{bot.rasa_url}/webhooks/facebook/webhook"
    ok = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": config.FACEBOOK_VERIFY,
                                   "hub.challenge": "1158201444"}, timeout=10)
    assert ok.status_code == 200 and ok.text == "1158201444"
    bad = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
                       timeout=10)
    assert bad.status_code == 403


def test_telegram_webhook_registered_with_secret_at_start(bot, platforms):
    calls = platforms.sent("telegram", "setWebhook")
    assert calls and calls[0]["url"] == f"{bot.rasa_url}/webhooks/telegram/webhook"
    assert calls[0]["secret_token"] == config.TELEGRAM_SECRET


def test_slack_url_verification_challenge(bot, platforms):
    slack = SlackUser(bot, platforms, "U0CHALLENGE")
    body = json.dumps({"token": "t", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                       "type": "url_verification"}).encode()
    r = slack.post(body, "application/json")
    assert r.status_code == 200 and "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in r.text
