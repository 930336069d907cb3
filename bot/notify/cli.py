"""`leadbot notifications`: send lead cards to reps, and look after the ones that failed.

    leadbot notifications send [--follow] [--worker-id ID]       send due cards once, or as a service
    leadbot notifications list [--status S] [--lead ID]          cards with their state and last error
    leadbot notifications retry (--id N | --all-dead)            queue dead cards again
    leadbot notifications preview <lead> [--channel C]           the card as a rep would get it
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
    group = commands.add_parser("notifications", help="lead cards for reps: send, list, retry, preview")
    actions = group.add_subparsers(dest="notifications_command", required=True, metavar="ACTION")
    p = actions.add_parser("send", help="send due lead cards (settings/notifications.yml)")
    p.add_argument("--follow", action="store_true", help="keep running: send cards as they are queued")
    p.add_argument("--worker-id", help="name in the lease (default host:pid); senders never share a card")
    p.set_defaults(handler=cmd_send)
    p = actions.add_parser("list", help="lead cards, newest first, with status and last error")
    p.add_argument("--status", choices=["pending", "sent", "dead"])
    p.add_argument("--lead", type=positive_int)
    p.add_argument("--limit", type=positive_int, default=50)
    p.set_defaults(handler=cmd_list)
    p = actions.add_parser("retry", help="queue dead cards again (after fixing the cause)")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", type=positive_int, help="notification id (from `leadbot notifications list`)")
    which.add_argument("--all-dead", action="store_true")
    p.set_defaults(handler=cmd_retry)
    p = actions.add_parser("preview", help="print a lead's card (e-mail text, Slack or webhook JSON)")
    p.add_argument("lead", help="lead id or e-mail")
    p.add_argument("--channel", choices=["email", "slack", "webhook"], default="email")
    p.set_defaults(handler=cmd_preview)
    p = actions.add_parser("digest", help="the daily stuck-deals digest: queue today's now, or preview a rep's")
    p.add_argument("--preview", metavar="REP", help="print this rep's digest (id or e-mail) instead of queueing")
    p.add_argument("--channel", choices=["email", "slack", "webhook"], default="email")
    p.set_defaults(handler=cmd_digest)


def cmd_send(args: argparse.Namespace) -> int:
    from bot.notify.settings import NO_SMTP, load_notify_settings
    from bot.mail_sender import follow, run_round

    settings = load_notify_settings()
    if not settings.smtp.configured:  # said once at the start; each e-mail's dead letter says it too
        print(f"leadbot: warning: e-mail is off: {NO_SMTP}", file=sys.stderr)
    if args.follow:  # a service shows its queues on /metrics (LEADBOT_METRICS_PORT, bot/telemetry.py)
        serve_metrics()
    with worker_sessions(args.follow) as sessions:
        if args.follow:
            follow(sessions, settings, now=now, worker=args.worker_id,
                   on_round=log_rounds(logging.getLogger("leadbot.notify"), "sent"))
            return EXIT_OK
        report = run_round(sessions, settings, now=now, worker=args.worker_id)
    print(f"Sent {report.delivered}, retrying {report.retrying}, dead {report.dead}.")
    for error in report.errors:
        print(f"  {error}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from bot.store.schema import Notification, Rep

    with store_session() as session:
        query = select(Notification, Rep.name).outerjoin(Rep, Rep.id == Notification.rep_id) \
            .order_by(Notification.id.desc()).limit(args.limit)
        if args.status:
            query = query.where(Notification.status == args.status)
        if args.lead:
            query = query.where(Notification.lead_id == args.lead)
        rows = [[n.id, n.lead_id or "(digest)", name or "(fallback)", n.channel, n.target, n.reason, n.status, n.attempts,
                 _when(n), (n.last_error or "")[:120] or None] for n, name in session.execute(query)]
    if not rows:
        print("No lead cards" + (f" with status {args.status}." if args.status else " yet."))
        return EXIT_OK
    table(["ID", "LEAD", "REP", "CHANNEL", "TARGET", "REASON", "STATUS", "TRIES", "WHEN (UTC)", "LAST ERROR"],
          rows, sys.stdout)
    return EXIT_OK


def _when(notification: Any) -> str | None:
    """Sent: when; pending: when the next try is due; dead: nothing will happen by itself."""
    if notification.status == "sent" and notification.sent_at:
        return "sent " + notification.sent_at.strftime("%Y-%m-%d %H:%M")
    if notification.status == "pending":
        return "next " + notification.next_attempt_at.strftime("%Y-%m-%d %H:%M:%S")
    return None


def cmd_retry(args: argparse.Namespace) -> int:
    from bot.notify.worker import retry_dead

    with store_session(write=True) as session:
        count = retry_dead(session, now=now(), notification_id=args.id)
    if args.id and not count:
        raise UserError(f"notification {args.id} is not dead (see `leadbot notifications list --status dead`)")
    print(f"Queued {count} lead card(s) again; `leadbot notifications send` delivers them.")
    return EXIT_OK


def cmd_preview(args: argparse.Namespace) -> int:
    from bot.notify.card import build_card, render_json, render_slack, render_text
    from bot.notify.settings import load_notify_settings
    from bot.store.repository import get_lead

    from bot.store.schema import Notification

    settings = load_notify_settings()
    with store_session() as session:
        lead = get_lead(session, args.lead)
        # As the latest card was (or would be) sent: its reason, to the owner or the fallback.
        reason = session.scalar(select(Notification.reason).where(Notification.lead_id == lead.id)
                                .order_by(Notification.id.desc()).limit(1))
        card = build_card(lead, reason=reason or "qualified", link=settings.link(lead.id),
                          transcript_lines=settings.transcript_lines, for_rep=lead.owner_rep_id is not None)
    if args.channel == "email":
        sys.stdout.write(render_text(card))
    else:
        json.dump(render_slack(card) if args.channel == "slack" else render_json(card), sys.stdout,
                  ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return EXIT_OK


def cmd_digest(args: argparse.Namespace) -> int:
    from bot.notify.digest import (
        build_digest,
        queue_stuck_digests,
        render_digest_json,
        render_digest_slack,
        render_digest_text,
    )
    from bot.notify.settings import load_notify_settings

    settings = load_notify_settings()
    if args.preview:
        from bot.assignment.reps import get_rep

        with store_session() as session:
            card = build_digest(session, get_rep(session, args.preview), now=now(), settings=settings)
        if args.channel == "email":
            sys.stdout.write(render_digest_text(card))
        else:
            render = render_digest_slack if args.channel == "slack" else render_digest_json
            json.dump(render(card), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        return EXIT_OK
    with store_session(write=True) as session:  # now, whatever stuck_digest_hour says
        queued = queue_stuck_digests(session, now=now(), settings=settings.model_copy(update={"stuck_digest_hour": 0}))
    print(f"Queued {queued} stuck-deals digest(s) for today; `leadbot notifications send` delivers them.")
    return EXIT_OK
