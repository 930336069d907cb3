"""Pipedrive through the real worker against a fake Pipedrive on 127.0.0.1: person,
organization, deal and transcript note once per lead; updates, won/lost and notes as
updates; deletion; faults and a killed worker never duplicate."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.answers import Budget
from bot.store.repository import add_note, delete_lead, move_stage, save_lead
from bot.store.schema import CrmLink
from tests.crm_sync.fake_pipedrive import FakePipedrive
from tests.crm_sync.fake_receiver import Fault
from tests.crm_sync.sync_helpers import cli, configure, seed, statuses, sync_until_idle, utcnow
from tests.store.builders import submission

TOKEN = "pd-test-token"
FIELD = "9f3a1c2e4b5d6f7a8b9c0d1e2f3a4b5c6d7e8f90"


@pytest.fixture
def pipedrive():
    with FakePipedrive(TOKEN, FIELD) as fake:
        yield fake


@pytest.fixture
def env(tmp_path: Path, pipedrive: FakePipedrive, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return configure(tmp_path, monkeypatch,
                     f"provider: pipedrive\npipedrive: {{base_url: '{pipedrive.url}/v1', lead_id_field: '{FIELD}', "
                     f"stages: {{qualified: 2, meeting: 3, lost: 5}}, deal_fields: {{need.text: need_text_key}}}}\n",
                     {"PIPEDRIVE_API_TOKEN": TOKEN})


def counts(fake: FakePipedrive) -> dict[str, int]:
    return {kind: len(objects) for kind, objects in fake.objects.items()}


def test_each_lead_is_one_person_one_deal_one_note(sessions, pipedrive) -> None:
    ids = seed(sessions, 3)
    sync_until_idle(sessions)
    assert statuses(sessions) == Counter({"delivered": 6})
    assert counts(pipedrive) == {"persons": 3, "organizations": 1, "deals": 3, "notes": 3}, "one shared company"
    person = next(p for p in pipedrive.objects["persons"].values() if p["email"][0]["value"] == "lead0@example.com")
    assert person["name"] == "Sam Ortiz" and person["org_id"] in pipedrive.objects["organizations"]
    deal = next(d for d in pipedrive.objects["deals"].values() if d[FIELD] == str(ids[0]))
    assert deal["stage_id"] == 2 and deal["status"] == "open" and deal["value"] == 12000 and deal["currency"] == "USD"
    assert deal["need_text_key"] == "We need a chatbot to book consultations"
    assert deal["person_id"] in pipedrive.objects["persons"]
    note = next(iter(pipedrive.objects["notes"].values()))
    assert "Conversation with leadbot" in note["content"] and note["deal_id"] in pipedrive.objects["deals"]


def test_updates_won_lost_notes_and_deletion(sessions, pipedrive) -> None:
    (lead_id,) = seed(sessions, 1)
    sync_until_idle(sessions)
    with sessions.begin() as s:
        result = save_lead(s, submission("conv-0", email="lead0@example.com",
                                         budget=Budget("stated", "35k", 35000, 35000, "USD")), now=utcnow())
    with sessions.begin() as s:
        move_stage(s, result.deal_id, "lost", now=utcnow(), by="alice", lost_reason="price_above_budget")
    with sessions.begin() as s:
        add_note(s, lead_id, "Too expensive for now", author="alice", now=utcnow())
    sync_until_idle(sessions)
    assert counts(pipedrive) == {"persons": 1, "organizations": 1, "deals": 1, "notes": 2}
    deal = next(iter(pipedrive.objects["deals"].values()))
    assert deal["value"] == 35000 and deal["status"] == "lost" and deal["stage_id"] == 5
    assert deal["lost_reason"] == "price_above_budget"
    assert any("alice: Too expensive for now" in n["content"] for n in pipedrive.objects["notes"].values())
    with sessions.begin() as s:
        delete_lead(s, lead_id, now=utcnow())
    sync_until_idle(sessions)
    assert counts(pipedrive) == {"persons": 0, "organizations": 1, "deals": 0, "notes": 0}, "the company stays"
    with sessions() as s:
        assert s.scalars(select(CrmLink)).first() is None


def test_faults_are_retried_and_never_duplicate(sessions, pipedrive) -> None:
    seed(sessions, 3)
    pipedrive.inject(Fault("status", 500), Fault("sleep", seconds=0.6), Fault("status", 429),
                     Fault("reset"), Fault("apply_then_sleep", seconds=0.6), Fault("status", 502),
                     Fault("apply_then_sleep", seconds=0.6))
    sync_until_idle(sessions)
    assert statuses(sessions) == Counter({"delivered": 6})
    assert counts(pipedrive) == {"persons": 3, "organizations": 1, "deals": 3, "notes": 3}


def test_a_wrong_token_is_one_visible_alert(sessions, pipedrive, env, monkeypatch) -> None:
    monkeypatch.setenv("PIPEDRIVE_API_TOKEN", "wrong")
    seed(sessions, 1)
    cli("sync")
    status = cli("sync", "status")
    assert "CONNECTION REFUSED" in status.stdout and "You need to be authorized" in status.stdout
    assert statuses(sessions) == Counter({"pending": 2}), "waiting, not dead"
    assert "wrong" not in status.stdout, "the token never shows"


def test_missing_lead_id_field_is_a_settings_error(env) -> None:
    crm_yml = Path(env["LEADBOT_SETTINGS_DIR"]) / "crm.yml"
    crm_yml.write_text(crm_yml.read_text().replace(f"lead_id_field: '{FIELD}', ", ""))
    result = cli("sync")
    assert result.returncode == 1 and "pipedrive.lead_id_field" in result.stderr


def test_the_visitors_phone_reaches_the_person(sessions, pipedrive) -> None:
    with sessions.begin() as s:
        save_lead(s, submission("conv-p", email="phone@example.com", phone="+4915123456789"), now=utcnow())
        save_lead(s, submission("conv-q", email="nophone@example.com"), now=utcnow())
    sync_until_idle(sessions)
    persons = {p["email"][0]["value"]: p for p in pipedrive.objects["persons"].values()}
    assert persons["phone@example.com"]["phone"] == "+4915123456789"
    assert "phone" not in persons["nophone@example.com"], "no empty phone that would blank one typed in Pipedrive"
