"""Benchmark: CRM read-back, from a rep's change in HubSpot to the stage history in the store.

A fresh SQLite store with N leads delivered to the fake HubSpot (tests/crm_sync/fake_hubspot.py)
on 127.0.0.1, and the real dashboard app (its `/crm/webhooks/hubspot` route) under uvicorn in
a thread. Then:
- latency by webhook: one rep change at a time, HubSpot's signed POST, until the dashboard
  answered (the change is in the store by then: the route applies before it answers);
- throughput by webhook: changes sent in batches of 100 events (HubSpot's largest);
- throughput by polling: N deals changed, then one `leadbot sync pull` round (search API
  pages of 100, every page applied in one transaction with its cursor).

    .venvs/app/bin/python bench/read_back.py [--leads 300] [--samples 50]
"""
from __future__ import annotations

import argparse
import os
import statistics
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
from bot.store.schema import CrmLink, StageHistory  # noqa: E402
from tests.crm_sync.fake_hubspot import FakeHubSpot  # noqa: E402
from tests.store.builders import submission  # noqa: E402

TOKEN, SECRET = "pat-bench", "bench-client-secret"
STAGES = ["qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent"]


def now() -> datetime:
    return datetime.now(timezone.utc)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=300)
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="leadbot-read-back-"))
    with FakeHubSpot(TOKEN) as hubspot:
        settings = work / "settings"
        settings.mkdir()
        (settings / "crm.yml").write_text(f"provider: hubspot\nbatch_size: 500\nhubspot: {{base_url: '{hubspot.url}'}}\n")
        url = f"sqlite:///{work / 'leadbot.db'}"
        os.environ.update(LEADBOT_SETTINGS_DIR=str(settings), LEADBOT_DATABASE_URL=url,
                          LEADBOT_DATA_DIR=str(work / "data"), HUBSPOT_ACCESS_TOKEN=TOKEN, HUBSPOT_CLIENT_SECRET=SECRET)
        upgrade(url)
        from crm_sync.settings import load_crm_settings
        from crm_sync.worker import make_target, read_back_once, run_once
        from tests.crm_sync.webhook_server import WebhookServer

        sessions = session_factory(make_engine(url))
        for i in range(args.leads):
            with sessions.begin() as s:
                save_lead(s, submission(f"bench-{i}", email=f"lead{i}@example.com"), now=now())
        crm = load_crm_settings()
        target = make_target(crm)
        while run_once(sessions, target, crm, now=now).handled:
            pass
        with sessions() as s:
            deals = list(s.scalars(select(CrmLink.external_id).where(CrmLink.object_type == "deals")))

        def history_rows() -> int:
            with sessions() as s:
                return s.scalar(select(func.count(StageHistory.id)))

        with WebhookServer(url) as server:
            hubspot.subscribe(server.url("hubspot"), SECRET)
            hubspot.send_webhooks()  # our own creations, read back (echoes)
            latencies = []
            for i in range(args.samples):
                hubspot.rep_change(deals[i % len(deals)], dealstage=STAGES[1 + (i // len(deals)) % 3])
                started = time.perf_counter()
                assert hubspot.send_webhooks() == 200
                latencies.append((time.perf_counter() - started) * 1000)
            before = history_rows()
            for i, deal in enumerate(deals):
                hubspot.rep_change(deal, dealstage="contractsent", amount=str(20000 + i))
            events = len(hubspot.pending_events)
            started = time.perf_counter()
            while hubspot.pending_events:
                batch, rest = hubspot.pending_events[:100], hubspot.pending_events[100:]
                hubspot.pending_events = batch
                assert hubspot.send_webhooks() == 200
                hubspot.pending_events = rest
            webhook_seconds = time.perf_counter() - started
            applied_by_webhook = history_rows() - before

        for deal in deals:
            hubspot.rep_change(deal, dealstage="closedwon", amount="50000")
        before = history_rows()
        started = time.perf_counter()
        polled = read_back_once(sessions, target, crm, now=now)
        poll_seconds = time.perf_counter() - started
        applied_by_poll = history_rows() - before

    quantiles = statistics.quantiles(latencies, n=20)
    print(f"webhook latency, one change at a time ({len(latencies)}): median {statistics.median(latencies):.1f} ms, "
          f"p95 {quantiles[18]:.1f} ms, max {max(latencies):.1f} ms")
    print(f"webhook batches of 100: {events} events ({len(deals)} deals x stage + amount) in {webhook_seconds:.2f} s "
          f"= {events / webhook_seconds:.0f} events/s; stage changes stored: {applied_by_webhook}")
    print(f"poll: {polled.read} values in {polled.pages} pages in {poll_seconds:.2f} s = "
          f"{polled.read / poll_seconds:.0f} values/s, {applied_by_poll / poll_seconds:.0f} stage changes/s "
          f"({applied_by_poll} stored; {dict(polled.changes.outcomes)})")


if __name__ == "__main__":
    main()
