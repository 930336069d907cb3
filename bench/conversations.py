"""Benchmark: full qualification conversations over the REST channel.

Starts the real action server and Rasa server (as the tests do), runs N conversations at
each concurrency level, and prints turns/s and turn latency percentiles. With
`--train` it also times a forced training run; with `--cv` it runs 5-fold NLU
cross-validation and prints intent macro-F1.

    .venvs/app/bin/python bench/conversations.py [--conversations 32] [--levels 1,8,32] [--train] [--cv]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.servers import RASA_BIN, BotServers  # noqa: E402

# One visitor's turns: greeting, the BANT answers, contact details.
SCRIPT = [
    "hi",
    "we need a chatbot that qualifies leads on our website",
    "in 8-10 weeks",
    "it's my call, I run IT",
    "around 20k a year",
    "Sam Ortiz",
    "Brightwell Dental",
    "sam{n}@brightwell.example",
]


def run_conversation(base_url: str, sender: str, n: int, session: requests.Session) -> list[float]:
    latencies = []
    for text in SCRIPT:
        started = time.perf_counter()
        r = session.post(f"{base_url}/webhooks/rest/webhook",
                         json={"sender": sender, "message": text.format(n=n)}, timeout=120)
        r.raise_for_status()
        latencies.append(time.perf_counter() - started)
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def bench_level(base_url: str, users: int, conversations: int, tag: str) -> dict:
    sessions = [requests.Session() for _ in range(users)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        futures = [pool.submit(run_conversation, base_url, f"bench-{tag}-{users}-{i}", i,
                               sessions[i % users]) for i in range(conversations)]
        latencies = [x for f in futures for x in f.result()]
    elapsed = time.perf_counter() - started
    return {
        "users": users, "conversations": conversations, "turns": len(latencies),
        "turns_per_s": len(latencies) / elapsed,
        "p50_ms": 1000 * percentile(latencies, 50), "p95_ms": 1000 * percentile(latencies, 95),
        "p99_ms": 1000 * percentile(latencies, 99),
    }


def time_training() -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run([str(RASA_BIN), "train", "--force", "--out", out, "--quiet"], cwd=ROOT,
                       check=True, capture_output=True, env=BotServers(Path(out)).env)
        return time.perf_counter() - started


def cross_validation_f1(folds: int = 5) -> float:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([str(RASA_BIN), "test", "nlu", "--nlu", "data/nlu.yml", "--cross-validation",
                        "--folds", str(folds), "--out", out], cwd=ROOT, check=True,
                       capture_output=True, env=BotServers(Path(out)).env)
        report = json.loads((Path(out) / "intent_report.json").read_text())
        return report["macro avg"]["f1-score"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=32, help="conversations per level")
    parser.add_argument("--levels", default="1,8,32", help="concurrent users, comma-separated")
    parser.add_argument("--train", action="store_true", help="also time a forced training run")
    parser.add_argument("--cv", action="store_true", help="also run 5-fold NLU cross-validation")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir:
        started = time.perf_counter()
        servers = BotServers(Path(workdir), auth_token=None).start()
        print(f"server ready in {time.perf_counter() - started:.1f} s")
        try:
            print(f"{'users':>5} {'turns':>6} {'turns/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
            for users in (int(x) for x in args.levels.split(",")):
                row = bench_level(servers.rasa_url, users, max(args.conversations, users), str(int(time.time())))
                print(f"{row['users']:>5} {row['turns']:>6} {row['turns_per_s']:>8.1f} "
                      f"{row['p50_ms']:>8.0f} {row['p95_ms']:>8.0f} {row['p99_ms']:>8.0f}")
        finally:
            servers.stop()
    if args.train:
        print(f"training (forced): {time_training():.1f} s")
    if args.cv:
        print(f"NLU 5-fold cross-validation intent macro-F1: {cross_validation_f1():.3f}")


if __name__ == "__main__":
    main()
