"""What a sender id may be, on every channel.

Rasa takes any sender id a client sends and keys a conversation (tracker rows, locks) by
it: one anonymous request with a 1 MB id grew tracker.db by 130 MB. A sender id here is
1 to `MAX_CHARS` characters of ASCII letters, digits and `_ . : @ + = -`: enough for
UUIDs, widget session ids, Telegram chat ids ("-100..."), Slack ids, Messenger PSIDs and
Twilio's "whatsapp:+14155550132". The REST channel answers 400 to anything else, the
socket.io channel issues a fresh id instead (rasa_addons/channels/rest.py, socketio.py),
Slack answers 400, and Telegram, Messenger and Twilio, whose webhooks answer the platform
rather than a person, drop the message (`only_valid_senders`; Messenger before it sends
"seen").
"""
from __future__ import annotations

import logging
import re
from typing import Any, Awaitable, Callable, Iterable, List, Optional

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import UserUttered

logger = logging.getLogger(__name__)

MAX_CHARS = 128
_ALLOWED = re.compile(r"[A-Za-z0-9_.:@+=\-]{1,%d}" % MAX_CHARS)


def sender_id_problem(sender_id: Any) -> Optional[str]:
    """None when `sender_id` is acceptable, else what is wrong with it (for a 400 answer)."""
    if not isinstance(sender_id, str):
        return "sender must be a string"
    if len(sender_id) > MAX_CHARS:
        return f"sender must be at most {MAX_CHARS} characters"
    if not _ALLOWED.fullmatch(sender_id):
        return "sender may hold only ASCII letters, digits and _ . : @ + = -"
    return None


def only_valid_senders(on_new_message: Callable[[UserMessage], Awaitable[Any]]
                       ) -> Callable[[UserMessage], Awaitable[Any]]:
    """`on_new_message` for messages whose sender id passes; others are dropped with a warning."""

    async def checked(message: UserMessage) -> Any:
        problem = sender_id_problem(str(message.sender_id))
        if problem:
            logger.warning(f"{message.input_channel} message dropped: {problem}")
            return None
        return await on_new_message(message)

    return checked


# Ids the messaging apps give their users (Telegram and Messenger chat ids are integers,
# Twilio's SMS and WhatsApp senders phone numbers, Slack's user ids U/W + 8 or more capitals
# and digits) and are guessable: REST may never name one (`rest_sender_problem`).
_PLATFORM_ID = re.compile(r"-?[0-9]+|\+[0-9]+|whatsapp:.*|[UW][A-Z0-9]{8,}")
REST_CHANNEL = "rest"


def rest_sender_problem(sender_id: str, channels_used: Iterable[Optional[str]]) -> Optional[str]:
    """None when the REST channel may speak as `sender_id`, whose conversation so far came in
    through `channels_used` (each user message's input channel), else why not (a 400 answer).

    A REST client names any sender it likes and gets the bot's replies: it may not take a
    messaging app's id (it would read that person's conversation and flip its channel) nor
    an existing conversation opened elsewhere (e.g. a widget session)."""
    if _PLATFORM_ID.fullmatch(sender_id):
        return "sender looks like a messaging app's id (a number, a phone number, whatsapp:..., " \
               "a Slack user id): use an id of your own, e.g. a UUID"
    if any(channel not in (None, REST_CHANNEL) for channel in channels_used):
        return "sender names a conversation of another channel: use an id of your own, e.g. a UUID"
    return None


def input_channels(events: Iterable[Any]) -> List[Optional[str]]:
    """The input channel of each user message among a tracker's `events`."""
    return [getattr(event, "input_channel", None) for event in events if isinstance(event, UserUttered)]
