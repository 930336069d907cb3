"""The subset of HubSpot's CRM v3 API that crm_sync/hubspot.py calls (on `FakeCrm`).

Objects live in memory per type (contacts, deals, notes) with HubSpot's shapes: ids as
strings, `{"properties": ...}` bodies, search with filterGroups (EQ, GT, GTE and
CONTAINS_TOKEN), sorts by `hs_lastmodifieddate` and `after` paging, associations kept per
object (`?associations=deals` on a GET), 401 without the token, 404 for unknown ids, 409
for a second contact with one e-mail, error bodies with `message`.

The read-back side: every object has a modification time (`hs_lastmodifieddate`, epoch
ms, shown in search results); `rep_change` and `rep_note` are a rep working in HubSpot;
with `subscribe`, each change to a subscribed deal property (a rep's, or our own API
write: HubSpot reports both) queues a `deal.propertyChange` event, and `send_webhooks`
POSTs the queue as one batch signed as HubSpot signs (v3).

OAuth (`oauth_app`): `POST /oauth/v1/token` with `grant_type=refresh_token` answers
`access_token`, `refresh_token` and `expires_in` as HubSpot does, or 400 with HubSpot's
`BAD_REFRESH_TOKEN` / `BAD_CLIENT_ID`; `expire_after` and `revoke` are a token timing out
and the app being uninstalled.
"""
from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs

import requests

from crm_sync.readback.hubspot import v3_signature
from tests.crm_sync.fake_crm import FakeCrm

_OBJECT = re.compile(r"^/crm/v3/objects/(contacts|deals|notes)(?:/(search|\d+))?$")
SUBSCRIBED = ("dealstage", "amount", "closed_lost_reason", "hubspot_owner_id")


def iso_ms(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


class FakeHubSpot(FakeCrm):
    auth_failure = (401, {"status": "error", "category": "INVALID_AUTHENTICATION",
                          "message": "Authentication credentials not found."})

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.objects: dict[str, dict[str, dict[str, Any]]] = {"contacts": {}, "deals": {}, "notes": {}}
        self.associations: dict[str, list[dict[str, Any]]] = {}
        self.modified: dict[str, int] = {}  # object id -> epoch ms
        self.webhook: tuple[str, str] | None = None  # (url, client secret)
        self.pending_events: list[dict[str, Any]] = []
        self._event_ids = iter(range(1, 10**9))
        self.expire_in: int | None = None
        self.client: tuple[str, str] | None = None
        self.refresh_tokens: set[str] = set()
        self.token_requests: list[str] = []  # grant types asked for, in order
        self.token_seconds = 1800  # `expires_in` of the tokens issued

    def authorised(self, headers: Any) -> bool:
        if headers.get("Authorization") != f"Bearer {self.token}":
            return False
        if self.expire_in is not None:  # the access token times out after so many calls
            self.expire_in -= 1
            if self.expire_in < 0:
                self.token, self.expire_in = f"expired-{self.new_id()}", None
                return False
        return True

    # --- OAuth 2.0 (the token endpoint, expiry and revocation) -----------------------------

    def oauth_app(self, client_id: str, client_secret: str, refresh_token: str) -> None:
        """A public app installed in the account: its client id and secret and the refresh
        token the install gave. No access token is valid until one is obtained."""
        self.client = (client_id, client_secret)
        self.refresh_tokens = {refresh_token}
        self.token = f"not-issued-{self.new_id()}"

    def expire_after(self, calls: int) -> None:
        """The current access token stops working after `calls` more API calls."""
        with self.lock:
            self.expire_in = calls

    def revoke(self) -> None:
        """The app is uninstalled: the access token and every refresh token stop working."""
        with self.lock:
            self.refresh_tokens.clear()
            self.token = f"revoked-{self.new_id()}"

    def issue_refresh_token(self) -> str:
        """The app is installed again: a new refresh token."""
        with self.lock:
            token = f"na1-refresh-{self.new_id()}"
            self.refresh_tokens.add(token)
            return token

    def unauthenticated(self, method: str, path: str, raw: bytes) -> tuple[int, Any] | None:
        if not (method == "POST" and path == "/oauth/v1/token"):
            return None
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        self.token_requests.append(form.get("grant_type", ""))
        if form.get("grant_type") != "refresh_token":
            return 400, {"status": "BAD_GRANT_TYPE", "message": "unsupported grant_type"}
        if (form.get("client_id"), form.get("client_secret")) != self.client:
            return 400, {"status": "BAD_CLIENT_ID", "message": "missing or unknown client id"}
        if form.get("refresh_token") not in self.refresh_tokens:
            return 400, {"status": "BAD_REFRESH_TOKEN", "message": "missing or invalid refresh token"}
        self.token = f"CJS-issued-{self.new_id()}"  # an `expire_after` still waiting applies to it
        return 200, {"token_type": "bearer", "access_token": self.token,
                     "refresh_token": form["refresh_token"], "expires_in": self.token_seconds}

    # --- the rep's side and webhooks out ---------------------------------------------------

    def subscribe(self, url: str, client_secret: str) -> None:
        self.webhook = (url, client_secret)

    def rep_change(self, deal_id: str, at: float | None = None, **props: Any) -> None:
        """A rep edits a deal in HubSpot (at `at`, epoch seconds, or now)."""
        with self.lock:
            self._write("deals", deal_id, {k: str(v) for k, v in props.items()}, "CRM", at)

    def rep_note(self, deal_id: str, text: str, at: float | None = None) -> str:
        with self.lock:
            note_id = str(self.new_id())
            self.objects["notes"][note_id] = {"hs_note_body": text}
            self.associations[note_id] = [{"to": {"id": deal_id}, "types": [{"associationTypeId": 214}]}]
            self.modified[note_id] = self.stamp(at)
            return note_id

    def send_webhooks(self, *, secret: str | None = None) -> int:
        """POST the queued events as one batch (signed with `secret` to forge one); the status.
        A batch not accepted stays queued, as HubSpot retries it."""
        with self.lock:
            events, self.pending_events = self.pending_events, []
        if not events or self.webhook is None:
            return 204
        url, client_secret = self.webhook
        body = json.dumps(events).encode()
        timestamp = str(int(time.time() * 1000))
        signature = v3_signature(secret or client_secret, "POST", url, body, timestamp)
        answer = requests.post(url, data=body, timeout=10, headers={
            "Content-Type": "application/json", "X-HubSpot-Request-Timestamp": timestamp,
            "X-HubSpot-Signature-v3": signature})
        if not answer.ok:  # HubSpot retries a batch that was not accepted
            with self.lock:
                self.pending_events[:0] = events
        return answer.status_code

    def _write(self, kind: str, object_id: str, props: dict[str, Any], source: str, at: float | None = None) -> None:
        store = self.objects[kind]
        before = dict(store.get(object_id) or {})
        store.setdefault(object_id, {}).update(props)
        stamp = self.stamp(at)
        self.modified[object_id] = stamp
        if kind == "deals" and self.webhook:
            for name in SUBSCRIBED:
                if name in props and before.get(name) != props[name]:
                    self.pending_events.append({
                        "eventId": next(self._event_ids), "subscriptionId": 1, "portalId": 62515, "appId": 1,
                        "occurredAt": stamp, "subscriptionType": "deal.propertyChange", "attemptNumber": 0,
                        "objectId": int(object_id), "propertyName": name, "propertyValue": props[name],
                        "changeSource": source})

    # --- the API ----------------------------------------------------------------------------

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[int, Any]:
        match = _OBJECT.match(path)
        if not match:
            return 404, {"status": "error", "message": f"no route {path}"}
        kind, tail = match.groups()
        body = body or {}
        store = self.objects[kind]
        if method == "POST" and tail == "search":
            hits = [(i, p) for i, p in store.items() if _matches(self._shown(i, p), body)]
            if any(s.get("propertyName") == "hs_lastmodifieddate" for s in body.get("sorts") or []):
                hits.sort(key=lambda hit: self.modified.get(hit[0], 0))
            start, limit = int(body.get("after") or 0), body.get("limit", 10)
            page = [{"id": i, "properties": self._shown(i, p)} for i, p in hits[start:start + limit]]
            answer: dict[str, Any] = {"total": len(hits), "results": page}
            if start + limit < len(hits):
                answer["paging"] = {"next": {"after": str(start + limit)}}
            return 200, answer
        if method == "POST" and tail is None:
            props = body.get("properties") or {}
            if kind == "contacts":
                if not props.get("email"):
                    return 400, {"status": "error", "category": "VALIDATION_ERROR", "message": "Property email is required"}
                if any(p.get("email") == props["email"] for p in store.values()):
                    return 409, {"status": "error", "category": "CONFLICT", "message": "Contact already exists."}
            new_id = str(self.new_id())
            self._write(kind, new_id, dict(props), "INTEGRATION")
            self.associations[new_id] = list(body.get("associations") or [])
            return 201, {"id": new_id, "properties": store[new_id]}
        if tail is None or tail not in store:
            return 404, {"status": "error", "category": "OBJECT_NOT_FOUND", "message": "resource not found"}
        if method == "PATCH":
            self._write(kind, tail, body.get("properties") or {}, "INTEGRATION")
            return 200, {"id": tail, "properties": store[tail]}
        if method == "DELETE":
            del store[tail]
            return 204, None
        answer = {"id": tail, "properties": store[tail]}
        if "deals" in query.get("associations", []):
            answer["associations"] = {"deals": {"results": [
                {"id": a["to"]["id"], "type": "note_to_deal"} for a in self.associations.get(tail, [])
                if any(t.get("associationTypeId") == 214 for t in a.get("types", []))]}}
        return 200, answer

    def _shown(self, object_id: str, props: dict[str, Any]) -> dict[str, Any]:
        return {**props, "hs_lastmodifieddate": iso_ms(self.modified.get(object_id, 0))}


def _matches(props: dict[str, Any], body: dict[str, Any]) -> bool:
    for group in body.get("filterGroups") or []:
        ok = True
        for f in group.get("filters") or []:
            name, op = f["propertyName"], f["operator"]
            value = str(props.get(name, ""))
            if name == "hs_lastmodifieddate" and op in ("GT", "GTE"):
                ms = int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)
                ok &= ms > int(f["value"]) if op == "GT" else ms >= int(f["value"])
            elif op == "EQ":
                ok &= value.lower() == str(f["value"]).lower()
            elif op == "CONTAINS_TOKEN":
                ok &= str(f["value"]) in value.split()
        if ok:
            return True
    return False
