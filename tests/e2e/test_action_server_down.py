"""The action server killed mid-conversation (rasa_addons/action_server_down.py,
actions/unread.py): the visitor is told instead of getting an empty reply, and the answer
they gave meanwhile is applied, and stored with the lead, once the server is back."""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
import requests

from tests.conftest import NOW
from tests.e2e.servers import ROOT, BotServers, wait_until
from tests.e2e.test_conversations import asked, stored, texts

pytestmark = pytest.mark.rasa

APOLOGY = "I couldn't save that just now"


@pytest.fixture
def servers(tmp_path: Path):
    bot = BotServers(tmp_path / "bot", env_overrides={"LEADBOT_NOW": NOW}).start()
    yield bot
    bot.stop()


def _kill_actions(bot: BotServers) -> subprocess.Popen:
    proc = next(p for p in bot.procs if "rasa_sdk" in p.args)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    bot.procs.remove(proc)
    return proc


def _start_actions(bot: BotServers, like: subprocess.Popen) -> None:
    log = bot.workdir / "actions.log"
    proc = subprocess.Popen(like.args, cwd=ROOT, env=bot.env, stdout=log.open("a"), stderr=subprocess.STDOUT)
    bot.procs.append(proc)
    wait_until(lambda: requests.get(f"http://127.0.0.1:{bot.actions_port}/health", timeout=2).ok,
               60, "action server (restarted)", proc, log)


def _tracker(bot: BotServers, sender: str) -> dict:
    r = requests.get(f"{bot.rasa_url}/conversations/{sender}/tracker", params={"token": bot.auth_token}, timeout=10)
    r.raise_for_status()
    return r.json()


def test_an_answer_sent_while_the_action_server_is_down_is_told_kept_and_applied_once_it_is_back(servers):
    bot, sender = servers, "down-visitor-1"
    bot.say(sender, "hello, Priya Nair here, priya@lumen.example")
    assert asked(bot.say(sender, "a bot that answers questions from parents about admissions")) == ["timeline"]

    dead = _kill_actions(bot)
    replies = bot.say(sender, "before the school year starts in September")
    assert replies, "not an empty reply"
    assert APOLOGY in texts(replies) and asked(replies) == [], "told, and not asked again"
    tracker = _tracker(bot, sender)
    assert tracker["latest_message"]["text"] == "before the school year starts in September", "the message is kept"
    assert tracker["slots"]["timeline"] is None

    _start_actions(bot, dead)
    replies = bot.say(sender, "I decide")
    assert APOLOGY not in texts(replies)
    tracker = _tracker(bot, sender)
    assert tracker["slots"]["timeline"]["target_date"].startswith("2027-09"), "the earlier answer, applied"
    assert tracker["slots"]["authority"]["level"] == "decision_maker"
    assert "budget" in asked(replies), "the form goes on from there"
    lead = stored(bot, "priya@lumen.example")
    assert lead["timeline"]["target_date"].startswith("2027-09")
    assert lead["authority"]["level"] == "decision_maker"


def test_several_answers_sent_during_an_outage_each_answer_the_question_that_would_have_come(servers):
    bot, sender = servers, "down-visitor-2"
    bot.say(sender, "hi")
    bot.say(sender, "we need a bot that qualifies leads from our website")
    bot.say(sender, "within 3 months")
    bot.say(sender, "it's my call")
    assert asked(bot.say(sender, "about 20k a year")) == ["name"]

    dead = _kill_actions(bot)
    for answer in ("Tomasz Wrona", "Wrona Logistics"):  # the visitor goes on as if asked
        assert APOLOGY in texts(bot.say(sender, answer))
    _start_actions(bot, dead)
    bot.say(sender, "tomasz@wrona-logistics.example")
    slots = _tracker(bot, sender)["slots"]
    assert (slots["name"], slots["company"], slots["email"]) == (
        "Tomasz Wrona", "Wrona Logistics", "tomasz@wrona-logistics.example"), "each read as the next question's answer"
    lead = stored(bot, "tomasz@wrona-logistics.example")
    assert (lead["name"], lead["company"]) == ("Tomasz Wrona", "Wrona Logistics")
