"""`leadbot experiments`: A/B tests of the bot's script (settings/experiments.yml).

    leadbot experiments list [--json]                  defined, running and stopped experiments
    leadbot experiments start KEY [--by NAME]          new conversations get its variants
    leadbot experiments stop KEY [--winner V] [--by]   with a winner, everyone gets it from now on
    leadbot experiments report [KEY] [--json]          per variant: funnel, rates, the comparison
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.cli_support import EXIT_OK, now, store_session, table


def register(commands: Any) -> None:
    group = commands.add_parser("experiments", help="A/B tests of the bot's script: list, start, stop, report")
    actions = group.add_subparsers(dest="experiments_command", required=True, metavar="ACTION")
    p = actions.add_parser("list", help="experiments defined in settings/experiments.yml and their state")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)
    p = actions.add_parser("start", help="start an experiment: new conversations are given its variants")
    p.add_argument("key", help="an experiment of settings/experiments.yml")
    p.add_argument("--by", default="cli", help="who started it (default: cli)")
    p.set_defaults(handler=cmd_start)
    p = actions.add_parser("stop", help="stop the running experiment, optionally keeping a winner")
    p.add_argument("key")
    p.add_argument("--winner", metavar="VARIANT", help="every new conversation gets this variant from now on")
    p.add_argument("--by", default="cli")
    p.set_defaults(handler=cmd_stop)
    p = actions.add_parser("report", help="per variant: conversations, funnel, qualified rate, meetings, comparison")
    p.add_argument("key", nargs="?", help="default: the running experiment, else the latest stopped")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_report)


def cmd_list(args: argparse.Namespace) -> int:
    from bot.experiments.registry import states
    from bot.experiments.settings import load_experiment_settings

    with store_session() as session:
        found = states(session, load_experiment_settings())
    if args.json:
        json.dump([{"key": s.key, "state": s.state, "description": s.description, "variants": list(s.variants),
                    "started_at": _iso(s.started_at), "stopped_at": _iso(s.stopped_at), "winner": s.winner}
                   for s in found], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    if not found:
        print("No experiments defined (settings/experiments.yml).")
        return EXIT_OK
    table(["KEY", "STATE", "VARIANTS", "STARTED (UTC)", "STOPPED (UTC)", "WINNER"],
          [[s.key, s.state, ", ".join(s.variants), _short(s.started_at), _short(s.stopped_at), s.winner]
           for s in found], sys.stdout)
    return EXIT_OK


def cmd_start(args: argparse.Namespace) -> int:
    from bot.experiments.registry import start
    from bot.experiments.settings import load_experiment_settings

    with store_session(write=True) as session:
        row = start(session, load_experiment_settings(), args.key, now=now(), by=args.by)
        variants = ", ".join(f"{name} ({weight:g})" for name, weight in row.variants.items())
    print(f"Experiment {args.key} started: new conversations get one of {variants}.")
    return EXIT_OK


def cmd_stop(args: argparse.Namespace) -> int:
    from bot.experiments.registry import stop

    with store_session(write=True) as session:
        stop(session, args.key, now=now(), by=args.by, winner=args.winner)
    after = f"every new conversation gets {args.winner}" if args.winner else "new conversations get the script as before"
    print(f"Experiment {args.key} stopped: {after}.")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from bot.experiments.report import report
    from bot.experiments.settings import load_experiment_settings

    with store_session() as session:
        result = report(session, load_experiment_settings(), args.key)
    if args.json:
        json.dump(result.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    _print(result.to_dict())
    return EXIT_OK


def _print(r: dict[str, Any]) -> None:
    stopped = f", stopped {r['stopped_at'][:16]}" if r["stopped_at"] else ""
    winner = f", winner {r['winner']}" if r["winner"] else ""
    print(f"Experiment {r['experiment']} ({r['state']}, started {r['started_at'][:16]}{stopped}{winner})")
    level = f"{r['credible_level']:.0%}"
    table(["VARIANT", "CONVERSATIONS", "QUALIFIED", "RATE", f"{level} INTERVAL", "P(BEST)", "MEETINGS",
           "MEDIAN MIN TO QUALIFY"],
          [[v["variant"], v["conversations"], v["qualified"], _pct(v["qualified_rate"]),
            f"{v['credible_interval'][0]:.1%}-{v['credible_interval'][1]:.1%}", f"{v['probability_best']:.1%}",
            v["meetings_booked"], v["median_minutes_to_qualify"]] for v in r["variants"]], sys.stdout)
    if r["metric"] != "qualified":
        print(f"(interval and P(best) are for the {r['metric']} rate)")
    print("\nFunnel (conversations reaching each step, with every step before it)")
    steps = [s["label"] for s in r["variants"][0]["funnel"]] if r["variants"] else []
    table(["STEP", *[v["variant"] for v in r["variants"]]],
          [[label, *[f"{v['funnel'][i]['count']} ({_pct(v['funnel'][i]['share_of_started'])})"
                     for v in r["variants"]]] for i, label in enumerate(steps)], sys.stdout)
    print(f"\n{r['verdict']['message']}")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _short(value: Any) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else None
