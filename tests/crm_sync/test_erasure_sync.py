"""An erasure reaches every CRM through the outbox, whichever way it was asked (`leadbot leads
delete` / the dashboard, or the visitor in the chat): the real worker against the fake HubSpot,
Pipedrive and Salesforce deletes what it created; a conversation linked to a lead sends nothing."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.erasure import Copies, erase_conversation, erase_lead
from bot.intake import Spool
from bot.store.repository import save_lead
from tests.crm_sync.fake_hubspot import FakeHubSpot
from tests.crm_sync.fake_pipedrive import FakePipedrive
from tests.crm_sync.fake_salesforce import FakeSalesforce
from tests.crm_sync.sync_helpers import configure, sync_until_idle, utcnow
from tests.store.builders import submission

FIELD = "9f3a1c2e4b5d6f7a8b9c0d1e2f3a4b5c6d7e8f90"


@pytest.fixture(params=["hubspot", "pipedrive", "salesforce"])
def crm(request: pytest.FixtureRequest) -> Iterator[Any]:
    fake = {"hubspot": lambda: FakeHubSpot("t"), "pipedrive": lambda: FakePipedrive("t", FIELD),
            "salesforce": lambda: FakeSalesforce("t")}[request.param]()
    with fake:
        yield request.param, fake


@pytest.fixture
def env(tmp_path: Path, crm: tuple[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    name, fake = crm
    config = {
        "hubspot": f"provider: hubspot\nhubspot: {{base_url: '{fake.url}'}}\n",
        "pipedrive": f"provider: pipedrive\npipedrive: {{base_url: '{fake.url}/v1', lead_id_field: '{FIELD}'}}\n",
        "salesforce": f"provider: salesforce\nsalesforce: {{instance_url: '{fake.url}'}}\n",
    }[name]
    token = {"hubspot": "HUBSPOT_ACCESS_TOKEN", "pipedrive": "PIPEDRIVE_API_TOKEN",
             "salesforce": "SALESFORCE_ACCESS_TOKEN"}[name]
    return configure(tmp_path, monkeypatch, config, {token: "t"})


def held(crm: tuple[str, Any]) -> int:
    """How many records the CRM holds (Pipedrive keeps the company's organization: shared)."""
    name, fake = crm
    objects = fake.records if name == "salesforce" else fake.objects
    return sum(len(records) for kind, records in objects.items() if kind != "organizations")


def test_erasure_by_a_rep_or_by_the_visitor_deletes_the_crms_records(sessions, crm, tmp_path: Path) -> None:
    copies = Copies(Spool(tmp_path / "spool"), None)
    with sessions.begin() as s:
        by_rep = save_lead(s, submission("conv-rep", email="rep@erase.example"), now=utcnow()).lead_id
        save_lead(s, submission("conv-chat", email="chat@erase.example"), now=utcnow())
    sync_until_idle(sessions)
    created = held(crm)
    assert created >= 2
    with sessions.begin() as s:  # a stranger typing a stored e-mail is kept beside the lead: the CRM hears nothing
        save_lead(s, submission("conv-stranger", email="rep@erase.example", name="Mallory"), now=utcnow())
    sync_until_idle(sessions)
    assert held(crm) == created

    with sessions.begin() as s:
        erase_lead(s, by_rep, copies, now=utcnow())
    sync_until_idle(sessions)
    assert held(crm) == created // 2
    with sessions.begin() as s:
        erase_conversation(s, "conv-chat", copies, now=utcnow())
    sync_until_idle(sessions)
    assert held(crm) == 0
