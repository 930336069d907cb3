"""Salesforce read-back: polling only (Salesforce has no webhook a worker can receive
without an Apex or Platform Events setup), by `SystemModstamp` with SOQL.

Each round asks for the Leads, and the Tasks that are not ours (no event id), modified
since the cursor, oldest first (`SystemModstamp >= cursor ORDER BY SystemModstamp`),
following `nextRecordsUrl`. A Lead's `Status` is its stage (read back through
`salesforce.statuses`: a status several of our stages share changes nothing while the lead
is in one of them), its `OwnerId` its owner; a rep's Task on the Lead becomes a note.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from bot.outbound import Outcome
from crm_sync.readback import Change, Page, WebhookRefused
from crm_sync.readback.vocabulary import Vocabulary

PAGE = 200
Call = Callable[[str, str, Any], Outcome]


def _time(value: str) -> datetime:
    """Salesforce's "2026-12-05T10:00:00.000+0000"."""
    text = value.replace("Z", "+00:00")
    if text[-5] in "+-" and text[-3] != ":":
        text = text[:-2] + ":" + text[-2:]
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def _literal(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


class SalesforceReader:
    crm = "salesforce"
    streams = ("Lead", "Task")

    def __init__(self, vocabulary: Vocabulary, external_id_field: str, task_external_id_field: str,
                 api_path: str, *, lost_reason_field: str = "", call: Call | None = None) -> None:
        self.vocab, self.external_id_field, self.task_field = vocabulary, external_id_field, task_external_id_field
        self.api_path, self.lost_reason_field, self.call = api_path, lost_reason_field, call

    def webhook(self, method: str, url: str, headers: Any, body: bytes) -> list[Change]:
        raise WebhookRefused(404, "Salesforce changes are polled, not pushed")

    def initial_position(self, since: datetime) -> str:
        return _literal(since)

    def poll(self, stream: str, position: str, after: str | None) -> Page:
        assert self.call is not None, "polling needs the Salesforce target's session"
        if after:
            outcome = self.call("GET", after, None)  # nextRecordsUrl: a path from the instance's root
        else:
            outcome = self.call("GET", f"{self.api_path}/query?q={quote(self._soql(stream, position))}", None)
        if not outcome.delivered:
            return Page(outcome)
        body = outcome.body or {}
        changes: list[Change] = []
        newest = position
        for record in body.get("records") or []:
            at = _time(record["SystemModstamp"])
            newest = max(newest, _literal(at))
            changes += self._lead(record, at) if stream == "Lead" else self._task(record, at)
        next_url = None if body.get("done", True) else body.get("nextRecordsUrl")
        full = len(body.get("records") or []) >= PAGE  # LIMIT reached: more may wait after the newest
        return Page(outcome, changes, newest, more=bool(next_url) or full, after=next_url)

    def _soql(self, stream: str, position: str) -> str:
        if stream == "Lead":
            fields = ["Id", "Status", "OwnerId", "SystemModstamp", self.external_id_field]
            if self.lost_reason_field:
                fields.append(self.lost_reason_field)
            where = f"SystemModstamp >= {position}"
        else:
            fields = ["Id", "WhoId", "Subject", "Description", "SystemModstamp"]
            where = f"SystemModstamp >= {position} AND {self.task_field} = null"
        return f"SELECT {', '.join(fields)} FROM {stream} WHERE {where} ORDER BY SystemModstamp ASC LIMIT {PAGE}"

    def _lead(self, record: dict[str, Any], at: datetime) -> list[Change]:
        v, record_id = self.vocab, str(record["Id"])
        lead = record.get(self.external_id_field)
        lead_id = int(lead) if str(lead or "").isdigit() else None
        reason = v.lost_reason(record.get(self.lost_reason_field)) if self.lost_reason_field else None
        changes = [v.stage("Lead", record_id, record.get("Status"), at, "poll", lead_id=lead_id, lost_reason=reason)]
        if record.get("OwnerId"):
            changes.append(v.owner("Lead", record_id, record["OwnerId"], at, "poll", lead_id=lead_id))
        return changes

    def _task(self, record: dict[str, Any], at: datetime) -> list[Change]:
        if not str(record.get("WhoId") or "").startswith("00Q"):
            return []  # a Task on a Contact or Account: not one of our Leads
        text = "\n".join(t for t in (record.get("Subject"), record.get("Description")) if t)
        return [self.vocab.note("Lead", str(record["WhoId"]), str(record["Id"]), text, at, "poll")]
