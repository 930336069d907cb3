"""`leadbot reps`, `leadbot teams` and `leadbot leads assign`: who leads go to.

    leadbot teams add NAME | list | remove NAME
    leadbot reps add NAME EMAIL [--team T] [--territories DE,AT,EMEA] [--capacity N]
                     [--timezone TZ] [--hours "mon-fri 09:00-17:00"]
                     [--no-email] [--slack-webhook-env VAR] [--webhook-env VAR]
    leadbot reps list [--team T] | show REP | update REP [options, --name] | activate REP | deactivate REP
    leadbot leads assign LEAD --rep REP [--by NAME]   a person decides
    leadbot leads assign LEAD --rules                 run the rules again (not the current owner)
    leadbot leads assign --waiting                    every due lead still without an owner
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.cli_support import EXIT_OK, EXIT_USER_ERROR, UserError, now, store_session, table


def register(commands: Any) -> None:
    teams = commands.add_parser("teams", help="teams of reps (round robin within a team)")
    team_commands = teams.add_subparsers(dest="teams_command", required=True, metavar="ACTION")
    p = team_commands.add_parser("add", help="create a team")
    p.add_argument("name")
    p.set_defaults(handler=cmd_teams_add)
    p = team_commands.add_parser("list", help="teams with their reps")
    p.set_defaults(handler=cmd_teams_list)
    p = team_commands.add_parser("remove", help="remove a team without reps")
    p.add_argument("name")
    p.set_defaults(handler=cmd_teams_remove)

    reps = commands.add_parser("reps", help="sales reps who receive leads (settings/assignment.yml routes them)")
    rep_commands = reps.add_subparsers(dest="reps_command", required=True, metavar="ACTION")
    p = rep_commands.add_parser("add", help="add a rep")
    p.add_argument("name")
    p.add_argument("email")
    _rep_options(p)
    p.set_defaults(handler=cmd_reps_add)
    p = rep_commands.add_parser("list", help="reps with team, territories, load and whether on duty now")
    p.add_argument("--team")
    p.set_defaults(handler=cmd_reps_list)
    p = rep_commands.add_parser("show", help="one rep in full")
    p.add_argument("rep", help="rep id or e-mail")
    p.set_defaults(handler=cmd_reps_show)
    p = rep_commands.add_parser("update", help="change a rep")
    p.add_argument("rep", help="rep id or e-mail")
    p.add_argument("--name")
    _rep_options(p)
    p.set_defaults(handler=cmd_reps_update)
    for action, active in (("activate", True), ("deactivate", False)):
        p = rep_commands.add_parser(action, help=f"{'put back into' if active else 'take out of'} assignment")
        p.add_argument("rep", help="rep id or e-mail")
        p.set_defaults(handler=cmd_reps_set_active, active=active)


def register_lead_commands(lead_commands: Any) -> None:
    p = lead_commands.add_parser("assign", help="give a lead an owner: a named rep, or by the rules")
    p.add_argument("lead", nargs="?", help="lead id or e-mail")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--rep", help="rep id or e-mail")
    how.add_argument("--rules", action="store_true", help="run the assignment rules again (another rep)")
    how.add_argument("--waiting", action="store_true", help="every due lead that has no owner yet")
    p.add_argument("--by", default="cli", help="who decided (recorded as the reason)")
    p.set_defaults(handler=cmd_leads_assign)


def _rep_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--team", help='team name ("" for none)')
    p.add_argument("--territories", help="comma-separated country codes or regions, e.g. DE,AT,CH or EMEA")
    p.add_argument("--capacity", type=int, help="open leads at most (0 = no limit)")
    p.add_argument("--timezone", help="IANA name, e.g. Europe/Berlin")
    p.add_argument("--hours", help='working hours, e.g. "mon-fri 09:00-17:00; sat 10-14" or "always"')
    p.add_argument("--no-email", action="store_true", help="no lead cards by e-mail")
    p.add_argument("--email-cards", action="store_true", help="lead cards by e-mail again")
    p.add_argument("--slack-webhook-env", help="NAME of the env variable holding the rep's Slack webhook URL")
    p.add_argument("--webhook-env", help="NAME of the env variable holding a webhook URL for the rep")
    p.add_argument("--phone", help='the rep\'s phone line in E.164, e.g. +14155550132 ("" for none): '
                                   'callers who ask for a person are put through to it (docs/channels.md)')


def _changes(args: argparse.Namespace, current_notify: dict[str, Any] | None = None):  # noqa: ANN202
    from bot.assignment.hours import InvalidHours, parse_hours
    from bot.assignment.reps import RepChanges

    try:
        hours = parse_hours(args.hours) if args.hours is not None else None
    except InvalidHours as exc:
        raise UserError(f"--hours: {exc}") from exc
    notify = dict(current_notify or {"email": True})
    touched = False
    if args.no_email or args.email_cards:
        notify["email"], touched = bool(args.email_cards), True
    for key, value in (("slack_webhook_env", args.slack_webhook_env), ("webhook_env", args.webhook_env)):
        if value is not None:
            notify[key], touched = (value.strip() or None), True
    return RepChanges(
        name=getattr(args, "name", None),
        team=args.team,
        territories=[t for t in args.territories.split(",") if t.strip()] if args.territories is not None else None,
        capacity=args.capacity,
        timezone=args.timezone,
        working_hours=hours,
        notify=notify if touched or current_notify is None else None,
        phone=args.phone,
    )


def cmd_teams_add(args: argparse.Namespace) -> int:
    from bot.assignment.reps import add_team

    with store_session(write=True) as session:
        team = add_team(session, args.name, now=now())
        print(f"Team {team.name} created (id {team.id}).")
    return EXIT_OK


def cmd_teams_list(args: argparse.Namespace) -> int:
    from bot.assignment.reps import list_teams

    with store_session() as session:
        rows = [[t.id, t.name, len(t.reps), ", ".join(r.name for r in t.reps if r.active) or None] for t in list_teams(session)]
    if not rows:
        print("No teams yet: `leadbot teams add NAME`.")
        return EXIT_OK
    table(["ID", "TEAM", "REPS", "ACTIVE REPS"], rows, sys.stdout)
    return EXIT_OK


def cmd_teams_remove(args: argparse.Namespace) -> int:
    from bot.assignment.reps import remove_team

    with store_session(write=True) as session:
        remove_team(session, args.name)
    print(f"Team {args.name} removed.")
    return EXIT_OK


def cmd_reps_add(args: argparse.Namespace) -> int:
    from bot.assignment.reps import add_rep

    with store_session(write=True) as session:
        rep = add_rep(session, args.name, args.email, now=now(), changes=_changes(args))
        print(f"Rep {rep.name} <{rep.email}> added (id {rep.id}).")
    return EXIT_OK


def cmd_reps_update(args: argparse.Namespace) -> int:
    from bot.assignment.reps import get_rep, update_rep

    with store_session(write=True) as session:
        rep = get_rep(session, args.rep)
        update_rep(session, rep, _changes(args, dict(rep.notify or {})), now=now())
        print(f"Rep {rep.name} <{rep.email}> updated.")
    return EXIT_OK


def cmd_reps_set_active(args: argparse.Namespace) -> int:
    from bot.assignment.reps import RepChanges, get_rep, update_rep

    with store_session(write=True) as session:
        rep = get_rep(session, args.rep)
        update_rep(session, rep, RepChanges(active=args.active), now=now())
        state = "active: receives leads again" if args.active else "inactive: receives no new leads (keeps the ones it owns)"
        print(f"Rep {rep.name} is {state}.")
    return EXIT_OK


def cmd_reps_list(args: argparse.Namespace) -> int:
    from bot.assignment.hours import format_hours, is_working
    from bot.assignment.reps import list_reps, open_lead_counts

    at = now()
    with store_session() as session:
        reps = list_reps(session, team=args.team)
        load = open_lead_counts(session, [r.id for r in reps])
        rows = [[r.id, r.name, r.email, r.team.name if r.team else None, "yes" if r.active else "no",
                 ",".join(r.territories or []) or None,
                 f"{load[r.id]}/{r.capacity}" if r.capacity else f"{load[r.id]}/-",
                 format_hours(r.working_hours or {}), r.timezone,
                 "yes" if is_working(r.working_hours or {}, r.timezone, at) else "no"] for r in reps]
    if not rows:
        print("No reps yet: `leadbot reps add NAME EMAIL`.")
        return EXIT_OK
    table(["ID", "NAME", "EMAIL", "TEAM", "ACTIVE", "TERRITORIES", "OPEN/CAP", "HOURS", "TIME ZONE", "ON DUTY"],
          rows, sys.stdout)
    return EXIT_OK


def cmd_reps_show(args: argparse.Namespace) -> int:
    from bot.assignment.hours import format_hours, is_working
    from bot.assignment.reps import get_rep, open_lead_counts

    with store_session() as session:
        rep = get_rep(session, args.rep)
        open_leads = open_lead_counts(session, [rep.id])[rep.id]
        notify = rep.notify or {}
        channels = (["e-mail"] if notify.get("email", True) else []) + \
            [f"Slack (${notify['slack_webhook_env']})"] * bool(notify.get("slack_webhook_env")) + \
            [f"webhook (${notify['webhook_env']})"] * bool(notify.get("webhook_env"))
        lines = [
            f"{rep.name} <{rep.email}> (id {rep.id}){'' if rep.active else ' - INACTIVE'}",
            f"  Team:         {rep.team.name if rep.team else '-'}",
            f"  Territories:  {', '.join(rep.territories or []) or '-'}",
            f"  Open leads:   {open_leads}" + (f" of {rep.capacity}" if rep.capacity else " (no limit)"),
            f"  Hours:        {format_hours(rep.working_hours or {})} ({rep.timezone}); "
            f"{'on duty now' if is_working(rep.working_hours or {}, rep.timezone, now()) else 'off duty now'}",
            f"  Lead cards:   {', '.join(channels) or 'none'}",
            f"  Phone line:   {rep.phone or '-'}",
            f"  Last lead:    {rep.last_assigned_at:%Y-%m-%d %H:%M} UTC" if rep.last_assigned_at else "  Last lead:    never",
        ]
    print("\n".join(lines))
    return EXIT_OK


def cmd_leads_assign(args: argparse.Namespace) -> int:
    from bot.assignment.assign import assign_to, assign_waiting, reassign_by_rules
    from bot.assignment.reps import get_rep

    if args.waiting:
        if args.lead:
            raise UserError("--waiting takes no lead")
        with store_session(write=True) as session:
            results = assign_waiting(session, now=now())
            for r in results:
                print(f"Lead {r.lead_id}: {r.rep_name or 'still nobody'} ({r.rule}) - {r.reason}")
            print(f"{sum(1 for r in results if r.rep_id)} lead(s) assigned, "
                  f"{sum(1 for r in results if not r.rep_id)} still waiting.")
        return EXIT_OK
    if not args.lead:
        raise UserError("which lead? give its id or e-mail (or --waiting)")
    with store_session(write=True) as session:
        if args.rep:
            result = assign_to(session, args.lead, get_rep(session, args.rep), now=now(), by=args.by)
        else:
            result = reassign_by_rules(session, args.lead, now=now())
        if result.rep_id is None:
            print(f"Lead {result.lead_id}: nobody available. {result.reason}")
            return EXIT_USER_ERROR
        print(f"Lead {result.lead_id} -> {result.rep_name} ({result.rule}). {result.reason} "
              f"{result.notifications} lead card(s) queued.")
    return EXIT_OK
