"""Rasa's REST channel (`/webhooks/rest/webhook`) that refuses a malformed request with a
clear 400 before Rasa reads it.

Rasa's own `RestInput` answers 500 to an empty body, a body that is not an object and JSON
nested thousands deep, files every request without a sender under the one shared sender
"default", and takes any sender id (a 1 MB one grew tracker.db by 130 MB). Here the body
must be a JSON object with a string `message` and a `sender` that passes
`rasa_addons.sender_ids` and is REST's own (never a messaging app's id nor a conversation
opened through another channel: `rest_sender_problem`); `metadata`, when sent, an object at most `MAX_METADATA_DEPTH` deep.
"""
from __future__ import annotations

import json
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa_addons.sender_ids import input_channels, rest_sender_problem, sender_id_problem

MAX_METADATA_DEPTH = 8


def request_problem(body: bytes) -> Optional[str]:
    """None when `body` is a message Rasa can take, else what is wrong with it."""
    if not body.strip():
        return "the request body is empty: send {\"sender\": \"...\", \"message\": \"...\"}"
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested thousands deep
        return "the request body is not valid JSON"
    if not isinstance(data, dict):
        return "the request body must be a JSON object"
    problem = sender_id_problem(data.get("sender"))
    if problem:
        return problem
    if not isinstance(data.get("message"), str):
        return "message must be a string"
    metadata = data.get("metadata")
    if metadata is not None and (not isinstance(metadata, dict) or nesting_depth(metadata) > MAX_METADATA_DEPTH):
        return f"metadata must be a JSON object at most {MAX_METADATA_DEPTH} levels deep"
    return None


def nesting_depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (without recursion)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            todo.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


async def _foreign_sender(request: Request) -> Optional[str]:
    """Why REST may not speak as this (well-formed) request's sender, if it may not."""
    sender = json.loads(request.body)["sender"]
    store = getattr(getattr(request.app.ctx, "agent", None), "tracker_store", None)
    inner = getattr(store, "_tracker_store", store)  # Rasa wraps the configured store
    if hasattr(inner, "input_channels"):  # ours: the user messages' rows alone
        return rest_sender_problem(sender, inner.input_channels(sender))
    tracker = await store.retrieve(sender) if store is not None else None
    return rest_sender_problem(sender, input_channels(tracker.events) if tracker is not None else [])


class RestChannel(RestInput):
    """`rasa_addons.channels.rest.RestChannel` in credentials.yml (same name and URL as `rest`)."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(on_new_message)

        @webhook.middleware("request")
        async def refuse_malformed(request: Request) -> Optional[HTTPResponse]:
            if request.method != "POST":
                return None
            problem = request_problem(request.body or b"") or await _foreign_sender(request)
            return response.json({"error": problem}, status=400) if problem else None

        return webhook
