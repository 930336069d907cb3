"""Rasa's Redis lock store, with every change to a lock made atomically.

Several Rasa processes share one Redis lock store so that two messages of one sender are
never processed at once. Rasa 3.6's `RedisLockStore` changes a lock by reading it,
changing it in Python and writing it back: two processes taking a ticket for the same
conversation at the same moment both read the same lock, and the second write drops the
first ticket. Both messages are then processed at once, each on the tracker as it was,
and one of them is lost from the conversation (tests/e2e/test_scale_out.py caught it).

Here each read-change-write runs in a Redis transaction (WATCH / MULTI / EXEC, retried
when another process changed the lock in between), with Rasa's own `TicketLock` rules:
tickets in arrival order, expired tickets dropped, the lock deleted when nobody waits.
Configured in `deploy/scaled/endpoints.yml` (`type: rasa_addons.lock_store.AtomicRedisLockStore`,
with `RedisLockStore`'s settings).

A process that dies mid-turn (SIGKILL, the OOM killer) leaves its ticket behind, and Rasa's
rules keep the conversation waiting until it expires (`TICKET_LOCK_LIFETIME`, 60 s): behind a
balancer, that visitor's message, sent again to a living process, waited 60 s (bench/README.md,
`scale.py`). So each process says in Redis that it is alive (a key renewed every
fifth of `alive_seconds`, gone `alive_seconds` (10) after its last renewal) and records which process
holds each ticket; a process waiting for a lock drops the tickets of processes that are no
longer alive. A live process's tickets keep Rasa's lifetime.
"""
from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
from typing import Any, Callable, Optional, Text, Tuple, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

ALIVE_SECONDS = 10.0  # a process not heard of for this long is dead: its tickets are dropped
ALIVE_PREFIX = "leadbot_lock_alive:"  # + process id
OWNER_PREFIX = "leadbot_lock_owner:"  # + conversation id + ":" + ticket number -> process id

T = TypeVar("T")
Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], T]]


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose ticket, expiry and clean-up updates cannot overwrite each other."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        self.alive_seconds = float(kwargs.pop("alive_seconds", ALIVE_SECONDS))
        super().__init__(**kwargs)
        self.process_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._say_alive()
        threading.Thread(target=self._heartbeat, name="lock-store-heartbeat", daemon=True).start()

    def _say_alive(self) -> None:
        try:
            self.red.set(ALIVE_PREFIX + self.process_id, 1, px=int(self.alive_seconds * 1000))
        except Exception as error:  # Redis away for a moment: say it again next beat
            logger.warning(f"lock store heartbeat failed: {error}")

    def _heartbeat(self) -> None:
        while True:
            time.sleep(self.alive_seconds / 5)
            self._say_alive()

    @staticmethod
    def _owner_key(conversation_id: Text, ticket_number: int) -> Text:
        return f"{OWNER_PREFIX}{conversation_id}:{ticket_number}"

    def _dead_tickets(self, conversation_id: Text) -> set:
        """Ticket numbers of the conversation's lock whose process is no longer alive."""
        lock = self.get_lock(conversation_id)
        if lock is None:
            return set()
        dead = set()
        for ticket in lock.tickets:
            owner = self.red.get(self._owner_key(conversation_id, ticket.number))
            if owner is not None and not self.red.exists(ALIVE_PREFIX + owner.decode()):
                dead.add(ticket.number)
        return dead

    def _atomically(self, conversation_id: Text, change: Change[T]) -> T:
        """Apply `change` to the stored lock (None if there is none) in one Redis transaction;
        a returned None lock deletes it."""
        import redis

        key = self.key_prefix + conversation_id
        while True:
            with self.red.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(raw)) if raw else None
                    new_lock, result = change(lock)
                    pipe.multi()
                    if new_lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new_lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another process changed the lock: read it again

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: Optional[TicketLock]) -> Tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            ticket = self._atomically(conversation_id, take)
            self.red.set(self._owner_key(conversation_id, ticket), self.process_id,
                         ex=int(lock_lifetime + self.alive_seconds) + 1)
            return ticket
        except Exception as e:
            raise LockError(f"Error while acquiring lock. Error:\n{e}")

    def update_lock(self, conversation_id: Text) -> None:
        """Drop expired tickets and those of dead processes (Rasa calls this while it waits)."""
        dead = self._dead_tickets(conversation_id)
        if dead:
            logger.warning(f"dropping ticket(s) {sorted(dead)} of a process that died holding the lock")

        def drop_expired(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_expired_tickets()
                for number in dead:
                    lock.remove_ticket_for(number)
            return lock, None

        self._atomically(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def finish(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._atomically(conversation_id, finish)
        self.red.delete(self._owner_key(conversation_id, ticket_number))

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Finish the ticket and, if nobody else waits, delete the lock: one transaction."""
        def finish_and_delete(lock: Optional[TicketLock]) -> Tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._atomically(conversation_id, finish_and_delete)
        self.red.delete(self._owner_key(conversation_id, ticket_number))
