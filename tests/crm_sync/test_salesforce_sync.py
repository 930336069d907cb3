"""Salesforce through the real worker against a fake Salesforce on 127.0.0.1: one Lead per
lead upserted by external id, Tasks for the transcript and notes, status from the stage,
deletion; faults and two workers never duplicate."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.answers import Budget
from bot.store.repository import add_note, delete_lead, move_stage, save_lead
from tests.crm_sync.fake_receiver import Fault
from tests.crm_sync.fake_salesforce import FakeSalesforce
from tests.crm_sync.sync_helpers import cli, configure, seed, statuses, sync_until_idle, utcnow
from tests.store.builders import submission

TOKEN = "00Dxx!sf-test-token"


@pytest.fixture
def salesforce():
    with FakeSalesforce(TOKEN) as fake:
        yield fake


@pytest.fixture
def env(tmp_path: Path, salesforce: FakeSalesforce, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return configure(tmp_path, monkeypatch, f"provider: salesforce\nsalesforce: {{instance_url: '{salesforce.url}'}}\n",
                     {"SALESFORCE_ACCESS_TOKEN": TOKEN})


def counts(fake: FakeSalesforce) -> dict[str, int]:
    return {kind: len(records) for kind, records in fake.records.items()}


def test_each_lead_is_one_salesforce_lead_with_its_transcript_task(sessions, salesforce) -> None:
    ids = seed(sessions, 3)
    sync_until_idle(sessions)
    assert statuses(sessions) == Counter({"delivered": 6})
    assert counts(salesforce) == {"Lead": 3, "Task": 3}
    lead = next(r for r in salesforce.records["Lead"].values() if r["Leadbot_Id__c"] == str(ids[0]))
    assert lead["FirstName"] == "Sam" and lead["LastName"] == "Ortiz" and lead["Email"] == "lead0@example.com"
    assert lead["Company"] == "Brightwell Dental" and lead["Title"] == "Head of IT"
    assert lead["Status"] == "Working - Contacted" and lead["LeadSource"] == "Chat"
    task = next(iter(salesforce.records["Task"].values()))
    assert task["Subject"] == "Conversation with leadbot" and task["WhoId"] in salesforce.records["Lead"]


def test_updates_notes_status_and_deletion(sessions, salesforce) -> None:
    (lead_id,) = seed(sessions, 1)
    sync_until_idle(sessions)
    with sessions.begin() as s:
        result = save_lead(s, submission("conv-0", email="lead0@example.com", name="Sam Ortiz-Vega",
                                         budget=Budget("stated", "35k", 35000, 35000, "USD")), now=utcnow())
    with sessions.begin() as s:
        move_stage(s, result.deal_id, "won", now=utcnow(), by="alice")
    with sessions.begin() as s:
        add_note(s, lead_id, "Signed!", author="alice", now=utcnow())
    sync_until_idle(sessions)
    assert counts(salesforce) == {"Lead": 1, "Task": 2}
    lead = next(iter(salesforce.records["Lead"].values()))
    assert lead["LastName"] == "Ortiz-Vega" and lead["Status"] == "Closed - Converted"
    assert any(t["Description"] == "Signed!" and t["Subject"] == "Note by alice" for t in salesforce.records["Task"].values())
    with sessions.begin() as s:
        delete_lead(s, lead_id, now=utcnow())
    sync_until_idle(sessions)
    assert counts(salesforce) == {"Lead": 0, "Task": 0}


def test_a_lead_without_name_or_company_still_satisfies_salesforce(sessions, salesforce) -> None:
    with sessions.begin() as s:
        save_lead(s, submission("conv-x", email="anon@example.com", name=None), now=utcnow())
    sync_until_idle(sessions)
    [lead] = salesforce.records["Lead"].values()
    assert lead["LastName"] == "anon@example.com" and lead["Company"] == "Brightwell Dental"


def test_faults_are_retried_and_never_duplicate(sessions, salesforce) -> None:
    seed(sessions, 3)
    salesforce.inject(Fault("status", 503), Fault("sleep", seconds=0.6), Fault("status", 429),
                      Fault("reset"), Fault("apply_then_sleep", seconds=0.6), Fault("apply_then_sleep", seconds=0.6))
    sync_until_idle(sessions)
    assert statuses(sessions) == Counter({"delivered": 6})
    assert counts(salesforce) == {"Lead": 3, "Task": 3}


def test_a_refused_token_is_one_alert_with_salesforces_words(sessions, salesforce, env, monkeypatch) -> None:
    monkeypatch.setenv("SALESFORCE_ACCESS_TOKEN", "expired")
    seed(sessions, 1)
    cli("sync")
    status = cli("sync", "status")
    assert "CONNECTION REFUSED" in status.stdout and "HTTP 401" in status.stdout
    assert "Session expired or invalid" in status.stdout and "No dead letters." in status.stdout
    assert statuses(sessions) == Counter({"pending": 2})
    assert counts(salesforce) == {"Lead": 0, "Task": 0}


def test_the_visitors_phone_reaches_the_lead_even_without_an_email(sessions, salesforce) -> None:
    with sessions.begin() as s:
        save_lead(s, submission("conv-p", email="phone@example.com", phone="+971501234567"), now=utcnow())
        save_lead(s, submission("conv-q", email=None, phone="+14155550132"), now=utcnow())
    sync_until_idle(sessions)
    phones = sorted(r.get("Phone") for r in salesforce.records["Lead"].values())
    assert phones == ["+14155550132", "+971501234567"]
