"""The channels a conversation came in through, read by the REST channel before every message
(`LeadbotTrackerStore.input_channels`), on a real tracker store file written by Rasa's code.

It must see what rebuilding the conversation saw (the current session's user messages), and
the conversation's first message too, so a widget conversation that rolled over to a new
session stays the widget's."""
from __future__ import annotations

import json
import subprocess

from tests.e2e.servers import RASA_PYTHON, ROOT

SCRIPT = """
import asyncio, json, sys
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_addons.sender_ids import input_channels
from rasa_addons.tracker_store import LeadbotTrackerStore

store = LeadbotTrackerStore(None, dialect="sqlite", db=sys.argv[1])

def said(text, channel):
    return UserUttered(text, {"name": "inform"}, input_channel=channel)

async def main():
    widget = DialogueStateTracker.from_events("w1", [
        ActionExecuted("action_listen"), said("hi", "socketio"), ActionExecuted("action_listen"),
        ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
        said("still me", None), ActionExecuted("action_listen")])
    rest = DialogueStateTracker.from_events("r1", [
        ActionExecuted("action_listen"), said("hello", "rest"), ActionExecuted("action_listen"),
        said("50k", "rest"), ActionExecuted("action_listen")])
    for tracker in (widget, rest):
        await store.save(tracker)
    out = {}
    for sender in ("w1", "r1", "nobody"):
        tracker = await store.retrieve(sender)
        out[sender] = {"rows": store.input_channels(sender),
                       "rebuilt": input_channels(tracker.events) if tracker else []}
    print(json.dumps(out))

asyncio.run(main())
"""


def test_the_first_and_the_current_sessions_channels_are_read_without_rebuilding_the_conversation(tmp_path):
    done = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT, str(tmp_path / "tracker.db")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    # the rebuilt conversation holds the current session only: the widget's first message is gone
    assert got["w1"] == {"rows": ["socketio", None], "rebuilt": [None]}
    assert got["r1"] == {"rows": ["rest", "rest"], "rebuilt": ["rest", "rest"]}
    assert got["nobody"] == {"rows": [], "rebuilt": []}
