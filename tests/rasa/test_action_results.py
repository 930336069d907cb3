"""rasa_addons.action_results: the same verdicts as Rasa's own per-call validation.

Runs inside the Rasa environment (a subprocess), where the code runs in production.
"""
from __future__ import annotations

import json
import subprocess

from tests.e2e.servers import ROOT

RASA_PYTHON = ROOT / ".venvs" / "rasa" / "bin" / "python"

# Responses an action server could send: valid ones and every kind of malformed one.
RESPONSES = [
    {"events": [], "responses": []},
    {},
    {"events": [{"event": "slot", "name": "need", "value": "lead qualification"}]},
    {"events": [{"event": "slot", "name": "budget", "value": {"amount": 50000, "currency": "EUR"}}],
     "responses": [{"response": "utter_ask_budget"}, {"text": "Hello <b>ü</b> 👋"}]},
    {"events": [{"event": "active_loop", "name": None}, {"event": "pause"}, {"event": "resume"}]},
    {"events": [{"event": "followup", "name": "action_listen"}]},
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"events": [{"event": "slot", "name": 3}]},
    {"responses": "text"},
    {"responses": [1, 2]},
    [],
    "a string",
    {"events": [{"event": "no_such_event"}]},
]

SCRIPT = r"""
import json, sys
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

stock = RemoteAction._validate_action_result
import rasa_addons  # installs the fix
from rasa_addons.action_results import validate_action_result
assert RemoteAction._validate_action_result is validate_action_result, "fix not installed"

def verdict(fn, response):
    try:
        return {"ok": fn(RemoteAction("a", None), response)}
    except ValidationError as e:
        return {"ok": False, "message": e.message, "path": list(e.path)}

out = []
for response in json.loads(sys.stdin.read()):
    out.append([verdict(stock, response), verdict(validate_action_result, response)])
print(json.dumps(out))
"""


def test_fixed_validation_gives_rasas_verdicts_and_messages():
    done = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT], cwd=ROOT, input=json.dumps(RESPONSES),
                          capture_output=True, text=True, timeout=120, check=True)
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(results) == len(RESPONSES)
    for response, (stock, ours) in zip(RESPONSES, results):
        assert ours == stock, response
    oks = [stock["ok"] for stock, _ in results]
    assert oks[:6] == [True] * 6 and not any(oks[6:])
    assert all("Failed to validate Action server response" in s["message"] for s, _ in results[6:])
