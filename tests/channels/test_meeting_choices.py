"""A meeting booked on WhatsApp (Twilio), a channel without buttons: the offered times arrive
as numbered lines and the number typed back books that time, through the connector, the
trained model and the action server."""
from __future__ import annotations

import random
import re

import pytest

from tests.channels.clients import WhatsAppUser
from tests.e2e.test_conversations import stored_by_conversation
from tests.e2e.test_meetings import _rep

pytestmark = pytest.mark.rasa


def test_whatsapp_books_a_meeting_by_number(bot, platforms) -> None:  # noqa: ANN001
    _rep(bot)  # Mia Tanaka owns leads from Japan
    user = WhatsAppUser(bot, platforms, f"+8190{random.randint(10**7, 10**8)}")
    for text in ("hello", "We'd like a chatbot that qualifies leads on our website", "within 2 months",
                 "I decide, I'm the CEO", "about 40k USD a year", "Aiko Mori", "Mori KK"):
        user.say(text)
    question = "\n".join(r.text for r in user.say(f"aiko{random.randint(1000, 9999)}@mori.co.jp"))
    assert "book a call with Mia Tanaka" in question and "time zone" in question  # WhatsApp sends none
    offer = user.say("Osaka")  # a city with no zone of its own name: asked again
    assert "didn't recognise" in offer[-1].text
    offer = user.say("Tokyo")
    lines = re.findall(r"^(\d)\. (.+)$", offer[-1].text, re.MULTILINE)
    assert [n for n, _ in lines] == ["1", "2", "3"] and "(Asia/Tokyo)" in offer[-1].text, offer[-1].text
    booked = user.say("3")
    assert f"Booked: {lines[2][1]} (Asia/Tokyo) with Mia Tanaka." in booked[-1].text, booked
    lead = stored_by_conversation(bot, user.user_id)
    assert lead["channel"] == "whatsapp" and lead["deal"]["stage"] == "meeting"
