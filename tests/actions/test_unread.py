"""Which messages the understanding action reads again (actions/unread.py): those Rasa
apologised for as unread (rasa_addons/action_server_down.py) just before the latest one."""
from __future__ import annotations

import pytest

from actions.unread import UNREAD, unread_messages


def user(text: str) -> dict:
    return {"event": "user", "text": text}


def apology(unread: bool = True) -> dict:
    return {"event": "bot", "text": "Sorry", "metadata": {"utter_action": "utter_service_unavailable", UNREAD: unread}}


BOT = {"event": "bot", "text": "When?", "metadata": {"utter_action": "utter_ask_timeline"}}
LISTEN = {"event": "action", "name": "action_listen"}


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
    # the latest message is never "unread": it is the one being read
    ([user("a"), apology()], []),
])
def test_unread_messages(events, expected):
    assert [m["text"] for m in unread_messages(events)] == expected
