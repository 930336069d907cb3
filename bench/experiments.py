"""Benchmark: what an A/B test of the script costs. The assignment read that each new
conversation makes once (bot/experiments/registry.assign), and `leadbot experiments report`
over N conversations split over the variants of the shipped `opening-line` experiment, in a
SQLite store; and the exact probability to be best for 2 to 5 variants.

    .venvs/app/bin/python bench/experiments.py [--conversations 20000]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.experiments.registry import assign, start  # noqa: E402
from bot.experiments.report import report  # noqa: E402
from bot.experiments.settings import load_experiment_settings  # noqa: E402
from bot.experiments.stats import Arm, probability_best  # noqa: E402
from bot.funnel import record_progress  # noqa: E402
from bot.store.db import make_engine, session_factory  # noqa: E402
from bot.store.migrate import upgrade  # noqa: E402
from tests.store.builders import NOW  # noqa: E402

STEPS = ["need", "budget", "authority", "timeline", "contact", "qualified"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=20000)
    n = parser.parse_args().conversations
    settings = load_experiment_settings(ROOT / "settings")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/leadbot.db"
        upgrade(url)
        engine = make_engine(url)
        sessions = session_factory(engine)
        with sessions.begin() as s:
            start(s, settings, "opening-line", now=NOW, by="bench")
            for i in range(n):
                variant = assign(s, settings, f"bench-{i}").variant if i < 200 else ("control", "quick-answer")[i % 2]
                depth = i % 7  # 0 to 6 steps reached
                record_progress(s, f"bench-{i}", "socketio", [], now=NOW, variant=("opening-line", variant))
                record_progress(s, f"bench-{i}", "socketio", STEPS[:depth], now=NOW + timedelta(minutes=depth))
        with sessions() as s:
            began = time.perf_counter()
            for i in range(500):
                assign(s, settings, f"new-visitor-{i}")
            per_assign = (time.perf_counter() - began) / 500
            began = time.perf_counter()
            result = report(s, settings)
            report_seconds = time.perf_counter() - began
        engine.dispose()
    print(f"assignment of a new conversation: {per_assign * 1000:.2f} ms (mean of 500, {n:,} conversations stored)")
    print(f"report over {n:,} conversations: {report_seconds:.2f} s; verdict: {result.verdict.message}")
    for arms in range(2, 6):
        began = time.perf_counter()
        probability_best([Arm(str(k), 10000, 1000 + 10 * k) for k in range(arms)])
        print(f"probability to be best, {arms} variants: {(time.perf_counter() - began) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
