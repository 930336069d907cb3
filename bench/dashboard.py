"""Benchmark: every dashboard page against a big pipeline (target: under 300 ms each).

Fills a fresh SQLite store with `leadbot demo-data --leads N` (leads with stage history,
notes and conversations), creates a manager and a rep account, starts `leadbot dashboard`
on 127.0.0.1 and times each page as a signed-in browser would request it (server time
plus loopback HTTP), for the manager (all leads) and for one rep (own leads only).

    .venvs/app/bin/python bench/dashboard.py [--leads 100000] [--rounds 20] [--workdir DIR]

With --workdir, a store already filled there is reused (filling 100k leads takes minutes).
"""
from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bot.store.db import make_engine, session_factory  # noqa: E402
from bot.store.schema import Account, Deal, Lead, Rep, StageHistory  # noqa: E402

LEADBOT = Path(sys.executable).parent / "leadbot"
PASSWORD = "bench password 1"
TARGET_MS = 300
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADBOT_")}
    env.update(LEADBOT_DATA_DIR=str(workdir), LEADBOT_DATABASE_URL=f"sqlite:///{workdir / 'leadbot.db'}",
               LEADBOT_DASHBOARD_SECRET="bench-" + "s" * 40, LEADBOT_USER_PASSWORD=PASSWORD)
    return env


def _leadbot(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(LEADBOT), *args], env=_env(workdir), capture_output=True, text=True, check=True,
                          cwd=ROOT)


def fill(workdir: Path, leads: int) -> tuple[float, str]:
    """Demo data into the store (skipped when it already holds leads); seconds taken, and how."""
    url = f"sqlite:///{workdir / 'leadbot.db'}"
    if (workdir / "leadbot.db").exists():
        engine = make_engine(url)
        with session_factory(engine)() as s:
            count = s.scalar(select(func.count(Lead.id))) or 0
        engine.dispose()
        if count:
            print(f"reusing {workdir} ({count:,} leads)")
            return 0.0, "reused"
    started = time.perf_counter()
    try:
        _leadbot(workdir, "demo-data", "--leads", str(leads))
        how = f"leadbot demo-data --leads {leads}"
    except subprocess.CalledProcessError as exc:
        if "invalid choice: 'demo-data'" not in exc.stderr:
            raise
        bulk_fill(url, leads)  # until `leadbot demo-data` exists in this checkout
        how = f"bench/dashboard.py bulk_fill ({leads} leads; `leadbot demo-data` not available)"
    return time.perf_counter() - started, how


def bulk_fill(url: str, leads: int, seed: int = 7) -> None:
    """Leads as the bot stores them (answers, score breakdown, transcript), with deals spread
    over every stage, their stage history, and owners in three teams; by bulk INSERT."""
    import random
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import insert

    from bot.store.migrate import upgrade
    from bot.store.pipeline import load_pipeline_settings
    from bot.store.schema import Team

    upgrade(url)
    pipeline = load_pipeline_settings()
    rnd = random.Random(seed)
    now = datetime.now(timezone.utc)
    open_stages = [s.key for s in pipeline.stages if not s.closed]
    reasons = [r.key for r in pipeline.lost_reasons]
    engine = make_engine(url)
    with engine.begin() as c:
        c.execute(insert(Team), [{"id": i, "name": n, "created_at": now} for i, n in enumerate(("EMEA", "Americas", "APAC"), 1)])
        c.execute(insert(Rep), [dict(id=i, name=f"Rep {i:02d}", email=f"rep{i:02d}@bench.example", team_id=1 + i % 3,
                                     active=True, territories=[], timezone="UTC", working_hours={}, notify={"email": True},
                                     created_at=now, updated_at=now) for i in range(1, 25)])
        for start in range(0, leads, 10_000):
            rows, deals, history = [], [], []
            for i in range(start + 1, min(start + 10_000, leads) + 1):
                created = now - timedelta(minutes=rnd.randint(60, 365 * 24 * 60))
                status = rnd.choices(["qualified", "nurture", "disqualified"], [5, 3, 2])[0]
                score = rnd.randint(60, 100) if status == "qualified" else rnd.randint(0, 59)
                budget = rnd.choice([5_000, 12_000, 25_000, 60_000])
                currency = rnd.choice(["USD", "EUR"])
                rows.append(dict(
                    id=i, email=f"person{i}@bench.example", name=f"Person {i}", company=f"Company {i % 3000}",
                    status=status, score=score, grade="A" if score >= 80 else "B" if score >= 60 else "C",
                    score_breakdown=[{"dimension": d, "points": 10, "max_points": 25, "known": True, "reason": "bench"}
                                     for d in ("need", "budget", "authority", "timeline")],
                    scoring_version="bench", need={"text": "We need a chatbot", "level": "specific", "status": "stated"},
                    budget={"text": f"{budget // 1000}k", "min": budget, "max": budget, "currency": currency,
                            "period": "yearly", "status": "stated"},
                    raw_answers={"need": "We need a chatbot", "budget": f"{budget // 1000}k"},
                    budget_min=budget, budget_max=budget, budget_currency=currency, authority_level="decision_maker",
                    channel=rnd.choice(["rest", "socketio", "telegram", "whatsapp"]), conversation_id=f"bench-{i}",
                    conversation_date=created.date(), human_requested=False, source={},
                    transcript=[{"sender": "user" if k % 2 else "bot", "text": f"message {k}", "at": created.isoformat()}
                                for k in range(8)],
                    owner_rep_id=rnd.randint(1, 24) if status == "qualified" else None,
                    assignment_rule="round_robin" if status == "qualified" else None,
                    created_at=created, updated_at=created))
                entry = pipeline.entry_stage_for(status)
                path = [entry]
                while path[-1] in open_stages and rnd.random() < 0.55:
                    following = open_stages.index(path[-1]) + 1
                    path.append(open_stages[following] if following < len(open_stages) else pipeline.won_stage.key)
                if path[-1] in open_stages and rnd.random() < 0.3:
                    path.append(rnd.choice([pipeline.won_stage.key, pipeline.lost_stage.key, pipeline.lost_stage.key]))
                at, previous = created, None
                for stage in path:
                    history.append(dict(deal_id=i, from_stage=previous, to_stage=stage, changed_at=at,
                                        changed_by="bot" if previous is None else "bench"))
                    previous, at = stage, at + timedelta(days=rnd.randint(1, 20))
                closed = path[-1] in (pipeline.won_stage.key, pipeline.lost_stage.key)
                deals.append(dict(id=i, lead_id=i, stage=path[-1], value=budget, currency=currency, value_source="budget",
                                  lost_reason=rnd.choice(reasons) if path[-1] == pipeline.lost_stage.key else None,
                                  created_at=created, updated_at=at, closed_at=at if closed else None))
            c.execute(insert(Lead), rows)
            c.execute(insert(Deal), deals)
            c.execute(insert(StageHistory), history)
    engine.dispose()


def accounts(workdir: Path) -> tuple[str, str, int]:
    """A manager and the account of the rep owning most leads; and a lead that rep owns with history."""
    engine = make_engine(f"sqlite:///{workdir / 'leadbot.db'}")
    with session_factory(engine)() as s:
        existing = set(s.scalars(select(Account.email)))
        rep_id, rep_email = s.execute(
            select(Rep.id, Rep.email).join(Lead, Lead.owner_rep_id == Rep.id).group_by(Rep.id, Rep.email)
            .order_by(func.count(Lead.id).desc()).limit(1)).one()
        lead_id = s.scalar(select(Deal.lead_id).join(StageHistory).join(Lead, Lead.id == Deal.lead_id)
                           .where(Lead.owner_rep_id == rep_id).group_by(Deal.lead_id)
                           .order_by(func.count(StageHistory.id).desc()).limit(1))
    engine.dispose()
    manager = "bench-manager@example.com"
    if manager not in existing:
        _leadbot(workdir, "users", "add", manager, "--role", "manager")
    if rep_email not in existing:
        _leadbot(workdir, "users", "add", rep_email, "--role", "rep")
    return manager, rep_email, int(lead_id)


def sign_in(base: str, email: str) -> requests.Session:
    client = requests.Session()
    token = CSRF.search(client.get(base + "/login").text).group(1)
    response = client.post(base + "/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    if not response.url.endswith("/inbox"):
        raise SystemExit(f"could not sign in as {email}: {response.status_code}")
    return client


def time_page(client: requests.Session, url: str, rounds: int) -> tuple[int, list[float]]:
    status = 0
    for _ in range(2):  # warm-up: connection, SQLite page cache, template compilation
        status = client.get(url).status_code
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        status = response.status_code
    return status, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()

    tmp = None
    workdir = args.workdir
    if workdir is None:
        tmp = tempfile.TemporaryDirectory()
        workdir = Path(tmp.name)
    workdir.mkdir(parents=True, exist_ok=True)
    seconds, how = fill(workdir, args.leads)
    if seconds:
        print(f"filled by {how}: {seconds:.1f} s")
    manager, rep, lead_id = accounts(workdir)

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(LEADBOT), "dashboard", "--port", str(port)], env=_env(workdir),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(base + "/login", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the dashboard did not start")
                time.sleep(0.2)
        pages = ["/inbox", "/inbox?all=1", "/inbox?all=1&page=200", "/inbox?status=nurture",
                 f"/leads/{lead_id}", "/board", "/metrics",
                 "/api/leads", "/api/pipeline", "/api/metrics", f"/api/leads/{lead_id}"]
        print(f"\n{args.rounds} requests per page after 2 warm-ups; milliseconds, client side (HTTP on loopback)\n")
        print("| who | page | status | p50 | p95 | max |")
        print("|---|---|---:|---:|---:|---:|")
        worst = 0.0
        for who, email in (("manager", manager), ("rep", rep)):
            client = sign_in(base, email)
            for page in pages:
                status, times = time_page(client, base + page, args.rounds)
                p95 = statistics.quantiles(times, n=20, method="inclusive")[18] if len(times) >= 2 else times[0]
                worst = max(worst, max(times))
                print(f"| {who} | `{page}` | {status} | {statistics.median(times):.1f} | {p95:.1f} | {max(times):.1f} |")
        verdict = "all under" if worst < TARGET_MS else "NOT all under"
        print(f"\nslowest single request {worst:.1f} ms: {verdict} {TARGET_MS} ms")
    finally:
        server.terminate()
        server.wait(timeout=10)
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()
