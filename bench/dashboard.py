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
    _leadbot(workdir, "demo-data", "--leads", str(leads))
    return time.perf_counter() - started, f"leadbot demo-data --leads {leads}"


def accounts(workdir: Path) -> tuple[str, str, int, int, int]:
    """A manager and the account of the rep owning most leads; a lead that rep owns with
    history; that rep's id and team (for the manager's filtered metrics)."""
    engine = make_engine(f"sqlite:///{workdir / 'leadbot.db'}")
    with session_factory(engine)() as s:
        existing = set(s.scalars(select(Account.email)))
        rep_id, rep_email, team_id = s.execute(
            select(Rep.id, Rep.email, Rep.team_id).join(Lead, Lead.owner_rep_id == Rep.id)
            .group_by(Rep.id, Rep.email, Rep.team_id).order_by(func.count(Lead.id).desc()).limit(1)).one()
        lead_id = s.scalar(select(Deal.lead_id).join(StageHistory).join(Lead, Lead.id == Deal.lead_id)
                           .where(Lead.owner_rep_id == rep_id).group_by(Deal.lead_id)
                           .order_by(func.count(StageHistory.id).desc()).limit(1))
    engine.dispose()
    manager = "bench-manager@example.com"
    if manager not in existing:
        _leadbot(workdir, "users", "add", manager, "--role", "manager")
    if rep_email not in existing:
        _leadbot(workdir, "users", "add", rep_email, "--role", "rep")
    return manager, rep_email, int(lead_id), int(rep_id), int(team_id)


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
    manager, rep, lead_id, rep_id, team_id = accounts(workdir)

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
                 f"/leads/{lead_id}", "/board", "/metrics", *[f"/metrics?period={p}" for p in ("30d", "365d", "all")],
                 "/api/leads", "/api/pipeline", "/api/metrics", f"/api/leads/{lead_id}",
                 # search (every word in the name, company or e-mail): a common word, a rare one, none
                 "/inbox?all=1&q=dental", "/inbox?all=1&q=dental+clinic", "/inbox?all=1&q=zzzz-no-such-lead",
                 "/board?q=dental", "/handoffs"]
        # Every filter the metrics page offers a manager: each period, one team, one rep.
        manager_only = [f"/metrics?team={team_id}", f"/metrics?period=365d&team={team_id}", f"/metrics?rep={rep_id}",
                        "/api/metrics?period=all",
                        # the owner filter of inbox and board: one rep, and the leads nobody owns yet
                        f"/inbox?all=1&owner={rep_id}", "/inbox?all=1&owner=none", f"/board?owner={rep_id}",
                        f"/board?owner={rep_id}&q=dental"]
        print(f"\n{args.rounds} requests per page after 2 warm-ups; milliseconds, client side (HTTP on loopback)\n")
        print("| who | page | status | p50 | p95 | max |")
        print("|---|---|---:|---:|---:|---:|")
        worst = 0.0
        for who, email in (("manager", manager), ("rep", rep)):
            client = sign_in(base, email)
            for page in pages + (manager_only if who == "manager" else []):
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
