"""The real action server process over HTTP: a lead given while the pipeline store is down
is kept, and stored by the server on its own once the store is back."""
from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
import requests
import yaml

from bot.store.db import make_engine, session_factory
from bot.store.export import lead_to_export
from bot.store.repository import get_lead
from tests.actions.test_actions import COMPLETE
from tests.e2e.servers import ROOT, free_port, wait_until

TOKEN = "action-server-test-token"


@pytest.fixture
def action_server(tmp_path: Path):
    """An action server whose SQLite store lives in a folder that does not exist yet."""
    settings = tmp_path / "settings"
    settings.mkdir()
    for f in (ROOT / "settings").glob("*.yml"):
        (settings / f.name).write_text(f.read_text())
    with (settings / "conversation.yml").open("a") as fh:
        fh.write("pending_retry_seconds: 0.5\n")
    store_dir = tmp_path / "store-not-mounted-yet"
    port = free_port()
    env = dict(os.environ, LEADBOT_SETTINGS_DIR=str(settings), LEADBOT_DATA_DIR=str(tmp_path / "data"),
               LEADBOT_DATABASE_URL=f"sqlite:///{store_dir / 'leadbot.db'}",
               LEADBOT_NOW="2026-11-22T10:00:00+00:00", LEADBOT_ACTIONS_TOKEN=TOKEN)
    log = tmp_path / "actions.log"
    proc = subprocess.Popen(
        [str(ROOT / ".venvs" / "app" / "bin" / "python"), "-m", "rasa_sdk", "--actions", "actions",
         "--port", str(port)], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok, 60,
                   "action server", proc, log)
        yield f"http://127.0.0.1:{port}", store_dir, log
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _webhook_call(sender: str) -> dict:
    """The request Rasa sends to run action_submit_lead at the end of the form."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    now = time.time()
    events = [
        {"event": "action", "name": "action_listen", "timestamp": now},
        {"event": "user", "text": "sam@brightwell.example", "timestamp": now, "input_channel": "rest",
         "parse_data": {"intent": {"name": "inform", "confidence": 0.99}, "entities": []}},
    ]
    tracker = {
        "sender_id": sender, "slots": {**COMPLETE, "phase": "qualifying"},
        "latest_message": {"text": "sam@brightwell.example", "intent": {"name": "inform", "confidence": 0.99},
                           "entities": []},
        "events": events, "paused": False, "followup_action": None, "active_loop": {},
        "latest_action_name": "lead_form",
    }
    return {"next_action": "action_submit_lead", "sender_id": sender, "tracker": tracker,
            "domain": domain, "version": "3.6.21"}


def test_a_lead_given_while_the_store_is_down_is_stored_when_it_is_back(action_server):
    url, store_dir, log = action_server
    r = requests.post(f"{url}/webhook", params={"token": TOKEN}, json=_webhook_call("down-1"), timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [m.get("response") for m in body["responses"]] == ["utter_store_unavailable"]
    assert {"event": "slot", "name": "lead_pending", "value": True} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in body["events"]]

    store_dir.mkdir()  # the database comes back
    engine = make_engine(f"sqlite:///{store_dir / 'leadbot.db'}")
    try:
        def stored() -> bool:
            try:
                with session_factory(engine)() as session:
                    return lead_to_export(get_lead(session, "sam@brightwell.example"))["conversation_id"] == "down-1"
            except Exception:
                return False
        wait_until(stored, 20, "the spooled lead to reach the store")
    finally:
        engine.dispose()
    assert "stored 1 lead(s)" in log.read_text()
