"""`leadbot sync`: deliver the outbox to the CRM, and look after what could not be sent.

    leadbot sync [--follow] [--worker-id ID]      deliver due events once, or as a service
    leadbot sync status                           queue counts and dead letters with the CRM's errors
    leadbot sync retry (--event ID | --all-dead)  send dead letters again
"""
from __future__ import annotations

import argparse
import logging
import signal
import sys
from typing import Any

from sqlalchemy import func, select

from bot.cli_support import (EXIT_OK, UserError, log_rounds, now, positive_int, serve_metrics, store_session, table,
                             worker_sessions)


def register(commands: Any) -> None:
    sync = commands.add_parser("sync", help="deliver the outbox to the CRM (settings/crm.yml)")
    sync.add_argument("--follow", action="store_true", help="keep running: deliver as events arrive")
    sync.add_argument("--worker-id", help="name of this worker in leases (default: host:pid)")
    sync.set_defaults(handler=cmd_sync)
    actions = sync.add_subparsers(dest="sync_command", metavar="ACTION")
    p = actions.add_parser("status", help="events per status; dead letters with the CRM's errors")
    p.set_defaults(handler=cmd_sync_status)
    p = actions.add_parser("retry", help="queue dead letters again")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--event", type=positive_int, help="outbox event id (from `leadbot sync status`)")
    which.add_argument("--all-dead", action="store_true")
    p.set_defaults(handler=cmd_sync_retry)
    p = actions.add_parser("pull", help="read back what changed in the CRM now (no deliveries)")
    p.set_defaults(handler=cmd_sync_pull)


def cmd_sync(args: argparse.Namespace) -> int:
    from crm_sync.settings import MissingSecret, load_crm_settings
    from crm_sync.worker import follow, make_target, read_back_once, run_once

    settings = load_crm_settings()
    if args.follow:  # a service shows its queues on /metrics (LEADBOT_METRICS_PORT, bot/telemetry.py)
        serve_metrics()
    try:
        target = make_target(settings)
    except MissingSecret as exc:
        raise UserError(str(exc)) from exc
    if target is None:
        print("No CRM configured (settings/crm.yml provider: none): events stay in the outbox.", flush=True)
        if args.follow:  # a service stays up, idle, until stopped (a supervisor would restart an exit)
            _wait_for_stop()
        return EXIT_OK
    with worker_sessions(args.follow) as sessions:
        if args.follow:
            follow(sessions, target, settings, now=now, worker=args.worker_id,
                   on_round=log_rounds(logging.getLogger(), "delivered"), on_poll=_log_poll)
            return EXIT_OK
        # Read back first: a rep's newer change is in the store before our events go out (docs/crm.md).
        polled = read_back_once(sessions, target, settings, now=now)
        report = run_once(sessions, target, settings, now=now, worker=args.worker_id)
    print(f"Delivered {report.delivered}, retrying later {report.retrying}, dead {report.dead}.")
    if polled is not None:
        print(_poll_line(polled))
    for error in report.errors:
        print(error, file=sys.stderr)
    return EXIT_OK


def cmd_sync_pull(args: argparse.Namespace) -> int:
    from bot.store.db import database_url, make_engine, session_factory
    from bot.store.migrate import upgrade
    from crm_sync.settings import MissingSecret, load_crm_settings
    from crm_sync.worker import make_target, read_back_once

    settings = load_crm_settings()
    try:
        target = make_target(settings)
    except MissingSecret as exc:
        raise UserError(str(exc)) from exc
    url = database_url()
    upgrade(url)
    engine = make_engine(url)
    try:
        polled = read_back_once(session_factory(engine), target, settings, now=now) if target else None
    finally:
        engine.dispose()
    if polled is None:
        raise UserError(f"provider {settings.provider!r} has nothing to read back (settings/crm.yml)")
    print(_poll_line(polled))
    return EXIT_OK


def _poll_line(report: Any) -> str:
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(report.changes.outcomes.items()) if v) or "nothing new"
    line = f"Read back {report.read} value(s) in {report.pages} page(s): {kinds}."
    if report.failure is not None:
        line += f" Stopped: {report.failure.error}"
    return line


def _log_poll(report: Any) -> None:
    if report.failure is not None:
        logging.error("read-back: %s", report.failure.error)
    elif report.changes.applied:
        logging.info(_poll_line(report))


def _wait_for_stop() -> None:
    """Block until SIGTERM or SIGINT: `--follow` without a CRM is an idle service, not an exit."""
    stop = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop)
    signal.sigwait(stop)


def cmd_sync_status(args: argparse.Namespace) -> int:
    from bot.store.outbox import held_events
    from bot.store.schema import OutboxEvent

    from crm_sync.connection import alerts

    with store_session() as session:
        refused = alerts(session)
        counts = dict(session.execute(select(OutboxEvent.status, func.count()).group_by(OutboxEvent.status)).all())
        oldest = session.scalar(select(func.min(OutboxEvent.created_at)).where(OutboxEvent.status == "pending"))
        dead = list(session.scalars(select(OutboxEvent).where(OutboxEvent.status == "dead").order_by(OutboxEvent.id)))
        rows = [[e.id, e.event_type, e.aggregate_id, e.attempts, (e.last_error or "")[:200]] for e in dead]
        held = [f"event {e.id} holds {count} later event(s) of lead {e.aggregate_id}" for e, count in held_events(session)]
    for alert in refused:  # one line, however many events wait behind it
        print(f"CONNECTION REFUSED: {alert}\n")
    table(["STATUS", "EVENTS"], [[s, counts.get(s, 0)] for s in ("pending", "delivered", "dead")], sys.stdout)
    if oldest is not None:
        age = now() - oldest
        print(f"\nOldest pending event: {_age(age.total_seconds())} old.")
    print()
    if rows:
        print("Dead letters (fix the cause, then `leadbot sync retry --event ID` or `--all-dead`):")
        table(["EVENT", "TYPE", "LEAD", "ATTEMPTS", "ERROR"], rows, sys.stdout)
        if held:  # a lead's events go in order: its later events wait for the dead one
            print("\nHeld until their lead's dead letter is delivered:")
            print("\n".join(f"  {line}" for line in held))
    else:
        print("No dead letters.")
    return EXIT_OK


def cmd_sync_retry(args: argparse.Namespace) -> int:
    from bot.store.outbox import retry_dead

    with store_session(write=True) as session:
        count = retry_dead(session, now=now(), event_id=args.event)
    if args.event and count == 0:
        raise UserError(f"event {args.event} is not a dead letter; `leadbot sync status` lists them")
    print(f"Queued {count} event(s) again.")
    return EXIT_OK


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
