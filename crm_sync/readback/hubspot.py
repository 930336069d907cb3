"""HubSpot read-back: deal property webhooks (signature v3) and, as the safety net, the
search API sorted by `hs_lastmodifieddate` for deals and notes.

Webhooks: HubSpot signs each request with the app's client secret: base64 of the
HMAC-SHA256 of method + URI + body + `X-HubSpot-Request-Timestamp`, sent as
`X-HubSpot-Signature-v3`; requests older than five minutes are refused (a replay). The
URI is the one HubSpot called: set `hubspot.read_back.webhook_url` when a proxy changes
what we see. Subscribe the app to `deal.propertyChange` for dealstage, amount,
closed_lost_reason and hubspot_owner_id.

Polling reads every deal (and note) modified since the cursor, oldest first, paging with
HubSpot's `after` token; a page's changes and the cursor are stored together.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote

from bot.outbound import Outcome
from crm_sync.readback import Change, Page, WebhookRefused
from crm_sync.readback.vocabulary import Vocabulary

MAX_AGE_MS = 5 * 60 * 1000  # HubSpot's own rule for v3 signatures
PAGE = 100
_API_SOURCES = ("INTEGRATION", "API")  # webhook `changeSource`s of writes through the API (ours among them)
Call = Callable[[str, str, Any], Outcome]
_FIELDS = {"dealstage": "stage", "amount": "amount", "closed_lost_reason": "lost_reason",
           "hubspot_owner_id": "owner"}


def v3_signature(secret: str, method: str, uri: str, body: bytes, timestamp: str) -> str:
    source = method.upper().encode() + unquote(uri).encode() + body + timestamp.encode()
    return base64.b64encode(hmac.new(secret.encode(), source, hashlib.sha256).digest()).decode()


def _ms(value: Any) -> datetime:
    """HubSpot's times: epoch milliseconds (webhooks) or ISO-8601 text (object properties)."""
    text = str(value)
    if text.isdigit():
        return datetime.fromtimestamp(int(text) / 1000, tz=timezone.utc)
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


class HubSpotReader:
    crm = "hubspot"
    streams = ("deals", "notes")

    def __init__(self, vocabulary: Vocabulary, lead_id_property: str, *, secret: str | None = None,
                 webhook_url: str = "", call: Call | None = None) -> None:
        self.vocab, self.lead_id_property = vocabulary, lead_id_property
        self.secret, self.webhook_url, self.call = secret, webhook_url, call

    # --- webhooks -------------------------------------------------------------------------

    def webhook(self, method: str, url: str, headers: Any, body: bytes) -> list[Change]:
        if not self.secret:
            raise WebhookRefused(503, "HubSpot webhooks are not configured (hubspot.read_back.client_secret_env)")
        timestamp, given = headers.get("X-HubSpot-Request-Timestamp", ""), headers.get("X-HubSpot-Signature-v3", "")
        if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > MAX_AGE_MS:
            raise WebhookRefused(401, "missing or stale X-HubSpot-Request-Timestamp")
        expected = v3_signature(self.secret, method, self.webhook_url or url, body, timestamp)
        if not hmac.compare_digest(expected, given):
            raise WebhookRefused(401, "bad X-HubSpot-Signature-v3")
        try:
            events = json.loads(body)
        except ValueError:
            raise WebhookRefused(400, "the body is not JSON") from None
        if not isinstance(events, list):
            raise WebhookRefused(400, "expected a list of events")
        return self._from_events(events)

    def _from_events(self, events: list[dict[str, Any]]) -> list[Change]:
        changes = [e for e in events if isinstance(e, dict) and e.get("subscriptionType") == "deal.propertyChange"
                   and e.get("propertyName") in _FIELDS]
        # A rep closing a deal lost changes the stage and the reason together: the stage carries it.
        reasons = {str(e["objectId"]): e.get("propertyValue") for e in changes if e["propertyName"] == "closed_lost_reason"}
        return [replace(self._change(str(e["objectId"]), e["propertyName"], e.get("propertyValue"),
                                     _ms(e["occurredAt"]), "webhook", lost_reason=reasons.get(str(e["objectId"]))),
                        by_api=e.get("changeSource") in _API_SOURCES) for e in changes]

    def _change(self, deal_id: str, prop: str, value: Any, at: datetime, via: str, *, lead_id: int | None = None,
                lost_reason: Any = None) -> Change:
        v = self.vocab
        if prop == "dealstage":
            return v.stage("deals", deal_id, value, at, via, lead_id=lead_id, lost_reason=v.lost_reason(lost_reason))
        if prop == "amount":
            return v.amount("deals", deal_id, value, at, via, lead_id=lead_id)
        if prop == "closed_lost_reason":
            return v.lost_reason_change("deals", deal_id, value, at, via, lead_id=lead_id)
        return v.owner("deals", deal_id, value, at, via, lead_id=lead_id)

    # --- polling --------------------------------------------------------------------------

    def initial_position(self, since: datetime) -> str:
        return str(int(since.timestamp() * 1000))

    def poll(self, stream: str, position: str, after: str | None) -> Page:
        assert self.call is not None, "polling needs the HubSpot target's session"
        props = ["hs_lastmodifieddate"] + (list(_FIELDS) + [self.lead_id_property] if stream == "deals" else ["hs_note_body"])
        body: dict[str, Any] = {
            "filterGroups": [{"filters": [{"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": position}]}],
            "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
            "properties": props, "limit": PAGE}
        if after:
            body["after"] = after
        outcome = self.call("POST", f"/crm/v3/objects/{stream}/search", body)
        if not outcome.delivered:
            return Page(outcome)
        results = (outcome.body or {}).get("results") or []
        changes: list[Change] = []
        newest = position
        for result in results:
            p, at = result.get("properties") or {}, _ms(result["properties"]["hs_lastmodifieddate"])
            newest = max(newest, str(int(at.timestamp() * 1000)), key=int)
            if stream == "deals":
                lead = p.get(self.lead_id_property)
                lead_id = int(lead) if str(lead or "").isdigit() else None
                changes += [self._change(str(result["id"]), prop, p.get(prop), at, "poll", lead_id=lead_id,
                                         lost_reason=p.get("closed_lost_reason"))
                            for prop in _FIELDS if prop in p]
            else:
                note = self._note(str(result["id"]), p.get("hs_note_body") or "", at)
                if isinstance(note, Outcome):
                    return Page(note)
                changes += note
        next_after = ((outcome.body or {}).get("paging") or {}).get("next", {}).get("after")
        return Page(outcome, changes, newest, more=bool(next_after), after=next_after)

    def _note(self, note_id: str, text: str, at: datetime) -> list[Change] | Outcome:
        """A note written in HubSpot, on each deal it is associated with (ours are skipped by their marker)."""
        if "leadbot-event-" in text:
            return []
        assert self.call is not None
        outcome = self.call("GET", f"/crm/v3/objects/notes/{note_id}?associations=deals", None)
        if not outcome.delivered:
            return outcome
        deals = (((outcome.body or {}).get("associations") or {}).get("deals") or {}).get("results") or []
        return [self.vocab.note("deals", str(d["id"]), note_id, text, at, "poll") for d in deals]
