"""Which messages the understanding action reads again (actions/unread.py): those Rasa
apologised for as unread (rasa_addons/action_server_down.py) and nobody read since, before
the latest one in a turn, up to the latest in a catch-up (rasa_addons/unread_sweep.py)."""
from __future__ import annotations

import pytest

from actions.unread import UNREAD, catching_up, unread_messages


def user(text: str) -> dict:
    return {"event": "user", "text": text}


def apology(unread: bool = True) -> dict:
    return {"event": "bot", "text": "Sorry", "metadata": {"utter_action": "utter_service_unavailable", UNREAD: unread}}


BOT = {"event": "bot", "text": "When?", "metadata": {"utter_action": "utter_ask_timeline"}}
LISTEN = {"event": "action", "name": "action_listen"}
CAUGHT_UP = {"event": "action", "name": "action_validate_slot_mappings"}  # Rasa logs the catch-up


@pytest.mark.parametrize("events, expected", [
    ([user("hi")], []),
    ([user("hi"), BOT, LISTEN, user("next month")], []),
    ([user("hi"), BOT, user("next month"), apology(), LISTEN, user("I decide")], ["next month"]),
    ([user("a"), apology(), user("b"), apology(), user("c")], ["a", "b"]),
    # read with "c" already: settled
    ([user("a"), apology(), user("c"), BOT, user("d")], []),
    ([user("a"), apology(), user("b"), BOT, user("c"), apology(), user("d")], ["c"]),
    # an action that crashed (not unreachable) marks nothing; nor does a new session carry over
    ([user("a"), apology(unread=False), user("b")], []),
    ([user("a"), apology(), {"event": "session_started"}, user("b")], []),
    # a catch-up, Rasa running the understanding action for no new message: the latest is unread too
    ([user("a"), apology()], ["a"]),
    ([user("a"), apology(), LISTEN], ["a"]),
    ([user("hi"), BOT, user("a"), apology(), LISTEN, user("b"), apology(), LISTEN], ["a", "b"]),
    # ...and once it has run, they are read
    ([user("a"), apology(), LISTEN, CAUGHT_UP, BOT, LISTEN, user("b")], []),
    ([user("a"), apology(), LISTEN, CAUGHT_UP, LISTEN], []),
    ([user("a"), apology(), LISTEN, CAUGHT_UP, user("b"), apology(), LISTEN, user("c")], ["b"]),
])
def test_unread_messages(events, expected):
    assert [m["text"] for m in unread_messages(events)] == expected


@pytest.mark.parametrize("events, expected", [
    ([user("a"), apology(), LISTEN], True),
    ([user("a"), apology(), LISTEN, user("b")], False),  # a turn: "b" is read now, "a" before it
    ([user("a"), BOT, LISTEN], False),
    ([user("a"), apology(), LISTEN, CAUGHT_UP, LISTEN], False),
])
def test_catching_up(events, expected):
    assert catching_up(events, unread_messages(events)) is expected
