"""The JSON API on the real server: the same numbers and the same effects as the pages."""
from __future__ import annotations

import requests
from sqlalchemy import select

from bot.store.schema import Deal
from tests.web.conftest import Client
from tests.web.server import MANAGER, DashboardServer


def test_lead_json_has_everything_the_page_shows(server: DashboardServer, manager: Client) -> None:
    data = manager.get(f"{server.url}/api/leads/{server.seeded.alice[0]}").json()
    assert set(data) == {"lead", "raw_answers", "transcript", "stage_history", "notes", "sync"}
    assert data["lead"]["id"] == server.seeded.alice[0] and data["lead"]["score_breakdown"]
    assert data["raw_answers"]["budget"] == "$12k"
    assert data["stage_history"][0]["to_stage"] == "qualified" and data["stage_history"][0]["from_stage"] is None
    assert {e["event_type"] for e in data["sync"]["events"]} >= {"lead.created", "lead.assigned"}


def test_pipeline_json_matches_the_board_page(server: DashboardServer, manager: Client) -> None:
    stages = manager.get(server.url + "/api/pipeline").json()["stages"]
    html = manager.page("/board").text
    for stage in stages:
        assert f'data-stage="{stage["stage"]}"' in html
        assert f"<strong>{stage['count']:,}</strong> deal" in html


def test_move_with_a_bearer_token_and_with_the_cookie_plus_csrf_header(server: DashboardServer,
                                                                      manager: Client) -> None:
    token = server.leadbot("users", "token", MANAGER[0]).stdout.strip()
    lead_id = server.seeded.bob[6 % len(server.seeded.bob)]
    moved = requests.post(f"{server.url}/api/leads/{lead_id}/stage", headers={"Authorization": f"Bearer {token}"},
                          json={"stage": "meeting", "note": "via API"})
    assert moved.status_code == 200 and moved.json()["stage"] == "meeting"
    manager.page("/inbox")
    again = manager.post(f"{server.url}/api/leads/{lead_id}/stage", headers={"X-CSRF-Token": manager.csrf},
                         json={"stage": "lost", "lost_reason": "no_decision"})
    assert again.status_code == 200 and again.json()["closed_at"]
    refused = requests.post(f"{server.url}/api/leads/{lead_id}/stage", headers={"Authorization": f"Bearer {token}"},
                            json={"stage": "lost"})
    assert refused.status_code == 400 and "a lost reason is required" in refused.json()["error"]
    with server.sessions()() as s:
        deal = s.scalars(select(Deal).where(Deal.lead_id == lead_id)).one()
        assert (deal.stage, deal.lost_reason) == ("lost", "no_decision")
        assert [h.changed_by for h in deal.history][-2:] == [MANAGER[0], MANAGER[0]]


def test_bad_api_input_gets_a_json_error(server: DashboardServer, manager: Client) -> None:
    assert manager.get(server.url + "/api/leads?status=hot").json()["error"].startswith("unknown status")
    assert manager.get(server.url + "/api/leads/999999").status_code == 404
    token = server.leadbot("users", "token", MANAGER[0]).stdout.strip()
    broken = requests.post(f"{server.url}/api/leads/{server.seeded.alice[0]}/notes",
                           headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                           data="{not json")
    assert broken.status_code == 400 and "error" in broken.json()


def test_metrics_page_and_api_agree_and_follow_the_scope(server: DashboardServer, manager: Client,
                                                         alice: Client) -> None:
    from bot.store.schema import Lead, Rep

    server.leadbot("teams", "add", "North")
    server.leadbot("reps", "update", "alice@example.com", "--team", "North")
    with server.sessions()() as s:
        alice_rep = s.scalars(select(Rep).where(Rep.email == "alice@example.com")).one()
        team_id = alice_rep.team_id
        alice_open = len(s.scalars(select(Deal.id).join(Lead, Lead.id == Deal.lead_id).where(
            Lead.owner_rep_id == alice_rep.id, Deal.closed_at.is_(None))).all())
        all_open = len(s.scalars(select(Deal.id).where(Deal.closed_at.is_(None))).all())
    everyone = manager.get(server.url + "/api/metrics").json()
    assert everyone["open_deals"] == all_open and everyone["scope"] == {"rep_id": None, "team_id": None}
    team = manager.get(f"{server.url}/api/metrics?team={team_id}").json()
    rep = manager.get(f"{server.url}/api/metrics?rep={alice_rep.id}").json()
    own = alice.get(f"{server.url}/api/metrics?rep=999").json()  # a rep cannot widen the scope
    assert team["open_deals"] == rep["open_deals"] == own["open_deals"] == alice_open
    page = manager.page(f"/metrics?team={team_id}").text
    assert f'data-metric="open"><span class="label">Open deals</span><span class="value">{alice_open}<' in page
    for stage in team["stages"]:
        assert f"{stage['count']:,} deal" in page
    assert manager.get(server.url + "/api/metrics?team=north").status_code == 400
