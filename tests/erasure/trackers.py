"""Conversations written into a real tracker store file by Rasa's own code (our
`LeadbotTrackerStore`, in the Rasa environment), and read back as rows."""
from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

from tests.e2e.servers import RASA_PYTHON, ROOT

_WRITE = """
import asyncio, json, sys
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.slots import BooleanSlot, TextSlot
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_addons.tracker_store import ERASE_SLOT, LeadbotTrackerStore

path, conversations = sys.argv[1], json.loads(sys.argv[2])
store = LeadbotTrackerStore(None, dialect="sqlite", db=path)
slots = [TextSlot("email", mappings=[{}]), BooleanSlot(ERASE_SLOT, mappings=[{}])]

async def main():
    for sender, (email, erase) in conversations.items():
        tracker = DialogueStateTracker.from_events(sender, [
            ActionExecuted("action_listen"), UserUttered(f"hi, I am {email}", {"name": "inform"}),
            SlotSet("email", email), BotUttered("Thanks!"), ActionExecuted("action_listen")], slots)
        await store.save(tracker)
        if erase:  # the turn in which action_erase_conversation ran
            tracker.update(SlotSet(ERASE_SLOT, True))
            await store.save(tracker)

asyncio.run(main())
"""


def write_conversations(path: Path, conversations: dict[str, tuple[str, bool]]) -> None:
    """Save each conversation {sender: (email said, erased in its last turn)} through Rasa."""
    subprocess.run([str(RASA_PYTHON), "-c", _WRITE, str(path), json.dumps(conversations)], cwd=ROOT,
                   check=True, capture_output=True, timeout=120)


_RACE = """
import asyncio, sqlite3, sys
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa_addons.tracker_store import LeadbotTrackerStore

path, sender = sys.argv[1], sys.argv[2]
store = LeadbotTrackerStore(None, dialect="sqlite", db=path)

async def main():
    tracker = await store.retrieve(sender)  # a turn begins
    with sqlite3.connect(path) as db:  # `leadbot leads delete` meanwhile
        db.execute("DELETE FROM events WHERE sender_id = ?", (sender,))
    for event in (UserUttered("one more thing"), BotUttered("Noted."), ActionExecuted("action_listen")):
        tracker.update(event)
    await store.save(tracker)  # the turn ends
    fresh = await store.retrieve(sender)
    print(len(fresh.events) if fresh else 0)

asyncio.run(main())
"""


def erase_during_a_turn(path: Path, sender: str) -> int:
    """Delete a conversation's rows while Rasa's tracker store is in one of its turns; how many
    events the conversation has afterwards."""
    done = subprocess.run([str(RASA_PYTHON), "-c", _RACE, str(path), sender], cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=120)
    return int(done.stdout.strip().splitlines()[-1])


def events_of(path: Path) -> dict[str, list[dict]]:
    """The stored events per conversation."""
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT sender_id, data FROM events ORDER BY id").fetchall()
    found: dict[str, list[dict]] = {}
    for sender, data in rows:
        found.setdefault(sender, []).append(json.loads(data))
    return found
