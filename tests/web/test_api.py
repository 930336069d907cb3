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


HUGE = str(2**63)  # 9223372036854775808: overflowed SQLite's integers and gave 500


def test_out_of_range_numbers_are_a_400_never_a_500(server: DashboardServer, manager: Client) -> None:
    id_error = {"error": "lead id must be a whole number from 1 to 2147483647"}
    for path, error in (
        (f"/api/leads/{HUGE}", id_error), ("/api/leads/2147483648", id_error), (f"/api/leads/-{HUGE}", id_error),
        (f"/api/leads?page={HUGE}", {"error": "page must be a whole number from 1 to 2147483647"}),
        (f"/api/metrics?rep={HUGE}", {"error": "rep must be a whole number from 1 to 2147483647"}),
        (f"/api/metrics?team={HUGE}", {"error": "team must be a whole number from 1 to 2147483647"}),
    ):
        response = manager.get(server.url + path)
        assert (response.status_code, response.json()) == (400, error), path
    for path in (f"/leads/{HUGE}", f"/inbox?page={HUGE}", f"/metrics?rep={HUGE}"):
        response = manager.get(server.url + path)
        assert response.status_code == 400 and "must be a whole number from 1 to 2147483647" in response.text, path


def test_a_deal_value_past_the_maximum_is_refused_and_the_board_keeps_working(server: DashboardServer,
                                                                               manager: Client) -> None:
    """1.7e308 was stored, then every pipeline total was infinite: /api/pipeline and
    /api/metrics failed for everyone and the board showed "inf"."""
    lead_id = server.seeded.alice[5]
    token = server.leadbot("users", "token", MANAGER[0]).stdout.strip()
    before = _deal_row(server, lead_id)
    for value in ("1.7e308", 1.7e308, "1e13", "1000000000000.01", "-50000", -1, "nan", "inf"):
        response = requests.post(f"{server.url}/api/leads/{lead_id}/stage", headers={"Authorization": f"Bearer {token}"},
                                 json={"stage": "won", "value": value, "currency": "USD"})
        assert (response.status_code, response.json()) == (
            400, {"error": "a value must be a number from 0 to 1,000,000,000,000"}), value
    manager.page(f"/leads/{lead_id}")
    page = manager.submit(f"/leads/{lead_id}/won", {"value": "1.7e308", "currency": "USD"})
    assert page.status_code == 400 and "a value must be a number from 0 to 1,000,000,000,000" in page.text
    assert _deal_row(server, lead_id) == before, "nothing stored"
    for path in ("/api/pipeline", "/api/metrics", "/board"):
        response = manager.get(server.url + path)
        assert response.status_code == 200 and "inf" not in response.text.lower().replace("info", ""), path


def test_malformed_json_bodies_are_a_400_and_store_nothing(server: DashboardServer) -> None:
    lead_id = server.seeded.alice[5]
    token = server.leadbot("users", "token", MANAGER[0]).stdout.strip()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    error = {"error": "the request body is not valid: send a JSON object of plain values, or a form"}
    notes_before = _notes(server, lead_id)
    for body in ("[" * 100_000 + "]" * 100_000, '{"body": ' + "[" * 50_000 + "]" * 50_000 + "}",
                 '{"body": {"text": "hi"}}', '{"body": ["hi"]}', '["hi"]', '"hi"', "", "{"):
        response = requests.post(f"{server.url}/api/leads/{lead_id}/notes", headers=headers, data=body)
        assert (response.status_code, response.json()) == (400, error), body[:40]
    assert _notes(server, lead_id) == notes_before


def _deal_row(server: DashboardServer, lead_id: int) -> tuple:
    with server.sessions()() as s:
        deal = s.scalars(select(Deal).where(Deal.lead_id == lead_id)).one()
        return deal.stage, deal.value, deal.currency, deal.value_source, len(deal.history)


def _notes(server: DashboardServer, lead_id: int) -> int:
    from bot.store.schema import Note

    with server.sessions()() as s:
        return len(s.scalars(select(Note).where(Note.lead_id == lead_id)).all())


def test_the_metrics_page_totals_money_in_the_reporting_currency(server: DashboardServer, manager: Client) -> None:
    from web.format import money

    api = manager.get(f"{server.url}/api/metrics?period=all").json()
    r = api["reporting"]
    assert r["currency"] == "USD"  # scoring's base currency: settings/reporting.yml says null
    page = manager.page("/metrics?period=all").text
    assert "Money in USD (settings/reporting.yml)" in page
    won_value = money(r["won_value"], "USD") if r["won_value"] is not None else "n/a"
    assert f'data-metric="won_value"><span class="label">Won value</span><span class="value">{won_value}<' in page
    weighted = money(r["weighted_total"], "USD") if r["weighted_total"] is not None else "n/a"
    assert f'<span class="label">Weighted forecast</span><span class="value">{weighted}<' in page
    assert "Weighted forecast by stage (USD)" in page
