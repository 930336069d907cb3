"""The action server's /metrics and its log line per turn (rasa_sdk_plugins/telemetry.py),
scraped from the real action server while the real Rasa server talks to it."""
from __future__ import annotations

import json

import pytest
import requests

from tests.e2e.scaled import scrape

pytestmark = pytest.mark.rasa

MESSAGES = ["hi", "We need a chatbot that qualifies leads on our website", "in 8-10 weeks",
            "it's my call, I run IT"]


def test_turns_their_latency_and_action_errors_are_counted(bot, sender):
    port = bot.actions_port
    turns, finished = ("leadbot_turns_total", (("channel", "rest"),)), ("leadbot_turn_seconds_count", ())
    understanding = ("leadbot_action_seconds_count", (("action", "action_validate_slot_mappings"),))
    before = scrape(port)
    for message in MESSAGES:
        assert bot.say(sender, message)
    after = scrape(port)
    assert after[turns] - before.get(turns, 0) == len(MESSAGES)
    assert after[finished] - before.get(finished, 0) == len(MESSAGES) - 1, "each turn seen when the next starts"
    assert after[understanding] - before.get(understanding, 0) >= len(MESSAGES), "once a turn, or more (a form start)"
    assert after[("leadbot_turn_seconds_sum", ())] > before.get(("leadbot_turn_seconds_sum", ()), 0)

    refused = ("leadbot_action_errors_total", (("action", "action_that_does_not_exist"),))
    r = requests.post(f"http://127.0.0.1:{port}/webhook", params={"token": bot.actions_token},
                      json={"next_action": "action_that_does_not_exist", "tracker": {}, "domain": {}}, timeout=10)
    assert r.status_code == 404
    assert scrape(port)[refused] == before.get(refused, 0) + 1


def test_one_log_line_per_turn_with_the_conversation_id_and_nothing_the_visitor_wrote(bot, sender):
    for message in MESSAGES:
        bot.say(sender, message)
    lines = [json.loads(line[line.index("{"):]) for line in (bot.workdir / "actions.log").read_text().splitlines()
             if '"event": "turn"' in line and sender in line]
    assert [line["turn"] for line in lines] == [1, 2, 3, 4]
    assert {line["conversation_id"] for line in lines} == {sender}
    assert all(line["channel"] == "rest" and line["intent"] for line in lines)
    written = json.dumps(lines)
    for message in MESSAGES[1:]:
        assert message not in written and message.split()[-1] not in written
