"""The lead page shows where a lead's nurture sequence stands, and a rep can pause and resume it."""
from __future__ import annotations

from bot.nurture.sequence import enrollment_of, sweep
from bot.nurture.settings import load_nurture_settings
from bot.settings import PROJECT_ROOT
from bot.store.repository import record_followup_optin, save_lead
from bot.store.schema import NurtureMessage
from tests.store.builders import NOW, submission
from tests.web.conftest import Client
from tests.web.server import MANAGER, DashboardServer


def test_a_rep_sees_the_sequence_and_can_pause_it(server: DashboardServer, manager: Client) -> None:
    sessions = server.sessions()
    with sessions.begin() as s:
        lead_id = save_lead(s, submission("web-nurture", email="later@web.example", status="nurture", points=40),
                            now=NOW).lead_id
        record_followup_optin(s, "web-nurture", True, now=NOW)
        sweep(s, load_nurture_settings(PROJECT_ROOT / "settings"), now=NOW)  # the shipped sequences

    page = manager.page(f"/leads/{lead_id}").text
    assert "Nurture e-mails" in page and "Sequence <strong>standard</strong>: active" in page and "0 sent" in page
    assert "could not be sent" not in page
    with sessions.begin() as s:
        s.add(NurtureMessage(enrollment_id=enrollment_of(s, lead_id).id, lead_id=lead_id, step=0, status="dead",
                             attempts=8, next_attempt_at=NOW, created_at=NOW, clicks=0,
                             last_error="SMTP 127.0.0.1:25: later@web.example refused: 550 5.1.1 User unknown"))
    page = manager.page(f"/leads/{lead_id}").text
    assert "1 could not be sent" in page and "550 5.1.1 User unknown" in page  # the dead letter, visible
    paused = manager.submit(f"/leads/{lead_id}/nurture", {"action": "pause"})
    assert paused.status_code == 200 and "Nurture e-mails paused." in paused.text
    assert ": paused;" in paused.text and f"paused by {MANAGER[0]}" in paused.text
    assert "Resume the sequence" in paused.text
    with sessions() as s:
        assert enrollment_of(s, lead_id).state == "paused"
    manager.page(f"/leads/{lead_id}")
    resumed = manager.submit(f"/leads/{lead_id}/nurture", {"action": "resume"})
    assert "Nurture e-mails resumed." in resumed.text and "Pause the sequence" in resumed.text
    assert manager.submit(f"/leads/{lead_id}/nurture", {"action": "explode"}).status_code == 400
    metrics = manager.page("/metrics?period=all").text
    assert "Nurture e-mails (leads enrolled in the period)" in metrics and "Qualified from nurture" in metrics
    sessions.kw["bind"].dispose()
