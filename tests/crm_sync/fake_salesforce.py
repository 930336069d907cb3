"""The subset of Salesforce's REST API that crm_sync/salesforce.py calls (on `FakeCrm`).

Lead and Task records with upsert by external id (`PATCH /sobjects/<type>/<field>/<value>`:
201 with the new id when created, 204 when updated), GET and DELETE by external id, PATCH,
GET and DELETE by record id,
`Authorization: Bearer` checked (401 `INVALID_SESSION_ID`), required Lead fields checked
(400 `REQUIRED_FIELD_MISSING`), and Salesforce's error bodies (a list of
`{"message", "errorCode"}`). Deleting a Lead deletes its Tasks, as Salesforce does.

The read-back side: every write stamps the record's `SystemModstamp`; `GET .../query` runs
the one SOQL shape read-back sends (changed since a SystemModstamp, oldest first, LIMIT);
`rep_change` and `rep_task` are a rep working in Salesforce.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any
from urllib.parse import parse_qs, unquote

import jwt

from tests.crm_sync.fake_crm import FakeCrm

_QUERY = re.compile(r"^SELECT (?P<fields>.+) FROM (?P<sobject>Lead|Task) WHERE SystemModstamp >= (?P<since>\S+)"
                    r"(?: AND (?P<null>\w+) = null)? ORDER BY SystemModstamp ASC LIMIT (?P<limit>\d+)$")


def sf_time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}+0000"


def _stamp_of(literal: str) -> int:
    return int(datetime.fromisoformat(literal.replace("Z", "+00:00")).timestamp() * 1000)

_ROUTE = re.compile(r"^/services/data/v\d+\.\d/sobjects/(Lead|Task)/(\w+)/([^/]+)$")
_BY_ID = re.compile(r"^/services/data/v\d+\.\d/sobjects/(Lead|Task)/(00[QT]\w{15})$")


class FakeSalesforce(FakeCrm):
    auth_failure = (401, [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.records: dict[str, dict[str, dict[str, Any]]] = {"Lead": {}, "Task": {}}  # id -> fields
        self.modstamps: dict[str, int] = {}  # record id -> SystemModstamp (epoch ms)
        self.expire_in: int | None = None
        self.client: tuple[str, str] | None = None
        self.refresh_tokens: set[str] = set()
        self.public_key: str | None = None
        self.username: str | None = None
        self.revoked_jwt = False
        self.token_requests: list[str] = []  # grant types asked for, in order

    # --- the rep's side (the read-back side) -----------------------------------------------

    def rep_change(self, record_id: str, **fields: Any) -> None:
        """A rep edits a Lead in Salesforce."""
        with self.lock:
            self.records["Lead"][record_id].update(fields)
            self.modstamps[record_id] = self.stamp()

    def rep_task(self, lead_record_id: str, subject: str, description: str) -> str:
        with self.lock:
            task_id = "00T" + f"{self.new_id():015d}"
            self.records["Task"][task_id] = {"WhoId": lead_record_id, "Subject": subject, "Description": description}
            self.modstamps[task_id] = self.stamp()
            return task_id

    def _query(self, soql: str) -> tuple[int, Any]:
        """The SOQL read-back sends: records changed since a SystemModstamp, oldest first."""
        match = _QUERY.match(soql)
        if not match:
            return 400, [{"message": f"unsupported query: {soql}", "errorCode": "MALFORMED_QUERY"}]
        fields = [f.strip() for f in match["fields"].split(",")]
        since, limit = _stamp_of(match["since"]), int(match["limit"])
        hits = sorted((self.modstamps.get(i, 0), i) for i, r in self.records[match["sobject"]].items()
                      if self.modstamps.get(i, 0) >= since and not (match["null"] and r.get(match["null"])))[:limit]
        records = [{"attributes": {"type": match["sobject"]},
                    **{f: (sf_time(stamp) if f == "SystemModstamp" else i if f == "Id" else
                           self.records[match["sobject"]][i].get(f)) for f in fields}} for stamp, i in hits]
        return 200, {"totalSize": len(records), "done": True, "records": records}

    def authorised(self, headers: Any) -> bool:
        if headers.get("Authorization") != f"Bearer {self.token}":
            return False
        if self.expire_in is not None:  # the session times out after so many calls
            self.expire_in -= 1
            if self.expire_in < 0:
                self.token, self.expire_in = f"expired-{self.new_id()}", None
                return False
        return True

    # --- OAuth 2.0 (the token endpoint, expiry and revocation) -----------------------------

    def connected_app(self, client_id: str, client_secret: str, refresh_token: str, *,
                      public_key: str | None = None, username: str | None = None) -> None:
        """A Connected App: its consumer key and secret, one refresh token it issued, and the
        certificate (public key) and user for the JWT bearer flow. No access token is valid
        until one is obtained from the token endpoint."""
        self.client = (client_id, client_secret)
        self.refresh_tokens = {refresh_token}
        self.public_key, self.username = public_key, username
        self.token = f"not-issued-{self.new_id()}"

    def expire_after(self, calls: int) -> None:
        """The current access token stops working after `calls` more API calls (a session timeout)."""
        with self.lock:
            self.expire_in = calls

    def revoke(self) -> None:
        """An admin revokes the app's tokens: the access token and every refresh token stop working."""
        with self.lock:
            self.refresh_tokens.clear()
            self.token = f"revoked-{self.new_id()}"

    def issue_refresh_token(self) -> str:
        """The user authorises the app again: a new refresh token."""
        with self.lock:
            token = f"5Aep861-{self.new_id()}"
            self.refresh_tokens.add(token)
            return token

    def unauthenticated(self, method: str, path: str, raw: bytes) -> tuple[int, Any] | None:
        if not (method == "POST" and path == "/services/oauth2/token"):
            return None
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        self.token_requests.append(form.get("grant_type", ""))
        if form.get("grant_type") == "refresh_token":
            if (form.get("client_id"), form.get("client_secret")) != self.client:
                return 400, {"error": "invalid_client", "error_description": "invalid client credentials"}
            if form.get("refresh_token") not in self.refresh_tokens:
                return 400, {"error": "invalid_grant", "error_description": "expired access/refresh token"}
        elif form.get("grant_type") == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            try:
                claims = jwt.decode(form.get("assertion", ""), self.public_key, algorithms=["RS256"],
                                    audience=self.url, issuer=self.client[0])
            except jwt.PyJWTError as exc:
                return 400, {"error": "invalid_grant", "error_description": f"invalid assertion: {exc}"}
            if claims.get("sub") != self.username or self.revoked_jwt:
                return 400, {"error": "invalid_grant", "error_description": "user hasn't approved this consumer"}
        else:
            return 400, {"error": "unsupported_grant_type", "error_description": "grant type not supported"}
        self.token = f"00Dxx!issued-{self.new_id()}"  # an `expire_after` still waiting applies to it
        return 200, {"access_token": self.token, "instance_url": self.url, "id": f"{self.url}/id/00Dxx/005xx",
                     "token_type": "Bearer", "issued_at": str(self.stamp()), "signature": "c2lnbmF0dXJl"}

    def route(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> tuple[int, Any]:
        if method == "GET" and re.match(r"^/services/data/v\d+\.\d/query$", path):
            return self._query(query.get("q", [""])[0])
        by_id = _BY_ID.match(path)
        if by_id:
            return self._by_id(method, by_id.group(1), by_id.group(2), body)
        match = _ROUTE.match(path)
        if not match:
            return 404, [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]
        sobject, field, value = match.group(1), match.group(2), unquote(match.group(3))
        store = self.records[sobject]
        found = next((i for i, r in store.items() if str(r.get(field)) == value), None)
        if method == "PATCH":
            fields = dict(body or {})
            if sobject == "Lead" and found is None:
                missing = [f for f in ("LastName", "Company") if not fields.get(f)]
                if missing:
                    return 400, [{"message": f"Required fields are missing: [{', '.join(missing)}]",
                                  "errorCode": "REQUIRED_FIELD_MISSING", "fields": missing}]
            if sobject == "Task" and fields.get("WhoId") not in self.records["Lead"]:
                return 400, [{"message": "Related To ID: id value of incorrect type", "errorCode": "FIELD_INTEGRITY_EXCEPTION"}]
            if found is not None:
                store[found].update(fields)
                self.modstamps[found] = self.stamp()
                return 204, None
            new_id = ("00Q" if sobject == "Lead" else "00T") + f"{self.new_id():015d}"
            store[new_id] = {**fields, field: value}
            self.modstamps[new_id] = self.stamp()
            return 201, {"id": new_id, "success": True, "errors": [], "created": True}
        if found is None:
            return 404, [{"message": "Provided external ID field does not exist or is not accessible: " + value,
                          "errorCode": "NOT_FOUND"}]
        if method == "DELETE":
            self._delete(sobject, found)
            return 204, None
        return 200, {"Id": found, **store[found]}

    def _by_id(self, method: str, sobject: str, record_id: str, body: Any) -> tuple[int, Any]:
        store = self.records[sobject]
        if record_id not in store:
            return 404, [{"message": "The requested resource does not exist", "errorCode": "NOT_FOUND"}]
        if method == "PATCH":
            store[record_id].update(body or {})
            self.modstamps[record_id] = self.stamp()
            return 204, None
        if method == "DELETE":
            self._delete(sobject, record_id)
            return 204, None
        return 200, {"Id": record_id, **store[record_id]}

    def _delete(self, sobject: str, record_id: str) -> None:
        del self.records[sobject][record_id]
        if sobject == "Lead":  # as Salesforce does, its activities go with it
            for task_id in [i for i, t in self.records["Task"].items() if t.get("WhoId") == record_id]:
                del self.records["Task"][task_id]
