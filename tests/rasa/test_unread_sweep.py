"""rasa_addons/unread_sweep.py and its part of action_server_down.py, with Rasa's own events
(in the Rasa environment): which conversations wait to be read, that a catch-up after the
turn is a turn of its own (not the one that apologised), and that inside a catch-up a failing
action raises instead of apologising again. The whole, with real servers killed and
restarted: tests/e2e/test_action_server_down.py."""
from __future__ import annotations

import json
import subprocess

from tests.e2e.servers import ROOT

RASA_PYTHON = ROOT / ".venvs" / "rasa" / "bin" / "python"

SCRIPT = r"""
import asyncio, json, socket
import rasa_addons
from rasa_addons import action_server_down, unread_sweep
from rasa.core.actions.action import RemoteAction
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

said = UserUttered("next month")
unread = BotUttered("Sorry", metadata={"utter_action": "utter_service_unavailable", "leadbot_unread": True})
told = BotUttered("Sorry", metadata={"utter_action": "utter_service_unavailable", "leadbot_unread": False})
listen = ActionExecuted("action_listen")
read = ActionExecuted("action_validate_slot_mappings")
asked = BotUttered("Who decides?")

cases = {
    "apologised_unread": [said, unread, listen],
    "apologised_unread_twice": [said, unread, listen, UserUttered("me"), unread, listen],
    "read_by_a_catch_up": [said, unread, listen, read, asked, listen],
    "read_with_the_next_message": [said, unread, listen, UserUttered("me"), asked, listen],
    "a_crash_marks_nothing": [said, told, listen],
    "a_new_session": [said, unread, listen, SessionStarted(), listen],
}
result = {"awaiting": {name: unread_sweep.awaiting_read(events) for name, events in cases.items()}}
result["apologised_this_turn"] = {
    "in_the_turn": action_server_down.apologised_this_turn([said, unread]),
    "after_the_turn": action_server_down.apologised_this_turn([said, unread, listen, read]),
}
result["health"] = unread_sweep.health_url("http://127.0.0.1:5055/webhook?token=x")

with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); closed = s.getsockname()[1]
domain = Domain.from_dict({"responses": {"utter_service_unavailable": [{"text": "Sorry"}]}})
nlg = TemplatedNaturalLanguageGenerator(domain.responses)

async def run(quiet):
    tracker = DialogueStateTracker.from_events("s", [said, unread, listen])
    action = RemoteAction("action_validate_slot_mappings", EndpointConfig(f"http://127.0.0.1:{closed}/webhook"))
    try:
        if quiet:
            with action_server_down.quietly():
                await action.run(CollectingOutputChannel(), nlg, tracker, domain)
        else:
            return [e.text for e in await action.run(CollectingOutputChannel(), nlg, tracker, domain)]
    except RasaException:
        return "raised"

result["catch_up_failing"] = asyncio.run(run(True))
result["turn_failing"] = asyncio.run(run(False))
print(json.dumps(result))
"""


def test_what_waits_to_be_read_and_a_catch_up_that_fails():
    done = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["awaiting"] == {
        "apologised_unread": True,
        "apologised_unread_twice": True,
        "read_by_a_catch_up": False,
        "read_with_the_next_message": False,
        "a_crash_marks_nothing": False,
        "a_new_session": False,
    }
    assert result["apologised_this_turn"] == {"in_the_turn": True, "after_the_turn": False}
    assert result["health"] == "http://127.0.0.1:5055/health"
    assert result["catch_up_failing"] == "raised", "a catch-up says nothing: the visitor was told already"
    assert result["turn_failing"] == ["Sorry"], "a new turn after the failed one apologises again"
