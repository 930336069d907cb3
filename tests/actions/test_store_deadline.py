"""One locked pipeline store stalls no conversation (actions/store_calls.py): the real action
server, the real SQLite store held under an exclusive lock by another connection.

The store's own busy timeout is set far beyond the test, so a reply that waited for the store
would not come while the lock is held: every assertion below is made with the lock held, and
none depends on how fast the machine is."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import yaml

from bot.store.db import make_engine, session_factory
from bot.store.export import lead_to_export
from bot.store.migrate import upgrade
from bot.store.repository import get_lead, list_leads
from tests.actions.test_action_server import _webhook_call
from tests.e2e.servers import ROOT, free_port, wait_until

TOKEN = "store-deadline-test-token"


@pytest.fixture
def server(tmp_path: Path):
    settings = tmp_path / "settings"
    settings.mkdir()
    for f in (ROOT / "settings").glob("*.yml"):
        (settings / f.name).write_text(f.read_text())
    with (settings / "conversation.yml").open("a") as fh:
        fh.write("pending_retry_seconds: 0.5\nstore_deadline_seconds: 1\n")
    database = tmp_path / "leadbot.db"
    upgrade(f"sqlite:///{database}")  # migrated before the lock: the test is about a lead's write
    port = free_port()
    env = dict(os.environ, LEADBOT_SETTINGS_DIR=str(settings), LEADBOT_DATA_DIR=str(tmp_path / "data"),
               LEADBOT_DATABASE_URL=f"sqlite:///{database}", LEADBOT_NOW="2026-11-22T10:00:00+00:00",
               LEADBOT_ACTIONS_TOKEN=TOKEN, LEADBOT_SQLITE_BUSY_TIMEOUT_MS="600000")
    log = tmp_path / "actions.log"
    proc = subprocess.Popen(
        [str(ROOT / ".venvs" / "app" / "bin" / "python"), "-m", "rasa_sdk", "--actions", "actions",
         "--port", str(port)], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok, 60,
                   "action server", proc, log)
        yield f"http://127.0.0.1:{port}/webhook", database, tmp_path / "data" / "spool"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _hi_call(sender: str) -> dict:
    """The request Rasa sends to understand a visitor's first message."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    now = time.time()
    latest = {"text": "hi", "intent": {"name": "greet", "confidence": 0.99}, "entities": []}
    tracker = {
        "sender_id": sender, "slots": {"phase": None}, "latest_message": latest,
        "events": [{"event": "action", "name": "action_listen", "timestamp": now},
                   {"event": "user", "text": "hi", "timestamp": now, "input_channel": "rest", "parse_data": latest}],
        "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen",
    }
    return {"next_action": "action_validate_slot_mappings", "sender_id": sender, "tracker": tracker,
            "domain": domain, "version": "3.6.21"}


def _stored_conversation(database: Path) -> str | None:
    engine = make_engine(f"sqlite:///{database}")
    try:
        with session_factory(engine)() as session:
            return lead_to_export(get_lead(session, "sam@brightwell.example"))["conversation_id"]
    except Exception:  # not stored yet
        return None
    finally:
        engine.dispose()


def test_a_locked_store_stalls_no_conversation_and_the_lead_is_stored_once_it_is_free(server):
    url, database, spool = server
    lock = sqlite3.connect(database, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        with ThreadPoolExecutor(2) as pool:
            locked = pool.submit(requests.post, url, params={"token": TOKEN},
                                 json=_webhook_call("locked-1"), timeout=60)
            hi = pool.submit(requests.post, url, params={"token": TOKEN}, json=_hi_call("other-1"), timeout=60)
            other, finished = hi.result(), locked.result()
        # Both answered while the lock is still held: the other visitor normally, this one as
        # when the store is down, with the lead spooled.
        assert other.status_code == 200, other.text
        assert finished.status_code == 200, finished.text
        assert [m.get("response") for m in finished.json()["responses"]] == ["utter_store_unavailable"]
        assert len(list(spool.glob("*.json"))) == 1
        assert _stored_conversation(database) is None
    finally:
        lock.execute("ROLLBACK")
        lock.close()

    wait_until(lambda: _stored_conversation(database) == "locked-1", 30, "the spooled lead to be stored")
    wait_until(lambda: not list(spool.glob("*.json")), 30, "the spool to be empty")
    engine = make_engine(f"sqlite:///{database}")
    try:
        with session_factory(engine)() as session:
            assert [lead.email for lead in list_leads(session)] == ["sam@brightwell.example"]
    finally:
        engine.dispose()
