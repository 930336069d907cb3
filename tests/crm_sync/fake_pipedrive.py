"""The subset of Pipedrive's API v1 that crm_sync/pipedrive.py calls (on `FakeCrm`).

Persons, organizations, deals and notes in memory with Pipedrive's shapes: integer ids,
`{"success": true, "data": ...}` envelopes, `/search` with exact matches (persons by
e-mail, organizations by name, deals by custom-field value), notes listed by deal,
`x-api-token` checked (401 `{"success": false, "error": ...}`), 404 for unknown ids.
"""
from __future__ import annotations

import re
from typing import Any

from tests.crm_sync.fake_crm import FakeCrm

_ROUTE = re.compile(r"^/v1/(persons|organizations|deals|notes)(?:/(search|\d+))?$")


class FakePipedrive(FakeCrm):
    auth_failure = (401, {"success": False, "error": "You need to be authorized to make this request.",
                          "errorCode": 401})

    def __init__(self, token: str, lead_id_field: str) -> None:
        super().__init__()
        self.token, self.lead_id_field = token, lead_id_field
        self.objects: dict[str, dict[int, dict[str, Any]]] = {k: {} for k in ("persons", "organizations", "deals", "notes")}

    def authorised(self, headers: Any) -> bool:
        return headers.get("x-api-token") == self.token

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[int, Any]:
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
            store[new_id] = dict(body or {})
            return 201, {"success": True, "data": {"id": new_id, **store[new_id]}}
        if tail is None or not tail.isdigit() or int(tail) not in store:
            return 404, {"success": False, "error": "Not found"}
        oid = int(tail)
        if method == "PUT":
            store[oid].update(body or {})
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
