"""Benchmark: the metrics engine at 100,000 leads (target: a whole report well under 300 ms).

Fills a fresh SQLite store with `leadbot demo-data --leads N` (timed), then times
`bot.metrics.report()` and each metric on its own, for every filter the dashboard offers:
named periods, one team, one rep. Medians and p95 of `--rounds` runs after one warm-up.

    .venvs/app/bin/python bench/metrics.py [--leads 100000] [--rounds 10] [--workdir DIR]
                                           [--database-url postgresql://...]

With --workdir, a store already filled there is reused. --database-url measures another
store (PostgreSQL, as in production), filled the same way when it holds no leads.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bot.metrics import MetricsFilter, report  # noqa: E402
from bot.metrics.forecast import forecast  # noqa: E402
from bot.metrics.funnel import funnel  # noqa: E402
from bot.metrics.lost_reasons import lost_reasons  # noqa: E402
from bot.metrics.outcomes import outcomes  # noqa: E402
from bot.metrics.stage_flow import stage_flow  # noqa: E402
from bot.metrics.stuck import stuck  # noqa: E402
from bot.store.db import make_engine, session_factory  # noqa: E402
from bot.store.pipeline import load_pipeline_settings  # noqa: E402
from bot.store.schema import ConversationFunnel, Lead, Rep, StageHistory, Team  # noqa: E402

LEADBOT = Path(sys.executable).parent / "leadbot"
TARGET_MS = 300


def fill(workdir: Path, url: str, leads: int) -> str:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as s:
            if s.get_bind().dialect.has_table(s.connection(), "leads") and s.scalar(select(func.count(Lead.id))):
                return "reused"
    finally:
        engine.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADBOT_")}
    env.update(LEADBOT_DATA_DIR=str(workdir), LEADBOT_DATABASE_URL=url)
    subprocess.run([str(LEADBOT), "db", "upgrade"], env=env, check=True, cwd=ROOT, capture_output=True)
    started = time.perf_counter()
    subprocess.run([str(LEADBOT), "demo-data", "--leads", str(leads)], env=env, check=True, cwd=ROOT)
    return f"`leadbot demo-data --leads {leads}` took {time.perf_counter() - started:.1f} s"


def timed(call: Callable[[], object], rounds: int) -> tuple[float, float, float]:
    call()  # warm-up: page cache, statement cache
    runs = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    return statistics.median(runs), runs[max(0, int(len(runs) * 0.95) - 1)], runs[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--database-url", help="measure this store instead of workdir/leadbot.db (SQLite)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-metrics-"))
    workdir.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{workdir / 'leadbot.db'}"
    print(fill(workdir, url, args.leads))
    engine = make_engine(url)
    print(f"store: {engine.dialect.name}")
    pipeline = load_pipeline_settings()
    now = datetime.now(timezone.utc)
    slowest = 0.0
    with session_factory(engine)() as s:
        print(f"store: {s.scalar(select(func.count(Lead.id))):,} leads, "
              f"{s.scalar(select(func.count(StageHistory.id))):,} stage changes, "
              f"{s.scalar(select(func.count(ConversationFunnel.id))):,} conversations")
        team = s.scalar(select(Team.id).order_by(Team.id))
        rep = s.scalar(select(Lead.owner_rep_id).where(Lead.owner_rep_id.is_not(None)).group_by(Lead.owner_rep_id)
                       .order_by(func.count().desc()).limit(1))
        rep_name = s.scalar(select(Rep.name).where(Rep.id == rep))
        filters = {f"period {p}": MetricsFilter.for_period(p, now=now) for p in ("30d", "90d", "365d", "all")}
        filters[f"90d, team {team}"] = MetricsFilter.for_period("90d", now=now, team_id=team)
        filters[f"365d, team {team}"] = MetricsFilter.for_period("365d", now=now, team_id=team)
        filters[f"90d, rep {rep} ({rep_name})"] = MetricsFilter.for_period("90d", now=now, rep_id=rep)
        print("\n| filter | what | p50 ms | p95 ms | max ms |\n|---|---|---:|---:|---:|")
        for name, f in filters.items():
            parts: dict[str, Callable[[], object]] = {
                "**whole report**": lambda: report(s, f, now=now, pipeline=pipeline).to_dict(),
                "outcomes": lambda: outcomes(s, f, pipeline),
                "forecast (+velocity)": lambda: forecast(s, f, pipeline),
                "stage flow": lambda: stage_flow(s, f, pipeline),
                "stuck deals": lambda: stuck(s, f, pipeline, now),
                "lost reasons": lambda: lost_reasons(s, f, pipeline),
                "funnel": lambda: funnel(s, f),
            }
            for what, call in parts.items():
                p50, p95, worst = timed(call, args.rounds)
                if what.startswith("**"):
                    slowest = max(slowest, worst)
                print(f"| {name} | {what} | {p50:.1f} | {p95:.1f} | {worst:.1f} |", flush=True)
    engine.dispose()
    verdict = "under" if slowest < TARGET_MS else "OVER"
    print(f"\nslowest whole report: {slowest:.0f} ms ({verdict} the {TARGET_MS} ms page budget)")
    return 0 if slowest < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
