"""Salesforce read-back by polling (SOQL on SystemModstamp) through the real worker and a real
SQLite store: a Lead's status and owner and a rep's Task come back once; a status several
of our stages share changes nothing; our own writes read back are not written again."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.store.repository import move_stage
from bot.store.schema import CrmLink, Lead
from tests.crm_sync.fake_salesforce import FakeSalesforce
from tests.crm_sync.read_back_helpers import REP, add_dana, changes, deal_of, history, notes, pending, report
from tests.crm_sync.sync_helpers import cli, configure, seed, sync_until_idle, utcnow

TOKEN = "00Dxx!sf-test-token"
OWNER = "005xx0000012345"


@pytest.fixture
def salesforce():
    with FakeSalesforce(TOKEN) as fake:
        yield fake


@pytest.fixture
def env(tmp_path: Path, salesforce: FakeSalesforce, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return configure(tmp_path, monkeypatch,
                     f"provider: salesforce\nsalesforce: {{instance_url: '{salesforce.url}', owners: {{'{REP}': '{OWNER}'}}}}\n",
                     {"SALESFORCE_ACCESS_TOKEN": TOKEN})


def synced_lead(sessions) -> tuple[int, str]:
    (lead_id,) = seed(sessions, 1)
    sync_until_idle(sessions)
    with sessions() as s:
        record = s.scalar(select(CrmLink.external_id).where(CrmLink.lead_id == lead_id, CrmLink.object_type == "Lead"))
    return lead_id, record


def writes(salesforce: FakeSalesforce) -> list[tuple[str, str]]:
    return [r for r in salesforce.requests if r[0] in ("PATCH", "POST", "DELETE")]


def test_a_converted_lead_its_owner_and_a_reps_task_are_read_back_within_one_sync(sessions, salesforce) -> None:
    add_dana(sessions)
    lead_id, record = synced_lead(sessions)
    salesforce.rep_change(record, Status="Closed - Converted", OwnerId=OWNER)
    salesforce.rep_task(record, "Call", "Signed the contract")
    result = cli("sync")
    assert result.returncode == 0 and "applied 3" in result.stdout, result.stdout
    assert history(sessions, lead_id)[-1] == ("qualified", "won", "salesforce")
    assert report()["outcomes"]["won"] == 1
    assert notes(sessions, lead_id) == [("Salesforce", "Call\nSigned the contract")]
    with sessions() as s:
        assert s.get(Lead, lead_id).owner.email == REP
    before = len(writes(salesforce))
    cli("sync")
    cli("sync")
    assert writes(salesforce)[before:] == [] and pending(sessions) == 0
    assert len(notes(sessions, lead_id)) == 1


def test_a_status_our_stage_shares_changes_nothing_and_our_writes_are_not_sent_twice(sessions, salesforce) -> None:
    lead_id, record = synced_lead(sessions)
    with sessions.begin() as s:  # meeting and qualified are both "Working - Contacted"
        move_stage(s, deal_of(sessions, lead_id).id, "meeting", now=utcnow(), by="alice")
    sync_until_idle(sessions)
    before = len(writes(salesforce))
    cli("sync")
    assert writes(salesforce)[before:] == []
    assert deal_of(sessions, lead_id).stage == "meeting" and changes(sessions, lead_id) == []
    salesforce.rep_change(record, Status="Closed - Not Converted")
    cli("sync", "pull")
    lost = deal_of(sessions, lead_id)
    assert (lost.stage, lost.lost_reason) == ("lost", "no_decision"), "no reason field: the configured default"
    assert [h[2] for h in history(sessions, lead_id)] == ["bot", "alice", "salesforce"]
