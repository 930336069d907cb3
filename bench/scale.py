"""Benchmark: the scaled stack (`scripts/run-scaled.sh N`) with 1 and 2 Rasa processes behind
HAProxy, PostgreSQL for both stores, Redis locks, the workers and the dashboard running.

For each N: eight-turn qualification conversations over REST through the balancer at each
concurrency level (turns/s, p50/p95 turn latency as the visitor sees it). With N=2, the
failover run: the same load while one Rasa process is killed (SIGKILL) a third of the way in;
it reports requests that failed, conversations whose messages are not each stored exactly
once, and HAProxy's retries to the living process.

    .venvs/app/bin/python bench/scale.py                         # levels 1,8,16; 24 conversations each
    .venvs/app/bin/python bench/scale.py --levels 8 --conversations 48
    .venvs/app/bin/python bench/scale.py --scales 2 --levels 16 --keep /tmp/scale   # logs kept
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.conversations import SCRIPT, percentile  # noqa: E402
from tests.e2e.scaled import Stack, kill, running_stack, scrape, user_messages  # noqa: E402


def converse(stack: Stack, sender: str, n: int, failures: list[str]) -> list[float]:
    """One visitor's eight turns, a new connection per message (no balancer cookie: round robin)."""
    latencies = []
    for message in SCRIPT:
        started = time.perf_counter()
        try:
            r = requests.post(f"{stack.url}/webhooks/rest/webhook",
                              json={"sender": sender, "message": message.format(n=n)}, timeout=300)
            r.raise_for_status()
            latencies.append(time.perf_counter() - started)
        except requests.RequestException as error:
            failures.append(f"{sender}: {error}")
    return latencies


def load(stack: Stack, users: int, conversations: int, tag: str,
         during: threading.Event | None = None) -> tuple[dict, list[str], list[str]]:
    """`conversations` visitors, `users` at a time; the numbers, the senders and the failures.
    `during` is set once a third of the conversations have started."""
    failures: list[str] = []
    senders = [f"{tag}-{i}" for i in range(conversations)]

    def one(i: int) -> list[float]:
        if during is not None and i == conversations // 3:
            during.set()
        return converse(stack, senders[i], i, failures)

    started = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        latencies = [x for lat in pool.map(one, range(conversations)) for x in lat]
    elapsed = time.perf_counter() - started
    return ({"users": users, "turns": len(latencies), "turns_per_s": len(latencies) / elapsed,
             "p50_ms": 1000 * percentile(latencies, 50), "p95_ms": 1000 * percentile(latencies, 95)},
            senders, failures)


def retries(stack: Stack) -> float:
    return sum(v for (name, labels), v in scrape(stack.base + 50).items()
               if name == "haproxy_backend_retry_warnings_total" and dict(labels).get("proxy") == "rasa")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", default="1,8,16")
    parser.add_argument("--conversations", type=int, default=24)
    parser.add_argument("--scales", default="1,2")
    parser.add_argument("--keep", type=Path, help="keep each stack's logs in this folder (default: removed)")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    print(f"machine: {os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.2f}")
    for scale in [int(x) for x in args.scales.split(",")]:
        with tempfile.TemporaryDirectory(prefix="leadbot-bench-scale-") as work:
            folder = args.keep / f"n{scale}" if args.keep else Path(work)
            folder.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            with running_stack(scale, folder) as stack:
                print(f"\nN={scale}: stack ready in {time.perf_counter() - started:.0f} s")
                load(stack, 4, 4, f"warm-{scale}")
                for users in levels:
                    numbers, _, failures = load(stack, users, args.conversations, f"n{scale}-u{users}-{time.time_ns()}")
                    print(f"  users {users:>2}: {numbers['turns']} turns, {numbers['turns_per_s']:.1f} turns/s, "
                          f"p50 {numbers['p50_ms']:.0f} ms, p95 {numbers['p95_ms']:.0f} ms, failed {len(failures)}"
                          f" (load {os.getloadavg()[0]:.2f})")
                if scale >= 2:
                    failover(stack, max(levels), args.conversations)


def failover(stack: Stack, users: int, conversations: int) -> None:
    third = threading.Event()
    before = retries(stack)

    def killer() -> None:
        third.wait()
        kill(stack, "rasa-1")

    thread = threading.Thread(target=killer)
    thread.start()
    numbers, senders, failures = load(stack, users, conversations, f"failover-{time.time_ns()}", third)
    thread.join()
    wrong = [s for i, s in enumerate(senders) if user_messages(stack, s) != [m.format(n=i) for m in SCRIPT]]
    print(f"  failover, rasa-1 killed (SIGKILL) a third of the way in, users {users}: {numbers['turns']} turns, "
          f"{numbers['turns_per_s']:.1f} turns/s, p95 {numbers['p95_ms']:.0f} ms; failed requests {len(failures)}, "
          f"conversations not stored exactly once {len(wrong)} of {len(senders)}, "
          f"HAProxy retries {retries(stack) - before:.0f}")
    for line in failures[:5]:
        print(f"    {line}")


if __name__ == "__main__":
    main()
