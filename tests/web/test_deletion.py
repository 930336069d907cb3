"""The dashboard's delete reaches Rasa's tracker store (a real file written by Rasa's own
code, where the dashboard finds it by default) and the spool; the lead page shows another
conversation that gave the lead's e-mail without letting it change the lead."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from bot.intake import Spool
from bot.store.pipeline import PipelineSettings
from bot.store.repository import save_lead
from bot.store.schema import Lead, OutboxEvent
from tests.erasure.trackers import events_of, write_conversations
from tests.store.builders import NOW, submission
from tests.web.conftest import Client
from tests.web.server import DashboardServer

EMAIL = "erase.me@dashboard.example"


def _save(server: DashboardServer, sub) -> int:
    with server.sessions().begin() as session:
        return save_lead(session, sub, now=NOW, pipeline=PipelineSettings()).lead_id


def test_the_lead_page_shows_a_linked_conversation_and_delete_erases_every_copy(
        server: DashboardServer, manager: Client) -> None:
    lead_id = _save(server, submission("dash-own", email=EMAIL, name="Erin Owner"))
    stranger = submission("dash-stranger", email=EMAIL.upper(), name="Mallory Mole", status="disqualified",
                          points=5)
    assert _save(server, stranger) == lead_id
    page = manager.page(f"/leads/{lead_id}")
    assert "<h1>Erin Owner" in page.text, "the lead keeps its own name"
    assert "Other conversations that gave this e-mail" in page.text and "Mallory Mole" in page.text

    tracker = server.workdir / "tracker.db"  # where scripts/run.sh puts it (LEADBOT_DATA_DIR)
    write_conversations(tracker, {"dash-own": (EMAIL, False), "dash-stranger": (EMAIL, False),
                                  "dash-other": ("someone@else.example", False)})
    spool = Spool(server.workdir / "spool")
    spool.put(replace(submission("dash-own", email=EMAIL), lead_id=lead_id))

    manager.page(f"/leads/{lead_id}/delete")
    done = manager.submit(f"/leads/{lead_id}/delete", {"confirm": str(lead_id)})
    assert done.status_code == 200, done.text
    assert "So were 10 event(s) of their conversations in the bot's tracker store and" in done.text
    assert set(events_of(tracker)) == {"dash-other"}
    assert spool.pending() == []
    with server.sessions()() as s:
        assert s.get(Lead, lead_id) is None
        kinds = s.scalars(select(OutboxEvent.event_type).where(OutboxEvent.aggregate_id == lead_id)).all()
    assert kinds == ["lead.deleted"]
