"""The socket.io channel as web pages use it, on the real Rasa server: which pages may open it
(LEADBOT_ALLOWED_ORIGINS, on long-polling and WebSocket alike) and the page data a message
carries as `metadata` (our widget) or `customData` (rasa-webchat)."""
from __future__ import annotations

import json
import queue
import sqlite3
import time

import pytest
import requests
import socketio
import websocket

pytestmark = pytest.mark.rasa

ELSEWHERE = "http://127.0.0.1:9"  # a page of a site nobody listed


def _poll(bot, origin: str | None, host: str | None = None) -> requests.Response:
    """The first request of a client that starts with long-polling (rasa-webchat, socket.io's default)."""
    headers = {"Origin": origin} if origin else {}
    if host:
        headers["Host"] = host
    return requests.get(f"{bot.rasa_url}/socket.io/", params={"EIO": "4", "transport": "polling"},
                        headers=headers, timeout=10)


def _websocket(bot, origin: str) -> websocket.WebSocket:
    url = bot.rasa_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    return websocket.create_connection(url, origin=origin, timeout=10)


def test_a_listed_sites_page_may_poll_and_gets_cors_headers(bot, site) -> None:
    response = _poll(bot, site.origin)
    assert response.status_code == 200 and response.text.startswith("0{")  # engine.io's open packet
    assert response.headers["Access-Control-Allow-Origin"] == site.origin


def test_the_dashboards_own_page_may_poll(bot) -> None:
    dashboard = f"http://127.0.0.1:{bot.dashboard_port}"
    assert _poll(bot, dashboard).headers["Access-Control-Allow-Origin"] == dashboard


@pytest.mark.parametrize("page", [ELSEWHERE, "null", "https://www.example.com"])
def test_another_sites_page_may_not_poll(bot, page: str) -> None:
    response = _poll(bot, page)
    assert response.status_code == 400 and "not an accepted origin" in response.text
    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_page_of_the_sockets_own_origin_may_poll(bot) -> None:
    """Rasa's own origin, or a site whose reverse proxy serves /socket.io/ and passes its Host on."""
    assert _poll(bot, bot.rasa_url).status_code == 200
    proxied = _poll(bot, "https://www.example.com", host="www.example.com")
    assert proxied.status_code == 200
    assert proxied.headers["Access-Control-Allow-Origin"] == "https://www.example.com"


def test_the_websocket_upgrade_is_checked_alike(bot, site) -> None:
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        _websocket(bot, ELSEWHERE)
    assert refused.value.status_code == 400
    allowed = _websocket(bot, site.origin)
    try:
        assert allowed.recv().startswith("0{")
    finally:
        allowed.close()


def test_a_client_that_is_not_a_browser_is_not_affected(bot) -> None:
    assert _poll(bot, None).status_code == 200  # requests: no Origin
    client = socketio.Client(reconnection=False)  # websocket-client: the server's own origin
    client.connect(bot.rasa_url, socketio_path="/socket.io", transports=["websocket"], wait_timeout=10)
    client.disconnect()


def _user_metadata(bot, sender: str, text: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(bot.workdir / "tracker.db") as db:
            rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'", (sender,)).fetchall()
        for (data,) in rows:
            event = json.loads(data)
            if event.get("text") == text:
                return event.get("metadata") or {}
        time.sleep(0.2)
    raise AssertionError(f"{text!r} was never stored for {sender}")


@pytest.mark.parametrize(("sent", "kept"), [
    # rasa-webchat: the site's init script puts the page data in customData
    ({"customData": {"page_url": "https://shop.example/?utm_source=ads", "utm_source": "ads", "language": "de-DE"}},
     {"page_url": "https://shop.example/?utm_source=ads", "utm_source": "ads", "language": "de-DE"}),
    # both: our widget's metadata wins a key both name
    ({"customData": {"utm_source": "ads", "time_zone": "Europe/Berlin"}, "metadata": {"utm_source": "newsletter"}},
     {"utm_source": "newsletter", "time_zone": "Europe/Berlin"}),
    # JSON text, as Rasa's own channel takes it
    ({"customData": json.dumps({"utm_campaign": "spring"})}, {"utm_campaign": "spring"}),
    # not an object, or nested past the REST channel's limit: dropped, the message kept
    ({"customData": ["ads"], "metadata": {"utm_medium": "email"}}, {"utm_medium": "email"}),
    ({"customData": {"deep": [[[[[[[[["too deep"]]]]]]]]]}}, {}),
], ids=["customData", "both", "json text", "not an object", "too deep"])
def test_page_data_is_read_from_customdata_and_metadata(bot, sent: dict, kept: dict) -> None:
    confirmed: queue.Queue = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("session_confirm", confirmed.put)
    client.connect(bot.rasa_url, socketio_path="/socket.io", transports=["websocket"], wait_timeout=10)
    try:
        client.emit("session_request", {"session_id": None})
        session_id = confirmed.get(timeout=10)
        text = f"hello from a page {time.monotonic_ns()}"
        client.emit("user_uttered", {"message": text, "session_id": session_id, **sent})
        metadata = _user_metadata(bot, session_id, text)
    finally:
        client.disconnect()
    page_keys = {key: value for key, value in metadata.items() if key in kept or key in ("customData", "deep")}
    assert page_keys == kept
