"""Sender ids bound to their channel, on the real Rasa server (issue 17 item 11).

REST may not speak as a messaging app's user (guessable chat ids and phone numbers) nor in a
conversation another channel opened; the widget's socket.io session ids are issued and
signed by the server, so a second socket with a guessed, unsigned or copied-but-unconfirmed
id joins nobody's conversation and receives none of its bot or rep messages."""
from __future__ import annotations

import queue
import re
import sqlite3
import time
from typing import Any

import pytest
import requests
import socketio

pytestmark = pytest.mark.rasa

FOREIGN_SHAPE = ("sender looks like a messaging app's id (a number, a phone number, whatsapp:..., "
                 "a Slack user id): use an id of your own, e.g. a UUID")
FOREIGN_CHANNEL = "sender names a conversation of another channel: use an id of your own, e.g. a UUID"
SIGNED = re.compile(r"[0-9a-f]{32}\.[0-9a-f]{64}")


def _events_of(bot, sender: str) -> int:
    with sqlite3.connect(bot.workdir / "tracker.db") as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def _rest(bot, sender: str, text: str = "hi") -> requests.Response:
    return requests.post(f"{bot.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                         timeout=60)


class Visitor:
    """A socket.io client as the widget is one: what it was confirmed and what it received."""

    def __init__(self, bot) -> None:
        self.confirmed: queue.Queue = queue.Queue()
        self.received: list[str] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("session_confirm", self.confirmed.put)
        self.client.on("bot_uttered", lambda data: self.received.append((data or {}).get("text", "")))
        self.client.connect(bot.rasa_url, socketio_path="/socket.io", transports=["websocket"], wait_timeout=10)

    def join(self, session_id: Any = None) -> str:
        self.client.emit("session_request", {"session_id": session_id})
        return self.confirmed.get(timeout=10)

    def say(self, session_id: str, text: str) -> None:
        self.client.emit("user_uttered", {"message": text, "session_id": session_id})

    def wait_for(self, fragment: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(fragment in text for text in self.received):
            assert time.monotonic() < deadline, f"{fragment!r} never arrived: {self.received}"
            time.sleep(0.05)

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
def visitors(bot):
    made: list[Visitor] = []
    yield lambda: made.append(Visitor(bot)) or made[-1]
    for visitor in made:
        visitor.close()


@pytest.mark.parametrize("sender", ["123456789", "-1001234567890", "+14155550132", "whatsapp:+14155550132",
                                    "U024BE7LH", "W012A3CDE4F"])
def test_rest_refuses_a_messaging_apps_id_with_a_400_and_stores_nothing(bot, sender) -> None:
    before = _events_of(bot, sender)  # the platform's own user may have written (another test)
    response = _rest(bot, sender)
    assert (response.status_code, response.json()) == (400, {"error": FOREIGN_SHAPE})
    assert _events_of(bot, sender) == before


def test_rest_cannot_read_or_flip_a_telegram_users_conversation(bot, platforms) -> None:
    from tests.channels.clients import TelegramUser

    user = TelegramUser(bot, platforms, 5550001)
    assert any("What would you like help with" in r.text for r in user.say("hello"))
    stored = _events_of(bot, user.user_id)
    response = _rest(bot, user.user_id, "what did the bot tell you?")
    assert (response.status_code, response.json()) == (400, {"error": FOREIGN_SHAPE})
    assert _events_of(bot, user.user_id) == stored
    tracker = requests.get(f"{bot.rasa_url}/conversations/{user.user_id}/tracker",
                           params={"token": bot.auth_token}, timeout=30).json()
    assert tracker["latest_input_channel"] == "telegram"
    assert user.say("We'd like a chatbot that qualifies the leads coming from our website"), \
        "the conversation still works through Telegram"


def test_rest_refuses_a_conversation_the_widget_opened(bot, visitors) -> None:
    widget = visitors()
    session = widget.join()
    widget.say(session, "hello")
    widget.wait_for("What would you like help with")
    stored = _events_of(bot, session)
    response = _rest(bot, session, "hi")
    assert (response.status_code, response.json()) == (400, {"error": FOREIGN_CHANNEL})
    assert _events_of(bot, session) == stored


def test_rest_keeps_its_own_conversations(bot, sender) -> None:
    first, second = _rest(bot, sender, "hello"), _rest(bot, sender, "we need a chatbot for our website")
    assert first.status_code == second.status_code == 200 and second.json()


def test_the_server_issues_signed_session_ids_and_refuses_any_other(bot, visitors) -> None:
    visitor = visitors()
    issued = visitor.join()  # the widget's first visit: no id of its own
    assert SIGNED.fullmatch(issued)
    assert visitor.join(issued) == issued, "its own id is taken back (a reload, a reconnection)"
    token, mac = issued.split(".")
    for forged in [token, f"{token}.{'0' * 64}", f"{'a' * 32}.{mac}", "0123456789abcdef0123456789abcdef"]:
        replaced = visitor.join(forged)
        assert replaced != forged and SIGNED.fullmatch(replaced) and _events_of(bot, forged) == 0


def test_a_second_socket_without_the_signed_id_gets_nothing_of_the_conversation(bot, visitors) -> None:
    owner, intruder = visitors(), visitors()
    session = owner.join()
    owner.say(session, "hello")
    owner.wait_for("What would you like help with")

    # Guessing: the random part alone or a wrong signature is answered with a session of its own.
    token = session.split(".")[0]
    intruders_own = intruder.join(token)
    assert intruders_own not in (session, token)
    # Speaking under the victim's id without being confirmed in it: dropped, not stored.
    stored = _events_of(bot, session)
    intruder.say(session, "my email is intruder@evil.example")
    intruder.say(token, "hi")

    owner.say(session, "We'd like a chatbot that qualifies the leads coming from our website")
    owner.wait_for("When would you like to have a solution in place?")
    # A rep's reply goes the way webchat/rep_api.py sends it: to the session's room.
    requests.post(f"{bot.rasa_url}/conversations/{session}/tracker/events",
                  params={"execute_side_effects": "true", "output_channel": "latest", "token": bot.auth_token},
                  json=[{"event": "bot", "text": "Hi, Dana from sales here."}], timeout=30).raise_for_status()
    owner.wait_for("Dana from sales")
    time.sleep(1)  # anything sent to the intruder would have arrived with the owner's copy

    assert intruder.received == []
    with sqlite3.connect(bot.workdir / "tracker.db") as db:
        texts = [row[0] for row in db.execute("SELECT data FROM events WHERE sender_id = ?", (session,))]
    assert not any("intruder@evil.example" in text for text in texts)
    assert _events_of(bot, token) == 0 and _events_of(bot, session) > stored


def test_a_socket_moving_to_another_session_leaves_the_first(bot, visitors) -> None:
    visitor = visitors()
    first = visitor.join()
    visitor.say(first, "hello")
    visitor.wait_for("What would you like help with")
    second = visitor.join()  # a new visit on the same socket (any id the server did not sign)
    assert first != second
    visitor.received.clear()
    requests.post(f"{bot.rasa_url}/conversations/{first}/tracker/events",
                  params={"execute_side_effects": "true", "output_channel": "latest", "token": bot.auth_token},
                  json=[{"event": "bot", "text": "for the first session"}], timeout=30).raise_for_status()
    stored = _events_of(bot, first)
    visitor.say(first, "hello again")  # no longer confirmed in the first: dropped
    visitor.say(second, "hello")
    visitor.wait_for("What would you like help with")
    time.sleep(1)
    assert "for the first session" not in visitor.received and _events_of(bot, first) == stored
