"""The pipeline store, called off the action server's event loop and within one deadline.

rasa-sdk runs every action on one event loop: a store call made there (SQLite waiting for a
lock, PostgreSQL answering slowly) froze every conversation, not just its own. So an action
that touches the store runs in a thread (`off_the_loop`), and its store calls run on a small
pool of their own (`within_deadline`): the action waits for one at most
`store_deadline_seconds` (settings/conversation.yml). Past that the lead is spooled
(bot/intake.py), and the visitor gets the reply they get while the store is down; the late
call still finishes on its own (it stores that same state, or spools it itself).

Calls for one conversation run in the order they were made, so a late call never lands
after, and overwrites, a newer state of its conversation.
"""
from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from concurrent.futures import TimeoutError as DeadlinePassed
from typing import Any, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import services

T = TypeVar("T")
STORE_THREADS = 4  # bounded: a store that hangs holds at most these, never the whole server

_POOL = ThreadPoolExecutor(max_workers=STORE_THREADS, thread_name_prefix="store")
_LAST: dict[str, Future[Any]] = {}  # each conversation's latest call, which its next one waits for
_LAST_LOCK = threading.Lock()

Run = Callable[[Any, CollectingDispatcher, Tracker, DomainDict], list[EventType]]


def off_the_loop(run: Run) -> Callable[[Any, CollectingDispatcher, Tracker, DomainDict], Awaitable[list[EventType]]]:
    """Make an action's plain `run` the awaitable rasa-sdk calls, run in a thread."""
    @functools.wraps(run)
    async def in_a_thread(self: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> list[EventType]:
        return await asyncio.to_thread(run, self, dispatcher, tracker, domain)
    return in_a_thread


def within_deadline(conversation_id: str, work: Callable[[], T], late: Callable[[], T]) -> T:
    """`work()`'s result if it is done within the deadline, else `late()`'s (while `work`
    goes on in the background). Called from an action's thread, never from the loop."""
    future = _in_order(conversation_id, work)
    try:
        return future.result(timeout=services.conversation_settings().store_deadline_seconds)
    except DeadlinePassed:
        return late()


async def in_the_background(work: Callable[[], T]) -> T:
    """Run store work of the server's own (the spool retry) on the store's pool, awaited."""
    return await asyncio.get_running_loop().run_in_executor(_POOL, work)


def _in_order(key: str, work: Callable[[], T]) -> Future[T]:
    with _LAST_LOCK:
        previous = _LAST.get(key)
        future = _POOL.submit(_after, previous, work)
        _LAST[key] = future
    future.add_done_callback(lambda done: _forget(key, done))
    return future


def _after(previous: Future[Any] | None, work: Callable[[], T]) -> T:
    # The pool takes calls first in, first out: `previous` is running or done, never queued
    # behind this one, so waiting for it cannot deadlock the pool.
    if previous is not None:
        wait([previous])
    return work()


def _forget(key: str, done: Future[Any]) -> None:
    with _LAST_LOCK:
        if _LAST.get(key) is done:
            del _LAST[key]
