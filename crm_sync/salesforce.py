"""Salesforce (REST API): a Lead upserted by an external id field, Tasks for the transcript
and the reps' notes, upserted by an external id on Task.

Upsert by external id is idempotent on Salesforce's side: the same lead id (or event id)
always lands on the same record, so a replay, a crash between Salesforce's answer and our
commit, or two workers never create a second one. The record ids are still kept in
`crm_links` (Tasks need the Lead's id as `WhoId`). A deletion deletes the Lead, and
Salesforce deletes its Tasks with it.
"""
from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

import requests

from bot.outbound import Outcome, call
from crm_sync.links import LinkBook, per_event
from crm_sync.mapping import mapped
from crm_sync.settings import CrmSettings

_OK = Outcome(True)


class SalesforceTarget:
    name = "salesforce"

    def __init__(self, settings: CrmSettings, session: requests.Session | None = None) -> None:
        self.settings = settings
        self.cfg = settings.salesforce
        self.http = session or requests.Session()
        self.http.headers.update({"Authorization": f"Bearer {self.cfg.token()}", "Content-Type": "application/json",
                                  "User-Agent": "leadbot-crm-sync"})
        self.base = f"{self.cfg.instance_url}/services/data/{self.cfg.api_version}/sobjects"

    def deliver(self, event: dict[str, Any], links: LinkBook) -> Outcome:
        kind, lead_id, lead = event["event_type"], event["lead_id"], event.get("lead")
        if kind == "lead.deleted":
            outcome = self._call("DELETE", self._by_external_id("Lead", self.cfg.external_id_field, str(lead_id)))
            if not outcome.delivered and outcome.status != 404:
                return outcome
            links.drop(lead_id)
            return _OK
        if lead is None:
            return _OK
        fields = self._lead_fields(lead)
        if kind == "lead.assigned" and self.cfg.owners.get(event["payload"].get("rep_email", "")):
            fields["OwnerId"] = self.cfg.owners[event["payload"]["rep_email"]]
        outcome = self._call("PATCH", self._by_external_id("Lead", self.cfg.external_id_field, str(lead_id)), fields)
        if not outcome.delivered:
            return outcome
        if isinstance(outcome.body, dict) and outcome.body.get("id"):
            links.put(lead_id, "Lead", str(outcome.body["id"]))
        if kind == "lead.created":
            transcript = "\n".join(f"{t['sender']}: {t['text']}" for t in event.get("transcript", []))
            return self._task(lead_id, event["event_id"], "Conversation with leadbot", transcript, links)
        if kind == "note.added":
            payload = event["payload"]
            return self._task(lead_id, event["event_id"], f"Note by {payload['author']}", payload["body"], links)
        return _OK

    def _task(self, lead_id: int, event_id: str, subject: str, text: str, links: LinkBook) -> Outcome:
        who = links.get(lead_id, "Lead")
        if who is None:  # updated rather than created just now: ask for the record id once
            outcome = self._call("GET", self._by_external_id("Lead", self.cfg.external_id_field, str(lead_id))
                                 + "?fields=Id")
            if not outcome.delivered:
                return outcome
            who = str(outcome.body["Id"])
            links.put(lead_id, "Lead", who)
        outcome = self._call("PATCH", self._by_external_id("Task", self.cfg.task_external_id_field, event_id), {
            "Subject": subject[:255], "Description": text[:32000], "WhoId": who, "Status": "Completed",
            "ActivityDate": date.today().isoformat()})
        if outcome.delivered and isinstance(outcome.body, dict) and outcome.body.get("id"):
            links.put(lead_id, per_event("task", event_id), str(outcome.body["id"]))
        return outcome

    def _lead_fields(self, lead: dict[str, Any]) -> dict[str, Any]:
        fields = mapped(lead, self.cfg.lead_fields)
        # Salesforce requires LastName and Company on a Lead.
        fields.setdefault("LastName", lead["name"] or lead["email"] or f"Visitor {lead['id']}")
        fields.setdefault("Company", lead["company"] or "[not provided]")
        fields["LeadSource"] = self.cfg.lead_source
        status = self.cfg.statuses.get(lead["deal"]["stage"] or "")
        if status:
            fields["Status"] = status
        return fields

    def _by_external_id(self, sobject: str, field: str, value: str) -> str:
        return f"{self.base}/{sobject}/{field}/{quote(value, safe='')}"

    def _call(self, method: str, url: str, body: dict[str, Any] | None = None) -> Outcome:
        return call(self.http, method, url, json=body, timeout=self.settings.timeout_seconds)
