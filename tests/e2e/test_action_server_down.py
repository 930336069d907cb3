"""The action server killed mid-conversation (rasa_addons/action_server_down.py,
actions/unread.py, rasa_addons/unread_sweep.py): the visitor is told instead of getting an
empty reply, and the answer they gave meanwhile is applied, and stored with the lead, once
the server is back: with their next message, or by Rasa itself if they never write again
(even when Rasa was killed too in between)."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import NOW
from tests.e2e.kill import kill, start_rasa
from tests.e2e.servers import ROOT, BotServers, wait_until
from tests.e2e.test_conversations import asked, stored, texts
from tests.e2e.test_long_conversation import user_lines

pytestmark = pytest.mark.rasa

APOLOGY = "I couldn't save that just now"


@pytest.fixture
def servers(tmp_path: Path):
    # Rasa looks for conversations to catch up every half second (rasa_addons/unread_sweep.py)
    bot = BotServers(tmp_path / "bot", env_overrides={"LEADBOT_NOW": NOW,
                                                      "LEADBOT_UNREAD_SWEEP_SECONDS": "0.5"}).start()
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


def _until(check, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while not (result := check()):
        assert time.monotonic() < deadline, "not within a minute"
        time.sleep(0.2)
    return result


def _bot_lines(tracker: dict) -> list[str]:
    return [e.get("text") or "" for e in tracker["events"] if e["event"] == "bot"]


def test_an_answer_sent_while_the_action_server_is_down_is_applied_even_if_the_visitor_never_writes_again(servers):
    bot, sender = servers, "down-visitor-3"
    bot.say(sender, "hello, Priya Nair here, priya@lumen.example")
    assert asked(bot.say(sender, "a bot that answers questions from parents about admissions")) == ["timeline"]

    dead = _kill_actions(bot)
    assert APOLOGY in texts(bot.say(sender, "before the school year starts in September"))
    _start_actions(bot, dead)  # ...and the visitor writes nothing more

    tracker = _until(lambda: (t := _tracker(bot, sender))["slots"]["timeline"] and t)
    assert tracker["slots"]["timeline"]["target_date"].startswith("2027-09"), "applied by Rasa on its own"
    assert stored(bot, "priya@lumen.example")["timeline"]["target_date"].startswith("2027-09"), "and stored"
    lines = _bot_lines(tracker)
    assert "authority" in asked([{"text": lines[-1]}]), "the form went on: the next question was asked"
    assert tracker["events"][-1]["event"] == "action" and tracker["events"][-1]["name"] == "action_listen"

    replies = bot.say(sender, "I decide")  # the visitor comes back later: nothing read twice
    assert APOLOGY not in texts(replies) and "budget" in asked(replies)
    lead = stored(bot, "priya@lumen.example")
    assert lead["authority"]["level"] == "decision_maker"
    said = user_lines(bot, "priya@lumen.example")
    assert said.count("before the school year starts in September") == 1, said


def test_answers_sent_while_the_action_server_is_down_are_applied_after_rasa_too_was_killed(servers):
    """The conversations waiting to be read are found again in the tracker store at start."""
    bot, sender = servers, "down-visitor-4"
    bot.say(sender, "hi, Tomasz Wrona, tomasz@wrona-logistics.example")
    assert asked(bot.say(sender, "we need a bot that qualifies leads from our website")) == ["timeline"]

    kill(bot, "actions")
    for answer in ("within 3 months", "it's my call"):
        assert APOLOGY in texts(bot.say(sender, answer))
    kill(bot, "rasa")
    bot.start_actions()
    start_rasa(bot)

    slots = _until(lambda: (t := _tracker(bot, sender))["slots"]["authority"] and t["slots"])
    assert slots["timeline"]["months"] and slots["authority"]["level"] == "decision_maker"
    lead = _until(lambda: (lead := stored(bot, "tomasz@wrona-logistics.example"))["authority"]["level"] and lead)
    assert lead["timeline"]["months"] and lead["authority"]["level"] == "decision_maker"


def test_the_widget_is_asked_the_next_question_once_the_action_server_is_back(servers):
    """Over the widget's socket the catch-up's question is pushed to the visitor, who wrote nothing more."""
    import queue

    import socketio

    bot = servers
    replies: queue.Queue = queue.Queue()
    confirmed: queue.Queue = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", lambda data: replies.put(data.get("text") or ""))
    client.on("session_confirm", lambda data: confirmed.put(data))
    client.connect(bot.rasa_url, socketio_path="/socket.io", transports=["websocket"], wait_timeout=10)

    def say(text: str, until: str) -> list[str]:
        heard: list[str] = []
        if text:
            client.emit("user_uttered", {"message": text, "session_id": session_id})
        while not any(until in line for line in heard):
            heard.append(replies.get(timeout=60))
        return heard

    try:
        client.emit("session_request", {})
        session_id = confirmed.get(timeout=10)
        say("hello, Priya Nair here, priya@lumen.example", "What would you like help with")
        say("a bot that answers questions from parents about admissions", "When would you like to have a solution")
        kill(bot, "actions")
        say("before the school year starts in September", APOLOGY)
        bot.start_actions()
        assert any("Who will make the final decision" in line for line in say("", "Who will make")), \
            "asked on the socket without a new message"
    finally:
        client.disconnect()
    assert stored(bot, "priya@lumen.example")["timeline"]["target_date"].startswith("2027-09")
