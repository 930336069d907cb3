"""Rasa's socket.io channel (the chat widget's) with server-issued, signed session ids.

With `session_persistence` the session id is the conversation's sender id and the room its
bot and rep messages go to. Rasa lets the client name it, so a second socket presenting a
visitor's id (or only sending `user_uttered` with it) would read the conversation and speak
in it. Here a `session_request` is confirmed with the id it names only when the server
signed it (`rasa_addons.session_ids`); any other, or none, gets a fresh signed id in
`session_confirm`. A socket is in one session's room at a time, and a `user_uttered` counts
only from a socket confirmed in the session it names (else it is dropped with a warning).

Pages may open the socket only from the origins `rasa_addons.channels.origins` allows
(`LEADBOT_ALLOWED_ORIGINS`, and the socket's own), on HTTP long-polling and WebSocket alike,
and get CORS headers: Rasa's own server checks no origin and sends no CORS headers, so
browsers block a client that starts with polling (rasa-webchat, socket.io's default).

A rep's message (a bot message whose metadata says `sender: rep`, webchat/rep_api.py) reaches
the widget as `{"text": ..., "rep": {"name": ...}}`, its text without the "Name: " other
channels show in front, so the widget shows it as the rep's, with their name and initials.

A message's page data is read from `metadata` (our widget) and `customData` (rasa-webchat,
set by the site in its init script), `metadata` winning a key both name; anything but an object
(or its JSON text) at most as deep as the REST channel allows is dropped with a warning,
the message kept.
"""
from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.channel import OutputChannel
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from rasa_addons.channels.origins import engineio_origins
from rasa_addons.channels.rest import MAX_METADATA_DEPTH, nesting_depth
from rasa_addons.session_ids import SessionIds, session_secret

logger = logging.getLogger(__name__)

CUSTOM_DATA_KEY = "customData"  # what rasa-webchat sends its page data under


def page_data(data: Dict, metadata_key: Text) -> Dict:
    """One message's metadata: rasa-webchat's `customData` under our widget's `metadata`."""
    merged: Dict = {}
    for key in (CUSTOM_DATA_KEY, metadata_key):
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, str):  # Rasa's own channel takes JSON text too
            try:
                value = json.loads(value)
            except (ValueError, RecursionError):
                value = None
        if not isinstance(value, dict) or nesting_depth(value) > MAX_METADATA_DEPTH:
            logger.warning(f"socket.io {key} ignored: not an object at most {MAX_METADATA_DEPTH} levels deep")
            continue
        merged.update(value)
    return merged


REP_SENDER = "rep"  # bot.handoff.REP_SENDER (the Rasa environment does not import bot/)


class RepAwareOutput(SocketIOOutput):
    """Rasa's socket.io output; a rep's message also says who wrote it."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        name = kwargs.get("rep_name")
        if kwargs.get("sender") != REP_SENDER or not isinstance(name, str) or not name:
            await super().send_text_message(recipient_id, text, **kwargs)
            return
        own = text.removeprefix(f"{name}: ")
        for part in own.strip().split("\n\n"):
            await self._send_message(recipient_id, {"text": part, "rep": {"name": name}})


class SocketIOChannel(SocketIOInput):
    """`rasa_addons.channels.socketio.SocketIOChannel` in credentials.yml (same name and path as `socketio`)."""

    def get_output_channel(self) -> Optional[OutputChannel]:
        """The output the rep API's messages go through (Rasa's `output_channel=latest`)."""
        return RepAwareOutput(self.sio, self.bot_message_evt) if self.sio is not None else super().get_output_channel()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)
        # Checked on every engine.io request, the WebSocket upgrade included; CORS headers for these.
        self.sio.eio.cors_allowed_origins = engineio_origins()
        namespace = self.namespace or "/"
        handlers = self.sio.handlers[namespace]
        session_request, handle_message = handlers["session_request"], handlers[self.user_message_evt]
        disconnect = handlers["disconnect"]
        ids = SessionIds(session_secret())
        joined: Dict[Text, Text] = {}  # socket id -> the session it was confirmed in

        async def signed_session_request(sid: Text, data: Optional[Dict]) -> None:
            asked = data.get("session_id") if isinstance(data, dict) else None
            session_id = asked if ids.issued(asked) else ids.issue()
            previous = joined.get(sid)
            if previous is not None and previous != session_id:
                self.sio.leave_room(sid, previous, namespace=namespace)
            joined[sid] = session_id
            await session_request(sid, {**(data if isinstance(data, dict) else {}), "session_id": session_id})

        async def confirmed_message(sid: Text, data: Dict) -> None:
            if not isinstance(data, dict):
                logger.warning("socket.io message that is not an object ignored")
                return
            if self.session_persistence and (not data.get("session_id") or data["session_id"] != joined.get(sid)):
                logger.warning("socket.io message ignored: its session id was not confirmed to this socket")
                return
            await handle_message(sid, {**data, self.metadata_key: page_data(data, self.metadata_key)})

        async def forget(sid: Text, *args: Any) -> None:
            joined.pop(sid, None)
            await disconnect(sid, *args)

        handlers["session_request"], handlers[self.user_message_evt] = signed_session_request, confirmed_message
        handlers["disconnect"] = forget
        return webhook
