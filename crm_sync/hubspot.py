"""HubSpot (CRM v3): a contact upserted by e-mail, a deal in a pipeline stage associated to
it, notes with the transcript and the reps' notes.

Never a duplicate: every object's id is kept in `crm_links` as soon as HubSpot answers,
and nothing is created before a search for it: contacts by e-mail, deals by the
`lead_id_property` deal property, notes by the event id they carry. So a replay, a
crash between HubSpot's answer and our commit, or two workers at once find the object
instead of creating a second one. Updates (corrected answers, stage, owner) are PATCHes.

Credentials: the private app's token, or with `hubspot.oauth.flow: refresh_token` access
tokens from `crm_sync/oauth.py` (the same machinery as Salesforce's), kept in the store.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import requests
from sqlalchemy.orm import Session, sessionmaker

from bot.outbound import Outcome, call
from bot.store.pipeline import load_pipeline_settings
from crm_sync.connection import fingerprint
from crm_sync.http import api_session
from crm_sync.links import LinkBook, object_kind, per_event
from crm_sync.mapping import check_stages, mapped, transcript_text
from crm_sync.oauth import BearerAuth, TokenManager
from crm_sync.settings import CrmSettings
from crm_sync.tokens import TokenBox

_DEAL_TO_CONTACT = 3  # HubSpot-defined association type ids (v4 "default" types)
_NOTE_TO_CONTACT = 202
_NOTE_TO_DEAL = 214
_OK = Outcome(True)
_DEAL_PROPERTY = {"stage": "dealstage", "amount": "amount", "lost_reason": "closed_lost_reason"}


class HubSpotTarget:
    name = "hubspot"

    def __init__(self, settings: CrmSettings, session: requests.Session | None = None) -> None:
        self.settings = settings
        self.cfg = settings.hubspot
        pipeline = load_pipeline_settings()
        check_stages(self.cfg.stages, "hubspot.stages", pipeline.keys, complete=True)  # HubSpot needs a dealstage
        self.lost_stage = pipeline.lost_stage.key
        oauth = self.cfg.oauth
        self.static_token = self.cfg.token() if oauth.flow == "token" else None
        if oauth.flow == "refresh_token":  # checked now, so `leadbot sync` refuses to start without them
            for name in ("client_id_env", "client_secret_env", "refresh_token_env"):
                oauth.secret(name)
            TokenBox()
        self.http = api_session({"Authorization": f"Bearer {self.static_token}"} if self.static_token else {}, session)
        self.tokens: TokenManager | None = None

    def bind(self, sessions: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        """OAuth keeps its tokens in the store: the worker hands it over before the first call."""
        if self.cfg.oauth.flow != "token" and self.tokens is None:
            oauth = self.cfg.oauth
            self.tokens = TokenManager(self.name, oauth, sessions, token_url=self.cfg.base_url + oauth.token_path,
                                       now=now, timeout=self.settings.timeout_seconds)
            self.http.auth = BearerAuth(self.tokens)

    def credential_sha256(self) -> str:
        """Which credential the connection uses (a new one clears a refusal: crm_sync/connection.py)."""
        if self.tokens is not None:
            return self.tokens.credential
        return fingerprint(self.static_token or "")

    # --- events ------------------------------------------------------------------------

    def deliver(self, event: dict[str, Any], links: LinkBook) -> Outcome:
        kind, lead_id, lead = event["event_type"], event["lead_id"], event.get("lead")
        if kind == "lead.deleted":
            return self._delete(lead_id, links)
        if kind == "lead.merged":
            return self._merge(lead_id, event["payload"]["merged_into"], links)
        if lead is None:
            return _OK  # the lead is gone; its lead.deleted event follows and cleans up
        outcome, ids = self._sync_lead(lead, links, set(event.get("unchanged") or ()))
        if not outcome.delivered:
            return outcome
        if kind == "lead.created":
            transcript = transcript_text(event)
            body = f"Conversation with leadbot\n\n{transcript or lead['need']['text'] or ''}"
            return self._note(lead_id, event["event_id"], body, ids, links)
        if kind == "note.added":
            payload = event["payload"]
            return self._note(lead_id, event["event_id"], f"{payload['author']}: {payload['body']}", ids, links)
        if kind == "lead.assigned":
            owner = self.cfg.owners.get(event["payload"].get("rep_email", ""))
            if owner and "owner" not in (event.get("unchanged") or ()):
                for object_type in ("contacts", "deals"):
                    if ids.get(object_type):
                        result = self._call("PATCH", f"/crm/v3/objects/{object_type}/{ids[object_type]}",
                                            {"properties": {"hubspot_owner_id": owner}})
                        if not result.delivered:
                            return result
        return _OK  # lead.updated, lead.merged, deal.stage_changed: the PATCHes above carried them

    def writes(self, event: dict[str, Any]) -> tuple[str, ...]:
        """The synced fields HubSpot holds as ours once this event is delivered (crm_sync/sync_state.py)."""
        lead = event.get("lead")
        if not lead or event["event_type"] in ("lead.deleted", "lead.merged"):
            return ()
        deal = lead["deal"]
        fields = [f for f, sent in (("stage", deal["stage"] in self.cfg.stages), ("amount", deal["value"] is not None),
                                    ("lost_reason", bool(deal["lost_reason"]))) if sent]
        if event["event_type"] == "lead.assigned" and self.cfg.owners.get(event["payload"].get("rep_email", "")):
            fields.append("owner")
        return tuple(fields)

    # --- objects -----------------------------------------------------------------------

    def _sync_lead(self, lead: dict[str, Any], links: LinkBook,
                   unchanged: set[str] = frozenset()) -> tuple[Outcome, dict[str, str]]:
        ids: dict[str, str] = {}
        if lead["email"]:
            outcome, contact = self._upsert(links, lead["id"], "contacts", self._contact_properties(lead),
                                            search=("email", lead["email"]))
            if not outcome.delivered:
                return outcome, ids
            ids["contacts"] = contact
        deal_props = self._deal_properties(lead)
        # What HubSpot already holds as ours is not sent again (a rep may have changed it since).
        known = {_DEAL_PROPERTY[f] for f in unchanged if f in _DEAL_PROPERTY}
        associations = [_association(ids["contacts"], _DEAL_TO_CONTACT)] if "contacts" in ids else []
        outcome, deal = self._upsert(links, lead["id"], "deals", {k: v for k, v in deal_props.items() if k not in known},
                                     search=(self.cfg.lead_id_property, str(lead["id"])), associations=associations,
                                     create=deal_props)
        if outcome.delivered:
            ids["deals"] = deal
        return outcome, ids

    def _upsert(self, links: LinkBook, lead_id: int, object_type: str, properties: dict[str, Any], *,
                search: tuple[str, str], associations: list[dict[str, Any]] | None = None,
                create: dict[str, Any] | None = None) -> tuple[Outcome, str]:
        """PATCH the object we know or find, else POST it (with `create`: every property)."""
        known = links.get(lead_id, object_type)
        if known:
            outcome = self._call("PATCH", f"/crm/v3/objects/{object_type}/{known}", {"properties": properties})
            if outcome.status != 404:
                return outcome, known
            links.drop(lead_id, object_type)  # deleted in HubSpot by someone: create it again
        outcome, found = self._search(object_type, *search)
        if not outcome.delivered:
            return outcome, ""
        if found:
            links.put(lead_id, object_type, found)
            return self._call("PATCH", f"/crm/v3/objects/{object_type}/{found}", {"properties": properties}), found
        body: dict[str, Any] = {"properties": create or properties}
        if associations:
            body["associations"] = associations
        outcome = self._call("POST", f"/crm/v3/objects/{object_type}", body)
        if not outcome.delivered:
            return outcome, ""
        new_id = str(outcome.body["id"])
        links.put(lead_id, object_type, new_id)
        return outcome, new_id

    def _note(self, lead_id: int, event_id: str, text: str, ids: dict[str, str], links: LinkBook) -> Outcome:
        object_type = per_event("notes", event_id)
        if links.get(lead_id, object_type):
            return _OK
        marker = f"leadbot-event-{event_id}"
        outcome, found = self._search("notes", "hs_note_body", marker, operator="CONTAINS_TOKEN")
        if not outcome.delivered:
            return outcome
        if not found:
            associations = [_association(ids["contacts"], _NOTE_TO_CONTACT)] if "contacts" in ids else []
            if "deals" in ids:
                associations.append(_association(ids["deals"], _NOTE_TO_DEAL))
            outcome = self._call("POST", "/crm/v3/objects/notes", {
                "properties": {"hs_note_body": f"{text[:60000]}\n\n{marker}", "hs_timestamp": _now_ms()},
                "associations": associations})
            if not outcome.delivered:
                return outcome
            found = str(outcome.body["id"])
        links.put(lead_id, object_type, found)
        return _OK

    def _merge(self, source: int, target: int, links: LinkBook) -> Outcome:
        """A lead merged into another: its deal becomes the survivor's when that has none in
        HubSpot yet, else it is closed lost as merged (as the store closes it); either way its
        links move to the survivor, whose own events then update what it owns."""
        deal = links.get(source, "deals")
        if deal:
            theirs = links.get(target, "deals")
            if theirs is None:
                outcome, theirs = self._search("deals", self.cfg.lead_id_property, str(target))
                if not outcome.delivered:
                    return outcome
                if theirs and theirs != deal:
                    links.put(target, "deals", theirs)
            if theirs and theirs != deal:
                props = {"closed_lost_reason": f"merged into leadbot lead #{target}"}
                if self.lost_stage in self.cfg.stages:
                    props["dealstage"] = self.cfg.stages[self.lost_stage]
            else:
                props = {self.cfg.lead_id_property: str(target)}
            outcome = self._call("PATCH", f"/crm/v3/objects/deals/{deal}", {"properties": props})
            if not outcome.delivered and outcome.status != 404:
                return outcome
        links.merge(source, target)
        return _OK

    def _delete(self, lead_id: int, links: LinkBook) -> Outcome:
        """Erasure reaches HubSpot: every object we created for the lead goes."""
        for object_type, external_id in links.all(lead_id).items():
            outcome = self._call("DELETE", f"/crm/v3/objects/{object_kind(object_type)}/{external_id}")
            if not outcome.delivered and outcome.status != 404:
                return outcome
            links.drop(lead_id, object_type)
        return _OK

    # --- helpers -----------------------------------------------------------------------

    def _search(self, object_type: str, prop: str, value: str, operator: str = "EQ") -> tuple[Outcome, str | None]:
        outcome = self._call("POST", f"/crm/v3/objects/{object_type}/search", {
            "filterGroups": [{"filters": [{"propertyName": prop, "operator": operator, "value": value}]}],
            "properties": [prop], "limit": 1})
        if not outcome.delivered:
            return outcome, None
        results = (outcome.body or {}).get("results") or []
        return outcome, str(results[0]["id"]) if results else None

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Outcome:
        return call(self.http, method, self.cfg.base_url + path, json=body, timeout=self.settings.timeout_seconds)

    def _contact_properties(self, lead: dict[str, Any]) -> dict[str, Any]:
        return mapped(lead, self.cfg.contact_properties)

    def _deal_properties(self, lead: dict[str, Any]) -> dict[str, Any]:
        deal = lead["deal"]
        props = mapped(lead, self.cfg.deal_properties)
        props.update({
            "dealname": f"{lead['company'] or lead['name'] or lead['email'] or 'Lead'} (leadbot #{lead['id']})",
            "pipeline": self.cfg.pipeline,
            self.cfg.lead_id_property: str(lead["id"]),
        })
        if deal["stage"] in self.cfg.stages:
            props["dealstage"] = self.cfg.stages[deal["stage"]]
        if deal["value"] is not None:
            props["amount"] = str(deal["value"])
        if deal["lost_reason"]:
            props["closed_lost_reason"] = deal["lost_reason"]
        return props


def _association(to_id: str, type_id: int) -> dict[str, Any]:
    return {"to": {"id": to_id}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}]}


def _now_ms() -> str:
    return str(int(time.time() * 1000))
