"""`leadbot users` (dashboard accounts) and `leadbot dashboard` (serve it).

    leadbot users add EMAIL --role rep|manager [--name NAME]   password: prompt, or LEADBOT_USER_PASSWORD
    leadbot users list | passwd EMAIL | remove EMAIL --yes | token EMAIL
    leadbot dashboard [--host 127.0.0.1] [--port 8080]

Passwords are never taken from the command line (it ends up in shell history and `ps`).
"""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import Any

from bot.cli_support import EXIT_OK, UserError, serve_metrics, store_session, table
from bot.dashboard_address import dashboard_url, listen_host, listen_port

PASSWORD_ENV = "LEADBOT_USER_PASSWORD"
ADMIN_EMAIL_ENV, ADMIN_PASSWORD_ENV = "LEADBOT_ADMIN_EMAIL", "LEADBOT_ADMIN_PASSWORD"


def register(commands: Any, *, site: Callable[[], Any]) -> None:
    """The `users` and `dashboard` commands; `leadbot dashboard` serves `site()` (the composition
    root's app: the dashboard with the widget and the CRM's webhooks mounted)."""
    users = commands.add_parser("users", help="dashboard accounts for reps and managers")
    user_commands = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    p = user_commands.add_parser("add", help=f"create an account (password from a prompt or ${PASSWORD_ENV})")
    p.add_argument("email")
    p.add_argument("--role", choices=["rep", "manager"], required=True,
                   help="rep: sees the leads that rep (same e-mail in `leadbot reps`) owns; manager: all")
    p.add_argument("--name", help="display name (default: the rep's name)")
    p.set_defaults(handler=cmd_users_add)
    p = user_commands.add_parser("list", help="accounts, role, last sign-in")
    p.set_defaults(handler=cmd_users_list)
    p = user_commands.add_parser("passwd", help="set a new password (ends the account's sessions)")
    p.add_argument("email")
    p.set_defaults(handler=cmd_users_passwd)
    p = user_commands.add_parser("remove", help="delete an account (the rep and its leads stay)")
    p.add_argument("email")
    p.add_argument("--yes", action="store_true")
    p.set_defaults(handler=cmd_users_remove)
    p = user_commands.add_parser("token", help="issue an API token (replaces the previous one; shown once)")
    p.add_argument("email")
    p.set_defaults(handler=cmd_users_token)

    p = commands.add_parser("dashboard", help="serve the reps' dashboard (docs/dashboard.md)")
    p.add_argument("--host", default=listen_host())
    p.add_argument("--port", type=int, default=listen_port())
    p.set_defaults(handler=cmd_dashboard, site=site)


def _password() -> str:
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise UserError(f"no terminal to ask for the password: set {PASSWORD_ENV}")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise UserError("the two passwords differ")
    return first


def _now():  # noqa: ANN202
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


def cmd_users_add(args: argparse.Namespace) -> int:
    from web.accounts import add_account
    from web.passwords import WeakPassword

    password = _password()
    try:
        with store_session(write=True) as session:
            account = add_account(session, args.email, password, role=args.role, now=_now(), name=args.name)
            print(f"Account {account.email} ({account.role}) created. Sign in at the dashboard "
                  f"(`leadbot dashboard`, {dashboard_url()}).")
    except WeakPassword as exc:
        raise UserError(str(exc)) from exc
    return EXIT_OK


def cmd_users_list(args: argparse.Namespace) -> int:
    from web.accounts import list_accounts

    with store_session() as session:
        rows = [[a.id, a.email, a.name, a.role, a.rep.name if a.rep else None, "yes" if a.active else "no",
                 "yes" if a.api_token_hash else "", a.last_login_at.strftime("%Y-%m-%d %H:%M") if a.last_login_at else None]
                for a in list_accounts(session)]
    if not rows:
        print("No accounts yet: `leadbot users add EMAIL --role manager`.")
        return EXIT_OK
    table(["ID", "EMAIL", "NAME", "ROLE", "REP", "ACTIVE", "API TOKEN", "LAST SIGN-IN (UTC)"], rows, sys.stdout)
    return EXIT_OK


def cmd_users_passwd(args: argparse.Namespace) -> int:
    from web.accounts import get_account, set_password
    from web.passwords import WeakPassword

    password = _password()
    try:
        with store_session(write=True) as session:
            account = get_account(session, args.email)
            set_password(session, account, password, now=_now())
    except WeakPassword as exc:
        raise UserError(str(exc)) from exc
    print(f"Password of {args.email} changed; its sessions and API token have ended.")
    return EXIT_OK


def cmd_users_remove(args: argparse.Namespace) -> int:
    from web.accounts import get_account, remove_account

    if not args.yes:
        raise UserError(f"refusing to remove {args.email} without --yes")
    with store_session(write=True) as session:
        remove_account(session, get_account(session, args.email))
    print(f"Account {args.email} removed.")
    return EXIT_OK


def cmd_users_token(args: argparse.Namespace) -> int:
    from web.accounts import get_account, issue_api_token

    with store_session(write=True) as session:
        token = issue_api_token(session, get_account(session, args.email), now=_now())
    print(token)
    print("Keep it secret: it is shown only this once (send it as `Authorization: Bearer <token>`).", file=sys.stderr)
    return EXIT_OK


def ensure_first_manager() -> str | None:
    """With LEADBOT_ADMIN_EMAIL/LEADBOT_ADMIN_PASSWORD set and no account yet, create that manager."""
    from web.accounts import add_account, list_accounts
    from web.passwords import WeakPassword

    email, password = os.environ.get(ADMIN_EMAIL_ENV, "").strip(), os.environ.get(ADMIN_PASSWORD_ENV, "")
    if not email or not password:
        return None
    with store_session(write=True) as session:
        if list_accounts(session):
            return None
        try:
            add_account(session, email, password, role="manager", now=_now())
        except WeakPassword as exc:
            raise UserError(f"{ADMIN_PASSWORD_ENV}: {exc}") from exc
    return email


def cmd_dashboard(args: argparse.Namespace) -> int:
    import uvicorn

    from bot.store.db import database_url
    from bot.store.migrate import upgrade

    upgrade(database_url())
    created = ensure_first_manager()
    app = args.site()
    serve_metrics()  # Prometheus on LEADBOT_METRICS_PORT: the dashboard's own /metrics is the pipeline page
    print(f"Dashboard on http://{args.host}:{args.port}/", file=sys.stderr)
    if created:
        print(f"Created the first manager account {created} (from ${ADMIN_EMAIL_ENV}).", file=sys.stderr)
    with store_session() as session:
        from web.accounts import list_accounts

        if not list_accounts(session):
            print("No accounts yet: `leadbot users add you@example.com --role manager` "
                  f"(or set {ADMIN_EMAIL_ENV} and {ADMIN_PASSWORD_ENV} before starting).", file=sys.stderr)
    # ws="none": the dashboard has no websockets (and rasa-sdk pins an older websockets).
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False, ws="none",
                proxy_headers=False, server_header=False)
    return EXIT_OK
