"""The subset of HubSpot's CRM v3 API that crm_sync/hubspot.py calls (on `FakeCrm`).

Objects live in memory per type (contacts, deals, notes) with HubSpot's shapes: ids as
strings, `{"properties": ...}` bodies, search with filterGroups (EQ and CONTAINS_TOKEN),
associations kept per object, 401 without the token, 404 for unknown ids, 409 for a
second contact with one e-mail, error bodies with `message`.
"""
from __future__ import annotations

import re
from typing import Any

from tests.crm_sync.fake_crm import FakeCrm

_OBJECT = re.compile(r"^/crm/v3/objects/(contacts|deals|notes)(?:/(search|\d+))?$")


class FakeHubSpot(FakeCrm):
    auth_failure = (401, {"status": "error", "category": "INVALID_AUTHENTICATION",
                          "message": "Authentication credentials not found."})

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.objects: dict[str, dict[str, dict[str, Any]]] = {"contacts": {}, "deals": {}, "notes": {}}
        self.associations: dict[str, list[dict[str, Any]]] = {}

    def authorised(self, headers: Any) -> bool:
        return headers.get("Authorization") == f"Bearer {self.token}"

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[int, Any]:
        match = _OBJECT.match(path)
        if not match:
            return 404, {"status": "error", "message": f"no route {path}"}
        kind, tail = match.groups()
        body = body or {}
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
            new_id = str(self.new_id())
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
