"""A Slack delivery handled once: the same signed request replayed inside its five-minute
window, or retried by Slack, gets a 200 and no second answer, also after a Rasa restart."""
from __future__ import annotations

import json
import random
import sqlite3
import time

import subprocess

import pytest

from tests.channels.clients import SlackUser
from tests.channels.test_rendering_and_verification import NEED
from tests.e2e.servers import ROOT

pytestmark = pytest.mark.rasa


def _user_turns(bot, sender: str) -> int:
    with sqlite3.connect(bot.workdir / "tracker.db") as db:
        return db.execute("SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'user'",
                          (sender,)).fetchone()[0]


def _answers(platforms, slack: SlackUser) -> int:
    return len(platforms.sent("slack", "chat.postMessage", lambda b: b.get("channel") == slack.dm_channel))


def _settle(platforms, slack: SlackUser, count: int) -> None:
    time.sleep(2)  # a second answer, if any, would come within this
    assert _answers(platforms, slack) == count


def test_a_replayed_or_retried_event_is_handled_once_even_after_a_restart(bot, platforms):
    slack = SlackUser(bot, platforms, f"U{random.randint(10**8, 10**9)}")
    body, signed_at = slack.event("hello"), int(time.time())
    first = slack.post(body, "application/json", timestamp=signed_at)
    assert (first.status_code, first.text) == (200, "")
    platforms.wait_for("slack", "chat.postMessage", lambda b: b.get("channel") == slack.dm_channel, after=0)
    answered = _answers(platforms, slack)
    assert answered >= 1 and _user_turns(bot, slack.user_id) == 1

    replay = slack.post(body, "application/json", timestamp=signed_at)  # the same signed bytes
    assert (replay.status_code, replay.text) == (200, "")
    resigned = slack.post(body, "application/json")  # Slack's retry: same event_id, new signature
    assert resigned.status_code == 200
    _settle(platforms, slack, answered)
    assert _user_turns(bot, slack.user_id) == 1

    bot.restart_rasa()
    again = slack.post(body, "application/json", timestamp=signed_at)
    assert (again.status_code, again.text) == (200, "")
    _settle(platforms, slack, answered)
    assert _user_turns(bot, slack.user_id) == 1, "the restarted server remembers the event"
    event_id = json.loads(body)["event_id"]
    with sqlite3.connect(bot.workdir / "tracker.db") as db:
        assert db.execute("SELECT count(*) FROM seen_deliveries WHERE platform = 'slack' AND delivery_id = ?",
                          (event_id,)).fetchone()[0] == 1

    slack.say("what does it cost?")  # a new event is still answered
    assert _user_turns(bot, slack.user_id) == 2


def test_a_replayed_click_is_handled_once(bot, platforms):
    slack = SlackUser(bot, platforms, f"U{random.randint(10**8, 10**9)}")
    slack.say("hello")
    slack.say(NEED)  # the timeline question comes with buttons
    title, payload = next(c for reply in slack.last for c in reply.choices)
    turns = _user_turns(bot, slack.user_id)
    body = slack.click_body(title, payload)
    before = _answers(platforms, slack)
    assert slack.post(body, "application/x-www-form-urlencoded").status_code == 200
    platforms.wait_for("slack", "chat.postMessage", lambda b: b.get("channel") == slack.dm_channel, after=before)
    answered = _answers(platforms, slack)
    assert slack.post(body, "application/x-www-form-urlencoded").status_code == 200
    _settle(platforms, slack, answered)
    assert _user_turns(bot, slack.user_id) == turns + 1


def test_a_slack_sender_id_that_fails_the_rules_is_refused(bot, platforms):
    slack = SlackUser(bot, platforms, "U" + "9" * 200)
    response = slack.post(slack.event("hi"), "application/json")
    assert (response.status_code, response.json()) == (400, {"error": "sender must be at most 128 characters"})
    assert _user_turns(bot, slack.user_id) == 0


def test_seen_deliveries_are_kept_for_the_retention_window_only(tmp_path):
    """In the Rasa environment (rasa_addons needs it), on a real SQLite file."""
    code = f"""
import sqlalchemy as sa
from rasa_addons.seen_deliveries import SeenDeliveries
engine = sa.create_engine("sqlite:///{tmp_path / 'tracker.db'}")
seen = SeenDeliveries(engine, retention=3600)
assert seen.first_time("slack", "Ev1", at=1_000_000)
assert not seen.first_time("slack", "Ev1", at=1_000_299)
assert seen.first_time("telegram", "Ev1", at=1_000_299), "ids are per platform"
assert not SeenDeliveries(engine).first_time("slack", "Ev1", at=1_003_600), "a new process remembers"
assert seen.first_time("slack", "Ev2", at=1_003_601)  # Ev1 (seen at 1_000_000) is now past the window
with engine.connect() as c:
    rows = c.execute(sa.text("SELECT platform, delivery_id FROM seen_deliveries ORDER BY 1, 2")).all()
assert [tuple(r) for r in rows] == [("slack", "Ev2"), ("telegram", "Ev1")], rows  # the table stays bounded
assert seen.first_time("slack", "Ev1", at=1_003_601), "forgotten after the window"
print("ok")
"""
    out = subprocess.run([str(ROOT / ".venvs" / "rasa" / "bin" / "python"), "-c", code], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]
