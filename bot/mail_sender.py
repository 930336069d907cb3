"""What `leadbot notifications send` runs: one e-mail sender process for lead cards and
digests (`bot/notify/worker.py`) and for meeting invitations (`bot/meetings/worker.py`).

Each is its own delivery queue on the shared lease loop (`bot/delivery.py`); a round sends
the due cards, then the due invitations, and reports them together. It sits above both
packages so that neither imports the other's worker.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import requests
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery import DeliveryReport
from bot.meetings.settings import load_meeting_settings
from bot.meetings.worker import run_once as send_invitations
from bot.notify.settings import NotifySettings
from bot.notify.worker import run_once as send_cards
from bot.service import run_until_stopped
from bot.store.leases import worker_id


def run_round(sessions: sessionmaker[Session], settings: NotifySettings, *, now: Callable[[], datetime],
              worker: str | None = None, http: requests.Session | None = None,
              stop: Callable[[], bool] = lambda: False) -> DeliveryReport:
    """The cards' round (`bot.notify.worker.run_once`), then the meeting invitations due."""
    worker = worker or worker_id()
    report = send_cards(sessions, settings, now=now, worker=worker, http=http, stop=stop)
    invitations = send_invitations(sessions, load_meeting_settings(), settings, now=now, worker=worker, stop=stop)
    report.delivered += invitations.delivered
    report.retrying += invitations.retrying
    report.dead += invitations.dead
    report.lost_lease += invitations.lost_lease
    report.errors += invitations.errors
    return report


def follow(sessions: sessionmaker[Session], settings: NotifySettings, *, now: Callable[[], datetime],
           worker: str | None = None, on_round: Callable[[DeliveryReport], None] | None = None) -> None:
    """Run rounds until SIGTERM/SIGINT (`bot.service`); pause `poll_seconds` when idle."""
    http, worker = requests.Session(), worker or worker_id()
    run_until_stopped(lambda stopping: run_round(sessions, settings, now=now, worker=worker, http=http, stop=stopping),
                      poll_seconds=settings.poll_seconds, on_round=on_round)
