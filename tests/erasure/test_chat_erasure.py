"""The real action server over HTTP: `action_erase_conversation` (the visitor confirmed "delete
my data") erases the conversation's lead and its spooled state and asks the tracker store to
delete the conversation; a state from before the erasure never stores the lead again."""
from __future__ import annotations

from dataclasses import replace

import requests
from sqlalchemy import select

from bot.intake import Spool
from bot.store.db import make_engine, session_factory
from bot.store.schema import Lead, OutboxEvent
from tests.actions.test_action_server import TOKEN, _webhook_call, action_server  # noqa: F401 (fixture)
from tests.store.builders import submission


def _call(url: str, body: dict) -> dict:
    r = requests.post(f"{url}/webhook", params={"token": TOKEN}, json=body, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def _slots(events: list[dict]) -> dict:
    return {e["name"]: e.get("value") for e in events if e.get("event") == "slot"}


def test_erasure_from_the_chat_and_a_stale_state_afterwards(action_server, tmp_path) -> None:  # noqa: F811
    url, store_dir, _log = action_server
    store_dir.mkdir()
    stored = _call(url, _webhook_call("chat-erase"))
    lead_id = _slots(stored["events"])["lead_id"]
    assert lead_id
    spool = Spool(tmp_path / "data" / "spool")
    spool.put(replace(submission("chat-erase"), lead_id=lead_id))

    erase = {**_webhook_call("chat-erase"), "next_action": "action_erase_conversation"}
    body = _call(url, erase)
    assert [m.get("response") for m in body["responses"]] == ["utter_erased"]
    assert {"event": "reset_slots"} in [{"event": e["event"]} for e in body["events"]]
    assert _slots(body["events"]) == {"erase_conversation": True}
    assert spool.pending() == []
    engine = make_engine(f"sqlite:///{store_dir / 'leadbot.db'}")
    try:
        with session_factory(engine)() as session:
            assert session.scalars(select(Lead)).all() == []
            assert session.scalars(select(OutboxEvent.event_type).where(
                OutboxEvent.aggregate_id == lead_id)).all() == ["lead.deleted"]

        # The conversation's state from before (a turn Rasa was processing meanwhile) comes back:
        stale = _webhook_call("chat-erase")
        stale["tracker"]["slots"]["lead_id"] = lead_id
        body = _call(url, stale)
        assert [m.get("response") for m in body["responses"]] == ["utter_erased"]
        assert _slots(body["events"]) == {"erase_conversation": True}
        with session_factory(engine)() as session:
            assert session.scalars(select(Lead)).all() == [], "the erased lead was not stored again"
    finally:
        engine.dispose()
