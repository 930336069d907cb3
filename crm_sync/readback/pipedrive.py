"""Pipedrive read-back: deal and note webhooks (HTTP basic auth) and, as the safety net,
`GET /recents` since a timestamp.

Pipedrive signs nothing: a webhook is created with an HTTP basic auth user and password
(`http_auth_user`, `http_auth_password`) that Pipedrive sends on every call; we compare
both with the ones in the environment, in constant time. Both webhook formats are read
(v1: `current`/`previous`/`meta.object`, v2: `data`/`previous`/`meta.entity`). Subscribe
to `*.deal` and `added.note`.

A deal's stage is its `status` when won or lost, else its `stage_id` mapped back through
`pipedrive.stages`; its owner is `user_id`, mapped back through `pipedrive.owners`.
"""
from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.outbound import Outcome
from crm_sync.readback import Change, Page, WebhookRefused
from crm_sync.readback.vocabulary import Vocabulary

PAGE = 100
Call = Callable[[str, str, Any], Outcome]
_TIME = "%Y-%m-%d %H:%M:%S"


def _time(value: Any) -> datetime | None:
    """Pipedrive's "2026-12-05 10:00:00" (UTC), an ISO time (v2), or epoch seconds (meta)."""
    if value in (None, ""):
        return None
    text = str(value)
    if text.isdigit():
        return datetime.fromtimestamp(int(text), tz=timezone.utc)
    try:
        return datetime.strptime(text, _TIME).replace(tzinfo=timezone.utc)
    except ValueError:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def _end_of_second(at: datetime) -> datetime:
    """Pipedrive keeps whole seconds: a change made in its app (or read from its feed) counts
    as made at the end of its second, so a rep's change in the second of our last write is
    the later one (the CRM wins a tie it cannot resolve). Our own API writes keep the start."""
    return at + timedelta(microseconds=999_999)


def _id(value: Any) -> Any:
    return value.get("id") if isinstance(value, dict) else value  # v1 GETs nest users as {"id": ...}


class PipedriveReader:
    crm = "pipedrive"
    streams = ("recents",)

    def __init__(self, vocabulary: Vocabulary, lead_id_field: str, *, credentials: tuple[str, str] | None = None,
                 call: Call | None = None) -> None:
        self.vocab, self.lead_id_field, self.credentials, self.call = vocabulary, lead_id_field, credentials, call

    # --- webhooks -------------------------------------------------------------------------

    def webhook(self, method: str, url: str, headers: Any, body: bytes) -> list[Change]:
        if not self.credentials:
            raise WebhookRefused(503, "Pipedrive webhooks are not configured (pipedrive.read_back.webhook_user_env)")
        user, password = self.credentials
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        if not hmac.compare_digest(expected.encode(), headers.get("Authorization", "").encode()):
            raise WebhookRefused(401, "wrong or missing basic auth credentials")
        try:
            doc = json.loads(body)
        except ValueError:
            raise WebhookRefused(400, "the body is not JSON") from None
        meta = doc.get("meta") or {}
        kind = meta.get("object") or meta.get("entity")
        current = doc.get("current") if "current" in doc else doc.get("data")
        if not isinstance(current, dict):
            return []  # a deletion: leadbot keeps its lead
        at = _time(current.get("update_time")) or _time(meta.get("timestamp")) or datetime.now(timezone.utc)
        if kind == "deal":
            by_api = str(meta.get("change_source") or "").lower() == "api"
            at = at if by_api else _end_of_second(at)
            return [replace(c, by_api=by_api) for c in self._deal(current, doc.get("previous") or None, at, "webhook")]
        if kind == "note":
            return self._note(current, at, "webhook")
        return []

    def _deal(self, deal: dict[str, Any], previous: dict[str, Any] | None, at: datetime, via: str) -> list[Change]:
        """The synced fields of a deal; with `previous` (a webhook), only those that changed."""
        def changed(*keys: str) -> bool:
            return previous is None or any(k in previous and _id(previous[k]) != _id(deal.get(k)) for k in keys)

        v, deal_id = self.vocab, str(deal["id"])
        lead = deal.get(self.lead_id_field)
        lead_id = int(lead) if str(lead or "").isdigit() else None
        changes = []
        if changed("status", "stage_id"):
            status = deal.get("status")
            reason = v.lost_reason(deal.get("lost_reason"))
            if status in ("won", "lost"):
                changes.append(v.won_or_lost("deals", deal_id, status == "won", at, via, lead_id=lead_id,
                                             lost_reason=reason))
            elif status == "open" and deal.get("stage_id") is not None:
                changes.append(v.stage("deals", deal_id, deal["stage_id"], at, via, lead_id=lead_id))
        if changed("value") and "value" in deal:
            changes.append(v.amount("deals", deal_id, deal.get("value"), at, via, lead_id=lead_id))
        if changed("lost_reason") and deal.get("status") == "lost":
            changes.append(v.lost_reason_change("deals", deal_id, deal.get("lost_reason"), at, via, lead_id=lead_id))
        if changed("user_id") and deal.get("user_id") is not None:
            changes.append(v.owner("deals", deal_id, _id(deal["user_id"]), at, via, lead_id=lead_id))
        return changes

    def _note(self, note: dict[str, Any], at: datetime, via: str) -> list[Change]:
        if not note.get("deal_id"):
            return []
        when = _time(note.get("add_time")) or at
        return [self.vocab.note("deals", str(note["deal_id"]), str(note["id"]), note.get("content") or "", when, via)]

    # --- polling --------------------------------------------------------------------------

    def initial_position(self, since: datetime) -> str:
        return since.astimezone(timezone.utc).strftime(_TIME)

    def poll(self, stream: str, position: str, after: str | None) -> Page:
        assert self.call is not None, "polling needs the Pipedrive target's session"
        start = int(after or 0)
        outcome = self.call("GET", f"/recents?since_timestamp={position.replace(' ', '%20')}&items=deal,note"
                                   f"&start={start}&limit={PAGE}", None)
        if not outcome.delivered:
            return Page(outcome)
        body = outcome.body or {}
        changes: list[Change] = []
        newest = position
        for item in body.get("data") or []:
            data = item.get("data") or {}
            at = _time(data.get("update_time")) or _time(data.get("add_time"))
            if at is None:
                continue
            newest = max(newest, at.strftime(_TIME))
            if item.get("item") == "deal":
                changes += self._deal(data, None, _end_of_second(at), "poll")
            elif item.get("item") == "note":
                changes += self._note(data, at, "poll")
        paging = (body.get("additional_data") or {}).get("pagination") or {}
        more = bool(paging.get("more_items_in_collection"))
        return Page(outcome, changes, newest, more=more, after=str(paging.get("next_start")) if more else None)
