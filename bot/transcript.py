"""A conversation's transcript from Rasa's tracker events (plain dicts, as Rasa stores them).

One reading for both places that need it: the actions storing a lead, and the rep API
showing a handed-off conversation (which may include visitor messages sent while the bot
was paused, not stored on the lead yet). A rep's message is a bot event marked
`metadata.sender = "rep"` (bot.handoff.REP_SENDER).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from bot.handoff import REP_SENDER
from bot.leads import TranscriptLine


# A session the tracker store started because the last one grew long carries that
# session's last turn here (rasa_addons/tracker_store.py PREVIOUS_TURN_KEY): the bot's
# replies to the message before the new session were never seen by an action.
PREVIOUS_TURN_KEY = "leadbot_previous_turn"


def transcript_from_events(events: Iterable[Mapping[str, Any]]) -> tuple[TranscriptLine, ...]:
    """Every visitor, bot and rep message, in order."""
    lines = []
    for event in _with_previous_turns(events):
        kind = event.get("event")
        if kind not in ("user", "bot") or not event.get("text") or _intent_shortcut(event):
            continue
        at = datetime.fromtimestamp(event.get("timestamp") or 0, timezone.utc)
        if kind == "user":
            sender = "user"
        else:
            sender = REP_SENDER if (event.get("metadata") or {}).get("sender") == REP_SENDER else "bot"
        lines.append(TranscriptLine(sender, event["text"], at))  # type: ignore[arg-type]
    return tuple(lines)


def _with_previous_turns(events: Iterable[Mapping[str, Any]]) -> Iterable[Mapping[str, Any]]:
    """The events, with each carried previous turn in its place unless the events already
    hold it (a tracker of every session, as Rasa's HTTP API returns it)."""
    seen: set[tuple[Any, Any, Any]] = set()
    for event in events:
        if event.get("event") == "session_started":
            for carried in (event.get("metadata") or {}).get(PREVIOUS_TURN_KEY) or ():
                if _identity(carried) not in seen:
                    seen.add(_identity(carried))
                    yield carried
        seen.add(_identity(event))
        yield event


def _identity(event: Mapping[str, Any]) -> tuple[Any, Any, Any]:
    return event.get("event"), event.get("text"), event.get("timestamp")


def _intent_shortcut(event: Mapping[str, Any]) -> bool:
    """A "/greet" the widget sends to open the chat: Rasa's intent shortcut, not the visitor's words."""
    text = str(event.get("text") or "")
    intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return event.get("event") == "user" and bool(intent) and text.startswith("/") and \
        text[1:].split("{")[0].strip() == intent


def user_metadata(events: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The metadata each visitor message arrived with (the widget's page and campaign)."""
    return [event.get("metadata") or {} for event in events if event.get("event") == "user"]
