"""Benchmark: time from a lead becoming qualified to its card reaching the rep.

Stores qualified leads one at a time through the real intake (save, assign and queue the
card in one transaction, as the action server does), while the real
`leadbot notifications send --follow` runs as a separate process, and times each card's
arrival at a Slack-style receiver on 127.0.0.1. The sender polls when idle, so the
latency is dominated by `poll_seconds`; it is measured at the shipped 2 s and at 0.2 s.

    .venvs/app/bin/python bench/notification_latency.py [--leads 40] [--poll 2,0.2] [--gap-ms 300]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.assignment.reps import RepChanges, add_rep  # noqa: E402
from bot.intake import LeadIntake, Spool  # noqa: E402
from bot.store.db import make_engine, session_factory  # noqa: E402
from bot.store.migrate import upgrade  # noqa: E402
from tests.crm_sync.fake_receiver import FakeReceiver  # noqa: E402
from tests.store.builders import submission  # noqa: E402

_LEAD = re.compile(r"/leads/(\d+)")


def run(leads: int, poll: float, gap: float) -> tuple[list[float], list[float]]:
    """Per lead: seconds from `submit` starting to the card's arrival; and submit's own time."""
    with tempfile.TemporaryDirectory() as tmp, FakeReceiver(None) as slack:
        url = f"sqlite:///{tmp}/leadbot.db"
        settings = Path(tmp, "settings")
        settings.mkdir()
        (settings / "notifications.yml").write_text(
            f"lead_url: 'http://127.0.0.1:8000/leads/{{lead_id}}'\npoll_seconds: {poll}\n")
        env = {**os.environ, "LEADBOT_SETTINGS_DIR": str(settings), "LEADBOT_DATABASE_URL": url,
               "LEADBOT_DATA_DIR": tmp, "SLACK_WEBHOOK_BENCH": slack.url}
        env.pop("LEADBOT_NOW", None)
        os.environ.update({"LEADBOT_SETTINGS_DIR": str(settings)})
        upgrade(url)
        engine = make_engine(url)
        sessions = session_factory(engine)
        now = datetime.now(timezone.utc)
        with sessions.begin() as session:
            add_rep(session, "Bench Rep", "rep@bench.example", now=now,
                    changes=RepChanges(notify={"email": False, "slack_webhook_env": "SLACK_WEBHOOK_BENCH"}))
        sender = subprocess.Popen([sys.executable, "-m", "leadbot.cli", "notifications", "send", "--follow"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        intake = LeadIntake(sessions, Spool(Path(tmp, "spool")))
        started: dict[int, float] = {}
        submit_times: list[float] = []
        try:
            time.sleep(1.5)  # the sender is up and idle, as in production
            for i in range(leads):
                t0 = time.monotonic()
                result = intake.submit(submission(f"bench-{i}", email=f"lead{i}@company{i}.example"),
                                       now=datetime.now(timezone.utc))
                submit_times.append(time.monotonic() - t0)
                started[result.lead_id] = t0
                time.sleep(gap * random.uniform(0.5, 1.5))  # leads arrive at random moments
            deadline = time.monotonic() + poll * 2 + 30
            while len(slack.requests) < leads and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            sender.terminate()
            sender.wait(20)
            engine.dispose()
        latencies = []
        for request in slack.requests:
            lead_id = int(_LEAD.search(json.dumps(json.loads(request["body"])))[1])
            latencies.append(request["at"] - started[lead_id])
        if len(latencies) != leads:
            raise SystemExit(f"only {len(latencies)} of {leads} cards arrived")
        return latencies, submit_times


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=40)
    parser.add_argument("--poll", default="2,0.2", help="sender poll_seconds values to compare")
    parser.add_argument("--gap-ms", type=int, default=300, help="mean time between leads")
    args = parser.parse_args()
    print(f"{'poll':>6} {'leads':>6} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'submit p50 ms':>14} {'submit p95 ms':>14}")
    for poll in (float(x) for x in args.poll.split(",")):
        latencies, submits = run(args.leads, poll, args.gap_ms / 1000)
        print(f"{poll:>5g}s {args.leads:>6} {statistics.median(latencies):>7.2f} {pct(latencies, 0.95):>7.2f} "
              f"{max(latencies):>7.2f} {statistics.median(submits) * 1000:>14.1f} {pct(submits, 0.95) * 1000:>14.1f}")


if __name__ == "__main__":
    main()
