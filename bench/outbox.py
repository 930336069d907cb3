"""Benchmark: outbox throughput to a webhook receiver on 127.0.0.1.

Seeds N qualified leads (two events each: lead.created and the deal's first stage) in a
fresh SQLite store, then starts W `leadbot sync --follow` worker processes against a
local receiver answering after 0 ms and 50 ms, and times until every event is delivered.

    .venvs/app/bin/python bench/outbox.py [--leads 200] [--workers 1,2,4] [--latency-ms 0,50] [--crm webhook|hubspot|pipedrive|salesforce]

`--slow-crm` instead measures correctness under a slow CRM: two workers, the receiver
answering after 300 ms, leases shorter than a batch takes (lease_seconds 5, batch_size
50), and counts requests the CRM received, events it accepted twice, and outcomes a
worker threw away because its lease ran out while sending (its "expired while sending"
log lines).

    .venvs/app/bin/python bench/outbox.py --slow-crm [--leads 100] [--latency-ms 300] [--workers 2]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bot.store.db import make_engine, session_factory  # noqa: E402
from bot.store.migrate import upgrade  # noqa: E402
from bot.store.repository import save_lead  # noqa: E402
from bot.store.schema import OutboxEvent  # noqa: E402
from tests.crm_sync.crms import CASES  # noqa: E402
from tests.crm_sync.fake_receiver import FakeReceiver  # noqa: E402
from tests.store.builders import submission  # noqa: E402

SECRET = "bench-secret"


def _target(crm: str, latency_ms: int):  # noqa: ANN202 (a fake CRM server)
    """The fake for `crm` (tests/crm_sync/crms.py), its crm.yml part (from its URL) and secrets."""
    if crm == "webhook":
        def webhook_yml(url: str) -> str:
            return f"provider: webhook\nwebhook: {{url: '{url}'}}\n"
        return FakeReceiver(SECRET, latency=latency_ms / 1000), webhook_yml, {}
    case = next(c for c in CASES if c.name == crm)
    server = case.start()
    server.latency = latency_ms / 1000
    return server, case.crm_yml, case.secrets


def run(leads: int, workers: int, latency_ms: int, crm: str = "webhook") -> tuple[float, int]:
    elapsed, total, _ = _deliver_all(leads, workers, latency_ms, crm, "batch_size: 50\npoll_seconds: 0.05\n")
    return elapsed, total


def slow_crm(leads: int, workers: int, latency_ms: int) -> None:
    """Events sent, accepted twice, and thrown away for an expired lease, with a slow CRM."""
    settings = "batch_size: 50\npoll_seconds: 0.05\nlease_seconds: 5\ntimeout_seconds: 10\n"
    elapsed, total, (receiver, logs) = _deliver_all(leads, workers, latency_ms, "webhook", settings)
    keys = Counter(r["headers"].get("Idempotency-Key") for r in receiver.requests if r["fault"] is None)
    expired = sum(log.count("expired while sending") for log in logs)
    print(f"{'latency':>8} {'workers':>8} {'events':>7} {'seconds':>8} {'sent':>6} {'accepted twice':>15} "
          f"{'expired while sending':>22}")
    print(f"{latency_ms:>6}ms {workers:>8} {total:>7} {elapsed:>8.2f} {len(receiver.requests):>6} "
          f"{sum(1 for n in keys.values() if n > 1):>15} {expired:>22}")


def _deliver_all(leads: int, workers: int, latency_ms: int, crm: str, crm_settings: str):  # noqa: ANN202
    """Seed, run W `leadbot sync --follow` workers until every event is delivered, stop them:
    seconds taken, events, and (the fake CRM, each worker's log)."""
    server, crm_yml, secrets = _target(crm, latency_ms)
    with tempfile.TemporaryDirectory() as tmp, server as receiver:
        url = f"sqlite:///{tmp}/leadbot.db"
        upgrade(url)
        engine = make_engine(url)
        sessions = session_factory(engine)
        now = datetime.now(timezone.utc)
        for i in range(leads):
            with sessions.begin() as session:
                save_lead(session, submission(f"bench-{i}", email=f"lead{i}@example.com"), now=now)
        settings = Path(tmp, "settings")
        settings.mkdir()
        (settings / "crm.yml").write_text(crm_settings + crm_yml(receiver.url))
        env = {**os.environ, "LEADBOT_SETTINGS_DIR": str(settings), "LEADBOT_DATABASE_URL": url,
               "LEADBOT_WEBHOOK_SECRET": SECRET, "LEADBOT_DATA_DIR": tmp, **secrets}
        env.pop("LEADBOT_NOW", None)
        with sessions() as session:
            total = session.scalar(select(func.count()).select_from(OutboxEvent))
        started = time.perf_counter()
        logs = [Path(tmp, f"w{i}.log") for i in range(workers)]
        procs = [subprocess.Popen([sys.executable, "-m", "leadbot.cli", "sync", "--follow", "--worker-id", f"w{i}"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))
                 for i, log in enumerate(logs)]
        try:
            while True:
                with sessions() as session:
                    done = session.scalar(select(func.count()).select_from(OutboxEvent)
                                          .where(OutboxEvent.status == "delivered"))
                if done == total:
                    break
                time.sleep(0.02)
            elapsed = time.perf_counter() - started
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(20)
            engine.dispose()
        return elapsed, total, (receiver, [log.read_text() for log in logs])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, help="default 200 (--slow-crm: 100)")
    parser.add_argument("--workers", help="default 1,2,4 (--slow-crm: 2)")
    parser.add_argument("--latency-ms", help="default 0,50 (--slow-crm: 300)")
    parser.add_argument("--crm", choices=["webhook", *(c.name for c in CASES)], default="webhook",
                        help="the signed webhook receiver, or a fake CRM (several calls per event)")
    parser.add_argument("--slow-crm", action="store_true",
                        help="count requests, events accepted twice and expired leases with a slow CRM")
    args = parser.parse_args()
    if args.slow_crm:
        slow_crm(args.leads or 100, int(args.workers or 2), int(args.latency_ms or 300))
        return
    leads = args.leads or 200
    print(f"{'latency':>8} {'workers':>8} {'events':>7} {'seconds':>8} {'events/s':>9} {'leads/s':>8}")
    for latency in (int(x) for x in (args.latency_ms or "0,50").split(",")):
        for workers in (int(x) for x in (args.workers or "1,2,4").split(",")):
            elapsed, events = run(leads, workers, latency, args.crm)
            print(f"{latency:>6}ms {workers:>8} {events:>7} {elapsed:>8.2f} {events / elapsed:>9.1f} "
                  f"{leads / elapsed:>8.1f}")


if __name__ == "__main__":
    main()
