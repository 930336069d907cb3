"""A whole qualification on Telegram and on Slack, through Rasa's connectors (ours, pointed at
the platform stand-in), the trained model, the action server and the SQLite store: the
platforms' real webhook payloads in, the platforms' API calls out, buttons clicked as the
platform reports clicks, and the lead stored with its channel."""
from __future__ import annotations

import random

import pytest

from tests.channels.clients import PlatformUser, Reply, SlackUser, TelegramUser
from tests.e2e.test_conversations import ASKS, stored

pytestmark = pytest.mark.rasa


def asked(replies: list[Reply]) -> list[str]:
    joined = "\n".join(r.text for r in replies)
    return [slot for slot, fragment in ASKS.items() if fragment in joined]


def choices(replies: list[Reply]) -> list[str]:
    return [title for r in replies for title, _ in r.choices]


def qualify(user: PlatformUser, email: str) -> list[Reply]:
    replies = user.say("hi there")
    assert "recorded" in "\n".join(r.text for r in replies), "the consent notice comes first"
    assert asked(replies) == ["need"]
    replies = user.say("We need a chatbot to capture and qualify leads on our website")
    assert asked(replies) == ["timeline"]
    assert choices(replies)[:2] == ["Right away", "Within 3 months"], "timeline bands as buttons"
    replies = user.click("Within 3 months")
    assert asked(replies) == ["authority"]
    replies = user.click("I decide")
    assert asked(replies) == ["budget"]
    assert "Skip" in choices(replies)
    assert asked(user.say("around $15k")) == ["name"]
    assert asked(user.say("Sam Ortiz")) == ["company"]
    assert asked(user.say("Brightwell Dental")) == ["email"]
    replies = user.say(email)
    assert asked(replies) == []
    return replies


def test_telegram_full_qualification(bot, platforms):
    chat_id = random.randint(10**8, 10**9)
    qualify(TelegramUser(bot, platforms, chat_id), "sam.ortiz@tg-brightwell.example")
    lead = stored(bot, "sam.ortiz@tg-brightwell.example")
    assert lead["channel"] == "telegram"
    assert lead["conversation_id"] == str(chat_id)
    assert lead["authority"]["level"] == "decision_maker"
    assert lead["budget"]["min"] == 15000
    assert lead["timeline"]["status"] == "stated"
    assert platforms.sent("telegram", "answerCallbackQuery"), "button clicks are acknowledged"


def test_slack_full_qualification(bot, platforms):
    user_id = f"U{random.randint(10**8, 10**9)}"
    qualify(SlackUser(bot, platforms, user_id), "sam.ortiz@slack-brightwell.example")
    lead = stored(bot, "sam.ortiz@slack-brightwell.example")
    assert lead["channel"] == "slack"
    assert lead["conversation_id"] == user_id
    assert lead["authority"]["level"] == "decision_maker"
    assert lead["budget"]["min"] == 15000
