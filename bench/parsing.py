"""Benchmark: the answer parsers on hostile and huge messages (no catastrophic backtracking).

The tests check what the parsers return for these shapes; how long they take is measured here,
where a busy machine cannot fail a build. Each shape runs at full size and at a tenth of it:
linear work grows about 10x, quadratic about 100x, so the growth ratio shows a blow-up whatever
the machine's speed.

    .venvs/app/bin/python bench/parsing.py [--rounds 3]
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.content import load_content  # noqa: E402
from bot.extraction import FIELDS, extract  # noqa: E402
from bot.parsing.timeline import parse_timeline  # noqa: E402
from tests.parsing.test_extraction import HOSTILE  # noqa: E402

TODAY = date(2026, 11, 22)
TARGET_SECONDS = 1.0  # slowest shape at full size, every requested field
TARGET_GROWTH = 25.0  # full size against a tenth: linear is about 10


def extract_all(text: str, categories: dict) -> None:
    for requested in (None, *FIELDS):
        extract(text, today=TODAY, requested=requested, categories=categories)
    parse_timeline(text, TODAY, answering=True)


def best_of(rounds: int, text: str, categories: dict) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        extract_all(text, categories)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    categories = load_content().need_keywords()
    worst_time = worst_growth = 0.0
    print(f"{'shape':<16} {'chars':>7} {'full ms':>9} {'tenth ms':>9} {'growth':>7}")
    for text in HOSTILE:
        full = best_of(args.rounds, text, categories)
        tenth = best_of(args.rounds, text[: len(text) // 10], categories)
        growth = full / max(tenth, 1e-4)
        worst_time, worst_growth = max(worst_time, full), max(worst_growth, growth)
        print(f"{text[:12]!r:<16} {len(text):>7} {full * 1000:>9.1f} {tenth * 1000:>9.1f} {growth:>7.1f}")
    ok = worst_time <= TARGET_SECONDS and worst_growth <= TARGET_GROWTH
    print(f"\nslowest shape {worst_time * 1000:.0f} ms (target {TARGET_SECONDS * 1000:.0f}); "
          f"largest growth {worst_growth:.1f}x (target {TARGET_GROWTH:.0f}x): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
