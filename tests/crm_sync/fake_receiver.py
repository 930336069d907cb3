"""A webhook receiver on 127.0.0.1 that behaves like a careful one, with faults on demand.

It verifies the HMAC signature, de-duplicates on `Idempotency-Key` (as docs/crm.md asks
receivers to), records every request it saw, and answers the next requests from a fault
queue: an HTTP status (with Retry-After for 429), a sleep past the client's timeout, a
connection reset, or a delay AFTER the event was accepted (to crash a worker between the
receiver's answer and its commit).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import socket
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Fault:
    kind: str  # "status" | "sleep" | "reset" | "accept_then_sleep"
    status: int = 500
    seconds: float = 0.0
    retry_after: str | None = None
    body: dict[str, Any] = field(default_factory=lambda: {"message": "injected failure"})


class FakeReceiver:
    def __init__(self, secret: str | None, latency: float = 0.0) -> None:
        """`secret` None: a receiver that does not check signatures (a Slack webhook)."""
        self.secret = secret
        self.latency = latency  # seconds every answer takes (a slow CRM)
        self.faults: deque[Fault] = deque()
        self.requests: list[dict[str, Any]] = []  # every request, in arrival order
        self.accepted: dict[str, dict[str, Any]] = {}  # event_id -> body, once each
        self.lock = threading.Lock()
        self.accepted_event = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver._handle(self, raw)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/leadbot"

    def __enter__(self) -> "FakeReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def inject(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def _handle(self, handler: BaseHTTPRequestHandler, raw: bytes) -> None:
        if self.latency:
            time.sleep(self.latency)
        with self.lock:
            fault = self.faults.popleft() if self.faults else None
            self.requests.append({"headers": dict(handler.headers), "body": raw, "fault": fault and fault.kind,
                                  "at": time.monotonic()})
        if fault and fault.kind == "reset":
            sock = handler.connection
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
            return
        if fault and fault.kind == "sleep":
            time.sleep(fault.seconds)
        if fault and fault.kind == "status":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return self._reply(handler, fault.status, fault.body, headers)
        expected = "sha256=" + hmac.new((self.secret or "").encode(), raw, hashlib.sha256).hexdigest()
        if self.secret is not None and not hmac.compare_digest(expected, handler.headers.get("X-Leadbot-Signature", "")):
            return self._reply(handler, 401, {"message": "bad signature"})
        body = json.loads(raw)
        with self.lock:
            key = handler.headers.get("Idempotency-Key") or f"request-{len(self.requests)}"
            self.accepted.setdefault(key, body)
        self.accepted_event.set()
        if fault and fault.kind == "accept_then_sleep":
            time.sleep(fault.seconds)
        self._reply(handler, 200, {"ok": True})

    @staticmethod
    def _reply(handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any],
               headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                handler.send_header(k, v)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout) or was killed: that is the point of the fault
