"""Messages the visitor sent while the action server was down, still to be read.

When Rasa cannot reach the understanding action it apologises instead (rasa_addons/
action_server_down.py) and marks the apology `UNREAD`: that message is kept in the
conversation but no slot was taken from it. They are read by the understanding action,
either with the visitor's next message (before it) or, should the visitor not write again,
in a catch-up Rasa runs on its own once the server is back (rasa_addons/unread_sweep.py),
which Rasa logs as an `action` event of the understanding action: that settles every
message before it. Only the run of unread messages since then counts.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

UNREAD = "leadbot_unread"  # the same key in rasa_addons/action_server_down.py (separate environments)
UNDERSTANDING = "action_validate_slot_mappings"
_NEW_SESSION = frozenset({"session_started", "restart"})


def unread_messages(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The `user` events apologised for as unread and not read since, oldest first. In a turn
    these are the messages before the latest (the latest is being read now); in a catch-up
    the latest is one of them (`catching_up`)."""
    unread: list[dict[str, Any]] = []
    message: dict[str, Any] | None = None  # the latest user event seen so far
    apologised = False  # ...and whether Rasa marked it unread
    for event in events:
        kind = event.get("event")
        if kind in _NEW_SESSION or kind == "action" and event.get("name") == UNDERSTANDING:
            unread, message, apologised = [], None, False
        elif kind == "user":
            if message is not None:
                unread = [*unread, message] if apologised else []
            message, apologised = event, False
        elif kind == "bot" and message is not None and (event.get("metadata") or {}).get(UNREAD):
            apologised = True
    return [*unread, message] if apologised and message is not None else unread


def catching_up(events: Sequence[dict[str, Any]], unread: Sequence[dict[str, Any]]) -> bool:
    """The understanding action runs for no new message: the latest one is itself unread."""
    latest = next((e for e in reversed(events) if e.get("event") == "user"), None)
    return bool(unread) and latest is not None and unread[-1] is latest
