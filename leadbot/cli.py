"""`leadbot`: the command line for sales reps and operators.

    leadbot leads list [--status S] [--limit N]
    leadbot leads show <id|email>
    leadbot leads export --format json|csv [--output FILE]
    leadbot leads export-person <email> [--output FILE]
    leadbot leads delete <id|email> --yes
    leadbot leads flush-pending
    leadbot leads note <id|email> <text> [--by NAME]
    leadbot leads assign <id|email> (--rep REP | --rules) | leads assign --waiting  (bot/assignment/cli.py)
    leadbot reps add|list|show|update|activate|deactivate, leadbot teams add|list|remove
    leadbot notifications send [--follow] | list | retry | preview   (bot/notify/cli.py)
    leadbot nurture send [--follow] | status | list | retry | pause | resume   (bot/nurture/cli.py)
    leadbot model train | show [--json]   (bot/winprob/cli.py)
    leadbot experiments list | start KEY | stop KEY [--winner V] | report [KEY] [--json]   (bot/experiments/cli.py)
    leadbot meetings list | calendar REP URL | cancel ID   (bot/meetings/cli.py)
    leadbot deals move <deal id> <stage> [--lost-reason R] [--value V] [--note TEXT] [--by NAME]
    leadbot pipeline [--stuck] | pipeline report [--period P | --from D --to D] [--team T] [--rep R] [--json]
    leadbot demo-data --leads N [--seed S] [--force]   (bot/metrics/cli.py)
    leadbot db upgrade
    leadbot users add|list|passwd|remove|token, leadbot dashboard   (web/cli.py)
    leadbot sync [--follow] | sync status | sync retry (--event ID | --all-dead)   (crm_sync/cli.py)
    leadbot events consume [--follow]   (bot/event_stream/cli.py: Rasa's events from RabbitMQ)

Every command works on `LEADBOT_DATABASE_URL` (else the local SQLite file) and brings its
schema up to date first, so there is no separate install step. Mistakes a user can fix
(unknown lead, unknown stage, bad settings) print one line on stderr and exit 1; an
unreachable database exits 3; usage errors exit 2. Tracebacks are for real bugs only.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

from sqlalchemy.exc import InterfaceError, OperationalError

from bot.answers import Budget
from bot.cli_support import (
    EXIT_OK,
    EXIT_UNAVAILABLE,
    EXIT_USER_ERROR,
    UserError,
    now as _now,
    positive_int as _positive_int,
    store_session as _session,
    table as _table,
)
from bot.assignment.cli import register as register_assignment_commands
from bot.assignment.cli import register_lead_commands as register_assign_command
from bot.event_stream.cli import register as register_event_commands
from bot.experiments.cli import register as register_experiment_commands
from bot.meetings.cli import register as register_meeting_commands
from bot.metrics.cli import register as register_metrics_commands
from bot.notify.cli import register as register_notification_commands
from bot.nurture.cli import register as register_nurture_commands
from bot.winprob.cli import register as register_model_commands
from crm_sync.cli import register as register_sync_commands
from web.cli import register as register_dashboard_commands


@contextmanager
def _output(path: str | None, newline: str | None = None) -> Iterator[IO[str]]:
    if not path:
        yield sys.stdout
        return
    try:
        handle = open(path, "w", encoding="utf-8", newline=newline)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror}") from exc
    with handle:
        yield handle


def _dump_json(data: Any, out: IO[str]) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _number(value: float | int) -> str:
    return f"{value:,.2f}".removesuffix(".00")


def _money(value: float | int | None, currency: str | None) -> str:
    if value is None:
        return "-"
    text = _number(value)
    return f"{text} {currency}" if currency else f"{text} (currency not stated)"


def _short(text: str | None, width: int = 32) -> str | None:
    if text is None:
        return None
    return text if len(text) <= width else text[: width - 1] + "…"


# --- leads -----------------------------------------------------------------------------


def cmd_leads_list(args: argparse.Namespace) -> int:
    from bot.store.repository import list_leads

    with _session() as session:
        leads = list_leads(session, status=args.status, limit=args.limit)
        rows = []
        for lead in leads:
            deal = lead.current_deal()
            owner = lead.owner.name if lead.owner else ("waiting" if lead.assignment_rule == "unassigned" else None)
            rows.append([lead.id, _short(lead.name, 24), _short(lead.email), _short(lead.company, 24),
                         lead.status, lead.score, lead.grade, deal.stage if deal else None, _short(owner, 20),
                         "yes" if lead.human_requested else "", lead.updated_at.strftime("%Y-%m-%d %H:%M")])
    if not rows:
        print("No leads" + (f" with status {args.status}." if args.status else " stored yet."))
        return EXIT_OK
    _table(["ID", "NAME", "EMAIL", "COMPANY", "STATUS", "SCORE", "GRADE", "STAGE", "OWNER", "HUMAN", "UPDATED (UTC)"],
           rows, sys.stdout)
    return EXIT_OK


def cmd_leads_show(args: argparse.Namespace) -> int:
    from bot.store.export import lead_to_export
    from bot.store.repository import get_lead

    with _session() as session:
        lead = get_lead(session, args.lead)
        data = lead_to_export(lead)
        history = [(h.changed_at, h.from_stage, h.to_stage, h.changed_by, h.note)
                   for d in lead.deals for h in d.history]
        raw = dict(lead.raw_answers or {})
    _print_lead(data, sorted(history, key=lambda h: h[0]), raw, sys.stdout)
    return EXIT_OK


def _print_lead(d: dict[str, Any], history: list[tuple], raw: dict[str, Any], out: IO[str]) -> None:
    w = out.write
    who = d["name"] or "(no name)"
    if d["email"]:
        who += f" <{d['email']}>"
    if d["company"]:
        who += f", {d['company']}"
    if d.get("phone"):
        who += f", phone {d['phone']}"
    w(f"Lead {d['id']}: {who}\n")
    dq = f"; disqualified by {d['disqualified_by']}" if d["disqualified_by"] else ""
    w(f"  Status:     {d['status']} (score {d['score']}/100, grade {d['grade']}{dq}; scoring {d['scoring_version']})\n")
    deal = d["deal"]
    if deal["id"] is not None:
        lost = f", lost: {deal['lost_reason']}" if deal["lost_reason"] else ""
        w(f"  Stage:      {deal['stage']} (deal {deal['id']}, value {_money(deal['value'], deal['currency'])}{lost})\n")
    w(f"  Channel:    {d['channel']}, conversation {d['conversation_id']} on {d['conversation_date']}\n")
    owner = d["assignment"]
    if owner["rule"]:
        who = f"{owner['rep_name']} <{owner['rep_email']}>" if owner["rep_email"] else "nobody yet"
        w(f"  Owner:      {who} (rule {owner['rule']})\n              {owner['reason']}\n")
    if d["human_requested"]:
        w("  Human:      asked to talk to a person\n")
    if d["followup_optin"] is not None:
        w(f"  Follow-up:  {'opted in' if d['followup_optin'] else 'declined'}\n")
    consent = d["consent"]
    w(f"  Consent:    {'shown ' + consent['shown_at'] + ', notice ' + str(consent['version']) if consent['shown_at'] else 'not recorded'}\n")
    if d["source"]:
        w(f"  Source:     {json.dumps(d['source'], ensure_ascii=False)}\n")
    w(f"  Created:    {d['created_at']}   Updated: {d['updated_at']}\n")

    w("\nAnswers\n")
    need, budget, authority, timeline = d["need"], d["budget"], d["authority"], d["timeline"]
    w(f"  Need:       {_answer(need['status'], need['text'], need['level'])}\n")
    w(f"  Budget:     {_answer(budget['status'], budget['text'], _budget_detail(Budget.from_dict(budget)))}\n")
    role = f"{authority['level']}" + (f", {authority['role']}" if authority["role"] else "")
    w(f"  Authority:  {_answer(authority['status'], authority['text'], role)}\n")
    when = None
    if timeline["target_date"] or timeline["months"] is not None:
        when = ", ".join(x for x in [timeline["target_date"],
                                     f"{timeline['months']} months" if timeline["months"] is not None else None] if x)
    w(f"  Timeline:   {_answer(timeline['status'], timeline['text'], when)}\n")

    w("\nScore breakdown\n")
    dims = d["score_breakdown"]
    width = max([len(x["dimension"]) for x in dims] + [9])
    for x in dims:
        known = "" if x["known"] else " (unknown)"
        w(f"  {x['dimension']:<{width}} {x['points']:>5g}/{x['max_points']:<4g} {x['reason']}{known}\n")

    if history:
        w("\nStage history\n")
        for at, frm, to, by, note in history:
            move = f"{frm} -> {to}" if frm else f"created in {to}"
            w(f"  {at.strftime('%Y-%m-%d %H:%M')}  {move} by {by}" + (f": {note}" if note else "") + "\n")


def _budget_detail(budget: Budget | None) -> str | None:
    if budget is None:
        return None
    low, high = budget.min, budget.max
    if low is not None and high is not None:
        amount = _number(low) if low == high else f"{_number(low)} to {_number(high)}"
    elif low is not None:
        amount = f"at least {_number(low)}"
    elif high is not None:
        amount = f"up to {_number(high)}"
    else:
        return None
    return f"{amount} {budget.currency_shown()}" + (f" {budget.period}" if budget.period else "")


def _answer(status: str, text: str | None, detail: str | None) -> str:
    quoted = f'"{text}"' if text else ""
    if status == "unknown" and not text:
        return "unknown"
    parts = [p for p in [detail if status == "stated" else status, quoted] if p]
    return "  ".join(parts) or status


def cmd_leads_export(args: argparse.Namespace) -> int:
    from bot.store.export import write_csv, write_json
    from bot.store.repository import export_leads

    with _session() as session:
        leads = export_leads(session)
    if args.format == "json":
        with _output(args.output) as out:
            write_json(leads, out)
    else:
        with _output(args.output, newline="") as out:
            write_csv(leads, out)
    if args.output:
        print(f"Exported {len(leads)} lead(s) to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_leads_export_person(args: argparse.Namespace) -> int:
    from bot.erasure import Copies, export_person

    with _session() as session:
        data = export_person(session, args.email, Copies.from_environment())
    with _output(args.output) as out:
        _dump_json(data, out)
    return EXIT_OK


def cmd_leads_delete(args: argparse.Namespace) -> int:
    from bot.erasure import Copies, erase_lead

    if not args.yes:
        raise UserError(f"refusing to delete lead {args.lead} without --yes: this erases their "
                        "personal data for good (run `leadbot leads export-person` first if you need a copy)")
    with _session(write=True) as session:
        erased = erase_lead(session, args.lead, Copies.from_environment(), now=_now())
    result = erased.deletion
    deals = f" and {len(result.deal_ids)} deal(s) with their history" if result.deal_ids else ""
    print(f"Deleted lead {result.lead_id}{deals}, {erased.tracker_events} conversation event(s) from the "
          f"bot's tracker store and {erased.spooled} spooled copy(ies). The CRM will be told to delete "
          f"its copy (outbox event {result.outbox_event_id}).")
    return EXIT_OK


def cmd_leads_flush_pending(args: argparse.Namespace) -> int:
    from bot.intake import LeadIntake

    intake = LeadIntake.from_environment()
    pending = len(intake.spool.pending())
    stored = intake.flush(now=_now())
    print(f"Stored {stored} of {pending} spooled submission(s).")
    return EXIT_OK


# --- deals and pipeline ----------------------------------------------------------------


def cmd_deals_move(args: argparse.Namespace) -> int:
    from bot.store.repository import move_stage

    with _session(write=True) as session:
        deal = move_stage(session, args.deal, args.stage, now=_now(), by=args.by, note=args.note,
                          value=args.value, currency=args.currency, lost_reason=args.lost_reason)
        stage, lead_id = deal.stage, deal.lead_id
    print(f"Deal {args.deal} (lead {lead_id}) is now in stage {stage}.")
    return EXIT_OK


def cmd_leads_note(args: argparse.Namespace) -> int:
    from bot.store.repository import add_note

    with _session(write=True) as session:
        note = add_note(session, args.lead, args.text, author=args.by, now=_now())
        note_id, lead_id = note.id, note.lead_id
    print(f"Note {note_id} added to lead {lead_id}.")
    return EXIT_OK


def cmd_pipeline(args: argparse.Namespace) -> int:
    from bot.metrics import MetricsFilter
    from bot.metrics.stuck import stuck as stuck_deals
    from bot.store.pipeline import load_pipeline_settings
    from bot.store.repository import pipeline_summary

    with _session() as session:
        summary = pipeline_summary(session)
        stuck = stuck_deals(session, MetricsFilter(), load_pipeline_settings(), _now(), limit=None).deals \
            if args.stuck else ()
    rows = []
    for s in summary:
        value = "; ".join(_money(v, c) for c, v in sorted(s.value.items(), key=lambda kv: kv[0] or "~")) or "-"
        probability = f"{s.probability:.0%}" if s.probability is not None else "(not in pipeline.yml)"
        rows.append([s.label, s.count, probability, value])
    _table(["STAGE", "DEALS", "PROBABILITY", "VALUE"], rows, sys.stdout)
    if args.stuck:
        print()
        if not stuck:
            print("No stuck deals.")
        else:
            _table(["DEAL", "LEAD", "STAGE", "DAYS IN STAGE", "LIMIT"],
                   [[d.deal_id, d.lead_id, d.stage, d.days, d.max_days] for d in stuck], sys.stdout)
    return EXIT_OK


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot.store.db import database_url, make_engine
    from bot.store.migrate import upgrade

    url = database_url()
    revision = upgrade(url)
    shown = make_engine(url).url.render_as_string(hide_password=True)
    print(f"Database {shown} is at revision {revision}.")
    return EXIT_OK


# --- parser ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leadbot", description="leadbot pipeline store: leads, deals, exports.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    leads = commands.add_parser("leads", help="list, show, export and delete leads")
    lead_commands = leads.add_subparsers(dest="leads_command", required=True, metavar="ACTION")

    p = lead_commands.add_parser("list", help="leads, most recently updated first")
    p.add_argument("--status", choices=["qualified", "nurture", "disqualified"])
    p.add_argument("--limit", type=_positive_int, default=50)
    p.set_defaults(handler=cmd_leads_list)

    p = lead_commands.add_parser("show", help="one lead, with answers, score reasons and stage history")
    p.add_argument("lead", help="lead id or email")
    p.set_defaults(handler=cmd_leads_show)

    p = lead_commands.add_parser("export", help="every lead in the export contract (docs/export-contract.md)")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(handler=cmd_leads_export)

    p = lead_commands.add_parser("export-person", help="everything stored about one person (access request)")
    p.add_argument("email")
    p.add_argument("--output", metavar="FILE")
    p.set_defaults(handler=cmd_leads_export_person)

    p = lead_commands.add_parser("delete", help="erase a lead's personal data for good (erasure request)")
    p.add_argument("lead", help="lead id or email")
    p.add_argument("--yes", action="store_true", help="confirm: the data cannot be recovered")
    p.set_defaults(handler=cmd_leads_delete)

    p = lead_commands.add_parser("note", help="add a note to a lead (synced to the CRM)")
    p.add_argument("lead", help="lead id or email")
    p.add_argument("text")
    p.add_argument("--by", default="cli", help="who wrote it (default: cli)")
    p.set_defaults(handler=cmd_leads_note)

    p = lead_commands.add_parser("flush-pending", help="store submissions spooled while the database was down")
    p.set_defaults(handler=cmd_leads_flush_pending)
    register_assign_command(lead_commands)

    deals = commands.add_parser("deals", help="move deals through the pipeline")
    deal_commands = deals.add_subparsers(dest="deals_command", required=True, metavar="ACTION")
    p = deal_commands.add_parser("move", help="move a deal to another stage")
    p.add_argument("deal", type=_positive_int, help="deal id (shown by `leadbot leads show`)")
    p.add_argument("stage", help="stage key from settings/pipeline.yml")
    p.add_argument("--lost-reason", help="required when moving to the lost stage")
    p.add_argument("--value", type=float, help="deal value (from then on set by hand)")
    p.add_argument("--currency", help="currency of --value (ISO code)")
    p.add_argument("--note")
    p.add_argument("--by", default="cli", help="who made the change (default: cli)")
    p.set_defaults(handler=cmd_deals_move)

    p = commands.add_parser("pipeline", help="deals and value per stage, in pipeline order")
    p.add_argument("--stuck", action="store_true", help="also list deals past their stage's max_days")
    p.set_defaults(handler=cmd_pipeline)
    register_metrics_commands(commands, p)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    p = db_commands.add_parser("upgrade", help="apply pending schema migrations (safe to repeat)")
    p.set_defaults(handler=cmd_db_upgrade)

    register_assignment_commands(commands)
    register_sync_commands(commands)
    register_event_commands(commands)
    register_notification_commands(commands)
    register_nurture_commands(commands)
    register_model_commands(commands)
    register_experiment_commands(commands)
    register_meeting_commands(commands)
    register_dashboard_commands(commands, site=_site)
    return parser


def _site() -> Any:
    """The web site `leadbot dashboard` serves, built only by that command (the others start faster)."""
    from leadbot.site import create_site

    return create_site()


def main(argv: Sequence[str] | None = None) -> int:
    from bot.settings import SettingsError
    from bot.store.errors import StoreError

    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except (StoreError, SettingsError, UserError) as exc:
        message = exc.args[0] if isinstance(exc, LookupError) and exc.args else str(exc)
        print(f"leadbot: error: {message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except (OperationalError, InterfaceError) as exc:
        print(f"leadbot: error: the database is unavailable: {exc.orig or exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except BrokenPipeError:  # `leadbot leads export | head`
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
