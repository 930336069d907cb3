"""HubSpot read-back through the real worker, the real dashboard's webhook route (uvicorn on
127.0.0.1) and a real SQLite store: what a rep changes in HubSpot reaches the stage history
and `leadbot pipeline report`, by a signed webhook or within one `leadbot sync`; our own
writes read back cause no second write; concurrent changes resolve by the rule."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.store.repository import add_note, move_stage
from bot.store.schema import CrmLink
from tests.crm_sync.fake_hubspot import FakeHubSpot
from tests.crm_sync.read_back_helpers import (
    REP, add_dana, changes, deal_of, history, notes, pending, report,
)
from tests.crm_sync.sync_helpers import cli, configure, seed, sync_until_idle, utcnow
from tests.crm_sync.webhook_server import WebhookServer

TOKEN, SECRET = "pat-test-token", "hubspot-client-secret"


@pytest.fixture
def hubspot():
    with FakeHubSpot(TOKEN) as fake:
        yield fake


@pytest.fixture
def env(tmp_path: Path, hubspot: FakeHubSpot, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return configure(tmp_path, monkeypatch,
                     f"provider: hubspot\nhubspot: {{base_url: '{hubspot.url}', owners: {{'{REP}': '77'}}}}\n",
                     {"HUBSPOT_ACCESS_TOKEN": TOKEN, "HUBSPOT_CLIENT_SECRET": SECRET})


@pytest.fixture
def webhooks(env, hubspot):
    with WebhookServer(env["LEADBOT_DATABASE_URL"]) as server:
        hubspot.subscribe(server.url("hubspot"), SECRET)
        yield server


def synced_lead(sessions, hubspot) -> tuple[int, str]:
    """One lead delivered to HubSpot: its id and its HubSpot deal's id."""
    (lead_id,) = seed(sessions, 1)
    sync_until_idle(sessions)
    with sessions() as s:
        deal = s.scalar(select(CrmLink.external_id).where(CrmLink.lead_id == lead_id, CrmLink.object_type == "deals"))
    return lead_id, deal


def writes(hubspot: FakeHubSpot) -> list[tuple[str, str]]:
    return [r for r in hubspot.requests if r[0] in ("PATCH", "POST", "PUT", "DELETE") and "/search" not in r[1]]


def test_a_deal_won_in_hubspot_is_in_the_pipeline_report_after_one_sync(sessions, hubspot) -> None:
    lead_id, deal = synced_lead(sessions, hubspot)
    hubspot.rep_change(deal, dealstage="closedwon", amount="15000")
    before = len(writes(hubspot))
    result = cli("sync")
    assert result.returncode == 0 and "applied 2" in result.stdout, result.stdout
    assert history(sessions, lead_id)[-1] == ("qualified", "won", "hubspot")
    assert deal_of(sessions, lead_id).value == 15000
    outcomes = report()["outcomes"]
    assert outcomes["won"] == 1 and outcomes["won_value"] == {"USD": 15000.0}
    cli("sync")
    assert writes(hubspot)[before:] == [], "what came from HubSpot is not written back to it"
    assert pending(sessions) == 0


def test_a_signed_webhook_applies_a_lost_deal_with_its_reason_and_a_forged_one_is_refused(
        sessions, hubspot, webhooks) -> None:
    lead_id, deal = synced_lead(sessions, hubspot)
    hubspot.send_webhooks()  # our own creation, read back: nothing to apply
    assert changes(sessions, lead_id) == [] and history(sessions, lead_id) == [(None, "qualified", "bot")]

    hubspot.rep_change(deal, dealstage="closedlost", closed_lost_reason="Chose a competitor")
    assert hubspot.send_webhooks(secret="not-the-client-secret") == 401
    assert deal_of(sessions, lead_id).stage == "qualified", "a forged request changes nothing"
    assert hubspot.send_webhooks() == 200  # HubSpot's retry, signed with the client secret
    won_lost = deal_of(sessions, lead_id)
    assert (won_lost.stage, won_lost.lost_reason) == ("lost", "chose_competitor")
    assert history(sessions, lead_id)[-1] == ("qualified", "lost", "hubspot")
    reasons = report()["lost_reasons"]
    assert reasons["total"] == 1 and [r["key"] for r in reasons["reasons"] if r["count"]] == ["chose_competitor"]
    hubspot.rep_change(deal, dealstage="closedlost")  # the same again (a retried webhook): nothing new
    hubspot.send_webhooks()
    assert len(history(sessions, lead_id)) == 2


def test_a_change_made_in_leadbot_and_read_back_causes_no_second_write(sessions, hubspot, webhooks) -> None:
    lead_id, deal = synced_lead(sessions, hubspot)
    with sessions.begin() as s:
        move_stage(s, deal_of(sessions, lead_id).id, "won", now=utcnow(), by="alice", value=20000)
    sync_until_idle(sessions)
    assert hubspot.objects["deals"][deal]["dealstage"] == "closedwon"
    assert hubspot.send_webhooks() == 200  # HubSpot tells us of our own write
    before = len(writes(hubspot))
    assert cli("sync").returncode == 0  # delivers nothing, polls: reads our write back again
    assert writes(hubspot)[before:] == [] and pending(sessions) == 0
    assert changes(sessions, lead_id) == []
    assert history(sessions, lead_id) == [(None, "qualified", "bot"), ("qualified", "won", "alice")]


def test_an_unrelated_event_does_not_overwrite_a_stage_a_rep_changed_in_hubspot(sessions, hubspot) -> None:
    lead_id, deal = synced_lead(sessions, hubspot)
    hubspot.rep_change(deal, dealstage="contractsent")
    with sessions.begin() as s:
        add_note(s, lead_id, "Called them", author="alice", now=utcnow())
    sync_until_idle(sessions)  # the note's event syncs the deal: without its unchanged stage
    assert hubspot.objects["deals"][deal]["dealstage"] == "contractsent"
    cli("sync", "pull")
    assert deal_of(sessions, lead_id).stage == "negotiation"


def test_concurrent_changes_the_newer_one_wins_and_the_loser_stays_in_history(sessions, hubspot) -> None:
    lead_id, deal = synced_lead(sessions, hubspot)
    with sessions.begin() as s:  # leadbot: proposal (not yet sent) ...
        move_stage(s, deal_of(sessions, lead_id).id, "proposal", now=utcnow(), by="alice")
    hubspot.rep_change(deal, dealstage="contractsent")  # ... then, later, HubSpot: negotiation
    cli("sync", "pull")
    assert deal_of(sessions, lead_id).stage == "negotiation"
    assert history(sessions, lead_id)[-2:] == [("qualified", "proposal", "alice"), ("proposal", "negotiation", "hubspot")]
    assert changes(sessions, lead_id) == [("stage", "negotiation", "proposal", "conflict_crm_won")]
    sync_until_idle(sessions)
    assert hubspot.objects["deals"][deal]["dealstage"] == "contractsent", "the loser is not sent"

    hubspot.rep_change(deal, amount="999")  # HubSpot's change first ...
    with sessions.begin() as s:  # ... then leadbot's, before the next poll: leadbot's wins
        move_stage(s, deal_of(sessions, lead_id).id, "won", now=utcnow(), by="alice", value=30000)
    cli("sync", "pull")
    assert deal_of(sessions, lead_id).value == 30000
    assert changes(sessions, lead_id)[-1] == ("amount", "999", "30000", "conflict_leadbot_won")
    sync_until_idle(sessions)
    assert hubspot.objects["deals"][deal]["amount"] == "30000" and hubspot.objects["deals"][deal]["dealstage"] == "closedwon"


def test_owner_and_notes_written_in_hubspot_are_read_back_once(sessions, hubspot) -> None:
    add_dana(sessions)
    lead_id, deal = synced_lead(sessions, hubspot)
    hubspot.rep_change(deal, hubspot_owner_id="77")
    hubspot.rep_note(deal, "Asked for a demo on Tuesday")
    cli("sync", "pull")
    cli("sync", "pull")
    assert notes(sessions, lead_id) == [("HubSpot", "Asked for a demo on Tuesday")]
    with sessions() as s:
        from bot.store.schema import Lead
        assert s.get(Lead, lead_id).owner.email == REP
    before = len(writes(hubspot))
    sync_until_idle(sessions)
    assert writes(hubspot)[before:] == [], "the owner and note came from HubSpot: not written back"


def test_the_lead_page_shows_the_conflict_and_what_hubspot_changed(sessions, hubspot, webhooks) -> None:
    from tests.web.conftest import Client
    from web.accounts import add_account

    lead_id, deal = synced_lead(sessions, hubspot)
    with sessions.begin() as s:
        move_stage(s, deal_of(sessions, lead_id).id, "proposal", now=utcnow(), by="alice")
        add_account(s, "maria@example.com", "manager password 1", role="manager", now=utcnow(), name="Maria")
    hubspot.rep_change(deal, dealstage="contractsent")
    assert hubspot.send_webhooks() == 200
    browser = Client(f"http://127.0.0.1:{webhooks.port}")
    browser.sign_in("maria@example.com", "manager password 1")
    page = browser.page(f"/leads/{lead_id}").text
    assert "1 conflict(s)" in page, page[page.find("CRM sync"):][:1500]
    assert "the CRM's change was later and won over leadbot's proposal" in page
    assert "hubspot stage: negotiation" in page


@pytest.mark.postgres
def test_read_back_and_its_conflict_rule_on_postgresql(env, hubspot, pg_database, monkeypatch) -> None:
    """The same store code on PostgreSQL: a webhook, a poll, a conflict, no second write."""
    from bot.store.db import make_engine, session_factory
    from bot.store.migrate import upgrade

    monkeypatch.setenv("LEADBOT_DATABASE_URL", pg_database)
    upgrade(pg_database)
    engine = make_engine(pg_database)
    try:
        sessions = session_factory(engine)
        with WebhookServer(pg_database) as server:
            hubspot.subscribe(server.url("hubspot"), SECRET)
            lead_id, deal = synced_lead(sessions, hubspot)
            hubspot.rep_change(deal, dealstage="closedwon", amount="15000")
            assert hubspot.send_webhooks() == 200
        assert history(sessions, lead_id)[-1] == ("qualified", "won", "hubspot")
        assert report()["outcomes"]["won"] == 1
        with sessions.begin() as s:
            move_stage(s, deal_of(sessions, lead_id).id, "negotiation", now=utcnow(), by="alice")
        hubspot.rep_change(deal, dealstage="closedlost", closed_lost_reason="not_a_fit")
        cli("sync")  # reads back first, then delivers
        assert (deal_of(sessions, lead_id).stage, deal_of(sessions, lead_id).lost_reason) == ("lost", "not_a_fit")
        assert changes(sessions, lead_id)[-1][3] == "conflict_crm_won"
        sync_until_idle(sessions)
        assert hubspot.objects["deals"][deal]["dealstage"] == "closedlost", "the loser is not sent"
        assert pending(sessions) == 0
    finally:
        engine.dispose()
