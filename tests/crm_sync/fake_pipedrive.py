"""The subset of Pipedrive's API v1 that crm_sync/pipedrive.py calls (on `FakeCrm`).

Persons, organizations, deals and notes in memory with Pipedrive's shapes: integer ids,
`{"success": true, "data": ...}` envelopes, `/search` with exact matches (persons by
e-mail, organizations by name, deals by custom-field value), notes listed by deal,
`x-api-token` checked (401 `{"success": false, "error": ...}`), 404 for unknown ids.

The read-back side: every write stamps the object (`update_time`); `GET /v1/recents` lists
deals and notes changed since a timestamp, oldest first, paged; `rep_change` and
`rep_note` are a rep in Pipedrive's app; with `subscribe`, every deal and note change (a
rep's, or our API write: `meta.change_source` says which) queues a v1 webhook event that
`send_webhooks` POSTs with the subscription's basic auth.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import requests

from tests.crm_sync.fake_crm import FakeCrm

_ROUTE = re.compile(r"^/v1/(persons|organizations|deals|notes)(?:/(search|\d+))?$")


def pd_time(ms: int) -> str:
    return datetime.fromtimestamp(ms // 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


class FakePipedrive(FakeCrm):
    auth_failure = (401, {"success": False, "error": "You need to be authorized to make this request.",
                          "errorCode": 401})

    def __init__(self, token: str, lead_id_field: str) -> None:
        super().__init__()
        self.token, self.lead_id_field = token, lead_id_field
        self.objects: dict[str, dict[int, dict[str, Any]]] = {k: {} for k in ("persons", "organizations", "deals", "notes")}
        self.modified: dict[tuple[str, int], int] = {}  # (kind, id) -> epoch ms
        self.webhook: tuple[str, str, str] | None = None  # (url, user, password)
        self.pending_events: list[dict[str, Any]] = []

    # --- the rep's side and webhooks out (the read-back side) ------------------------------

    def subscribe(self, url: str, user: str, password: str) -> None:
        self.webhook = (url, user, password)

    def rep_change(self, deal_id: int, **fields: Any) -> None:
        """A rep edits a deal in Pipedrive's app."""
        with self.lock:
            self._write("deals", deal_id, fields, "app")

    def rep_note(self, deal_id: int, text: str) -> int:
        with self.lock:
            note_id = self.new_id()
            self._write("notes", note_id, {"content": text, "deal_id": deal_id}, "app", action="added")
            return note_id

    def send_webhooks(self, *, password: str | None = None) -> list[int]:
        """POST each queued event (v1 format) with the subscription's basic auth; the statuses.
        An event not accepted stays queued, as Pipedrive retries it."""
        with self.lock:
            events, self.pending_events = self.pending_events, []
        if self.webhook is None:
            return []
        url, user, secret = self.webhook
        statuses, failed = [], []
        for event in events:
            answer = requests.post(url, json=event, auth=(user, password or secret), timeout=10)
            statuses.append(answer.status_code)
            if not answer.ok:
                failed.append(event)
        with self.lock:
            self.pending_events[:0] = failed
        return statuses

    def _write(self, kind: str, oid: int, fields: dict[str, Any], source: str, action: str = "updated") -> None:
        store = self.objects[kind]
        previous = dict(store.get(oid) or {})
        if oid not in store:
            action = "added"
        store.setdefault(oid, {}).update(fields)
        stamp = self.stamp()
        self.modified[(kind, oid)] = stamp
        if self.webhook and kind in ("deals", "notes"):
            obj = kind[:-1]
            current = self._shown(kind, oid)
            self.pending_events.append({
                "v": 1, "event": f"{action}.{obj}", "current": current,
                "previous": ({"id": oid, **previous} if action == "updated" else None),
                "meta": {"v": 1, "action": action, "object": obj, "id": oid, "timestamp": stamp // 1000,
                         "change_source": source, "company_id": 1, "user_id": 1}})

    def _shown(self, kind: str, oid: int) -> dict[str, Any]:
        stamp = self.modified.get((kind, oid), 0)
        return {"id": oid, **self.objects[kind][oid], "update_time": pd_time(stamp), "add_time": pd_time(stamp)}

    def _recents(self, query: dict[str, list[str]]) -> tuple[int, Any]:
        since = query.get("since_timestamp", ["1970-01-01 00:00:00"])[0]
        kinds = [f"{k}s" for k in query.get("items", ["deal,note"])[0].split(",")]
        start, limit = int(query.get("start", ["0"])[0]), int(query.get("limit", ["100"])[0])
        hits = sorted(((self.modified[(k, i)], k, i) for k in kinds for i in self.objects.get(k, {})
                       if pd_time(self.modified.get((k, i), 0)) >= since))
        page = hits[start:start + limit]
        more = start + limit < len(hits)
        return 200, {"success": True, "data": [{"item": k[:-1], "id": i, "data": self._shown(k, i)} for _, k, i in page],
                     "additional_data": {"since_timestamp": since,
                                         "last_timestamp_on_page": pd_time(page[-1][0]) if page else since,
                                         "pagination": {"start": start, "limit": limit,
                                                        "more_items_in_collection": more,
                                                        **({"next_start": start + limit} if more else {})}}}

    def authorised(self, headers: Any) -> bool:
        return headers.get("x-api-token") == self.token

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[int, Any]:
        if method == "GET" and path == "/v1/recents":
            return self._recents(query)
        match = _ROUTE.match(path)
        if not match:
            return 404, {"success": False, "error": f"Unknown method {path}"}
        kind, tail = match.groups()
        store = self.objects[kind]
        if method == "GET" and tail == "search":
            term = query.get("term", [""])[0].lower()
            hits = [i for i, o in store.items() if term in self._searchable(kind, o)]
            return 200, {"success": True, "data": {"items": [{"result_score": 1, "item": {"id": i}} for i in hits]}}
        if method == "GET" and kind == "notes" and tail is None:
            deal = int(query.get("deal_id", ["0"])[0])
            return 200, {"success": True, "data": [{"id": i, **n} for i, n in store.items() if n.get("deal_id") == deal] or None}
        if method == "POST" and tail is None:
            if kind == "deals" and not (body or {}).get("title"):
                return 400, {"success": False, "error": "Deal title is required"}
            new_id = self.new_id()
            self._write(kind, new_id, dict(body or {}), "api")
            return 201, {"success": True, "data": {"id": new_id, **store[new_id]}}
        if tail is None or not tail.isdigit() or int(tail) not in store:
            return 404, {"success": False, "error": "Not found"}
        oid = int(tail)
        if method == "PUT":
            self._write(kind, oid, dict(body or {}), "api")
            return 200, {"success": True, "data": {"id": oid, **store[oid]}}
        if method == "DELETE":
            del store[oid]
            return 200, {"success": True, "data": {"id": oid}}
        return 200, {"success": True, "data": {"id": oid, **store[oid]}}

    def _searchable(self, kind: str, obj: dict[str, Any]) -> list[str]:
        if kind == "persons":
            return [e["value"].lower() for e in obj.get("email") or []]
        if kind == "organizations":
            return [str(obj.get("name", "")).lower()]
        return [str(obj.get(self.lead_id_field, "")).lower()]
