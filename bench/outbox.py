"""Benchmark: outbox throughput to a webhook receiver on 127.0.0.1.

Seeds N qualified leads (two events each: lead.created and the deal's first stage) in a
fresh SQLite store, then starts W `leadbot sync --follow` worker processes against a
local receiver answering after 0 ms and 50 ms, and times until every event is delivered.

    .venvs/app/bin/python bench/outbox.py [--leads 200] [--workers 1,2,4] [--latency-ms 0,50] [--crm webhook|hubspot|pipedrive|salesforce]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
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
        (settings / "crm.yml").write_text("batch_size: 50\npoll_seconds: 0.05\n" + crm_yml(receiver.url))
        env = {**os.environ, "LEADBOT_SETTINGS_DIR": str(settings), "LEADBOT_DATABASE_URL": url,
               "LEADBOT_WEBHOOK_SECRET": SECRET, "LEADBOT_DATA_DIR": tmp, **secrets}
        env.pop("LEADBOT_NOW", None)
        with sessions() as session:
            total = session.scalar(select(func.count()).select_from(OutboxEvent))
        started = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-m", "bot.cli", "sync", "--follow", "--worker-id", f"w{i}"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for i in range(workers)]
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
        return elapsed, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=200)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--latency-ms", default="0,50")
    parser.add_argument("--crm", choices=["webhook", *(c.name for c in CASES)], default="webhook",
                        help="the signed webhook receiver, or a fake CRM (several calls per event)")
    args = parser.parse_args()
    print(f"{'latency':>8} {'workers':>8} {'events':>7} {'seconds':>8} {'events/s':>9} {'leads/s':>8}")
    for latency in (int(x) for x in args.latency_ms.split(",")):
        for workers in (int(x) for x in args.workers.split(",")):
            elapsed, events = run(args.leads, workers, latency, args.crm)
            print(f"{latency:>6}ms {workers:>8} {events:>7} {elapsed:>8.2f} {events / elapsed:>9.1f} "
                  f"{args.leads / elapsed:>8.1f}")


if __name__ == "__main__":
    main()
