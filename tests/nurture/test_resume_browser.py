"""The link back into the chat, followed in a real headless Chromium: the tracked link leads to
the resume page, whose widget joins the visitor's own conversation (the session id it asks
for is the lead's conversation) and sends what the visitor types there. A socket.io server on
127.0.0.1 stands in for Rasa's channel and records what the widget sends.

Screenshot: artifacts/web/nurture-resume.png.
"""
from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import socketio
import uvicorn

from tests.nurture.conftest import nurture_lead, send_round
from tests.webchat.servers import CHROMIUM
from tests.ports import free_port

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--no-first-run", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "web"

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="system Chromium not installed (scripts/test-deps.sh)")


class RasaChannelStandIn:
    """Rasa's socket.io channel, as far as the widget can tell: confirms the session asked for
    (an id Rasa signed is taken back as is) and answers each message."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncServer(async_mode="asgi", cors_allowed_origins="*")
        self.sessions: list[object] = []
        self.messages: list[dict] = []
        self.port = free_port()

        @self.sio.on("session_request")
        async def session_request(sid, data):  # noqa: ANN001, ANN202
            asked = (data or {}).get("session_id")
            self.sessions.append(asked)
            await self.sio.emit("session_confirm", asked or "fresh.id", to=sid)

        @self.sio.on("user_uttered")
        async def user_uttered(sid, data):  # noqa: ANN001, ANN202
            self.messages.append(data)
            await self.sio.emit("bot_uttered", {"text": "Welcome back! Noted."}, to=sid)

        config = uvicorn.Config(socketio.ASGIApp(self.sio), host="127.0.0.1", port=self.port, log_level="warning",
                                ws="websockets")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "RasaChannelStandIn":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "the socket.io stand-in did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def rasa(monkeypatch: pytest.MonkeyPatch) -> Iterator[RasaChannelStandIn]:
    with RasaChannelStandIn() as stand_in:
        monkeypatch.setenv("LEADBOT_WIDGET_SOCKET_URL", stand_in.url)
        yield stand_in


def test_the_chat_link_reopens_the_visitors_own_conversation(web, sessions, smtp, hand, rasa) -> None:
    from playwright.sync_api import sync_playwright

    nurture_lead(sessions, "9f3c.b7e1", "back@example.com")  # a widget conversation's signed id
    send_round(sessions, hand)
    hand.advance(hours=1)
    send_round(sessions, hand)
    text = smtp.messages[0].get_content()
    chat_link = re.search(r"Back to the chat: (\S+)", text).group(1)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_context(viewport={"width": 1024, "height": 760}).new_page()
            page.set_default_timeout(15_000)
            page.goto(chat_link)
            assert "/nurture/chat/" in page.url and "Welcome back, Zoë." in page.content()
            field = page.get_by_label(re.compile("message", re.I))
            field.fill("We have a budget of 50k now and need it next month")
            field.press("Enter")
            page.get_by_text("Welcome back! Noted.").wait_for()
            page.screenshot(path=str(ARTIFACTS / "nurture-resume.png"), full_page=True)
        finally:
            browser.close()
    assert rasa.sessions and set(rasa.sessions) == {"9f3c.b7e1"}, "the widget asked for the lead's own conversation"
    assert [m["message"] for m in rasa.messages] == ["We have a budget of 50k now and need it next month"]
    assert rasa.messages[0]["session_id"] == "9f3c.b7e1"
