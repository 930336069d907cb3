"""Malformed requests and sender ids on the real Rasa server (REST and socket.io channels):
a clear 400 (or a server-issued id) and nothing stored; a 1 MB sender id once grew
tracker.db by 130 MB, an empty body or deep JSON gave 500."""
from __future__ import annotations

import queue
import re
import time
import sqlite3

import pytest
import requests
import socketio

pytestmark = pytest.mark.rasa

ALLOWED = "sender may hold only ASCII letters, digits and _ . : @ + = -"


def _stored_senders(bot) -> set[str]:
    with sqlite3.connect(bot.workdir / "tracker.db") as db:
        return {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}


def _post(bot, **kwargs) -> requests.Response:
    return requests.post(f"{bot.rasa_url}/webhooks/rest/webhook", timeout=30, **kwargs)


@pytest.mark.parametrize(("body", "error"), [
    ({"sender": "x" * 1_000_000, "message": "hi"}, "sender must be at most 128 characters"),
    ({"sender": "y" * 129, "message": "hi"}, "sender must be at most 128 characters"),
    ({"sender": "visitor one", "message": "hi"}, ALLOWED),
    ({"sender": "visitor\n1", "message": "hi"}, ALLOWED),
    ({"sender": "visitör-1", "message": "hi"}, ALLOWED),
    ({"sender": "", "message": "hi"}, ALLOWED),
    ({"message": "hi"}, "sender must be a string"),  # Rasa filed these all under "default"
    ({"sender": 12345, "message": "hi"}, "sender must be a string"),
    ({"sender": "limits-no-text"}, "message must be a string"),
    ({"sender": "limits-list-text", "message": ["hi"]}, "message must be a string"),
    ({"sender": "limits-deep-meta", "message": "hi", "metadata": {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {}}}}}}}}}},
     "metadata must be a JSON object at most 8 levels deep"),
    ({"sender": "limits-list-meta", "message": "hi", "metadata": ["utm"]},
     "metadata must be a JSON object at most 8 levels deep"),
    (["hi"], "the request body must be a JSON object"),
])
def test_rest_refuses_a_malformed_message_with_a_400_and_stores_nothing(bot, body, error) -> None:
    before = _stored_senders(bot)
    response = _post(bot, json=body)
    assert (response.status_code, response.json()) == (400, {"error": error})
    assert _stored_senders(bot) == before


@pytest.mark.parametrize(("data", "error"), [
    (b"", 'the request body is empty: send {"sender": "...", "message": "..."}'),
    (b"   ", 'the request body is empty: send {"sender": "...", "message": "..."}'),
    (b"{not json", "the request body is not valid JSON"),
    (b"[" * 200_000 + b"]" * 200_000, "the request body is not valid JSON"),
    (b'{"sender": "limits-deep", "message": "hi", "metadata": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
     "the request body is not valid JSON"),
])
def test_rest_refuses_empty_and_unparsable_bodies_with_a_400(bot, data, error) -> None:
    before = _stored_senders(bot)
    response = _post(bot, data=data, headers={"Content-Type": "application/json"})
    assert (response.status_code, response.json()) == (400, {"error": error})
    assert _stored_senders(bot) == before


def test_a_well_formed_message_still_gets_its_answer(bot, sender) -> None:
    namespaced = f"rest:{sender}@site.example+a=b"
    response = _post(bot, json={"sender": namespaced, "message": "hello", "metadata": {"utm_source": "ads"}})
    assert response.status_code == 200 and any("recorded" in m.get("text", "") for m in response.json())
    assert namespaced in _stored_senders(bot)
    assert requests.get(f"{bot.rasa_url}/webhooks/rest/", timeout=10).json() == {"status": "ok"}


def test_socketio_issues_its_own_id_for_a_bad_one_and_drops_messages_under_it(bot) -> None:
    replies: queue.Queue = queue.Queue()
    confirmed: queue.Queue = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", lambda data: replies.put(data))
    client.on("session_confirm", lambda data: confirmed.put(data))
    client.connect(bot.rasa_url, socketio_path="/socket.io", transports=["websocket"], wait_timeout=10)
    bad = "z" * 10_000
    try:
        before = _stored_senders(bot)
        client.emit("session_request", {"session_id": bad})
        issued = confirmed.get(timeout=10)
        assert issued != bad and re.fullmatch(r"[0-9a-f]{32}\.[0-9a-f]{64}", issued)  # a fresh signed id
        client.emit("user_uttered", {"message": "hello", "session_id": bad})
        client.emit("user_uttered", {"message": "hello", "session_id": "a visitor with spaces"})
        client.emit("user_uttered", {"message": "hello", "session_id": issued})
        texts = []
        while not any("What would you like help with" in t for t in texts):
            texts.append(replies.get(timeout=30).get("text", ""))
        assert _stored_senders(bot) - before == {issued}, "only the issued id has a conversation"
    finally:
        client.disconnect()


def test_messaging_apps_drop_a_message_whose_sender_id_fails_the_rules(bot, platforms) -> None:
    """Their webhooks answer the platform, not a person: the message is dropped, never stored,
    never answered, whatever the platform (or someone with its secret) sends."""
    from tests.channels.clients import FacebookUser, TelegramUser, WhatsAppUser

    before = _stored_senders(bot)
    tg = TelegramUser(bot, platforms, 10**200)
    assert tg.post(tg.text_update("hi")).status_code == 200
    fb = FacebookUser(bot, platforms, "7" * 129)
    assert fb.post(fb.entry({"message": {"mid": "m_long", "text": "hi"}})).status_code == 200
    wa = WhatsAppUser(bot, platforms, "+1" + "5" * 200)
    assert wa.post(wa.form("hi")).status_code == 204  # what Twilio always gets
    time.sleep(2)  # an answer, if any, would have come
    assert platforms.sent("telegram", "sendMessage", lambda b: str(b.get("chat_id")) == tg.user_id) == []
    assert platforms.sent("facebook", "me/messages", lambda b: (b.get("recipient") or {}).get("id") == fb.user_id) == []
    assert platforms.sent("twilio", "Messages.json", lambda b: b.get("To") == wa.user_id) == []
    assert _stored_senders(bot) == before

    ok = TelegramUser(bot, platforms, -1001234567890)  # a group chat id: negative, still fine
    assert ok.say("hello")
