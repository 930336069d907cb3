"""The action server down: the visitor is told, and the message they sent waits to be read.

Rasa 3.6.21 logs a custom action that fails (`RemoteAction.run` raises `RasaException`) and
goes on with no events (`MessageProcessor._run_action`; inside `action_extract_slots` the
understanding action's failure is only a warning): the visitor got an empty reply and the
answer was never read again. Here:

- a custom action that fails (no connection, or an error status; a rejection stays
  Rasa's) says `utter_service_unavailable` (domain.yml; `FALLBACK_TEXT` with a model trained
  before that response existed) instead, once per turn;
- once said, the turn ends: any further action predicted this turn is replaced by
  `action_listen` (none could run, and a form would ask again what was just answered);
- when the understanding action (`action_validate_slot_mappings`) could not be reached,
  the apology's metadata marks the visitor's message `UNREAD`; actions/unread.py finds such
  messages and the understanding action reads them with the next message once the server
  is back; the conversation is also noted in `WAITING`, so that `unread_sweep` reads them
  as soon as the server answers again, should the visitor never write again. An action
  that crashes (an error status) marks nothing, so a message that breaks an action cannot
  break every later one.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
from typing import Any, Awaitable, Callable, Iterator, List, Optional, Sequence, Set

import aiohttp
from rasa.core.actions.action import ActionExecutionRejection, ActionListen, RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.exceptions import RasaException

UNAVAILABLE = "utter_service_unavailable"
UNREAD = "leadbot_unread"  # the same key in actions/unread.py (separate environments: no import)
UNDERSTANDING = "action_validate_slot_mappings"
FALLBACK_TEXT = "Sorry, I couldn't save that just now \u2014 I'll pick it up in a moment."
# Conversations with a message marked unread in this process (unread_sweep reads them).
WAITING: Set[str] = set()
_APOLOGISE = contextvars.ContextVar("leadbot_apologise", default=True)


@contextlib.contextmanager
def quietly() -> Iterator[None]:
    """Within this, a failing custom action raises as in plain Rasa instead of apologising
    (unread_sweep's catch-up: the visitor was told already, it is tried again later)."""
    token = _APOLOGISE.set(False)
    try:
        yield
    finally:
        _APOLOGISE.reset(token)


def apologised_this_turn(events: Sequence[Event]) -> bool:
    """The apology was said since the visitor's latest message and the bot has not listened
    since (looks back only that far: a catch-up after the turn is a turn of its own)."""
    for event in reversed(events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME:
            return False
        if isinstance(event, BotUttered) and (event.metadata or {}).get("utter_action") == UNAVAILABLE:
            return True
    return False


def unreachable(error: BaseException) -> bool:
    """Rasa raised `error` because it could not connect to the action server."""
    cause = error.__cause__ or error.__context__
    return isinstance(cause, aiohttp.ClientConnectionError)


async def apology(nlg: Any, tracker: Any, output_channel: Any, *, unread: bool) -> BotUttered:
    message: Optional[dict] = await nlg.generate(UNAVAILABLE, tracker, output_channel.name())
    text = (message or {}).get("text") or FALLBACK_TEXT
    return BotUttered(text, data={}, metadata={"utter_action": UNAVAILABLE, UNREAD: unread})


def apologising(run: Callable[..., Awaitable[List[Event]]]) -> Callable[..., Awaitable[List[Event]]]:
    """Wrap `RemoteAction.run`: a failure becomes the apology (said once a turn)."""
    @functools.wraps(run)
    async def run_or_apologise(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any,
                               domain: Any, *args: Any, **kwargs: Any) -> List[Event]:
        try:
            return await run(self, output_channel, nlg, tracker, domain, *args, **kwargs)
        except ActionExecutionRejection:
            raise
        except RasaException as error:
            if not _APOLOGISE.get():
                raise
            if apologised_this_turn(tracker.events):
                return []
            unread = self.name() == UNDERSTANDING and unreachable(error)
            if unread:
                WAITING.add(tracker.sender_id)
            return [await apology(nlg, tracker, output_channel, unread=unread)]
    run_or_apologise.__wrapped_by_leadbot__ = True  # type: ignore[attr-defined]
    return run_or_apologise


def listening_after_apology(run_action: Callable[..., Awaitable[bool]]) -> Callable[..., Awaitable[bool]]:
    """Wrap `MessageProcessor._run_action`: after the apology, only `action_listen` runs."""
    @functools.wraps(run_action)
    async def run_action_or_listen(self: MessageProcessor, action: Any, tracker: Any, *args: Any,
                                   **kwargs: Any) -> bool:
        if action.name() != ACTION_LISTEN_NAME and apologised_this_turn(tracker.events):
            action = ActionListen()
        return await run_action(self, action, tracker, *args, **kwargs)
    run_action_or_listen.__wrapped_by_leadbot__ = True  # type: ignore[attr-defined]
    return run_action_or_listen


def install() -> None:
    """Patch Rasa (idempotent)."""
    if not getattr(RemoteAction.run, "__wrapped_by_leadbot__", False):
        RemoteAction.run = apologising(RemoteAction.run)  # type: ignore[method-assign]
    if not getattr(MessageProcessor._run_action, "__wrapped_by_leadbot__", False):
        MessageProcessor._run_action = listening_after_apology(  # type: ignore[method-assign]
            MessageProcessor._run_action)
