"""Numbered choices for channels without buttons (SMS, WhatsApp through Twilio).

The bot's quick replies become "1. Right away" lines, and a reply such as "2", "2." or
"option 2" maps back to the second choice's payload. The mapping lives with the connector
because it undoes the connector's own rendering: the model and the actions only ever see the
payloads, exactly as from a button click on the other channels. Only the choices of the bot's
latest message count, and only until the visitor replies: once the bot says anything without
choices, "2" is just the text "2" (an answer such as a team size must not turn into a stale
choice). The offer is read from the conversation's tracker, not kept in the process.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional

from rasa.shared.core.events import BotUttered, UserUttered

_CHOICE_REPLY = re.compile(r"^\s*(?:option|choice|no\.?|#)?\s*(\d{1,2})\s*[.)]?\s*$", re.IGNORECASE)


def render_numbered(text: str, buttons: List[Dict[str, Any]]) -> str:
    """One message body: the question, then one numbered line per choice."""
    lines = [f"{i}. {b.get('title') or b.get('payload')}" for i, b in enumerate(buttons, start=1)]
    return "\n".join([text.strip(), "", *lines, "", "(Reply with a number, or in your own words.)"])


def offered_payloads(events: Iterable[Any]) -> List[str]:
    """The payloads of the choices the bot's latest message offered, if the visitor has not
    replied since (Rasa events, oldest first). Read from the conversation's tracker, so it
    holds across restarts and across several Rasa processes."""
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            return []  # any reply uses the offer up
        if isinstance(event, BotUttered):
            buttons = (event.data or {}).get("buttons") or (event.data or {}).get("quick_replies") or []
            return [str(b.get("payload") or b.get("title")) for b in buttons]
    return []


def resolve_choice(payloads: List[str], text: Optional[str]) -> Optional[str]:
    """The payload a numbered reply stands for, else the text unchanged."""
    if not payloads or text is None:
        return text
    match = _CHOICE_REPLY.match(text)
    if match and 1 <= int(match.group(1)) <= len(payloads):
        return payloads[int(match.group(1)) - 1]
    return text
