"""Numbered choices for channels without buttons (SMS, WhatsApp through Twilio).

The bot's quick replies become "1. Right away" lines, and a reply such as "2", "2." or
"option 2" maps back to the second choice's payload. The mapping lives with the connector
because it undoes the connector's own rendering: the model and the actions only ever see the
payloads, exactly as from a button click on the other channels. Only the choices of the bot's
latest message count: once the bot says anything without choices, "2" is just the text "2"
(an answer such as a team size must not turn into a stale choice).
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

_CHOICE_REPLY = re.compile(r"^\s*(?:option|choice|no\.?|#)?\s*(\d{1,2})\s*[.)]?\s*$", re.IGNORECASE)


def render_numbered(text: str, buttons: List[Dict[str, Any]]) -> str:
    """One message body: the question, then one numbered line per choice."""
    lines = [f"{i}. {b.get('title') or b.get('payload')}" for i, b in enumerate(buttons, start=1)]
    return "\n".join([text.strip(), "", *lines, "", "(Reply with a number, or in your own words.)"])


class OfferedChoices:
    """What each conversation was last offered, in memory of the Rasa process. A restart forgets
    the offers: a later "2" is then read as plain text, never as a wrong choice."""

    def __init__(self) -> None:
        self._offers: Dict[str, List[str]] = {}

    def offer(self, recipient: str, buttons: List[Dict[str, Any]]) -> None:
        self._offers[recipient] = [str(b.get("payload") or b.get("title")) for b in buttons]

    def clear(self, recipient: str) -> None:
        self._offers.pop(recipient, None)

    def resolve(self, recipient: str, text: Optional[str]) -> Optional[str]:
        """The payload a numbered reply stands for, else the text unchanged. The offer is
        used up by any reply."""
        payloads = self._offers.pop(recipient, None)
        if not payloads or text is None:
            return text
        match = _CHOICE_REPLY.match(text)
        if match and 1 <= int(match.group(1)) <= len(payloads):
            return payloads[int(match.group(1)) - 1]
        return text
