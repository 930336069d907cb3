"""Pages and their actions over HTTP: the same store effects as the CLI, escaped output."""
from __future__ import annotations

import re

from sqlalchemy import select

from bot.store.schema import Deal, Lead, Note, OutboxEvent
from tests.web.conftest import Client
from tests.web.server import DashboardServer, MANAGER, XSS_NAME


def _events(server: DashboardServer, lead_id: int) -> list[OutboxEvent]:
    with server.sessions()() as s:
        return list(s.scalars(select(OutboxEvent).where(OutboxEvent.aggregate_id == lead_id).order_by(OutboxEvent.id)))


def _deal(server: DashboardServer, lead_id: int) -> Deal:
    with server.sessions()() as s:
        deal = s.scalars(select(Deal).where(Deal.lead_id == lead_id).order_by(Deal.id.desc())).first()
        assert deal is not None
        deal.history  # noqa: B018 - load while the session is open
        return deal


def test_inbox_lists_new_qualified_leads_best_score_first(server: DashboardServer, manager: Client) -> None:
    html = manager.page("/inbox").text
    scores = [int(s) for s in re.findall(r'<span class="score grade-\w+">(\d+)</span>', html)]
    assert scores and scores == sorted(scores, reverse=True)
    assert "(round_robin)" in html or "(manual)" in html  # the rule that assigned them
    # "3 days ago", the exact time on hover (the seeded dates are fixed, the server's clock is not)
    assert re.search(r'data-label="Age"><time datetime="[^"]+" title="[\d-]+ [\d:]+ UTC">(in )?\d+ \w+( ago)?</time><', html)
    data = manager.get(server.url + "/api/leads").json()
    assert [r["score"] for r in data["leads"]] == scores


def test_moving_a_lead_writes_history_and_outbox_like_the_cli(server: DashboardServer, manager: Client) -> None:
    lead_id = server.seeded.bob[3]
    manager.page(f"/leads/{lead_id}")
    before = len(_events(server, lead_id))
    response = manager.submit(f"/leads/{lead_id}/stage", {"stage": "meeting", "note": "demo booked"})
    assert response.url.endswith("?done=moved") and "Stage changed." in response.text
    deal = _deal(server, lead_id)
    last = deal.history[-1]
    assert (deal.stage, last.from_stage, last.to_stage, last.changed_by, last.note) == \
        ("meeting", "qualified", "meeting", MANAGER[0], "demo booked")
    events = _events(server, lead_id)
    assert len(events) == before + 1 and events[-1].event_type == "deal.stage_changed"
    assert events[-1].payload["to_stage"] == "meeting" and events[-1].payload["changed_by"] == MANAGER[0]

    manager.submit(f"/leads/{lead_id}/won", {"value": "18,500", "currency": "eur"})
    deal = _deal(server, lead_id)
    assert (deal.stage, deal.value, deal.currency, deal.value_source) == ("won", 18500, "EUR", "manual")
    assert deal.closed_at is not None


def test_lost_needs_a_configured_reason(server: DashboardServer, manager: Client) -> None:
    lead_id = server.seeded.bob[4]
    manager.page(f"/leads/{lead_id}")
    refused = manager.submit(f"/leads/{lead_id}/lost", {"lost_reason": "aliens"})
    assert refused.status_code == 400 and "unknown lost reason" in refused.text
    assert _deal(server, lead_id).stage == "qualified"
    manager.submit(f"/leads/{lead_id}/lost", {"lost_reason": "chose_competitor"})
    deal = _deal(server, lead_id)
    assert (deal.stage, deal.lost_reason) == ("lost", "chose_competitor")


def test_bad_input_gets_a_clear_answer_and_changes_nothing(server: DashboardServer, manager: Client) -> None:
    lead_id = server.seeded.alice[3]
    manager.page(f"/leads/{lead_id}")
    for path, data, message in (
        (f"/leads/{lead_id}/won", {"value": "lots"}, "is not a number"),
        (f"/leads/{lead_id}/won", {"value": "10", "currency": "euros"}, "three-letter code"),
        (f"/leads/{lead_id}/stage", {"stage": "heaven"}, "unknown stage"),
        (f"/leads/{lead_id}/stage", {"stage": "qualified"}, "already in stage"),
        (f"/leads/{lead_id}/notes", {"body": "   "}, "a note needs some text"),
        ("/leads/abc", {}, "whole number"),
    ):
        response = manager.submit(path, data) if data else manager.get(server.url + path)
        assert response.status_code in (400, 404, 405) and message in response.text, (path, response.text[:300])
    assert _deal(server, lead_id).stage == "qualified"


def test_notes_are_stored_synced_and_shown_escaped(server: DashboardServer, manager: Client) -> None:
    lead_id = server.seeded.alice[4]
    manager.page(f"/leads/{lead_id}")
    response = manager.submit(f"/leads/{lead_id}/notes", {"body": "Budget <b>confirmed</b> & signed"})
    assert "Budget &lt;b&gt;confirmed&lt;/b&gt; &amp; signed" in response.text
    with server.sessions()() as s:
        note = s.scalars(select(Note).where(Note.lead_id == lead_id)).one()
        assert note.author == MANAGER[0]
    assert _events(server, lead_id)[-1].event_type == "note.added"


def test_a_lead_named_script_is_shown_never_run(server: DashboardServer, manager: Client) -> None:
    escaped = "&lt;script&gt;window.__pwned = 1; alert(&#34;xss&#34;)&lt;/script&gt;"
    for path in ("/inbox", f"/leads/{server.seeded.xss}", "/board"):
        html = manager.page(path).text
        assert XSS_NAME not in html, path
    assert escaped in manager.page(f"/leads/{server.seeded.xss}").text
    assert manager.get(f"{server.url}/api/leads/{server.seeded.xss}").json()["lead"]["name"] == XSS_NAME


def test_lead_page_shows_everything_a_rep_needs(server: DashboardServer, manager: Client) -> None:
    html = manager.page(f"/leads/{server.seeded.alice[5]}").text
    for text in ("We need a chatbot to book consultations", "$12k", "it&#39;s my call, I run IT", "in 8-10 weeks",
                 "Score ", "A specific need that matches", "Stage history", "created in qualified",
                 "CRM sync", "lead.created", "Transcript", "Hi! This chat is recorded.", "Notes",
                 "prospect10@web.example", "No commitment from the prospect",
                 '<a href="tel:+14155550110">+14155550110</a>'):
        assert text in html, text


def test_reassign_moves_the_lead_to_the_other_rep(server: DashboardServer, manager: Client, bob: Client) -> None:
    lead_id = server.seeded.alice[5]
    with server.sessions()() as s:
        bob_rep = s.scalars(select(Lead.owner_rep_id).where(Lead.id == server.seeded.bob[0])).one()
    manager.page(f"/leads/{lead_id}")
    response = manager.submit(f"/leads/{lead_id}/assign", {"rep": str(bob_rep)})
    assert "Owner changed." in response.text and "Bob Ray" in response.text
    assert _events(server, lead_id)[-1].event_type == "lead.assigned"
    assert bob.page(f"/leads/{lead_id}").status_code == 200


def test_export_and_delete_reach_the_crm_through_the_outbox(server: DashboardServer, manager: Client) -> None:
    lead_id = server.seeded.bob[5]
    exported = manager.get(f"{server.url}/leads/{lead_id}/export")
    assert exported.headers["content-disposition"].startswith("attachment")
    assert exported.json()["lead"]["id"] == lead_id and exported.json()["transcript"]
    assert exported.json()["phone"] == exported.json()["lead"]["phone"] == "+14155550111"
    confirm = manager.page(f"/leads/{lead_id}/delete")
    assert "cannot be undone" in confirm.text and "(prospect11@web.example, +14155550111)" in confirm.text
    wrong = manager.submit(f"/leads/{lead_id}/delete", {"confirm": "yes"})
    assert wrong.status_code == 400 and _events(server, lead_id)
    done = manager.submit(f"/leads/{lead_id}/delete", {"confirm": str(lead_id)})
    assert done.status_code == 200 and "The CRM will be told" in done.text
    events = _events(server, lead_id)
    assert [e.event_type for e in events] == ["lead.deleted"]
    assert set(events[0].payload) == {"lead_id", "deal_ids", "email_sha256", "deleted_at"}
    assert "+14155550111" not in str(events[0].payload)  # no personal data on the tombstone
    assert manager.page(f"/leads/{lead_id}").status_code == 404


def test_board_counts_values_and_moves_without_javascript(server: DashboardServer, manager: Client) -> None:
    pipeline = manager.get(server.url + "/api/pipeline").json()["stages"]
    assert [s["stage"] for s in pipeline][:3] == ["new", "qualified", "meeting"]
    with server.sessions()() as s:
        open_qualified = len(s.scalars(select(Deal.id).where(Deal.stage == "qualified")).all())
    assert next(s for s in pipeline if s["stage"] == "qualified")["count"] == open_qualified
    lead_id = server.seeded.alice[1]
    html = manager.page("/board").text
    assert f'data-lead="{lead_id}"' in html
    response = manager.submit("/board/move", {"lead_id": str(lead_id), "stage": "proposal"})
    assert response.url.endswith("/board") and _deal(server, lead_id).stage == "proposal"
    to_lost = manager.submit("/board/move", {"lead_id": str(lead_id), "stage": "lost"})
    assert "lose=1" in to_lost.url and _deal(server, lead_id).stage == "proposal"  # a reason is asked first
    assert _deal(server, lead_id).history[-1].changed_by == MANAGER[0]


def test_a_manager_is_told_when_e_mail_is_off_for_want_of_an_smtp_server(server, manager, alice) -> None:
    """The test server runs on the shipped defaults: no SMTP server is configured."""
    page = manager.page("/inbox").text
    assert 'id="email-off"' in page and "No SMTP server is configured" in page
    assert 'id="email-off"' not in alice.page("/inbox").text, "the operator's matter, shown to managers"
    notifications = server.settings_dir() / "notifications.yml"
    notifications.write_text("smtp: {host: smtp.example.com, port: 587, security: starttls}\n", encoding="utf-8")
    try:
        assert 'id="email-off"' not in manager.page("/inbox").text, "configured: read at the next request"
    finally:
        notifications.unlink()
    assert 'id="email-off"' in manager.page("/metrics").text
