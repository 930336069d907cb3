"""A local stand-in for the Telegram Bot API, Slack Web API, Facebook Graph API and Twilio
Messages API on 127.0.0.1: it records every call the bot makes and answers with the shape the
real API returns (only what the client libraries parse). The connectors reach it through their
`api_base_url`; nothing leaves the machine.

Base URLs: Telegram {url}/telegram, Slack {url}/slack/api/, Facebook {url}/graph,
Twilio {url}/twilio.
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs

TELEGRAM_BOT_USERNAME = "leadbot_test_bot"


@dataclass
class Call:
    """One request the bot made to a platform."""

    platform: str
    method: str  # the API method: sendMessage, chat.postMessage, me/messages, Messages.json
    body: dict[str, Any]


class PlatformStandIn:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> "PlatformStandIn":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def sent(self, platform: str, method: str, where: Callable[[dict], bool] = lambda b: True) -> list[dict]:
        with self._lock:
            return [c.body for c in self.calls if c.platform == platform and c.method == method and where(c.body)]

    def wait_for(self, platform: str, method: str, where: Callable[[dict], bool], after: int, count: int = 1,
                 timeout: float = 30, settle: float = 0.6) -> list[dict]:
        """Messages sent since the first `after` matching ones; waits until `count` arrived and no
        more came for `settle` seconds (the bot answers a turn in several calls)."""
        deadline = time.monotonic() + timeout
        seen, last_change = -1, time.monotonic()
        while time.monotonic() < deadline:
            new = self.sent(platform, method, where)[after:]
            if len(new) != seen:
                seen, last_change = len(new), time.monotonic()
            elif len(new) >= count and time.monotonic() - last_change >= settle:
                return new
            time.sleep(0.1)
        raise TimeoutError(f"{platform} {method}: {seen} new messages after {timeout} s (wanted {count})")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self.do_POST()

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = _parse(raw, self.headers.get("Content-Type", ""))
                platform, method, answer = _route(self.path, body)
                stand_in.record(Call(platform, method, body))
                data = json.dumps(answer).encode()
                self.send_response(201 if platform == "twilio" else 200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _parse(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        return json.loads(raw)
    if "form" in content_type:
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        for key in ("reply_markup", "blocks"):  # aiogram / slack_sdk send these JSON-encoded in forms
            if isinstance(form.get(key), str):
                form[key] = json.loads(form[key])
        return form
    return {"raw": raw.decode(errors="replace")}


def _route(path: str, body: dict[str, Any]) -> tuple[str, str, Any]:
    path = path.split("?")[0]
    if m := re.match(r"/telegram/bot[^/]+/(\w+)", path):
        method = m.group(1)
        if method == "getMe":
            return "telegram", method, {"ok": True, "result": {
                "id": 4242, "is_bot": True, "first_name": "Leadbot", "username": TELEGRAM_BOT_USERNAME}}
        if method == "sendMessage":
            return "telegram", method, {"ok": True, "result": {
                "message_id": int(time.time() * 1000) % 10**9, "date": int(time.time()),
                "chat": {"id": int(body.get("chat_id", 0)), "type": "private"}, "text": body.get("text", "")}}
        return "telegram", method, {"ok": True, "result": True}
    if m := re.match(r"/slack/api/([\w.]+)", path):
        return "slack", m.group(1), {"ok": True, "channel": body.get("channel"), "ts": f"{time.time():.6f}"}
    if m := re.match(r"/graph/v[\d.]+/(.+)", path):
        return "facebook", m.group(1), {"recipient_id": body.get("recipient", {}).get("id"), "message_id": "m_1"}
    if m := re.match(r"/twilio/2010-04-01/Accounts/(\w+)/Messages.json", path):
        return "twilio", "Messages.json", {
            "sid": f"SM{int(time.time() * 1e6)}", "account_sid": m.group(1), "to": body.get("To"),
            "from": body.get("From"), "body": body.get("Body"), "status": "queued", "num_segments": "1",
            "direction": "outbound-api", "api_version": "2010-04-01", "price": None, "error_code": None,
            "date_created": None, "date_updated": None, "date_sent": None, "uri": path}
    return "unknown", path, {"ok": False}
