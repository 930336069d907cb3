"""Run a delivery worker as a service: rounds until SIGTERM/SIGINT, idle pauses between.

Shared by `leadbot sync --follow` and `leadbot notifications send --follow`. A round that
handled something is followed at once by the next (a backlog drains at full speed); an
empty round waits `poll_seconds`. A signal lets the current delivery finish (nothing is
left half-recorded): a round is handed `stopping` and ends before its next delivery.
"""
from __future__ import annotations

import signal
import time
from collections.abc import Callable
from typing import Protocol, TypeVar


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
    while not stopping:
        report = one_round(lambda: stopping)
        if on_round:
            on_round(report)
        if report.handled == 0 and not stopping:
            time.sleep(poll_seconds)
