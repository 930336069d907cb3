"""Messages the visitor sent while the action server was down, still to be read.

When Rasa cannot reach the understanding action it apologises instead (rasa_addons/
action_server_down.py) and marks the apology `UNREAD`: that message is kept in the
conversation but no slot was taken from it. The understanding action reads these before
the message it was called for, so an answer given during the outage is applied once the
server is back. Only the run just before the current message counts: once a message is
read, the apologies before it are settled.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

UNREAD = "leadbot_unread"  # the same key in rasa_addons/action_server_down.py (separate environments)
_NEW_SESSION = frozenset({"session_started", "restart"})


def unread_messages(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The `user` events, oldest first, apologised for as unread just before the latest one."""
    unread: list[dict[str, Any]] = []
    message: dict[str, Any] | None = None  # the latest user event seen so far
    apologised = False  # ...and whether Rasa marked it unread
    for event in events:
        kind = event.get("event")
        if kind in _NEW_SESSION:
            unread, message = [], None
        elif kind == "user":
            if message is not None:
                unread = [*unread, message] if apologised else []
            message, apologised = event, False
        elif kind == "bot" and message is not None and (event.get("metadata") or {}).get(UNREAD):
            apologised = True
    return unread
