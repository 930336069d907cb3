"""Pipedrive read-back through the real worker, the dashboard's webhook route on 127.0.0.1
and a real SQLite store: webhooks checked by their basic auth, `/recents` polling, won and
lost deals with value and reason, owners and notes; our own writes read back are not
written again."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.store.repository import move_stage
from bot.store.schema import CrmLink, Lead
from tests.crm_sync.crms import PD_FIELD
from tests.crm_sync.fake_pipedrive import FakePipedrive
from tests.crm_sync.read_back_helpers import REP, add_dana, changes, deal_of, history, notes, pending, report
from tests.crm_sync.sync_helpers import cli, configure, seed, sync_until_idle, utcnow
from tests.crm_sync.webhook_server import WebhookServer

TOKEN = "pd-test-token"
HOOK_USER, HOOK_PASSWORD = "leadbot", "a long webhook password"


@pytest.fixture
def pipedrive():
    with FakePipedrive(TOKEN, PD_FIELD) as fake:
        yield fake


@pytest.fixture
def env(tmp_path: Path, pipedrive: FakePipedrive, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return configure(tmp_path, monkeypatch,
                     f"provider: pipedrive\npipedrive: {{base_url: '{pipedrive.url}/v1', lead_id_field: '{PD_FIELD}', "
                     f"stages: {{qualified: 2, meeting: 3, lost: 5}}, owners: {{'{REP}': 12}}}}\n",
                     {"PIPEDRIVE_API_TOKEN": TOKEN, "PIPEDRIVE_WEBHOOK_USER": HOOK_USER,
                      "PIPEDRIVE_WEBHOOK_PASSWORD": HOOK_PASSWORD})


@pytest.fixture
def webhooks(env, pipedrive):
    with WebhookServer(env["LEADBOT_DATABASE_URL"]) as server:
        pipedrive.subscribe(server.url("pipedrive"), HOOK_USER, HOOK_PASSWORD)
        yield server


def synced_lead(sessions) -> tuple[int, int]:
    (lead_id,) = seed(sessions, 1)
    sync_until_idle(sessions)
    with sessions() as s:
        deal = s.scalar(select(CrmLink.external_id).where(CrmLink.lead_id == lead_id, CrmLink.object_type == "deals"))
    return lead_id, int(deal)


def writes(pipedrive: FakePipedrive) -> list[tuple[str, str]]:
    return [r for r in pipedrive.requests if r[0] in ("POST", "PUT", "DELETE")]


def test_webhooks_with_the_right_basic_auth_apply_a_won_deal_and_others_are_refused(sessions, pipedrive, webhooks) -> None:
    lead_id, deal = synced_lead(sessions)
    assert set(pipedrive.send_webhooks()) == {200}  # our own creation read back: nothing to apply
    assert changes(sessions, lead_id) == [] and len(history(sessions, lead_id)) == 1

    pipedrive.rep_change(deal, status="won", value=18000)
    assert pipedrive.send_webhooks(password="guessed") == [401]
    assert deal_of(sessions, lead_id).stage == "qualified"
    assert pipedrive.send_webhooks() == [200]  # Pipedrive's retry, with the right password
    won = deal_of(sessions, lead_id)
    assert (won.stage, won.value) == ("won", 18000)
    assert history(sessions, lead_id)[-1] == ("qualified", "won", "pipedrive")
    assert report()["outcomes"]["won_value"] == {"USD": 18000.0}
    before = len(writes(pipedrive))
    sync_until_idle(sessions)
    assert writes(pipedrive)[before:] == [] and pending(sessions) == 0


def test_polling_recents_reads_a_lost_deal_an_owner_and_a_note_once(sessions, pipedrive) -> None:
    add_dana(sessions)
    lead_id, deal = synced_lead(sessions)
    pipedrive.rep_change(deal, status="lost", lost_reason="Wrong timing", user_id=12)
    pipedrive.rep_note(deal, "They will come back in spring")
    assert "applied" in cli("sync").stdout
    cli("sync", "pull")
    lost = deal_of(sessions, lead_id)
    assert (lost.stage, lost.lost_reason) == ("lost", "wrong_timing")
    assert notes(sessions, lead_id) == [("Pipedrive", "They will come back in spring")]
    with sessions() as s:
        assert s.get(Lead, lead_id).owner.email == REP
    before = len(writes(pipedrive))
    sync_until_idle(sessions)
    assert writes(pipedrive)[before:] == [], "nothing read back from Pipedrive is written back"


def test_our_stage_change_read_back_is_not_written_again_and_an_unmapped_stage_is_logged(
        sessions, pipedrive, webhooks) -> None:
    lead_id, deal = synced_lead(sessions)
    with sessions.begin() as s:
        move_stage(s, deal_of(sessions, lead_id).id, "meeting", now=utcnow(), by="alice")
    sync_until_idle(sessions)
    assert pipedrive.objects["deals"][deal]["stage_id"] == 3
    pipedrive.send_webhooks()
    before = len(writes(pipedrive))
    cli("sync")
    assert writes(pipedrive)[before:] == [] and changes(sessions, lead_id) == []

    pipedrive.rep_change(deal, stage_id=4)  # a Pipedrive stage crm.yml does not map
    pipedrive.send_webhooks()
    cli("sync", "pull")
    assert deal_of(sessions, lead_id).stage == "meeting"
    assert changes(sessions, lead_id) == [("stage", "4", None, "ignored")]
