"""Platform deliveries already handled, so a replayed or retried one is not handled twice.

Slack signs a request with a timestamp and accepts it for five minutes, and retries an
event it thinks failed; both arrive again with the same `event_id`. Each id is recorded
in `seen_deliveries` in the tracker store's database (shared by every Rasa process, kept
across restarts) the first time, inside the same statement that tells whether it was new
(a primary key, so two processes racing on one id get one winner). Rows older than
`retention` seconds, by the platform's signed timestamp, are deleted as new ones come:
the table holds about one retention window of traffic.
"""
from __future__ import annotations

import logging
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

logger = logging.getLogger(__name__)

DEFAULT_RETENTION = 3600  # seconds: Slack's replay window is 300 and its last retry comes after about 300
_metadata = sa.MetaData()
TABLE = sa.Table(
    "seen_deliveries", _metadata,
    sa.Column("platform", sa.String(20), primary_key=True),
    sa.Column("delivery_id", sa.String(255), primary_key=True),
    sa.Column("seen_at", sa.BigInteger, nullable=False, index=True),  # platform's timestamp, epoch seconds
)


class SeenDeliveries:
    """`first_time(platform, id, at)` is True once per (platform, id) within the retention."""

    def __init__(self, engine: Engine, retention: int = DEFAULT_RETENTION) -> None:
        self.engine, self.retention = engine, int(retention)
        try:
            _metadata.create_all(engine, checkfirst=True)
        except sa.exc.DBAPIError:  # another Rasa process created it between the check and ours
            if not sa.inspect(engine).has_table(TABLE.name):
                raise

    def first_time(self, platform: str, delivery_id: str, at: int) -> bool:
        with self.engine.begin() as connection:
            connection.execute(TABLE.delete().where(TABLE.c.seen_at < at - self.retention))
        try:
            with self.engine.begin() as connection:
                connection.execute(TABLE.insert().values(platform=platform, delivery_id=delivery_id[:255], seen_at=at))
        except IntegrityError:
            return False
        return True


def for_tracker_store(tracker_store: object, retention: int = DEFAULT_RETENTION) -> SeenDeliveries:
    """Seen deliveries in the tracker store's database; in memory (forgotten at restart, with a
    warning) when the tracker store has none."""
    inner = getattr(tracker_store, "_tracker_store", tracker_store)  # Rasa's AwaitableTrackerStore wrapper
    engine: Optional[Engine] = getattr(inner, "engine", None)
    if engine is None:
        logger.warning("the tracker store has no SQL database: replayed deliveries are remembered until restart only")
        engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool,
                                  connect_args={"check_same_thread": False})
    return SeenDeliveries(engine, retention)
