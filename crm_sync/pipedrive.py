"""Pipedrive (API v1): a person found by e-mail, the organization by name, a deal in the
mapped stage, notes with the transcript and the reps' notes.

The same guarantees as the HubSpot target: ids kept in `crm_links` the moment Pipedrive
answers, a search before every create (persons by e-mail, organizations by exact name,
deals by the lead-id custom field, notes by the event id in their content), updates as
PUTs, erasure as DELETEs. Organizations are shared by every person of a company, so a
deletion leaves them.
"""
from __future__ import annotations

from typing import Any

import requests

from bot.outbound import Outcome, call
from bot.store.pipeline import load_pipeline_settings
from crm_sync.connection import fingerprint
from crm_sync.http import api_session
from crm_sync.links import LinkBook, object_kind, per_event
from crm_sync.mapping import check_stages, mapped, transcript_text
from crm_sync.settings import CrmSettings

_OK = Outcome(True)
_DEAL_FIELDS = {"stage": ("stage_id", "status"), "amount": ("value", "currency"), "lost_reason": ("lost_reason",)}


class PipedriveTarget:
    name = "pipedrive"

    def __init__(self, settings: CrmSettings, session: requests.Session | None = None) -> None:
        self.settings = settings
        self.cfg = settings.pipedrive
        pipeline = load_pipeline_settings()
        check_stages(self.cfg.stages, "pipedrive.stages", pipeline.keys)
        self.stages = {stage.key: stage for stage in pipeline.stages}  # which are won / lost
        self.http = api_session({"x-api-token": self.cfg.token()}, session)

    def credential_sha256(self) -> str:
        """Which token the connection uses (a new one clears a refusal: crm_sync/connection.py)."""
        return fingerprint(self.cfg.token())

    def deliver(self, event: dict[str, Any], links: LinkBook) -> Outcome:
        kind, lead_id, lead = event["event_type"], event["lead_id"], event.get("lead")
        if kind == "lead.deleted":
            return self._delete(lead_id, links)
        if kind == "lead.merged":
            return self._merge(lead_id, event["payload"]["merged_into"], links)
        if lead is None:
            return _OK
        outcome, ids = self._sync_lead(lead, links, event)
        if not outcome.delivered:
            return outcome
        if kind == "lead.created":
            transcript = transcript_text(event)
            return self._note(lead_id, event["event_id"], f"Conversation with leadbot\n\n{transcript}", ids, links)
        if kind == "note.added":
            payload = event["payload"]
            return self._note(lead_id, event["event_id"], f"{payload['author']}: {payload['body']}", ids, links)
        return _OK

    def writes(self, event: dict[str, Any]) -> tuple[str, ...]:
        """The synced fields Pipedrive holds as ours once this event is delivered (crm_sync/sync_state.py):
        the stage when it is mapped (or won or lost: the deal's status)."""
        lead = event.get("lead")
        if not lead or event["event_type"] in ("lead.deleted", "lead.merged"):
            return ()
        deal = lead["deal"]
        stage = self.stages.get(deal["stage"] or "")
        fields = [f for f, sent in (("stage", deal["stage"] in self.cfg.stages or bool(stage and stage.closed)),
                                    ("amount", deal["value"] is not None), ("lost_reason", bool(deal["lost_reason"])))
                  if sent]
        if event["event_type"] == "lead.assigned" and self.cfg.owners.get(event["payload"].get("rep_email", "")):
            fields.append("owner")
        return tuple(fields)

    def _sync_lead(self, lead: dict[str, Any], links: LinkBook, event: dict[str, Any]) -> tuple[Outcome, dict[str, int]]:
        ids: dict[str, int] = {}
        owner = self.cfg.owners.get(event["payload"].get("rep_email", "")) if event["event_type"] == "lead.assigned" else None
        if "owner" in (event.get("unchanged") or ()):
            owner = None  # Pipedrive has it already
        if lead["company"]:
            outcome, org = self._find_or_create(links, lead["id"], "organizations", {"name": lead["company"]},
                                                search=("name", lead["company"]), update=False)
            if not outcome.delivered:
                return outcome, ids
            ids["organizations"] = org
        if lead["email"]:
            person = {"name": lead["name"] or lead["email"], "email": [{"value": lead["email"], "primary": True}],
                      **mapped(lead, self.cfg.person_fields, as_text=False)}
            if "organizations" in ids:
                person["org_id"] = ids["organizations"]
            if owner:
                person["owner_id"] = owner
            outcome, pid = self._find_or_create(links, lead["id"], "persons", person, search=("email", lead["email"]))
            if not outcome.delivered:
                return outcome, ids
            ids["persons"] = pid
        deal = self._deal_fields(lead, ids)
        if owner:
            deal["user_id"] = owner
        # What Pipedrive already holds as ours is not sent again (a rep may have changed it since).
        known = {k for f in event.get("unchanged") or () for k in _DEAL_FIELDS.get(f, ())}
        outcome, did = self._find_or_create(links, lead["id"], "deals", {k: v for k, v in deal.items() if k not in known},
                                            search=("custom_fields", str(lead["id"])), create=deal)
        if outcome.delivered:
            ids["deals"] = did
        return outcome, ids

    def _find_or_create(self, links: LinkBook, lead_id: int, kind: str, fields: dict[str, Any], *,
                        search: tuple[str, str], update: bool = True,
                        create: dict[str, Any] | None = None) -> tuple[Outcome, int]:
        known = links.get(lead_id, kind)
        if known:
            if not update:
                return _OK, int(known)
            outcome = self._call("PUT", f"/{kind}/{known}", fields)
            if outcome.status != 404:
                return outcome, int(known)
            links.drop(lead_id, kind)
        outcome, found = self._search(kind, *search)
        if not outcome.delivered:
            return outcome, 0
        if found:
            links.put(lead_id, kind, str(found))
            return (self._call("PUT", f"/{kind}/{found}", fields) if update else _OK), found
        outcome = self._call("POST", f"/{kind}", create or fields)
        if not outcome.delivered:
            return outcome, 0
        new_id = int(outcome.body["data"]["id"])
        links.put(lead_id, kind, str(new_id))
        return outcome, new_id

    def _search(self, kind: str, field: str, term: str) -> tuple[Outcome, int | None]:
        """The id of the object whose `field` is exactly `term`, if there is one."""
        outcome = self._call("GET", f"/{kind}/search", params={"term": term, "fields": field, "exact_match": "true",
                                                               "limit": 1})
        if not outcome.delivered:
            return outcome, None
        items = ((outcome.body or {}).get("data") or {}).get("items") or []
        return outcome, int(items[0]["item"]["id"]) if items else None

    def _note(self, lead_id: int, event_id: str, text: str, ids: dict[str, int], links: LinkBook) -> Outcome:
        object_type = per_event("notes", event_id)
        if links.get(lead_id, object_type):
            return _OK
        marker = f"leadbot-event-{event_id}"
        outcome = self._call("GET", "/notes", params={"deal_id": ids["deals"], "limit": 500})
        if not outcome.delivered:
            return outcome
        found = next((n["id"] for n in (outcome.body or {}).get("data") or [] if marker in (n.get("content") or "")), None)
        if found is None:
            note: dict[str, Any] = {"content": f"{text[:90000]}\n\n{marker}", "deal_id": ids["deals"]}
            if "persons" in ids:
                note["person_id"] = ids["persons"]
            outcome = self._call("POST", "/notes", note)
            if not outcome.delivered:
                return outcome
            found = outcome.body["data"]["id"]
        links.put(lead_id, object_type, str(found))
        return _OK

    def _merge(self, source: int, target: int, links: LinkBook) -> Outcome:
        """A lead merged into another: its deal becomes the survivor's when that has none in
        Pipedrive yet, else it is marked lost as merged (as the store closes it); either way its
        links move to the survivor, whose own events then update what it owns."""
        deal = links.get(source, "deals")
        if deal:
            theirs = links.get(target, "deals")
            if theirs is None:
                outcome, found = self._search("deals", "custom_fields", str(target))
                if not outcome.delivered:
                    return outcome
                theirs = str(found) if found else None
                if theirs and theirs != deal:
                    links.put(target, "deals", theirs)
            fields: dict[str, Any] = ({"status": "lost", "lost_reason": f"merged into leadbot lead #{target}"}
                                      if theirs and theirs != deal else {self.cfg.lead_id_field: str(target)})
            outcome = self._call("PUT", f"/deals/{deal}", fields)
            if not outcome.delivered and outcome.status not in (404, 410):
                return outcome
        links.merge(source, target)
        return _OK

    def _delete(self, lead_id: int, links: LinkBook) -> Outcome:
        for object_type, external_id in links.all(lead_id).items():
            kind = object_kind(object_type)
            if kind == "organizations":
                links.drop(lead_id, object_type)  # shared with the company's other people: kept
                continue
            outcome = self._call("DELETE", f"/{kind}/{external_id}")
            if not outcome.delivered and outcome.status not in (404, 410):
                return outcome
            links.drop(lead_id, object_type)
        return _OK

    def _deal_fields(self, lead: dict[str, Any], ids: dict[str, int]) -> dict[str, Any]:
        deal = lead["deal"]
        fields: dict[str, Any] = {
            "title": f"{lead['company'] or lead['name'] or lead['email'] or 'Lead'} (leadbot #{lead['id']})",
            self.cfg.lead_id_field: str(lead["id"]),
            **mapped(lead, self.cfg.deal_fields, as_text=False),
        }
        if "persons" in ids:
            fields["person_id"] = ids["persons"]
        if "organizations" in ids:
            fields["org_id"] = ids["organizations"]
        if deal["value"] is not None:
            fields["value"] = deal["value"]
        if deal["currency"]:
            fields["currency"] = deal["currency"]
        if deal["stage"] in self.cfg.stages:
            fields["stage_id"] = self.cfg.stages[deal["stage"]]
        stage = self.stages.get(deal["stage"] or "")
        fields["status"] = "won" if stage and stage.won else "lost" if stage and stage.lost else "open"
        if deal["lost_reason"]:
            fields["lost_reason"] = deal["lost_reason"]
        return fields

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None,
              params: dict[str, Any] | None = None) -> Outcome:
        return call(self.http, method, self.cfg.base_url + path, json=body, params=params,
                    timeout=self.settings.timeout_seconds)
