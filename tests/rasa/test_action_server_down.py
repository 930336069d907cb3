"""rasa_addons/action_server_down.py against Rasa's own RemoteAction (in the Rasa environment):
an action server that cannot be reached, or that fails, gives the apology once a turn; only an
unreachable understanding action marks the message unread (a crashing action must not make
every later message re-read the one that crashed it)."""
from __future__ import annotations

import json
import subprocess

from tests.e2e.servers import ROOT

RASA_PYTHON = ROOT / ".venvs" / "rasa" / "bin" / "python"

SCRIPT = r"""
import asyncio, json, socket, threading
from http.server import BaseHTTPRequestHandler, HTTPServer
import rasa_addons  # installs the patch
from rasa.core.actions.action import RemoteAction
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

class Crash(BaseHTTPRequestHandler):
    def do_POST(self):
        self.send_response(500); self.end_headers(); self.wfile.write(b"boom")
    def log_message(self, *a): pass

crashing = HTTPServer(("127.0.0.1", 0), Crash)
threading.Thread(target=crashing.serve_forever, daemon=True).start()
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); closed = s.getsockname()[1]  # nothing listens there after this

domain = Domain.from_dict({"responses": {"utter_service_unavailable": [{"text": "Sorry, from the domain"}]}})
nlg = TemplatedNaturalLanguageGenerator(domain.responses)

async def outcome(name, port, events):
    tracker = DialogueStateTracker.from_events("s", events)
    action = RemoteAction(name, EndpointConfig(f"http://127.0.0.1:{port}/webhook"))
    out = await action.run(CollectingOutputChannel(), nlg, tracker, domain)
    return [[e.text, e.metadata.get("leadbot_unread")] for e in out]

async def main():
    said = UserUttered("next month")
    apologised = [said, BotUttered("Sorry", metadata={"utter_action": "utter_service_unavailable"})]
    return {
        "unreachable_understanding": await outcome("action_validate_slot_mappings", closed, [said]),
        "said_already_this_turn": await outcome("action_submit_lead", closed, apologised),
        "said_in_an_earlier_turn": await outcome("action_submit_lead", closed, [*apologised, said]),
        "unreachable_other": await outcome("action_submit_lead", closed, [said]),
        "crashing_understanding": await outcome("action_validate_slot_mappings", crashing.server_port, [said]),
    }

print(json.dumps(asyncio.run(main())))
"""


def test_the_apology_and_what_it_marks_unread():
    done = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {
        "unreachable_understanding": [["Sorry, from the domain", True]],
        "said_already_this_turn": [],
        "said_in_an_earlier_turn": [["Sorry, from the domain", False]],
        "unreachable_other": [["Sorry, from the domain", False]],
        "crashing_understanding": [["Sorry, from the domain", False]],
    }
