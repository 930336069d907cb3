"""What the running processes tell Prometheus (prometheus-client, its default registry).

Events are counted where they happen: turns and action calls by the action server
(`rasa_sdk_plugins/telemetry.py`), deliveries by the lease loop (`bot/delivery.py`), streamed
conversation events by their consumer (`bot/event_stream/consumer.py`). Queue
depths are read from the store when Prometheus scrapes (`StoreCollector`), so every process
that serves them shows the same numbers and nothing is kept in memory. A process serves
`/metrics` on its own port when `LEADBOT_METRICS_PORT` is set (`serve_from_env`: the
dashboard and the workers); the action server on its own port (docs/deploy.md).

No metric has a label a visitor wrote or that names one: channels, action names, queues.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, disable_created_metrics, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.schema import WAITING, Lead, Notification, OutboxEvent

PORT_VARIABLE = "LEADBOT_METRICS_PORT"
HOST_VARIABLE = "LEADBOT_METRICS_HOST"  # loopback unless told otherwise
QUEUES = {"outbox": OutboxEvent, "notifications": Notification}  # CRM events, lead cards

disable_created_metrics()  # no `_created` series beside every counter and histogram

# A turn is seconds, a delivery from seconds (a card) to hours (a CRM that was down).
_TURN_BUCKETS = (0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30)
_DELIVERY_BUCKETS = (0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600, 21600)

TURNS = Counter("leadbot_turns", "User messages whose turn reached the action server", ["channel"])
TURN_SECONDS = Histogram(
    "leadbot_turn_seconds",
    "A finished turn, from Rasa logging the user message (after NLU) to the bot listening again",
    buckets=_TURN_BUCKETS)
ACTION_SECONDS = Histogram("leadbot_action_seconds", "One action server call, received to answered",
                           ["action"], buckets=_TURN_BUCKETS)
ACTION_ERRORS = Counter("leadbot_action_errors", "Action server calls answered with an error status", ["action"])
DELIVERY_SECONDS = Histogram("leadbot_delivery_seconds", "From queued to delivered (CRM event or lead card)",
                             ["queue"], buckets=_DELIVERY_BUCKETS)
DELIVERIES = Counter("leadbot_deliveries", "Delivery attempts by outcome", ["queue", "outcome"])
# The event stream's consumer (bot/event_stream/consumer.py).
EVENTS_CONSUMED = Counter("leadbot_events_consumed", "Conversation events written to the analytics, by Rasa event type",
                          ["kind"])
EVENTS_DUPLICATE = Counter("leadbot_events_duplicates", "Conversation events delivered again and skipped")
EVENT_ERRORS = Counter("leadbot_event_errors", "Event stream failures: malformed (dropped), store or broker (retried)",
                       ["reason"])
EVENTS_LAG = Gauge("leadbot_events_lag_seconds",
                   "From Rasa logging the newest event of the last batch to its write committed")
EVENTS_QUEUED = Gauge("leadbot_events_queued", "Events waiting in the RabbitMQ queue (read when the consumer idles)")

log = logging.getLogger(__name__)


def observe_delivery(queue: str, outcome: str, *, queued_at: datetime | None = None, at: datetime | None = None) -> None:
    """One attempt's outcome (`delivered`, `retrying`, `dead`); a delivery also its latency."""
    DELIVERIES.labels(queue, outcome).inc()
    if outcome == "delivered" and queued_at is not None and at is not None:
        DELIVERY_SECONDS.labels(queue).observe(max(0.0, (at - queued_at).total_seconds()))


class StoreCollector(Collector):
    """Queue depths read at scrape time: pending rows and the oldest one's age per queue,
    dead letters, and visitors waiting for a rep. `leadbot_store_up` 0 when the store does
    not answer (then only that)."""

    def __init__(self, sessions: sessionmaker[Session], now: Callable[[], datetime]) -> None:
        self.sessions = sessions
        self.now = now

    def collect(self) -> Iterator[GaugeMetricFamily]:
        up = GaugeMetricFamily("leadbot_store_up", "1 when the pipeline store answered this scrape")
        try:
            families = self._read()
        except SQLAlchemyError as error:
            log.warning("metrics: the store did not answer: %s", str(error).splitlines()[0])
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _read(self) -> list[GaugeMetricFamily]:
        pending = GaugeMetricFamily("leadbot_queue_pending", "Rows waiting to be delivered", labels=["queue"])
        oldest = GaugeMetricFamily("leadbot_queue_oldest_pending_age_seconds",
                                   "Age of the oldest row waiting to be delivered (0 when none)", labels=["queue"])
        dead = GaugeMetricFamily("leadbot_dead_letters", "Rows given up on, kept for an operator", labels=["queue"])
        waiting = GaugeMetricFamily("leadbot_handoff_waiting", "Visitors who asked for a person and wait for a rep")
        now = self.now()
        with self.sessions() as session:
            for name, model in QUEUES.items():
                count, first = session.execute(
                    select(func.count(model.id), func.min(model.created_at)).where(model.status == "pending")).one()
                pending.add_metric([name], count)
                oldest.add_metric([name], max(0.0, (now - first).total_seconds()) if first else 0.0)
                dead.add_metric([name], session.scalar(select(func.count(model.id)).where(model.status == "dead")))
            waiting.add_metric([], session.scalar(select(func.count(Lead.id)).where(Lead.handoff_state == WAITING)))
        return [pending, oldest, dead, waiting]


_collecting: list[StoreCollector] = []


def collect_store(sessions: sessionmaker[Session], now: Callable[[], datetime]) -> None:
    """Report the store's queues on this process's /metrics (once per process)."""
    if not _collecting:
        collector = StoreCollector(sessions, now)
        REGISTRY.register(collector)
        _collecting.append(collector)


def serve_from_env() -> int | None:
    """Serve /metrics on `LEADBOT_METRICS_PORT` (a thread of this process); the port, or None
    when the variable is unset."""
    port = os.environ.get(PORT_VARIABLE, "").strip()
    if not port:
        return None
    start_http_server(int(port), addr=os.environ.get(HOST_VARIABLE, "127.0.0.1"))
    log.info("metrics on http://%s:%s/metrics", os.environ.get(HOST_VARIABLE, "127.0.0.1"), port)
    return int(port)
