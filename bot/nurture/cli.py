"""`leadbot nurture`: send nurture e-mails, see how sequences do, and look after failures.

    leadbot nurture send [--follow] [--worker-id ID]   sweep sequences and send due e-mails, once or as a service
    leadbot nurture status [--json]                    sent, clicked, re-engaged, qualified, unsubscribed
    leadbot nurture list [--status S] [--lead ID]      e-mails with their state and last error
    leadbot nurture retry (--id N | --all-dead)        queue dead e-mails again
    leadbot nurture pause|resume <lead>                a rep holds a lead's sequence, or lets it go on
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any

from sqlalchemy import select

from bot.cli_support import (EXIT_OK, UserError, log_rounds, now, positive_int, serve_metrics, store_session, table,
                             worker_sessions)


def register(commands: Any) -> None:
    group = commands.add_parser("nurture", help="nurture e-mail sequences: send, status, list, retry, pause, resume")
    actions = group.add_subparsers(dest="nurture_command", required=True, metavar="ACTION")
    p = actions.add_parser("send", help="enroll, stop and queue steps, then send due e-mails (settings/nurture.yml)")
    p.add_argument("--follow", action="store_true", help="keep running")
    p.add_argument("--worker-id", help="name in the lease (default host:pid); senders never share an e-mail")
    p.set_defaults(handler=cmd_send)
    p = actions.add_parser("status", help="how the sequences do: sent, clicked, re-engaged, qualified, unsubscribed")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_status)
    p = actions.add_parser("list", help="nurture e-mails, newest first, with status and last error")
    p.add_argument("--status", choices=["pending", "sent", "dead", "cancelled"])
    p.add_argument("--lead", type=positive_int)
    p.add_argument("--limit", type=positive_int, default=50)
    p.set_defaults(handler=cmd_list)
    p = actions.add_parser("retry", help="queue dead e-mails again (after fixing the cause)")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", type=positive_int)
    which.add_argument("--all-dead", action="store_true")
    p.set_defaults(handler=cmd_retry)
    for name, what in (("pause", "hold a lead's sequence"), ("resume", "let a paused sequence go on")):
        p = actions.add_parser(name, help=what)
        p.add_argument("lead", help="lead id or e-mail")
        p.add_argument("--by", default="cli")
        p.set_defaults(handler=cmd_pause if name == "pause" else cmd_resume)


def cmd_send(args: argparse.Namespace) -> int:
    from bot.nurture.worker import Sender, follow, run_once

    sender = Sender.from_settings()
    if not sender.smtp.configured:
        from bot.notify.settings import NO_SMTP
        print(f"leadbot: warning: e-mail is off: {NO_SMTP}", file=sys.stderr)
    if args.follow:  # as the card sender: /metrics on LEADBOT_METRICS_PORT (bot/telemetry.py), a container's health check
        serve_metrics()
    with worker_sessions(args.follow) as sessions:
        if args.follow:
            follow(sessions, sender, now=now, worker=args.worker_id,
                   on_round=log_rounds(logging.getLogger("leadbot.nurture"), "sent"))
            return EXIT_OK
        report = run_once(sessions, sender, now=now, worker=args.worker_id)
    print(f"Sent {report.delivered}, retrying {report.retrying}, dead {report.dead}.")
    for error in report.errors:
        print(f"  {error}")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from bot.nurture.metrics import nurture_metrics

    with store_session() as session:
        counted = nurture_metrics(session).to_dict()
    if args.json:
        json.dump(counted, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        table(["ENROLLED", "ACTIVE", "PAUSED", "SENT", "DEAD", "CLICKED", "RE-ENGAGED", "QUALIFIED", "UNSUBSCRIBED"],
              [list(counted.values())], sys.stdout)
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from bot.store.schema import NurtureMessage

    with store_session() as session:
        query = select(NurtureMessage).order_by(NurtureMessage.id.desc()).limit(args.limit)
        if args.status:
            query = query.where(NurtureMessage.status == args.status)
        if args.lead:
            query = query.where(NurtureMessage.lead_id == args.lead)
        rows = [[m.id, m.lead_id, m.enrollment.sequence, m.step + 1, m.status, m.attempts, m.clicks,
                 m.sent_at.strftime("%Y-%m-%d %H:%M") if m.sent_at else None, (m.last_error or "")[:120] or None]
                for m in session.scalars(query)]
    if not rows:
        print("No nurture e-mails" + (f" with status {args.status}." if args.status else " yet."))
        return EXIT_OK
    table(["ID", "LEAD", "SEQUENCE", "STEP", "STATUS", "TRIES", "CLICKS", "SENT (UTC)", "LAST ERROR"], rows, sys.stdout)
    return EXIT_OK


def cmd_retry(args: argparse.Namespace) -> int:
    from bot.nurture.worker import retry_dead

    with store_session(write=True) as session:
        count = retry_dead(session, now=now(), message_id=args.id)
    if args.id and not count:
        raise UserError(f"nurture e-mail {args.id} is not dead (see `leadbot nurture list --status dead`)")
    print(f"Queued {count} nurture e-mail(s) again; `leadbot nurture send` delivers them.")
    return EXIT_OK


def cmd_pause(args: argparse.Namespace) -> int:
    from bot.nurture.sequence import pause
    from bot.store.repository import get_lead

    with store_session(write=True) as session:
        state = pause(session, get_lead(session, args.lead).id, by=args.by, now=now()).state
    print(f"Nurture sequence {state}.")
    return EXIT_OK


def cmd_resume(args: argparse.Namespace) -> int:
    from bot.nurture.sequence import resume
    from bot.store.repository import get_lead

    with store_session(write=True) as session:
        state = resume(session, get_lead(session, args.lead).id, now=now()).state
    print(f"Nurture sequence {state}.")
    return EXIT_OK
