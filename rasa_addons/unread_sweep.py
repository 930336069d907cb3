"""Read what a visitor said while the action server was down, even if they never write again.

`action_server_down` marks a message the understanding action could not read `UNREAD`, and
the visitor's next message reads it (actions/unread.py). A visitor who gave their answer and
left would never have it applied. So, inside the Rasa server:

- every conversation given such an apology is remembered (`action_server_down.WAITING`),
  and at start the tracker store is searched for those of the last `LOOKBACK_SECONDS` (Rasa
  itself may have been restarted meanwhile);
- every `LEADBOT_UNREAD_SWEEP_SECONDS` (default 5) while any is waiting, the action
  server's `/health` is asked; once it answers, each such conversation, under its lock,
  has the understanding action run on its own (`catch_up`): it reads every unread message
  and stores the lead (actions/understanding.py). Rasa logs that run as
  `ActionExecuted(action_validate_slot_mappings)`, which marks them read (a normal turn
  calls that action inside `action_extract_slots`, never logged by its name). Then, if the
  form is active, the policies go on from there (the next question, pushed to channels
  that can push, the widget's socket), else the bot listens.

A catch-up that fails (the server went again) says nothing and is tried at the next sweep.
Installed by `rasa_addons.serve` (the listener is added to the app Rasa configures).
"""
from __future__ import annotations

import asyncio
import functools
import logging
import os
import time
from typing import Any, Callable, Iterable, Optional, Sequence, Set
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import rasa.core.run
from rasa.core.channels import CollectingOutputChannel, OutputChannel
from rasa.core.policies.policy import PolicyPrediction
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, UserUttered
from rasa.shared.exceptions import RasaException

from rasa_addons import action_server_down
from rasa_addons.action_server_down import UNDERSTANDING, UNREAD, WAITING

logger = logging.getLogger(__name__)

INTERVAL_VARIABLE = "LEADBOT_UNREAD_SWEEP_SECONDS"
DEFAULT_INTERVAL = 5.0
LOOKBACK_SECONDS = 7 * 24 * 3600  # searched at start: older outages are an operator's matter
HEALTH_TIMEOUT = aiohttp.ClientTimeout(total=3)


def awaiting_read(events: Sequence[Event]) -> bool:
    """The visitor's latest message (and maybe some before it) was apologised for as unread,
    and no catch-up has read it since. Looks back only to that message."""
    for event in reversed(events):
        if isinstance(event, ActionExecuted) and event.action_name == UNDERSTANDING:
            return False  # read by a catch-up
        if isinstance(event, BotUttered) and (event.metadata or {}).get(UNREAD):
            return True
        if isinstance(event, (UserUttered, SessionStarted)):
            return False
    return False


def health_url(action_url: str) -> str:
    """rasa-sdk's `/health` beside the action webhook (`http://host:5055/webhook`)."""
    parts = urlsplit(action_url)
    return urlunsplit((parts.scheme, parts.netloc, "/health", "", ""))


async def action_server_up(action_url: str) -> bool:
    try:
        async with aiohttp.ClientSession(timeout=HEALTH_TIMEOUT) as http:
            async with http.get(health_url(action_url)) as response:
                return response.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False


def output_channel_for(tracker: Any, input_channels: Iterable[Any]) -> OutputChannel:
    """The conversation's latest channel's output if it can push (socket.io), else one that
    only collects, as Rasa's `?output_channel=latest` chooses."""
    latest = tracker.get_latest_input_channel()
    for channel in input_channels:
        if channel.name() == latest:
            pushing = channel.get_output_channel()
            if pushing is not None:
                return pushing
    return CollectingOutputChannel()


async def catch_up(processor: Any, sender_id: str, input_channels: Iterable[Any] = ()) -> bool:
    """Read the conversation's unread messages now (call it holding the conversation's lock);
    False if the action server failed again (it stays waiting), True once nothing is."""
    tracker = await processor.get_tracker(sender_id)
    if tracker.is_paused() or not awaiting_read(tracker.events):
        return True
    output_channel = output_channel_for(tracker, input_channels)
    action = processor._get_action(UNDERSTANDING)
    try:
        with action_server_down.quietly():
            events = await action.run(output_channel, processor.nlg, tracker, processor.domain)
    except RasaException as error:
        logger.info(f"Unread messages of a conversation not read yet: {error}")
        return False
    prediction = PolicyPrediction.for_action_name(processor.domain, UNDERSTANDING)
    processor._log_action_on_tracker(tracker, action, events, prediction)
    await processor.execute_side_effects(events, tracker, output_channel)
    if tracker.active_loop_name:
        await processor._run_prediction_loop(output_channel, tracker)  # the form goes on
    else:
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    await processor.save_tracker(tracker)
    logger.info("Read the messages a visitor sent while the action server was down")
    return True


def senders_in_store(tracker_store: Any, since: float) -> Set[str]:
    """Conversations the tracker store holds an unread apology of since `since` (our store only)."""
    while hasattr(tracker_store, "_tracker_store"):  # Rasa's awaitable and fail-safe wrappers
        tracker_store = tracker_store._tracker_store
    find = getattr(tracker_store, "senders_with_unread", None)
    return set(find(since, UNREAD)) if find else set()


async def sweep(agent: Any, input_channels: Sequence[Any], interval: float,
                rounds: Optional[int] = None) -> None:
    """Catch up every waiting conversation once the action server answers; runs for ever
    (`rounds`: that many sweeps, for tests)."""
    loop = asyncio.get_running_loop()
    try:
        WAITING.update(await loop.run_in_executor(
            None, senders_in_store, agent.tracker_store, time.time() - LOOKBACK_SECONDS))
    except Exception:  # noqa: BLE001 (an unreadable store must not stop the server; new outages still count)
        logger.exception("Could not search the tracker store for unread messages")
    done = 0
    while rounds is None or done < rounds:
        done += 1
        await asyncio.sleep(interval)
        if not WAITING or agent.processor is None or agent.action_endpoint is None:
            continue
        if not await action_server_up(agent.action_endpoint.url):
            continue
        for sender_id in sorted(WAITING):
            try:
                async with agent.lock_store.lock(sender_id):
                    settled = await catch_up(agent.processor, sender_id, input_channels)
            except Exception:  # noqa: BLE001 (one conversation must not stop the others)
                logger.exception("Catching up a conversation's unread messages failed")
                continue
            if settled:
                WAITING.discard(sender_id)


def interval_from(env: Any) -> float:
    value = float(env.get(INTERVAL_VARIABLE) or DEFAULT_INTERVAL)
    if value <= 0:
        raise ValueError(f"{INTERVAL_VARIABLE} must be a positive number of seconds")
    return value


async def _start(app: Any, _loop: Any) -> None:
    channels = getattr(app.ctx, "input_channels", None) or []
    app.add_task(sweep(app.ctx.agent, channels, interval_from(os.environ)))


def with_sweep(configure_app: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap `rasa.core.run.configure_app`: the app it makes also runs the sweep."""
    @functools.wraps(configure_app)
    def configure_app_with_sweep(*args: Any, **kwargs: Any) -> Any:
        app = configure_app(*args, **kwargs)
        app.register_listener(_start, "after_server_start")
        return app
    configure_app_with_sweep.__wrapped_by_leadbot__ = True  # type: ignore[attr-defined]
    return configure_app_with_sweep


def install() -> None:
    """Patch Rasa's app factory (idempotent); `rasa_addons.serve` calls this."""
    interval_from(os.environ)  # a bad setting fails at start
    if not getattr(rasa.core.run.configure_app, "__wrapped_by_leadbot__", False):
        rasa.core.run.configure_app = with_sweep(rasa.core.run.configure_app)
