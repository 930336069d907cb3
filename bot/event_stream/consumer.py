"""The event stream's consumer: RabbitMQ -> conversation analytics and funnel (record.py).

Messages are taken in batches (up to `batch` at once, or what came within `wait_seconds`),
written in one transaction, and acknowledged only once it committed: a consumer killed
before that leaves them unacknowledged, and RabbitMQ delivers them again (to it or another
consumer), where `record.py` recognises what was stored. A message that is not a Rasa
event is logged, counted (`leadbot_event_errors{reason="malformed"}`) and acknowledged: it
could never be stored. The store being down holds the batch (nothing acknowledged) and
retries it every second; RabbitMQ being down ends the connection: the consumer connects
again every second, and what it had not acknowledged is delivered again.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import pika
from pika.adapters.blocking_connection import BlockingChannel
from pika.exceptions import AMQPError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot import telemetry
from bot.event_stream import EXCHANGE, QUEUE
from bot.event_stream.record import MalformedEvent, StreamedEvent, record_events

log = logging.getLogger(__name__)
RETRY_SECONDS = 1.0


class Stopped(Exception):
    """Asked to stop while a batch waited for the store: it stays unacknowledged."""


def declare(channel: BlockingChannel) -> None:
    """The exchange Rasa publishes to and our durable queue bound to it (as rasa_addons/event_broker.py
    declares them: whichever starts first, no event is published to nowhere)."""
    channel.exchange_declare(EXCHANGE, exchange_type="fanout", durable=True)
    channel.queue_declare(QUEUE, durable=True)
    channel.queue_bind(QUEUE, EXCHANGE)


@dataclass
class Consumer:
    url: str
    sessions: sessionmaker[Session]
    now: Callable[[], datetime]
    batch: int = 200
    wait_seconds: float = 0.2
    stored: int = field(default=0, init=False)  # new events written by this consumer

    def run(self, stopping: Callable[[], bool], *, drain: bool = False) -> int:
        """Consume until `stopping()`, or with `drain` until the queue is empty; events stored."""
        down_since: float | None = None
        while not stopping():
            try:
                connection = pika.BlockingConnection(self._parameters())
            except AMQPError as error:
                if drain:
                    raise
                down_since = self._broker_down(down_since, error)
                time.sleep(RETRY_SECONDS)
                continue
            if down_since is not None:
                log.warning("RabbitMQ is reachable again after %.0f s", time.monotonic() - down_since)
                down_since = None
            try:
                if self._consume(connection, stopping, drain):
                    break
            except AMQPError as error:
                if drain:
                    raise
                down_since = self._broker_down(down_since, error)
                time.sleep(RETRY_SECONDS)
            except Stopped:
                break
            finally:
                if connection.is_open:
                    try:
                        connection.close()
                    except AMQPError:
                        pass
        return self.stored

    def _parameters(self) -> pika.URLParameters:
        parameters = pika.URLParameters(self.url)
        parameters.connection_attempts = 1
        parameters.socket_timeout = 5
        parameters.blocked_connection_timeout = 30
        return parameters

    @staticmethod
    def _broker_down(down_since: float | None, error: Exception) -> float:
        telemetry.EVENT_ERRORS.labels("broker").inc()
        if down_since is None:
            log.warning("RabbitMQ is unreachable; trying again every %g s: %s", RETRY_SECONDS,
                        str(error).splitlines()[0] if str(error) else type(error).__name__)
            return time.monotonic()
        return down_since

    def _consume(self, connection: pika.BlockingConnection, stopping: Callable[[], bool], drain: bool) -> bool:
        """One connection's life; True when done (drained or stopping)."""
        channel = connection.channel()
        declare(channel)
        channel.basic_qos(prefetch_count=self.batch)
        pending: list[tuple[int, bytes]] = []
        for method, _properties, body in channel.consume(QUEUE, inactivity_timeout=self.wait_seconds):
            if method is not None:
                pending.append((method.delivery_tag, body))
            if pending and (method is None or len(pending) >= self.batch):
                self._commit(connection, channel, pending, stopping)
                pending = []
            if method is None:
                queued = channel.queue_declare(QUEUE, durable=True, passive=True).method.message_count
                telemetry.EVENTS_QUEUED.set(queued)
                if drain and queued == 0:
                    return True
            if stopping():
                return True
        return False

    def _commit(self, connection: pika.BlockingConnection, channel: BlockingChannel,
                pending: list[tuple[int, bytes]], stopping: Callable[[], bool]) -> None:
        events: list[StreamedEvent] = []
        for _tag, body in pending:
            try:
                events.append(StreamedEvent.parse(body))
            except MalformedEvent as error:
                telemetry.EVENT_ERRORS.labels("malformed").inc()
                log.error("dropped a message that is not a Rasa event (%d bytes): %s", len(body), error)
        new = self._write(connection, events, stopping)
        channel.basic_ack(pending[-1][0], multiple=True)  # only after the write committed
        self.stored += len(new)
        for event in new:
            telemetry.EVENTS_CONSUMED.labels(event.kind).inc()
        if len(events) > len(new):
            telemetry.EVENTS_DUPLICATE.inc(len(events) - len(new))
        if events:
            telemetry.EVENTS_LAG.set(max(0.0, time.time() - max(e.at for e in events).timestamp()))

    def _write(self, connection: pika.BlockingConnection, events: list[StreamedEvent],
               stopping: Callable[[], bool]) -> list[StreamedEvent]:
        """One transaction, tried until it commits (the store down: every second, the broker's
        heartbeats kept; another consumer storing one of them first: at once, then skipped)."""
        down_since: float | None = None
        conflicts = 0
        while True:
            try:
                with self.sessions.begin() as session:
                    new = record_events(session, events, now=self.now())
                if down_since is not None:
                    log.warning("the store is reachable again after %.0f s", time.monotonic() - down_since)
                return new
            except IntegrityError:
                conflicts += 1  # a concurrent consumer committed one of these events: read it as stored
                if conflicts > 3:
                    raise
            except (OperationalError, InterfaceError) as error:
                telemetry.EVENT_ERRORS.labels("store").inc()
                if down_since is None:
                    down_since = time.monotonic()
                    log.warning("the store is unreachable; the batch is held, trying again every %g s: %s",
                                RETRY_SECONDS, str(error).splitlines()[0])
                if stopping():
                    raise Stopped() from None
                connection.sleep(RETRY_SECONDS)
