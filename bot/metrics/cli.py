"""`leadbot pipeline report` and `leadbot demo-data`.

    leadbot pipeline report [--period 7d|30d|90d|365d|all | --from DATE --to DATE] [--team NAME|ID] [--rep ID|EMAIL] [--json]
    leadbot demo-data --leads N [--seed S] [--force]

`--json` prints `PipelineReport.to_dict()`: the same document as the dashboard's
/api/metrics. Dates are YYYY-MM-DD (UTC midnight) or ISO datetimes; `--to` is exclusive.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from typing import IO, Any

from bot.cli_support import EXIT_OK, UserError, now as _now, positive_int, store_session, table
from bot.metrics.period import PERIODS, MetricsFilter


def _when(text: str) -> datetime:
    """argparse type: a date (UTC midnight) or an ISO datetime (UTC if no offset)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD) or ISO datetime") from None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def build_filter(session: Any, args: argparse.Namespace, now: datetime) -> MetricsFilter:
    """The filter a command line asks for; teams by name or id, reps by id or e-mail."""
    from bot.assignment.reps import get_rep, get_team
    from bot.store.schema import Team

    team_id = rep_id = None
    if args.team:
        team = session.get(Team, int(args.team)) if args.team.isdigit() else get_team(session, args.team)
        if team is None:
            raise UserError(f"no team with id {args.team}; `leadbot teams list` shows them")
        team_id = team.id
    if args.rep:
        rep_id = get_rep(session, args.rep).id
    if args.start or args.end:
        if args.period:
            raise UserError("give either --period or --from/--to, not both")
        return MetricsFilter(args.start, args.end, team_id, rep_id)
    return MetricsFilter.for_period(args.period or "90d", now=now, team_id=team_id, rep_id=rep_id)


def cmd_report(args: argparse.Namespace) -> int:
    from bot.metrics.report import report

    now = _now()
    with store_session() as session:
        data = report(session, build_filter(session, args, now), now=now).to_dict()
    if args.json:
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print_report(data, sys.stdout)
    return EXIT_OK


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _num(value: float | None, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:,.1f}{unit}"


def _money(values: dict[str, Any]) -> str:
    return "; ".join(f"{v:,.2f} {c}".replace(".00 ", " ") for c, v in values.items() if v is not None) or "n/a"


def print_report(d: dict[str, Any], out: IO[str]) -> None:
    """The report as readable tables; every figure is the one in the JSON."""
    f = d["filter"]
    scope = ", ".join(x for x in (f"team {f['team_id']}" if f["team_id"] else "",
                                  f"rep {f['rep_id']}" if f["rep_id"] else "") if x) or "all reps"
    out.write(f"Pipeline report: {f['period_start'] or 'the beginning'} to {f['period_end'] or 'now'}, {scope}\n")
    out.write(f"(open pipeline and stuck deals as of {f['now']})\n\n")
    o, v, r = d["outcomes"], d["velocity"], d["reporting"]

    def total(key: str) -> str:
        return _money({r["currency"]: r[key]})

    table(["METRIC", "VALUE"], [
        ["Deals won", str(o["won"])], ["Deals lost", str(o["lost"])], ["Win rate", _pct(o["win_rate"])],
        ["Won value", _money(o["won_value"])], ["Average deal size", _money(o["avg_deal_size"])],
        ["Time to close (mean)", _num(o["avg_days_to_close"], " days")],
        ["Time to close (median)", _num(o["median_days_to_close"], " days")],
        ["Open deals", str(v["open_deals"])],
        ["Pipeline velocity", _money({c: x["value_per_day"] for c, x in v["per_currency"].items()}) + " per day"],
        ["Weighted forecast", _money(d["forecast"]["weighted_total"])],
        ["Stuck deals", str(d["stuck"]["total"])],
        [f"Won value in {r['currency']}", total("won_value")], [f"Average deal size in {r['currency']}", total("avg_deal_size")],
        [f"Pipeline velocity in {r['currency']}", total("value_per_day") + " per day"],
        [f"Weighted forecast in {r['currency']}", total("weighted_total")],
        *([["Not converted (no rate)", ", ".join(r["not_converted"])]] if r["not_converted"] else []),
    ], out)
    out.write("\n")
    stuck = {s["key"]: s["count"] for s in d["stuck"]["by_stage"]}
    forecast = {s["key"]: s for s in d["forecast"]["stages"]}
    table(["STAGE", "ENTERED", "ADVANCED", "CONVERSION", "MEDIAN DAYS", "OPEN", "PROBABILITY", "WEIGHTED", "STUCK"],
          [[s["label"], s["entered"], s["advanced"], _pct(s["conversion"]), _num(s["median_days"]),
            forecast.get(s["key"], {}).get("count", 0),
            _pct(forecast.get(s["key"], {}).get("probability")),
            _money(forecast.get(s["key"], {}).get("weighted", {})), stuck.get(s["key"], 0)]
           for s in d["stage_flow"]], out)
    out.write("\n")
    table(["LOST REASON", "DEALS", "SHARE"],
          [[r["label"], r["count"], _pct(r["share"])] for r in d["lost_reasons"]["reasons"]], out)
    out.write("\n")
    channels = sorted(d["funnel"]["by_channel"])
    per = {c: {s["key"]: s["count"] for s in d["funnel"]["by_channel"][c]} for c in channels}
    table(["BOT FUNNEL", "CONVERSATIONS", "OF STARTED", "DROP-OFF", *[c.upper() for c in channels]],
          [[s["label"], s["count"], _pct(s["share_of_started"]), _pct(s["drop_off"]),
            *[per[c].get(s["key"], 0) for c in channels]] for s in d["funnel"]["steps"]], out)
    by_language = d["funnel"].get("by_language", {})
    if set(by_language) - {"unknown"}:  # the conversation's language (docs/languages.md), once recorded
        out.write("\n")
        languages = sorted(by_language)
        per = {code: {s["key"]: s["count"] for s in by_language[code]} for code in languages}
        table(["BOT FUNNEL BY LANGUAGE", *[code.upper() for code in languages]],
              [[s["label"], *[per[code].get(s["key"], 0) for code in languages]] for s in d["funnel"]["steps"]], out)
    triggers = d["proactive"]["triggers"]
    if any(r["trigger"] for r in triggers):
        out.write("\n")
        table(["PROACTIVE TRIGGER", "LEADS", "QUALIFIED", "RATE"],
              [[r["trigger"] or "(opened by the visitor)", r["leads"], r["qualified"], _pct(r["qualified_rate"])]
               for r in triggers], out)


def cmd_demo_data(args: argparse.Namespace) -> int:
    from bot.demo import generate
    from bot.store.db import refresh_statistics
    from bot.store.pipeline import load_pipeline_settings

    now = _now()
    with store_session(write=True) as session:
        result = generate(session, args.leads, now=now.astimezone(timezone.utc), pipeline=load_pipeline_settings(),
                          seed=args.seed, force=args.force)
    refresh_statistics()  # without them the planners read the metrics' tables the slow way
    print(f"Added {result.leads:,} demo leads with deals and stage history, {result.conversations:,} "
          f"bot conversations, owned by {result.reps} demo reps in 3 teams.")
    return EXIT_OK


def register(commands: Any, pipeline: argparse.ArgumentParser) -> None:
    """Add `pipeline report` under `pipeline`, and `demo-data`."""
    actions = pipeline.add_subparsers(dest="pipeline_command", metavar="ACTION")
    p = actions.add_parser("report", help="every pipeline metric for a period, team or rep (docs/metrics.md)")
    p.add_argument("--period", choices=PERIODS, help="the last N days up to now (default 90d), or all")
    p.add_argument("--from", dest="start", type=_when, metavar="DATE", help="period start (inclusive)")
    p.add_argument("--to", dest="end", type=_when, metavar="DATE", help="period end (exclusive)")
    p.add_argument("--team", help="team name or id (the leads its reps own)")
    p.add_argument("--rep", help="rep id or e-mail (the leads the rep owns)")
    p.add_argument("--json", action="store_true", help="the report as JSON (same as the dashboard API)")
    p.set_defaults(handler=cmd_report)

    p = commands.add_parser("demo-data", help="fill the store with realistic demo leads, deals and conversations")
    p.add_argument("--leads", type=positive_int, required=True)
    p.add_argument("--seed", type=int, default=7, help="random seed: the same seed gives the same data")
    p.add_argument("--force", action="store_true", help="add demo data even if the store holds real leads")
    p.set_defaults(handler=cmd_demo_data)
