"""HubSpot through the real worker against a fake HubSpot on 127.0.0.1: each lead becomes
one contact, one deal and one transcript note, updates are updates, deletion deletes,
and no fault or crash creates a duplicate."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.answers import Budget
from bot.store.repository import add_note, delete_lead, move_stage, save_lead
from bot.store.schema import CrmLink, OutboxEvent
from tests.crm_sync.fake_hubspot import FakeHubSpot
from tests.crm_sync.fake_receiver import Fault
from tests.crm_sync.sync_helpers import cli, configure, seed, statuses, sync_until_idle, utcnow
from tests.store.builders import submission

TOKEN = "pat-test-token"


@pytest.fixture
def hubspot():
    with FakeHubSpot(TOKEN) as fake:
        yield fake


@pytest.fixture
def env(tmp_path: Path, hubspot: FakeHubSpot, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return configure(tmp_path, monkeypatch,
                     f"provider: hubspot\nhubspot: {{base_url: '{hubspot.url}', owners: {{'dana@seller.example': '77'}}}}\n",
                     {"HUBSPOT_ACCESS_TOKEN": TOKEN})


def counts(hubspot: FakeHubSpot) -> dict[str, int]:
    return {kind: len(objects) for kind, objects in hubspot.objects.items()}


def test_each_lead_is_one_contact_one_deal_one_note_with_its_fields(sessions, hubspot) -> None:
    ids = seed(sessions, 3)
    sync_until_idle(sessions)
    assert statuses(sessions) == Counter({"delivered": 6})
    assert counts(hubspot) == {"contacts": 3, "deals": 3, "notes": 3}
    contact = next(p for p in hubspot.objects["contacts"].values() if p["email"] == "lead0@example.com")
    assert contact == {"email": "lead0@example.com", "firstname": "Sam", "lastname": "Ortiz",
                       "company": "Brightwell Dental", "jobtitle": "Head of IT"}
    deal_id, deal = next((i, p) for i, p in hubspot.objects["deals"].items() if p["leadbot_lead_id"] == str(ids[0]))
    assert deal["dealstage"] == "qualifiedtobuy" and deal["pipeline"] == "default" and deal["amount"] == "12000"
    assert deal["description"] == "We need a chatbot to book consultations"
    assert hubspot.associations[deal_id][0]["types"][0]["associationTypeId"] == 3
    note = next(iter(hubspot.objects["notes"].values()))
    assert "Conversation with leadbot" in note["hs_note_body"] and "book consultations" in note["hs_note_body"]
    with sessions() as s:
        assert s.scalar(select(CrmLink.external_id).where(CrmLink.lead_id == ids[0], CrmLink.object_type == "deals")) == deal_id


def test_updates_are_updates_and_deletion_reaches_hubspot(sessions, hubspot) -> None:
    (lead_id,) = seed(sessions, 1)
    sync_until_idle(sessions)
    with sessions.begin() as s:
        result = save_lead(s, submission("conv-0", email="lead0@example.com",
                                         budget=Budget("stated", "35k", 35000, 35000, "USD")), now=utcnow())
    with sessions.begin() as s:
        move_stage(s, result.deal_id, "lost", now=utcnow(), by="alice", lost_reason="chose_competitor")
    with sessions.begin() as s:
        add_note(s, lead_id, "Went with a competitor", author="alice", now=utcnow())
    sync_until_idle(sessions)
    assert counts(hubspot) == {"contacts": 1, "deals": 1, "notes": 2}
    deal = next(iter(hubspot.objects["deals"].values()))
    assert deal["amount"] == "35000" and deal["dealstage"] == "closedlost"
    assert deal["closed_lost_reason"] == "chose_competitor"
    assert any("alice: Went with a competitor" in n["hs_note_body"] for n in hubspot.objects["notes"].values())

    with sessions.begin() as s:
        delete_lead(s, lead_id, now=utcnow())
    sync_until_idle(sessions)
    assert counts(hubspot) == {"contacts": 0, "deals": 0, "notes": 0}
    with sessions() as s:
        assert s.scalars(select(CrmLink)).first() is None


def test_faults_are_retried_and_never_duplicate(sessions, hubspot) -> None:
    seed(sessions, 3)
    hubspot.inject(Fault("status", 500), Fault("sleep", seconds=0.6), Fault("status", 429, retry_after="1"),
                   Fault("reset"), Fault("status", 503), Fault("apply_then_sleep", seconds=0.6),
                   Fault("apply_then_sleep", seconds=0.6))
    sync_until_idle(sessions)
    assert statuses(sessions) == Counter({"delivered": 6})
    assert counts(hubspot) == {"contacts": 3, "deals": 3, "notes": 3}, "answers lost in flight created nothing twice"


def test_a_wrong_token_pauses_the_worker_not_a_loop(sessions, hubspot, env, monkeypatch) -> None:
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "wrong")
    seed(sessions, 1)
    cli("sync")
    cli("sync")
    with sessions() as s:
        errors = s.scalars(select(OutboxEvent.last_error).where(OutboxEvent.status == "pending")).all()
    assert len(hubspot.requests) == 1, "one refused call, then the worker waits for a new token"
    assert any("HTTP 401" in (e or "") and "Authentication credentials not found" in (e or "") for e in errors)
    assert counts(hubspot) == {"contacts": 0, "deals": 0, "notes": 0}


def test_the_visitors_phone_reaches_the_contact_and_a_new_number_updates_it(sessions, hubspot) -> None:
    with sessions.begin() as s:
        save_lead(s, submission("conv-p", email="phone@example.com", phone="+442079460958"), now=utcnow())
    sync_until_idle(sessions)
    [contact] = hubspot.objects["contacts"].values()
    assert contact["phone"] == "+442079460958" and contact["email"] == "phone@example.com"
    with sessions.begin() as s:
        save_lead(s, submission("conv-p", email="phone@example.com", phone="+14155550132"), now=utcnow())
    sync_until_idle(sessions)
    [contact] = hubspot.objects["contacts"].values()
    assert contact["phone"] == "+14155550132"
