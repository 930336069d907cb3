"""The Rasa project itself: training data valid, test stories predicted exactly."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.e2e.servers import RASA_BIN, ROOT, MODEL

pytestmark = pytest.mark.rasa


def _rasa(args: list[str], env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(RASA_BIN), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


# Rasa's validator cannot see responses used by custom actions or asked by the form, nor
# intents set by a pipeline component; every other warning fails the test.
NOT_USED = re.compile(r"The utterance '(utter_\w+)' is not used in any story or rule")
GUARD_INTENT = "The intent 'message_too_long' is listed in the domain file, but is not found"
# Only ever a button's payload (/choose_meeting{...}, bot/meetings/desk.py): no NLU examples by design.
PAYLOAD_INTENT = "The intent 'choose_meeting' is listed in the domain file, but is not found"


RASA_DEFAULT_RESPONSES = {"utter_restart", "utter_default"}  # action_restart, action_default_fallback


def _explained(response: str, action_source: str, form_slots: list[str]) -> bool:
    if response in RASA_DEFAULT_RESPONSES:
        return True
    if response.startswith("utter_ask_") and response[len("utter_ask_"):] in form_slots:
        return True
    # actions name responses literally or as f"utter_why_{slot}" / f"utter_reask_hint_{slot}"
    # (a slot name may hold underscores: "utter_reask_hint_budget_currency")
    prefixes = {response[:i + 1] for i, ch in enumerate(response) if ch == "_"}
    return f'"{response}"' in action_source or any(f'f"{prefix}{{' in action_source for prefix in prefixes)


def test_data_validate_is_clean(bot):
    data = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "data").glob("*.yml"))]
    result = _rasa(["data", "validate", "--data", *data], bot.env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    # custom actions, and Rasa itself where rasa_addons makes it speak (action_server_down.py)
    action_source = "\n".join(p.read_text() for folder in ("actions", "rasa_addons")
                              for p in (ROOT / folder).glob("*.py"))
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    form_slots = domain["forms"]["lead_form"]["required_slots"]
    unexplained = []
    for line in output.splitlines():
        if "UserWarning" not in line:
            continue
        match = NOT_USED.search(line)
        if match and _explained(match.group(1), action_source, form_slots):
            continue
        if GUARD_INTENT in line or PAYLOAD_INTENT in line:
            continue
        unexplained.append(line)
    assert unexplained == []


def test_stories_are_predicted(bot, tmp_path: Path):
    out = ROOT / "artifacts" / "rasa-test"
    result = _rasa(
        ["test", "core", "--model", str(MODEL), "--stories", "tests/stories",
         "--endpoints", "endpoints.yml", "--out", str(out), "--fail-on-prediction-errors"],
        bot.env,
    )
    failed = (out / "failed_test_stories.yml")
    detail = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, detail[-4000:] + result.stdout[-3000:] + result.stderr[-3000:]
