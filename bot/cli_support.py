"""What every `leadbot` command shares: exit codes, user errors, the store session, the clock.

Command groups live in their own modules (one concept each) and register themselves on the
parser in `leadbot/cli.py`; they import from here, never from `leadbot.cli`, so there is no cycle.
"""
from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import IO, Any

from sqlalchemy.orm import Session, sessionmaker

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 3


class UserError(Exception):
    """A mistake in the command itself (missing --yes, unwritable output file...)."""


@contextmanager
def store_session(write: bool = False) -> Iterator[Session]:
    """A session on the configured store, migrated to the latest schema first."""
    from bot.store.db import database_url, make_engine, session_factory
    from bot.store.migrate import upgrade

    url = database_url()
    upgrade(url)
    engine = make_engine(url)
    try:
        sessions = session_factory(engine)
        if write:
            with sessions.begin() as session:
                yield session
        else:
            with sessions() as session:
                yield session
    finally:
        engine.dispose()


@contextmanager
def worker_sessions(follow: bool) -> Iterator[sessionmaker[Session]]:
    """The store a delivery worker's command runs on, migrated first. With `--follow` (a
    service) it logs to stderr and waits for a store that is down (`bot.service`)."""
    from bot.service import once_the_store_answers
    from bot.store.db import database_url, make_engine, session_factory
    from bot.store.migrate import upgrade

    url = database_url()
    if follow:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        once_the_store_answers(lambda: upgrade(url))
    else:
        upgrade(url)
    engine = make_engine(url)
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()


def log_rounds(log: logging.Logger, verb: str) -> Callable[[Any], None]:
    """A `--follow` worker's log line for each round that handled something ("sent 2,
    retrying 0, dead 0"), then each error of the round (a `bot.delivery.DeliveryReport`)."""
    def on_round(report: Any) -> None:
        if report.handled:
            log.info("%s %d, retrying %d, dead %d", verb, report.delivered, report.retrying, report.dead)
            for error in report.errors:
                log.error(error)
    return on_round


def now() -> datetime:
    """The business clock (honours LEADBOT_NOW, like the bot)."""
    from bot.conversation import load_conversation_settings, make_clock

    return make_clock(load_conversation_settings()).now()


def positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], out: IO[str]) -> None:
    """Columns padded to their widest cell; numbers right-aligned."""
    cells = [[("-" if c is None else str(c)) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    numeric = [all(isinstance(row[i], (int, float)) for row in rows) and bool(rows) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric)]
        return "  ".join(parts).rstrip()

    out.write(line(headers) + "\n")
    out.write(line(["-" * w for w in widths]) + "\n")
    for row in cells:
        out.write(line(row) + "\n")


def serve_metrics() -> int | None:
    """A service's /metrics (bot/telemetry.py): its queues read from the configured store at
    each scrape, on `LEADBOT_METRICS_PORT` when set; the port, or None."""
    import os

    from bot import telemetry
    from bot.store.db import make_engine, session_factory

    if not os.environ.get(telemetry.PORT_VARIABLE, "").strip():
        return None
    # The store's gauges first: no scrape ever finds the port open without them.
    telemetry.collect_store(session_factory(make_engine()), now)
    return telemetry.serve_from_env()
