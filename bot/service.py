"""Run a delivery worker as a service: rounds until SIGTERM/SIGINT, idle pauses between.

Shared by `leadbot sync --follow`, `leadbot notifications send --follow` and `leadbot nurture
send --follow` (their commands start through `bot.cli_support.worker_sessions`). A round that
handled something is followed at once by the next (a backlog drains at full speed); an
empty round waits `poll_seconds`. A signal lets the current delivery finish (nothing is
left half-recorded): a round is handed `stopping` and ends before its next delivery.
The store being unreachable (a PostgreSQL restart, a locked file) ends the round, never the
worker: it is logged once, rounds are tried again every `OUTAGE_PAUSE_SECONDS`, and work
resumes when the store is back; a worker started during an outage waits for the store
(`once_the_store_answers`) (an outcome it could not record is sent again once its lease
runs out, with the same id). A supervisor would otherwise restart an exiting worker only a
few times before giving up on it.
"""
from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from typing import Protocol, TypeVar

from sqlalchemy.exc import InterfaceError, OperationalError

log = logging.getLogger(__name__)
OUTAGE_PAUSE_SECONDS = 1.0
STOP_CHECK_SECONDS = 0.2  # how soon an idle worker notices SIGTERM


class Report(Protocol):
    @property
    def handled(self) -> int: ...


R = TypeVar("R", bound=Report)


def run_until_stopped(one_round: Callable[[Callable[[], bool]], R], *, poll_seconds: float,
                      on_round: Callable[[R], None] | None = None) -> None:
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    down_since: float | None = None
    while not stopping:
        try:
            report = one_round(lambda: stopping)
        except (OperationalError, InterfaceError) as error:
            if down_since is None:
                down_since = time.monotonic()
                log.warning("the store is unreachable; trying again every %g s: %s", OUTAGE_PAUSE_SECONDS,
                            str(error).splitlines()[0])
            time.sleep(OUTAGE_PAUSE_SECONDS)
            continue
        if down_since is not None:
            log.warning("the store is reachable again after %.0f s", time.monotonic() - down_since)
            down_since = None
        if on_round:
            on_round(report)
        if report.handled == 0:
            _pause(poll_seconds, lambda: stopping)


def _pause(seconds: float, stopping: Callable[[], bool]) -> None:
    """Wait `seconds`, ending early once a signal asked to stop: `time.sleep` resumes after a
    signal handler (PEP 475), so a long idle pause (nurture polls every 30 s) would otherwise
    keep a stopped worker alive past its supervisor's grace period."""
    deadline = time.monotonic() + seconds
    while not stopping():
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, STOP_CHECK_SECONDS))


def once_the_store_answers(prepare: Callable[[], None]) -> None:
    """Run `prepare` (the worker's migrations) as soon as the store answers; a worker started
    during an outage waits (SIGTERM stops it meanwhile) instead of exiting."""
    down_since: float | None = None
    while True:
        try:
            prepare()
        except (OperationalError, InterfaceError) as error:
            if down_since is None:
                down_since = time.monotonic()
                log.warning("the store is unreachable at start; trying again every %g s: %s",
                            OUTAGE_PAUSE_SECONDS, str(error).splitlines()[0])
            time.sleep(OUTAGE_PAUSE_SECONDS)
            continue
        if down_since is not None:
            log.warning("the store is reachable after %.0f s", time.monotonic() - down_since)
        return
