"""Rasa's events to RabbitMQ without losing one when RabbitMQ is away.

Rasa 3.6's own `pika` broker (rasa/core/brokers/pika.py) keeps events it failed to publish
in memory and sends them again when its robust connection comes back: they are lost if
the Rasa process stops first, and at start it tries to connect 20 times, 5 s apart, then
fails to start (and drops every event published before its exchange exists). So this
broker writes each event first to a spool, a SQLite file of this process (WAL,
`synchronous=NORMAL`: a crashed process loses nothing, as the tracker store), and one task
publishes the spool in order to a durable fanout exchange and queue (persistent messages,
publisher confirms), deleting what RabbitMQ confirmed. RabbitMQ down: the turn goes on (a
spool insert costs well under a millisecond), the task reconnects every `retry_seconds`
and sends the backlog first. A crash between a confirm and its delete sends that event
again: the consumer stores each event once (bot/event_stream/record.py).

endpoints.yml (deploy/scaled/endpoints.yml):

    event_broker:
      type: rasa_addons.event_broker.SpooledPikaEventBroker
      url: ${LEADBOT_RABBITMQ_URL}            # amqp://user:password@host:port/vhost
      spool: ${LEADBOT_EVENT_SPOOL}           # this process's file: one per Rasa process
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
from typing import Any, Dict, List, Optional, Text, Tuple

import aio_pika
from pamqp.commands import Basic
from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

# The same names as bot/event_stream/__init__.py (the two environments share no code).
EXCHANGE = "leadbot-events"
QUEUE = "leadbot_conversation_events"
BATCH = 200  # events published before their rows are deleted
PUBLISH_TIMEOUT_SECONDS = 10.0


class Spool:
    """The events not yet confirmed by RabbitMQ, oldest first, in a private SQLite file."""

    def __init__(self, path: Text) -> None:
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        if not os.path.exists(path):
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # conversations' words: owner only
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)")

    def add(self, body: Text) -> None:
        self.db.execute("INSERT INTO events (body) VALUES (?)", (body,))

    def oldest(self, limit: int) -> List[Tuple[int, Text]]:
        return self.db.execute("SELECT id, body FROM events ORDER BY id LIMIT ?", (limit,)).fetchall()

    def remove_through(self, last_id: int) -> None:
        self.db.execute("DELETE FROM events WHERE id <= ?", (last_id,))

    def __len__(self) -> int:
        return self.db.execute("SELECT count(*) FROM events").fetchone()[0]

    def close(self) -> None:
        self.db.close()


class SpooledPikaEventBroker(EventBroker):
    """Every event spooled to disk, then published to RabbitMQ in order, at least once."""

    def __init__(self, url: Text, spool: Text, retry_seconds: float = 1.0, **_: Any) -> None:
        super().__init__()
        if not url or not str(url).startswith(("amqp://", "amqps://")):
            raise ValueError("event_broker url must be an amqp:// or amqps:// URL (LEADBOT_RABBITMQ_URL)")
        if not spool:
            raise ValueError("event_broker spool must name this process's spool file (LEADBOT_EVENT_SPOOL)")
        self.url = str(url)
        self.spool = Spool(str(spool))
        self.retry_seconds = float(retry_seconds)
        self._wake = asyncio.Event()
        self._task: Optional[asyncio.Task] = None
        self._connection: Optional[aio_pika.abc.AbstractConnection] = None
        self._exchange: Optional[aio_pika.abc.AbstractExchange] = None

    @classmethod
    async def from_endpoint_config(cls, broker_config: EndpointConfig,
                                   event_loop: Optional[asyncio.AbstractEventLoop] = None
                                   ) -> "SpooledPikaEventBroker":
        """Never waits for RabbitMQ: Rasa starts and answers while it is away."""
        broker = cls(broker_config.url, **broker_config.kwargs)
        broker._task = asyncio.get_running_loop().create_task(broker._publish_forever())
        return broker

    def publish(self, event: Dict[Text, Any], headers: Optional[Dict[Text, Text]] = None) -> None:
        """Spool the event (on the turn: a local insert); the publishing task sends it."""
        self.spool.add(json.dumps(event))
        self._wake.set()

    def is_ready(self) -> bool:
        return True  # the spool always takes events

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        await self._disconnect()
        self.spool.close()

    async def _publish_forever(self) -> None:
        down = False
        while True:
            try:
                if self._exchange is None:
                    await self._connect()
                    if down:
                        logger.warning(f"RabbitMQ reachable again; sending {len(self.spool)} spooled events")
                        down = False
                self._wake.clear()  # before reading: an event spooled meanwhile wakes the next wait
                rows = self.spool.oldest(BATCH)
                if not rows:
                    try:
                        await asyncio.wait_for(self._wake.wait(), timeout=5)
                    except asyncio.TimeoutError:
                        pass
                    continue
                await self._send(rows)
                self.spool.remove_through(rows[-1][0])
            except asyncio.CancelledError:
                raise
            except Exception as error:  # any failure of the connection: reconnect, the spool keeps all
                if not down:
                    logger.warning(f"RabbitMQ unreachable ({type(error).__name__}: {error}); events are "
                                   f"spooled ({len(self.spool)} now) and sent once it is back, trying every "
                                   f"{self.retry_seconds:g} s")
                    down = True
                await self._disconnect()
                await asyncio.sleep(self.retry_seconds)

    async def _connect(self) -> None:
        self._connection = await aio_pika.connect(self.url, timeout=5)
        channel = await self._connection.channel(publisher_confirms=True)
        exchange = await channel.declare_exchange(EXCHANGE, aio_pika.ExchangeType.FANOUT, durable=True)
        queue = await channel.declare_queue(QUEUE, durable=True)
        await queue.bind(exchange, "")
        self._exchange = exchange

    async def _send(self, rows: List[Tuple[int, Text]]) -> None:
        """Publish in order on one channel and wait for every confirm; a nack is a failure."""
        assert self._exchange is not None
        confirms = await asyncio.gather(*(
            self._exchange.publish(aio_pika.Message(body.encode("utf-8"), content_type="application/json",
                                                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                                   routing_key="", timeout=PUBLISH_TIMEOUT_SECONDS)
            for _id, body in rows))
        if not all(isinstance(confirm, Basic.Ack) for confirm in confirms):
            raise ConnectionError("RabbitMQ did not confirm every event")

    async def _disconnect(self) -> None:
        connection, self._connection, self._exchange = self._connection, None, None
        if connection is not None and not connection.is_closed:
            try:
                await connection.close()
            except Exception as error:  # already broken: nothing more to release
                logger.debug(f"closing the RabbitMQ connection: {error}")
