"""Salesforce (REST API): a Lead upserted by an external id field, Tasks for the transcript
and the reps' notes, upserted by an external id on Task.

Upsert by external id is idempotent on Salesforce's side: the same lead id (or event id)
always lands on the same record, so a replay, a crash between Salesforce's answer and our
commit, or two workers never create a second one. The record ids are still kept in
`crm_links` (Tasks need the Lead's id as `WhoId`). A deletion deletes the Lead, and
Salesforce deletes its Tasks with it.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import requests
from sqlalchemy.orm import Session, sessionmaker

from bot.outbound import Outcome, call
from bot.store.pipeline import load_pipeline_settings
from crm_sync.connection import fingerprint
from crm_sync.http import api_session
from crm_sync.links import LinkBook, per_event
from crm_sync.mapping import check_stages, mapped, transcript_text
from crm_sync.oauth import BearerAuth, TokenManager
from crm_sync.settings import CrmSettings
from crm_sync.tokens import TokenBox

_OK = Outcome(True)


class SalesforceTarget:
    name = "salesforce"

    def __init__(self, settings: CrmSettings, session: requests.Session | None = None) -> None:
        self.settings = settings
        self.cfg = settings.salesforce
        pipeline = load_pipeline_settings()
        check_stages(self.cfg.statuses, "salesforce.statuses", pipeline.keys)
        self.lost_stage = pipeline.lost_stage.key
        oauth = self.cfg.oauth
        self.static_token = self.cfg.token() if oauth.flow == "token" else None
        if oauth.flow != "token":  # checked now, so `leadbot sync` refuses to start without them
            for name in ("client_id_env", "client_secret_env", "refresh_token_env") if oauth.flow == "refresh_token" \
                    else ("client_id_env", "private_key_env"):
                oauth.secret(name)
            TokenBox()
        self.http = api_session({"Authorization": f"Bearer {self.static_token}"} if self.static_token else {}, session)
        self.base = f"{self.cfg.instance_url}/services/data/{self.cfg.api_version}/sobjects"
        self.tokens: TokenManager | None = None

    def bind(self, sessions: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        """OAuth flows keep their tokens in the store: the worker hands it over before the first call."""
        if self.cfg.oauth.flow != "token" and self.tokens is None:
            oauth = self.cfg.oauth
            self.tokens = TokenManager(self.name, oauth, sessions, token_url=oauth.login_url + oauth.token_path,
                                       now=now, timeout=self.settings.timeout_seconds)
            self.http.auth = BearerAuth(self.tokens)

    def credential_sha256(self) -> str:
        """Which credential the connection uses (a new one clears a refusal: crm_sync/connection.py)."""
        if self.tokens is not None:
            return self.tokens.credential
        return fingerprint(self.static_token or "")

    def deliver(self, event: dict[str, Any], links: LinkBook) -> Outcome:
        kind, lead_id, lead = event["event_type"], event["lead_id"], event.get("lead")
        if kind == "lead.deleted":
            return self._delete(lead_id, links)
        if kind == "lead.merged":
            return self._merge(lead_id, event["payload"]["merged_into"], links)
        if lead is None:
            return _OK
        fields = self._lead_fields(lead)
        unchanged = set(event.get("unchanged") or ())
        if "stage" in unchanged:
            fields.pop("Status", None)  # Salesforce has it already (a rep may have changed it since)
        if (kind == "lead.assigned" and self.cfg.owners.get(event["payload"].get("rep_email", ""))
                and "owner" not in unchanged):
            fields["OwnerId"] = self.cfg.owners[event["payload"]["rep_email"]]
        outcome = self._call("PATCH", self._lead_url(lead_id), fields)
        if not outcome.delivered:
            return outcome
        if isinstance(outcome.body, dict) and outcome.body.get("id"):
            links.put(lead_id, "Lead", str(outcome.body["id"]))
        if kind == "lead.created":
            transcript = transcript_text(event)
            return self._task(lead_id, event["event_id"], "Conversation with leadbot", transcript, links)
        if kind == "note.added":
            payload = event["payload"]
            return self._task(lead_id, event["event_id"], f"Note by {payload['author']}", payload["body"], links)
        return _OK

    def writes(self, event: dict[str, Any]) -> tuple[str, ...]:
        """The synced fields Salesforce holds as ours once this event is delivered (crm_sync/sync_state.py)."""
        lead = event.get("lead")
        if not lead or event["event_type"] in ("lead.deleted", "lead.merged"):
            return ()
        fields = ["stage"] if (lead["deal"]["stage"] or "") in self.cfg.statuses else []
        if event["event_type"] == "lead.assigned" and self.cfg.owners.get(event["payload"].get("rep_email", "")):
            fields.append("owner")
        return tuple(fields)

    def instance_url(self) -> str:
        return self.cfg.instance_url

    def _task(self, lead_id: int, event_id: str, subject: str, text: str, links: LinkBook) -> Outcome:
        outcome, who = self._lead_record(lead_id, links)
        if who is None:
            return outcome if not outcome.delivered else Outcome(
                False, error=f"Salesforce has no Lead with {self.cfg.external_id_field} = {lead_id}")
        outcome = self._call("PATCH", self._by_external_id("Task", self.cfg.task_external_id_field, event_id), {
            "Subject": subject[:255], "Description": text[:32000], "WhoId": who, "Status": "Completed",
            "ActivityDate": date.today().isoformat()})
        if outcome.delivered and isinstance(outcome.body, dict) and outcome.body.get("id"):
            links.put(lead_id, per_event("Task", event_id), str(outcome.body["id"]))
        return outcome

    def _lead_record(self, lead_id: int, links: LinkBook) -> tuple[Outcome, str | None]:
        """The Salesforce record id of our lead's Lead (kept in `crm_links`, else asked once)."""
        known = links.get(lead_id, "Lead")
        if known:
            return _OK, known
        outcome = self._call("GET", self._lead_url(lead_id) + "?fields=Id")
        if outcome.status == 404:
            return _OK, None
        if not outcome.delivered:
            return outcome, None
        links.put(lead_id, "Lead", str(outcome.body["Id"]))
        return outcome, str(outcome.body["Id"])

    def _merge(self, source: int, target: int, links: LinkBook) -> Outcome:
        """A lead merged into another: its Lead becomes the survivor's when that has none in
        Salesforce yet (its external id changes), else it is closed as merged; either way its
        links move to the survivor, whose own events then update what it owns."""
        outcome, mine = self._lead_record(source, links)
        if not outcome.delivered:
            return outcome
        if mine:
            outcome, theirs = self._lead_record(target, links)
            if not outcome.delivered:
                return outcome
            if theirs and theirs != mine:
                fields = {"Status": self.cfg.statuses.get(self.lost_stage, "Closed - Not Converted"),
                          "Description": f"Merged into leadbot lead #{target}"}
            else:
                fields = {self.cfg.external_id_field: str(target)}
            outcome = self._call("PATCH", f"{self.base}/Lead/{mine}", fields)
            if not outcome.delivered and outcome.status != 404:
                return outcome
        links.merge(source, target)
        return _OK

    def _delete(self, lead_id: int, links: LinkBook) -> Outcome:
        """Erasure: our Lead (found by external id) and any Lead merged into it; Salesforce
        deletes their Tasks with them."""
        urls = [self._lead_url(lead_id)] + [f"{self.base}/Lead/{record}" for object_type, record
                                            in links.all(lead_id).items() if object_type.startswith("Lead:")]
        for url in urls:
            outcome = self._call("DELETE", url)
            if not outcome.delivered and outcome.status != 404:
                return outcome
        links.drop(lead_id)
        return _OK

    def _lead_url(self, lead_id: int) -> str:
        return self._by_external_id("Lead", self.cfg.external_id_field, str(lead_id))

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
