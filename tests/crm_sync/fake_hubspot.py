"""The subset of HubSpot's CRM v3 API that crm_sync/hubspot.py calls, on 127.0.0.1.

Objects live in memory per type (contacts, deals, notes) with HubSpot's shapes: ids as
strings, `{"properties": ...}` bodies, search with filterGroups (EQ and CONTAINS_TOKEN),
associations kept per object, 401 without the token, 404 for unknown ids, 409 for a
second contact with one e-mail, error bodies with `message`. Faults are served from a
queue: an HTTP status (429 with Retry-After), a sleep past the client's timeout, a
connection reset, or `apply_then_sleep`: the request takes effect, then the answer comes
too late (a crash between HubSpot's answer and our commit, seen from our side).
"""
from __future__ import annotations

import itertools
import json
import re
import socket
import struct
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.crm_sync.fake_receiver import Fault

_OBJECT = re.compile(r"^/crm/v3/objects/(contacts|deals|notes)(?:/(search|\d+))?$")


class FakeHubSpot:
    def __init__(self, token: str) -> None:
        self.token = token
        self.objects: dict[str, dict[str, dict[str, Any]]] = {"contacts": {}, "deals": {}, "notes": {}}
        self.associations: dict[str, list[dict[str, Any]]] = {}
        self.requests: list[tuple[str, str]] = []
        self.faults: deque[Fault] = deque()
        self.lock = threading.Lock()
        self._ids = itertools.count(1001)
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _any(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hub._handle(self, raw)

            do_GET = do_POST = do_PATCH = do_DELETE = _any  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "FakeHubSpot":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def inject(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def _handle(self, h: BaseHTTPRequestHandler, raw: bytes) -> None:
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
            return _reply(h, fault.status, {"status": "error", "message": fault.body.get("message", "injected")},
                          {"Retry-After": fault.retry_after} if fault.retry_after else None)
        if h.headers.get("Authorization") != f"Bearer {self.token}":
            return _reply(h, 401, {"status": "error", "category": "INVALID_AUTHENTICATION",
                                   "message": "Authentication credentials not found."})
        match = _OBJECT.match(h.path)
        if not match:
            return _reply(h, 404, {"status": "error", "message": f"no route {h.path}"})
        kind, tail = match.groups()
        body = json.loads(raw) if raw else {}
        with self.lock:
            status, answer = self._apply(h.command, kind, tail, body)
        if fault and fault.kind == "apply_then_sleep":
            time.sleep(fault.seconds)
        _reply(h, status, answer)

    def _apply(self, method: str, kind: str, tail: str | None, body: dict[str, Any]) -> tuple[int, Any]:
        store = self.objects[kind]
        if method == "POST" and tail == "search":
            results = [{"id": i, "properties": p} for i, p in store.items() if _matches(p, body)]
            return 200, {"total": len(results), "results": results[: body.get("limit", 10)]}
        if method == "POST" and tail is None:
            props = body.get("properties") or {}
            if kind == "contacts":
                if not props.get("email"):
                    return 400, {"status": "error", "category": "VALIDATION_ERROR", "message": "Property email is required"}
                if any(p.get("email") == props["email"] for p in store.values()):
                    return 409, {"status": "error", "category": "CONFLICT", "message": "Contact already exists."}
            new_id = str(next(self._ids))
            store[new_id] = dict(props)
            self.associations[new_id] = list(body.get("associations") or [])
            return 201, {"id": new_id, "properties": store[new_id]}
        if tail is None or tail not in store:
            return 404, {"status": "error", "category": "OBJECT_NOT_FOUND", "message": "resource not found"}
        if method == "PATCH":
            store[tail].update(body.get("properties") or {})
            return 200, {"id": tail, "properties": store[tail]}
        if method == "DELETE":
            del store[tail]
            return 204, None
        return 200, {"id": tail, "properties": store[tail]}


def _matches(props: dict[str, Any], body: dict[str, Any]) -> bool:
    for group in body.get("filterGroups") or []:
        ok = True
        for f in group.get("filters") or []:
            value = str(props.get(f["propertyName"], ""))
            if f["operator"] == "EQ":
                ok &= value.lower() == str(f["value"]).lower()
            elif f["operator"] == "CONTAINS_TOKEN":
                ok &= str(f["value"]) in value.split()
        if ok:
            return True
    return False


def _reply(h: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
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
