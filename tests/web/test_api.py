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


def test_metrics_api_equals_the_cli_report_and_follows_the_scope(server: DashboardServer, manager: Client,
                                                                   alice: Client) -> None:
    import json

    from bot.store.schema import Rep

    server.leadbot("teams", "add", "North")
    server.leadbot("reps", "update", "alice@example.com", "--team", "North")
    with server.sessions()() as s:
        alice_rep = s.scalars(select(Rep).where(Rep.email == "alice@example.com")).one()
        team_id = alice_rep.team_id

    def without_now(report: dict) -> dict:
        return {**report, "filter": {k: v for k, v in report["filter"].items() if k != "now"}}

    for query, cli in (("period=all", []), (f"period=all&team={team_id}", ["--team", str(team_id)]),
                       (f"period=all&rep={alice_rep.id}", ["--rep", str(alice_rep.id)])):
        api = manager.get(f"{server.url}/api/metrics?{query}").json()
        printed = json.loads(server.leadbot("pipeline", "report", "--period", "all", "--json", *cli).stdout)
        assert without_now(api) == without_now(printed), query
    team = manager.get(f"{server.url}/api/metrics?period=all&team={team_id}").json()
    own = alice.get(f"{server.url}/api/metrics?period=all&rep=999&team=").json()  # a rep cannot widen the scope
    assert own["filter"]["rep_id"] == alice_rep.id
    assert own["forecast"]["open_deals"] == team["forecast"]["open_deals"]
    page = manager.page(f"/metrics?period=all&team={team_id}").text
    won = team["outcomes"]["won"]
    assert f'data-metric="won"><span class="label">Won</span><span class="value">{won:,}<' in page
    for step in team["funnel"]["steps"]:
        assert step["label"] in page
    assert manager.get(server.url + "/api/metrics?team=north").status_code == 400
    assert "unknown period" in manager.get(server.url + "/api/metrics?period=forever").json()["error"]
