"""`LeadbotTrackerStore` reads and writes with statements of its own: it must store the rows
Rasa's `SQLTrackerStore` stores and load the trackers Rasa loads, on real SQLite files,
through sessions, saves of one turn at a time and several conversations side by side."""
from __future__ import annotations

import json
import subprocess

from tests.e2e.servers import RASA_PYTHON, ROOT

SCRIPT = r"""
import asyncio, json, sqlite3, sys
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet,
                                     UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_addons.tracker_store import LeadbotTrackerStore

domain = Domain.from_yaml('''
version: "3.1"
intents: [greet, inform]
slots:
  need: {type: any, influence_conversation: false, mappings: [{type: custom}]}
  budget: {type: any, influence_conversation: false, mappings: [{type: custom}]}
forms:
  lead_form: {required_slots: [need, budget]}
responses:
  utter_greet: [{text: hi}]
''')
ours_file, stock_file = sys.argv[1], sys.argv[2]
ours = LeadbotTrackerStore(domain, dialect="sqlite", db=ours_file)
stock = SQLTrackerStore(domain, dialect="sqlite", db=stock_file)

def said(text, intent, t):
    return UserUttered(text, {"name": intent, "confidence": 0.9}, input_channel="rest", timestamp=t)

def turns(t):
    # three turns of a first session, a new session, two more turns; timestamps increase
    yield [ActionExecuted("action_session_start", timestamp=t), SessionStarted(timestamp=t + 0.001),
           ActionExecuted("action_listen", timestamp=t + 0.002)]
    yield [said("hi", "greet", t + 1), ActionExecuted("utter_greet", timestamp=t + 1.1),
           BotUttered("hi", {"buttons": None}, timestamp=t + 1.2), ActionExecuted("action_listen", timestamp=t + 1.3)]
    yield [said("a chatbot", "inform", t + 2), SlotSet("need", {"text": "a chatbot"}, timestamp=t + 2.1),
           ActionExecuted("lead_form", timestamp=t + 2.2), ActiveLoop("lead_form", timestamp=t + 2.3),
           ActionExecuted("action_listen", timestamp=t + 2.4)]
    yield [ActionExecuted("action_session_start", timestamp=t + 10), SessionStarted(timestamp=t + 10.001),
           SlotSet("need", {"text": "a chatbot"}, timestamp=t + 10.002),
           ActionExecuted("action_listen", timestamp=t + 10.003)]
    yield [said("50k", "inform", t + 11), SlotSet("budget", {"amount": 50000}, timestamp=t + 11.1),
           ActionExecuted("action_listen", timestamp=t + 11.2)]
    yield [said("ünïcode 😀", "inform", t + 12), ActionExecuted("action_listen", timestamp=t + 12.1)]

async def play(store, sender, t):
    # as Rasa's processor does: load (None the first time), add the turn's events, save
    for events in turns(t):
        tracker = await store.retrieve(sender) or DialogueStateTracker(sender, domain.slots)
        for event in events:
            tracker.update(event)
        await store.save(tracker)

def rows(path):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT sender_id, type_name, timestamp, intent_name, action_name, data "
                          "FROM events ORDER BY id").fetchall()

def state(tracker):
    return None if tracker is None else tracker.current_state()

async def main():
    for store in (ours, stock):
        await play(store, "alice", 1000.0)
        await play(store, "bob", 1000.5)   # interleaved timestamps, another conversation
    out = {"same_rows": rows(ours_file) == rows(stock_file), "rows": len(rows(ours_file)), "reads": {}}
    for sender in ("alice", "bob", "nobody"):
        for name, reader in (("ours", ours), ("stock", stock)):
            # both stores read the file Rasa's own store wrote
            reader_on_stock = reader if reader is stock else LeadbotTrackerStore(domain, dialect="sqlite", db=stock_file)
            session = await reader_on_stock.retrieve(sender)
            full = await reader_on_stock.retrieve_full_tracker(sender)
            out["reads"].setdefault(sender, {})[name] = {
                "session": state(session), "full": state(full),
                "session_events": None if session is None else len(session.events),
                "full_events": None if full is None else len(full.events)}
    out["channels"] = ours.input_channels("alice")
    print(json.dumps(out, default=str))

asyncio.run(main())
"""


def test_our_statements_store_and_load_what_rasas_tracker_store_does(tmp_path):
    done = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT, str(tmp_path / "ours.db"), str(tmp_path / "stock.db")],
                          cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["same_rows"], "the same rows, columns and order as Rasa's save"
    assert out["rows"] == 2 * 21
    for sender, reads in out["reads"].items():
        assert reads["ours"] == reads["stock"], sender
    alice = out["reads"]["alice"]["ours"]
    assert alice["session_events"] == 8 and alice["full_events"] == 21, "the current session, then all of it"
    assert alice["session"]["slots"]["need"] == {"text": "a chatbot"}
    assert alice["session"]["slots"]["budget"] == {"amount": 50000}
    assert out["reads"]["nobody"]["ours"]["session"] is None
    assert out["channels"] == ["rest"] * 3, "the first user message and the current session's two"
