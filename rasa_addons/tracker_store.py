"""Rasa's SQL tracker store, kept fast however long a conversation runs.

Rasa 3.6 loads every event since the conversation's last `session_started` on each
turn, replays them, featurises them for the policies and sends them all to the action
server on every action call. A session only ends after an hour of silence, so a long
chat gets slower with every message (measured: p50 118 ms over the first 100 messages
of one sender, 805 ms over messages 500-600). This store changes three things:

- **Bounded sessions.** When a session holds more than `max_session_events` events and
  the turn has ended (the bot is listening, or paused for a rep), the store appends what
  Rasa's own `action_session_start` appends when a session expires: `session_started`,
  carrying the last turn's messages in its metadata (the bot's replies to the message
  before it would otherwise never reach an action), one `slot` event per slot that
  differs from its initial value, the active form if
  there is one, and `action_listen`, then the pause if the bot is paused (an expiry
  would end it; this must not). The next turn loads only from there: the same slots,
  the same form, the same pause, a bounded history. Every event stays stored (the full tracker
  and `rasa export` still see all of it); the stored lead's transcript is merged line by
  line by the action server (`bot/store/repository.py`), so nothing said is lost.
- **Erasure asked in the chat.** `action_erase_conversation` deletes the visitor's lead and
  sets the `erase_conversation` slot; once that turn is saved, this store deletes every event
  of the conversation (deleted during the turn, Rasa would write them back at its end), so the
  next message starts a new conversation. A deletion from the CLI or the dashboard deletes the
  rows directly (`bot/trackers.py`); if that happens while Rasa processes a message of the
  conversation, Rasa would write every event it had loaded back (it writes what it does not
  find stored), so a save that finds nothing stored of a conversation it loaded from the store
  writes nothing. docs/security.md, "Deletion".
- **Indexes** for the two queries every turn runs: the latest session start of a
  sender, and that sender's events after it (Rasa indexes `sender_id` only, so both
  scan the whole conversation).
- **Plain SQL statements, built once**, for the reads and writes of every turn: Rasa builds
  an ORM query (with a subquery) for each read and an ORM object for each event written;
  that bookkeeping, not the database, was most of the store's time (a quarter of the Rasa
  process under load, bench/README.md "Fifth round"). Same rows, same order, same trackers.
- **SQLite tuned for a chat server**: pooled connections, write-ahead logging (readers never wait for the
  writer; two Rasa processes can share the file) and `synchronous=NORMAL` (no fsync per
  turn; a crashed process loses nothing, a power cut can lose the last turns' events,
  never the file). Set `sqlite_synchronous: full` to fsync every turn.

Configured in `endpoints.yml` (`type: rasa_addons.tracker_store.LeadbotTrackerStore`),
with Rasa's `SQL` settings (dialect, url, port, db, username, password) or one
`db_url` (any SQLAlchemy URL: PostgreSQL for several Rasa processes, docs/scaling.md).
"""
from __future__ import annotations

import itertools
import json
import logging
import os
import time
from collections import OrderedDict
from typing import Any, Iterator, List, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)

DEFAULT_MAX_SESSION_EVENTS = 200
LOADED_MEMORY = 10_000  # conversations whose loaded size is remembered (a turn needs it once)
# Same key as bot/transcript.py PREVIOUS_TURN_KEY (the two environments share no code).
PREVIOUS_TURN_KEY = "leadbot_previous_turn"
# Same name as actions/slots.py ERASE_CONVERSATION.
ERASE_SLOT = "erase_conversation"
SYNCHRONOUS_MODES = ("off", "normal", "full", "extra")
INDEXES = {
    "ix_events_sender_type_timestamp": ("sender_id", "type_name", "timestamp"),
    "ix_events_sender_timestamp": ("sender_id", "timestamp"),
}


class LeadbotTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` with bounded sessions, the indexes each turn needs, tuned SQLite."""

    def __init__(self, domain: Optional[Domain] = None, *, db_url: Optional[Text] = None,
                 max_session_events: int = DEFAULT_MAX_SESSION_EVENTS,
                 sqlite_synchronous: Text = "normal", **kwargs: Any) -> None:
        if int(max_session_events) < 20:
            raise ValueError("max_session_events must be at least 20 (a turn writes up to about 15 events)")
        if str(sqlite_synchronous).lower() not in SYNCHRONOUS_MODES:
            raise ValueError(f"sqlite_synchronous must be one of {', '.join(SYNCHRONOUS_MODES)}")
        if db_url:
            kwargs.update(_url_parts(db_url))
        if kwargs.get("dialect", "sqlite") == "sqlite" and not kwargs.get("host"):  # Rasa's defaults
            _create_private_file(kwargs.get("db", "rasa.db"))
        self.max_session_events = int(max_session_events)
        self._loaded: "OrderedDict[Text, int]" = OrderedDict()  # sender -> events loaded this turn
        self.sqlite_synchronous = str(sqlite_synchronous).lower()
        super().__init__(domain, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens and closes a file connection per session (NullPool);
            # closing the last one checkpoints the WAL. Keep connections open instead.
            self.engine.dispose()
            self.engine = sa.create_engine(self.engine.url, poolclass=sa.pool.QueuePool,
                                           connect_args={"check_same_thread": False})
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
            sa.event.listen(self.engine, "connect", self._tune_sqlite)
            with self.engine.connect() as connection:  # WAL is a property of the file: set it now
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        self._create_indexes()
        self._statements = _Statements(self.SQLEvent.__table__)

    def _tune_sqlite(self, dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA synchronous={self.sqlite_synchronous.upper()}")
        cursor.execute("PRAGMA busy_timeout=10000")  # several processes: wait, never fail a turn
        cursor.close()

    def _create_indexes(self) -> None:
        table = self.SQLEvent.__table__
        for name, columns in INDEXES.items():
            index = sa.Index(name, *(table.c[c] for c in columns))
            try:
                index.create(self.engine, checkfirst=True)
            except sa.exc.DBAPIError as error:  # another process created it first
                logger.debug(f"Index {name} not created: {error}")

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        """Rasa's retrieve, remembering how many stored events this turn starts from."""
        tracker = await super().retrieve(sender_id)
        self._loaded[sender_id] = len(tracker.events) if tracker else 0
        self._loaded.move_to_end(sender_id)
        while len(self._loaded) > LOADED_MEMORY:
            self._loaded.popitem(last=False)
        return tracker

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        """Rasa's `_retrieve` (the session's events, or all of them, in stored order) with one
        prepared statement that reads the `data` column alone."""
        statement = self._statements.all_events if fetch_events_from_all_sessions else self._statements.session_events
        with self.session_scope() as session:
            rows = session.execute(statement, {"sender_id": sender_id}).scalars().all()
        if not (self.domain and rows):
            return None
        return DialogueStateTracker.from_dict(sender_id, [json.loads(data) for data in rows], self.domain.slots)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """Rasa's streaming to the event broker reads the stored tracker again: that read is
        not this turn's load, which the erasure check of `_additional_events` compares with."""
        loaded = self._loaded.get(tracker.sender_id)
        await super().stream_events(tracker)
        if loaded is not None:
            self._loaded[tracker.sender_id] = loaded

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        """The events not stored yet; none when the conversation was erased during this turn
        (loaded from the store, nothing of it stored now): it starts afresh next time."""
        stored = session.execute(self._statements.session_count, {"sender_id": tracker.sender_id}).scalar()
        if stored == 0 and self._loaded.get(tracker.sender_id, 0) > 0:
            logger.info("Conversation erased while a message of it was processed: its events are not written back")
            return iter(())
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the turn's events, then start a new session if this one grew too long; or,
        when the visitor had their data erased in this turn, delete the whole conversation."""
        await self._save_events(tracker)
        if tracker.get_slot(ERASE_SLOT):
            self.erase(tracker.sender_id)
            self._loaded.pop(tracker.sender_id, None)
            return
        rollover = self.rollover_events(tracker)
        if rollover:
            await self._save_events(_extended(tracker, rollover))
            logger.debug(f"Session of '{tracker.sender_id}' rolled over after {len(tracker.events)} events")

    async def _save_events(self, tracker: DialogueStateTracker) -> None:
        """Rasa's `SQLTrackerStore.save` (stream to the event broker, then write the events not
        stored yet, with the same columns) in one multi-row insert instead of an ORM object
        per event."""
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows = [_row(tracker.sender_id, event) for event in self._additional_events(session, tracker)]
            if rows:
                session.execute(self._statements.insert, rows)
            session.commit()
        logger.debug(f"Tracker with sender_id '{tracker.sender_id}' stored to database")

    def erase(self, sender_id: Text) -> int:
        """Delete every event of one conversation; how many. Its next message starts anew."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete(
                synchronize_session=False)
            session.commit()
        logger.info(f"Conversation erased at the visitor's request ({deleted} events)")
        return deleted

    def input_channels(self, sender_id: Text) -> List[Optional[Text]]:
        """The input channel of the first user message of `sender_id` and of each one in its
        current session, in order.

        Read from those user events' rows alone: the REST channel asks before every message
        (rasa_addons/channels/rest.py), and rebuilding the whole conversation for it cost the
        server a tenth of its time per turn (bench/README.md "Cascade"). The first message
        keeps a conversation opened elsewhere bound to its channel after a session rollover;
        the current session bounds the work as the session bounds a retrieve."""
        with self.session_scope() as session:
            rows = session.execute(self._statements.channel_rows, {"sender_id": sender_id}).scalars().all()
        return [json.loads(data).get("input_channel") for data in rows]

    def senders_with_unread(self, since: float, key: Text) -> List[Text]:
        """Conversations with a bot message since `since` whose metadata sets `key` true (the
        apology for a message left unread, rasa_addons/unread_sweep.py): searched once at start."""
        table = self.SQLEvent
        with self.session_scope() as session:
            rows = (session.query(table.sender_id).distinct()
                    .filter(table.type_name == BotUttered.type_name, table.timestamp >= since,
                            table.data.like(f'%"{key}": true%'))
                    .all())
        return [sender_id for (sender_id,) in rows]

    def rollover_events(self, tracker: DialogueStateTracker) -> List[Event]:
        """The events that continue this conversation in a new session, or none yet."""
        if len(tracker.events) <= self.max_session_events:
            return []
        paused = tracker.is_paused()  # waiting for a rep: every save ends a turn
        last = tracker.events[-1]
        listening = isinstance(last, ActionExecuted) and last.action_name == ACTION_LISTEN_NAME
        if not (paused or listening):
            return []  # only between turns
        now = time.time()
        # As Rasa writes a session start: the action just before `session_started`, so
        # the next retrieve (events from the latest `session_started` on) begins there.
        events: List[Event] = [ActionExecuted(ACTION_SESSION_START_NAME, timestamp=now - 0.001),
                               SessionStarted(metadata={PREVIOUS_TURN_KEY: _last_turn_messages(tracker)},
                                              timestamp=now)]
        for name, slot in tracker.slots.items():
            if slot.value != slot.initial_value:
                events.append(SlotSet(name, slot.value, timestamp=now))
        if tracker.active_loop_name:
            events.append(ActiveLoop(tracker.active_loop_name, timestamp=now))
        events.append(ActionExecuted(ACTION_LISTEN_NAME, timestamp=now))
        if paused:
            events.append(ConversationPaused(timestamp=now))
        return events


class _Statements:
    """The statements of every turn, built once (SQLAlchemy caches their compiled form)."""

    def __init__(self, table: sa.Table) -> None:
        sender = sa.bindparam("sender_id")
        of_sender = table.c.sender_id == sender
        # Rasa's session: events stamped at or after the latest `session_started`, else all.
        started = (sa.select(sa.func.max(table.c.timestamp))
                   .where(of_sender, table.c.type_name == SessionStarted.type_name).scalar_subquery())
        in_session = sa.or_(table.c.timestamp >= started, started.is_(None))
        self.session_events = sa.select(table.c.data).where(of_sender, in_session).order_by(table.c.id)
        self.all_events = sa.select(table.c.data).where(of_sender).order_by(table.c.id)
        self.session_count = sa.select(sa.func.count()).select_from(table).where(of_sender, in_session)
        is_user = table.c.type_name == UserUttered.type_name
        first_user = sa.select(sa.func.min(table.c.id)).where(of_sender, is_user).scalar_subquery()
        self.channel_rows = (sa.select(table.c.data)
                             .where(of_sender, is_user, sa.or_(table.c.id == first_user, in_session))
                             .order_by(table.c.id))
        self.insert = table.insert()


def _row(sender_id: Text, event: Event) -> dict:
    """An event's row, with the columns Rasa's `SQLTrackerStore.save` fills."""
    data = event.as_dict()
    return {"sender_id": sender_id, "type_name": event.type_name, "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"), "data": json.dumps(data)}


def _create_private_file(path: Optional[Text]) -> None:
    """Create the SQLite file readable by its owner only (the conversations are in it): SQLite
    would create it 0644 less the umask, and its -wal and -shm files take the file's mode."""
    if not path or path == ":memory:":
        return
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_CREAT, 0o600))
    except OSError:
        pass  # a folder that is not there: SQLite reports it


def _url_parts(db_url: Text) -> dict:
    """`SQLTrackerStore`'s keyword arguments from one SQLAlchemy URL
    (`postgresql://user:password@host:5432/rasa`, `sqlite:////var/lib/leadbot/tracker.db`)."""
    url = sa.engine.make_url(db_url)
    parts = {"dialect": url.drivername, "host": url.host, "port": url.port, "db": url.database,
             "username": url.username, "password": url.password, "query": dict(url.query) or None}
    return {key: value for key, value in parts.items() if value is not None}


def _last_turn_messages(tracker: DialogueStateTracker) -> List[dict]:
    """The messages of the turn that just ended (from the visitor's last message on).

    Actions only see the bot's replies to a message on the next turn, which after a
    rollover starts in the new session; carried here, `bot/transcript.py` reads them.
    """
    turn: List[dict] = []
    for event in reversed(tracker.events):
        if isinstance(event, (UserUttered, BotUttered)):
            turn.append(event.as_dict())
        if isinstance(event, UserUttered):
            break
    return turn[::-1]


def _extended(tracker: DialogueStateTracker, events: List[Event]) -> DialogueStateTracker:
    """The tracker with `events` appended (a copy: the caller's tracker is left as it was).

    `SQLTrackerStore.save` stores the events after those already in the session, so only
    `events` are written; they open a new session, which the next `retrieve` starts from.
    """
    extended = DialogueStateTracker.from_events(tracker.sender_id, [], tracker.slots.values())
    extended.events.extend(tracker.events)
    extended.events.extend(events)
    return extended
