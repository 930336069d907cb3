"""The action server's `/metrics` and its one log line per turn.

Every `/webhook` call is timed and counted by action (`leadbot_action_seconds`,
`leadbot_action_errors`: an answer with status 400 or more). A turn is seen when Rasa calls
the understanding action (`action_validate_slot_mappings`, after every user message): it is
counted (`leadbot_turns`), and one JSON line is logged on `leadbot.turns` with the
conversation id, the channel, the intent and the number of the turn: nothing the visitor
wrote. The same call carries the previous turn whole in the tracker Rasa sends, so its
latency is read there from Rasa's own timestamps (the user message logged, after NLU, to
the `action_listen` that closed the turn: policies, every action call and the store) and
observed as `leadbot_turn_seconds` by whichever action server takes the conversation's next
message; a conversation's last turn is not observed, and NLU is not in it.
"""
from __future__ import annotations

import json
import logging
import time
from collections import OrderedDict
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, raw

from bot.telemetry import ACTION_ERRORS, ACTION_SECONDS, TURN_SECONDS, TURNS

UNDERSTANDING = "action_validate_slot_mappings"
PATH = "/metrics"
REMEMBERED = 10_000  # conversations whose last seen message is kept, so a re-run is not a new turn

turn_log = logging.getLogger("leadbot.turns")


def attach(app: Sanic) -> None:
    """Serve /metrics and time every action call."""
    app.add_route(metrics, PATH, methods=["GET"])
    app.register_middleware(_started, "request")
    app.register_middleware(_finished, "response")


async def metrics(_request: Request) -> HTTPResponse:
    return raw(generate_latest(), content_type=CONTENT_TYPE_LATEST)


async def _started(request: Request) -> None:
    if request.path == "/webhook" and request.method == "POST":
        request.ctx.leadbot_started = time.perf_counter()


async def _finished(request: Request, response: HTTPResponse) -> None:
    started = getattr(request.ctx, "leadbot_started", None)
    if started is None or response.status == 401:  # a refused caller never reached an action
        return
    try:
        call = request.json if isinstance(request.json, dict) else {}
    except Exception:  # a body that is not JSON: rasa-sdk has answered it already
        call = {}
    action = str(call.get("next_action") or "unknown")
    ACTION_SECONDS.labels(action).observe(time.perf_counter() - started)
    if response.status >= 400:
        ACTION_ERRORS.labels(action).inc()
    if action == UNDERSTANDING:
        _turn(call)


_seen: OrderedDict[str, str] = OrderedDict()


def _turn(call: dict[str, Any]) -> None:
    tracker = call.get("tracker") or {}
    sender = str(call.get("sender_id") or tracker.get("sender_id") or "")
    events = tracker.get("events") or []
    users = [i for i, event in enumerate(events) if event.get("event") == "user"]
    if not sender or not users:
        return
    current = events[users[-1]]
    key = str(current.get("message_id") or current.get("timestamp"))
    if _seen.get(sender) == key:
        return  # the understanding action run again for the same message (unread_sweep)
    _seen[sender] = key
    _seen.move_to_end(sender)
    while len(_seen) > REMEMBERED:
        _seen.popitem(last=False)
    channel = str(current.get("input_channel") or "unknown")
    TURNS.labels(channel).inc()
    previous = _previous_turn_seconds(events, users)
    if previous is not None:
        TURN_SECONDS.observe(previous)
    intent = ((current.get("parse_data") or {}).get("intent") or {}).get("name")
    turn_log.info(json.dumps({"event": "turn", "conversation_id": sender, "channel": channel, "intent": intent,
                              "turn": len(users), "previous_turn_seconds": previous}))


def _previous_turn_seconds(events: list[dict[str, Any]], users: list[int]) -> float | None:
    """From the previous user message to the `action_listen` that closed its turn."""
    if len(users) < 2:
        return None
    start = events[users[-2]].get("timestamp")
    listens = [event.get("timestamp") for event in events[users[-2] + 1:users[-1]]
               if event.get("event") == "action" and event.get("name") == "action_listen"]
    if start is None or not listens or listens[-1] is None:
        return None
    return round(max(0.0, listens[-1] - start), 4)
