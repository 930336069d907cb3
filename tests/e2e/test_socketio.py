"""The socket.io channel (what the web widget uses): a persistent session gets its replies.

Guards the python-socketio pin in requirements/rasa.lock: with 5.10 or newer and
`session_persistence: true`, Rasa 3.6 never delivers bot replies (RasaHQ/rasa#13027).
"""
from __future__ import annotations

import queue

import pytest
import socketio

pytestmark = pytest.mark.rasa


def test_socketio_session_gets_the_greeting_and_the_first_question(bot):
    replies: queue.Queue = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", lambda data: replies.put(data))
    session_confirmed: queue.Queue = queue.Queue()
    client.on("session_confirm", lambda data: session_confirmed.put(data))
    client.connect(bot.rasa_url, socketio_path="/socket.io", transports=["websocket"], wait_timeout=10)
    try:
        client.emit("session_request", {})  # the server issues the (signed) session id
        session_id = session_confirmed.get(timeout=10)
        client.emit("user_uttered", {"message": "hello", "session_id": session_id})
        texts = []
        while not any("What would you like help with" in t for t in texts):
            texts.append(replies.get(timeout=30).get("text", ""))
        assert any("recorded" in t for t in texts), "the consent notice reaches the widget too"
    finally:
        client.disconnect()
