"""A fake CRM on 127.0.0.1: the HTTP plumbing, the auth check and fault injection that the
HubSpot, Pipedrive and Salesforce fakes share; each subclass implements its API's routes.

Faults are served from a queue, one per request: an HTTP status (429 with Retry-After), a
sleep past the client's timeout, a connection reset, or `apply_then_sleep`: the request
takes effect, then the answer comes late (a crash between the CRM's answer and our
commit, seen from our side).
"""
from __future__ import annotations

import itertools
import json
import socket
import struct
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.crm_sync.fake_receiver import Fault


class FakeCrm:
    """Subclasses set `auth_failure` and implement `authorised(headers)` and
    `route(method, path, query, body) -> (status, body)`; state changes under `self.lock`."""

    auth_failure: tuple[int, Any] = (401, {"message": "unauthorised"})

    def __init__(self) -> None:
        self.latency = 0.0  # seconds every answer takes (a slow CRM, for benchmarks)
        self.requests: list[tuple[str, str]] = []
        self.faults: deque[Fault] = deque()
        self.lock = threading.Lock()
        self._ids = itertools.count(1001)
        crm = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                crm._handle(self, raw)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _any  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):  # noqa: ANN204
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def inject(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def new_id(self) -> int:
        return next(self._ids)

    def stamp(self, at: float | None = None) -> int:
        """A modification time in epoch milliseconds, strictly later than the last one unless
        `at` (seconds) is given: a rep's change at a chosen moment."""
        if at is not None:
            return int(at * 1000)
        self._last_stamp = max(int(time.time() * 1000), getattr(self, "_last_stamp", 0) + 1)
        return self._last_stamp

    def authorised(self, headers: Any) -> bool:
        raise NotImplementedError

    def unauthenticated(self, method: str, path: str, raw: bytes) -> tuple[int, Any] | None:
        """The answer of a route that needs no token, or None (the request is checked and routed)."""
        return None

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[int, Any]:
        raise NotImplementedError

    def _handle(self, h: BaseHTTPRequestHandler, raw: bytes) -> None:
        if self.latency:
            time.sleep(self.latency)
        with self.lock:
            fault = self.faults.popleft() if self.faults else None
            self.requests.append((h.command, h.path))
        if fault and fault.kind == "reset":
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
            return
        if fault and fault.kind == "sleep":
            time.sleep(fault.seconds)
        if fault and fault.kind == "status":
            return reply(h, fault.status, {"message": fault.body.get("message", "injected"),
                                           "error": fault.body.get("message", "injected")},
                         {"Retry-After": fault.retry_after} if fault.retry_after else None)
        parts = urlsplit(h.path)
        with self.lock:
            open_answer = self.unauthenticated(h.command, parts.path, raw)
        if open_answer is not None:  # an endpoint without a bearer token (OAuth's token endpoint)
            return reply(h, *open_answer)
        if not self.authorised(h.headers):
            return reply(h, *self.auth_failure)
        body = json.loads(raw) if raw else None
        with self.lock:
            status, answer = self.route(h.command, parts.path, parse_qs(parts.query), body)
        if fault and fault.kind == "apply_then_sleep":
            time.sleep(fault.seconds)
        reply(h, status, answer)


def reply(h: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
    data = b"" if body is None else json.dumps(body).encode()
    try:
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):
        pass
