"""Rasa's socket.io channel (the chat widget's) with sender ids checked.

With `session_persistence` the client names its own session id, which becomes the sender
id. A `session_request` whose id fails `rasa_addons.sender_ids` gets a fresh server-issued
id in `session_confirm` (as one without an id does); a `user_uttered` with such an id is
dropped with a warning, never stored.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from rasa_addons.sender_ids import sender_id_problem

logger = logging.getLogger(__name__)


class SocketIOChannel(SocketIOInput):
    """`rasa_addons.channels.socketio.SocketIOChannel` in credentials.yml (same name and path as `socketio`)."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        handlers = self.sio.handlers[self.namespace or "/"]
        session_request, handle_message = handlers["session_request"], handlers[self.user_message_evt]

        async def checked_session_request(sid: Text, data: Optional[Dict]) -> None:
            if isinstance(data, dict) and data.get("session_id") is not None \
                    and sender_id_problem(data["session_id"]):
                data = {**data, "session_id": uuid.uuid4().hex}
            await session_request(sid, data)

        async def checked_message(sid: Text, data: Dict) -> None:
            if not isinstance(data, dict):
                logger.warning("socket.io message that is not an object ignored")
                return
            if self.session_persistence and data.get("session_id"):
                problem = sender_id_problem(data["session_id"])
                if problem:
                    logger.warning(f"socket.io message ignored: {problem}")
                    return
            await handle_message(sid, data)

        handlers["session_request"], handlers[self.user_message_evt] = checked_session_request, checked_message
        return webhook
