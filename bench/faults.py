"""Fault bench: nothing lost, nothing twice, on a freshly started leadbot (issue 17).

Starts the real action server, Rasa server, a `leadbot sync --follow` worker and a webhook CRM
(tests/crm_sync/fake_receiver.py: signature check, one record per Idempotency-Key, faults on
demand), with the pipeline store on a PostgreSQL server of its own (`--store postgresql`, the
default when the server binaries are installed) or a SQLite file, then runs:

1. faults, each with visitors mid-conversation:
   - the action server killed (-9) and started again, while the CRM answers 503s, resets
     connections, sleeps past the timeout and answers 429; four of the visitors give their
     last answer while it is down and never write again (read by Rasa once it is back);
   - Rasa itself killed (-9) and started again (a visitor whose message was cut off sends it
     again, as anyone would);
   - PostgreSQL stopped as if it crashed and started again (PostgreSQL store only);
2. load: `--minutes` of 16 and 32 concurrent visitors (bench/conversations.py's script),
   with the sync worker killed (-9) while the CRM holds an answer, and started again;
3. soak: one conversation of `--soak` messages.

Then waits for the CRM queue to drain and prints leads expected / stored / duplicated / wrong,
CRM events sent / accepted / accepted twice / resent after a lost answer / undelivered, answers
lost, and the RSS of Rasa and the action server at the start and the end.

    .venvs/app/bin/python bench/faults.py [--minutes 2] [--levels 16,32] [--soak 600] [--store sqlite]
"""
from __future__ import annotations

import argparse
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import cycle
from pathlib import Path

import requests
from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.conversations import SCRIPT  # noqa: E402
from bench.perf import LONG_SESSION_EXTRA  # noqa: E402
from bot.store.db import make_engine, session_factory  # noqa: E402
from bot.store.schema import Lead, OutboxEvent  # noqa: E402
from tests.crm_sync.fake_receiver import FakeReceiver, Fault  # noqa: E402
from tests.e2e.kill import kill, start_rasa  # noqa: E402
from tests.e2e.servers import BotServers  # noqa: E402
from tests.postgres import PgCluster, _server_binaries, make_cluster  # noqa: E402

SECRET = "bench-webhook-secret"
NAME, COMPANY = "Sam Ortiz", "Brightwell Dental"
LEAVER = ["hi, sam{n}@brightwell.example", *SCRIPT[1:4]]  # then the budget while the action server is down
BUDGET = SCRIPT[4]
DEFERRED = "couldn't save that just now"  # domain.yml utter_service_unavailable: the action server is down


@dataclass
class Tally:
    """What the visitors saw: conversations finished (what their lead must hold), turns
    without an answer, turns cut off and sent again."""

    finished: dict[str, dict] = field(default_factory=dict)  # sender -> the lead's expected fields
    turns: int = 0
    deferred: int = 0  # answered "couldn't save that just now" (the action server was down)
    cut_off: int = 0  # no answer (Rasa killed meanwhile): sent again
    lost: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    numbers: itertools.count = field(default_factory=itertools.count)

    def turn(self, http: requests.Session, url: str, sender: str, text: str, patience: float = 0.0) -> None:
        """One message; while it gets no answer and `patience` seconds have not passed, it is
        sent again every second (a visitor whose chat went quiet)."""
        deadline = time.monotonic() + patience
        while True:
            try:
                r = http.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120)
                answered = r.ok and bool(r.json())
                why = f"{r.status_code} {r.text[:80]}"
                deferred = r.ok and any(DEFERRED in (m.get("text") or "") for m in r.json())
            except requests.RequestException as exc:
                answered, why, deferred = False, repr(exc)[:80], False
            if answered or time.monotonic() >= deadline:
                break
            with self.lock:
                self.cut_off += 1
            time.sleep(1)
        with self.lock:
            self.turns += 1
            self.deferred += deferred
            if not answered:
                self.lost.append(f"{sender}: {text!r} -> {why}")

    def visit(self, url: str, tag: str, http: requests.Session, pause: float = 0.0, patience: float = 0.0) -> None:
        """One whole qualification (a new visitor each time)."""
        n = next(self.numbers)
        sender = f"faults-{tag}-{n}"
        for text in SCRIPT:
            self.turn(http, url, sender, text.format(n=n), patience)
            time.sleep(pause)
        with self.lock:
            self.finished[sender] = {"email": SCRIPT[-1].format(n=n), "name": NAME, "company": COMPANY}

    def leave(self, url: str, tag: str, down: threading.Event) -> None:
        """Answers until the action server is down, gives the budget then, and never writes again."""
        n, http = next(self.numbers), requests.Session()
        sender = f"faults-{tag}-{n}"
        for text in LEAVER:
            self.turn(http, url, sender, text.format(n=n))
        down.wait(60)
        self.turn(http, url, sender, BUDGET)
        with self.lock:
            self.finished[sender] = {"email": LEAVER[0].format(n=n).split(", ")[1], "budget_min": 20000}


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss(bot: BotServers) -> dict[str, float]:
    return {name: rss_mib(bot.process(name).pid) for name in ("rasa", "actions")}


class Worker:
    """The `leadbot sync --follow` process, which a fault may kill."""

    def __init__(self, bot: BotServers, log: Path) -> None:
        self.bot, self.log, self.proc = bot, log, None
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "leadbot.cli", "sync", "--follow", "--worker-id", "bench"],
                                     cwd=ROOT, env=self.bot.env, stdout=subprocess.DEVNULL,
                                     stderr=self.log.open("a"))

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=30)


def action_server_outage(bot: BotServers, receiver: FakeReceiver, tally: Tally) -> None:
    """Eight visitors a turn every 2 s; the action server killed -9 3 s in and started again 3 s
    later (it takes a few seconds to answer again; they go on answering meanwhile, and those
    still talking afterwards finish with it); four who give their budget while it is down and
    leave; the CRM failing in every way it can."""
    receiver.inject(*[Fault("status", 503)] * 20, *[Fault("reset")] * 10, *[Fault("sleep", seconds=1.0)] * 5,
                    *[Fault("status", 429, retry_after="1")] * 5)
    down = threading.Event()
    with ThreadPoolExecutor(12) as pool:
        visits = [pool.submit(tally.visit, bot.rasa_url, "kill", requests.Session(), 2.0) for _ in range(8)]
        visits += [pool.submit(tally.leave, bot.rasa_url, "leave", down) for _ in range(4)]
        time.sleep(3)
        kill(bot, "actions")
        down.set()
        time.sleep(3)
        bot.start_actions()
        for visit in visits:
            visit.result()


def rasa_outage(bot: BotServers, tally: Tally) -> None:
    """Eight visitors a turn every second; Rasa killed -9 3 s in and started again at once (it
    loads its model meanwhile): a message cut off or sent meanwhile is sent again every second."""
    with ThreadPoolExecutor(8) as pool:
        visits = [pool.submit(tally.visit, bot.rasa_url, "rasa", requests.Session(), 1.0, 300) for _ in range(8)]
        time.sleep(3)
        kill(bot, "rasa")
        start_rasa(bot)
        for visit in visits:
            visit.result()


def postgres_outage(bot: BotServers, tally: Tally, cluster: PgCluster) -> None:
    """Eight visitors a turn every second; PostgreSQL stopped as if it crashed 3 s in, started
    again 5 s later."""
    with ThreadPoolExecutor(8) as pool:
        visits = [pool.submit(tally.visit, bot.rasa_url, "postgres", requests.Session(), 1.0) for _ in range(8)]
        time.sleep(3)
        cluster.stop("immediate")
        time.sleep(5)
        cluster.start()
        for visit in visits:
            visit.result()


def worker_killed_mid_delivery(worker: Worker, receiver: FakeReceiver) -> bool:
    """The CRM holds its answer to the next event; the worker waiting for it is killed -9 and
    started again (the event is sent again, with the same id). False if no event came."""
    receiver.inject(Fault("accept_then_sleep", seconds=5))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with receiver.lock:
            held = any(r["fault"] == "accept_then_sleep" for r in receiver.requests)
        if held:
            worker.kill()
            worker.start()
            return True
        time.sleep(0.005)
    return False


def load(bot: BotServers, tally: Tally, users: int, seconds: float) -> int:
    """`users` visitors, each starting a new conversation when one ends, for `seconds`."""
    deadline, before = time.monotonic() + seconds, len(tally.finished)

    def visitor() -> None:
        http = requests.Session()
        while time.monotonic() < deadline:
            tally.visit(bot.rasa_url, f"load{users}", http)

    with ThreadPoolExecutor(users) as pool:
        for done in [pool.submit(visitor) for _ in range(users)]:
            done.result()
    return len(tally.finished) - before


def soak(bot: BotServers, tally: Tally, messages: int) -> None:
    http, sender = requests.Session(), "faults-soak"
    texts = cycle(SCRIPT + [t for t in LONG_SESSION_EXTRA if "person" not in t])  # no hand-off: the bot would wait
    for i in range(messages):
        tally.turn(http, bot.rasa_url, sender, next(texts).format(n="soak"))
    tally.finished[sender] = {"email": SCRIPT[-1].format(n="soak"), "name": NAME, "company": COMPANY}


def drain(sessions, seconds: float = 180) -> Counter:
    deadline = time.monotonic() + seconds
    while True:
        with sessions() as s:
            states = Counter(s.scalars(select(OutboxEvent.status)))
        if set(states) <= {"delivered", "dead"} or time.monotonic() > deadline:
            return states
        time.sleep(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0, help="minutes per load level")
    parser.add_argument("--levels", default="16,32", help="concurrent visitors per level")
    parser.add_argument("--soak", type=int, default=600, help="messages in the one long conversation")
    parser.add_argument("--store", choices=("postgresql", "sqlite"),
                        default="postgresql" if _server_binaries() else "sqlite",
                        help="the pipeline store (postgresql adds its outage to the faults)")
    parser.add_argument("--keep", action="store_true", help="keep the stores and logs (the folder is printed)")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="leadbot-faults-")
    cluster = make_cluster() if args.store == "postgresql" else None
    try:
        if cluster is not None:
            cluster.start()
        with FakeReceiver(SECRET) as receiver:
            return run(Path(tmp), receiver, cluster, args)
    finally:
        if cluster is not None:
            subprocess.run([*cluster.prefix, cluster.pg_ctl, "-D", str(cluster.data), "-m", "immediate", "stop"],
                           capture_output=True, timeout=60)
            shutil.rmtree(cluster.root, ignore_errors=True)
        if args.keep:
            print(f"stores and logs in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def settings_for(tmp: Path, receiver: FakeReceiver) -> Path:
    """A copy of settings/: spooled leads retried every second, the CRM at the fake receiver."""
    settings = tmp / "settings"
    shutil.copytree(ROOT / "settings", settings)
    conversation = settings / "conversation.yml"
    conversation.write_text(conversation.read_text().replace("pending_retry_seconds: 30", "pending_retry_seconds: 1"))
    (settings / "crm.yml").write_text(
        "timeout_seconds: 0.8\nlease_seconds: 5\npoll_seconds: 0.1\n"
        "retry: {base_seconds: 0.2, max_seconds: 2, jitter: 0.2, max_attempts: 30}\n"
        f"provider: webhook\nwebhook: {{url: '{receiver.url}'}}\n")
    return settings


def database_for(cluster: PgCluster | None) -> dict[str, str]:
    if cluster is None:
        return {}
    admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('CREATE DATABASE "leadbot"'))
    admin.dispose()
    return {"LEADBOT_DATABASE_URL": cluster.url("leadbot")}


def run(tmp: Path, receiver: FakeReceiver, cluster: PgCluster | None, args: argparse.Namespace) -> int:
    bot = BotServers(tmp, env_overrides={"LEADBOT_WEBHOOK_SECRET": SECRET, "LEADBOT_UNREAD_SWEEP_SECONDS": "1",
                                         "LEADBOT_SETTINGS_DIR": str(settings_for(tmp, receiver)),
                                         **database_for(cluster)})
    bot.start()
    worker = Worker(bot, tmp / "sync.log")
    engine = make_engine(bot.database_url)
    sessions = session_factory(engine)
    tally = Tally()
    try:
        start_rss = rss(bot)
        started = time.monotonic()
        action_server_outage(bot, receiver, tally)
        print(f"faults: {len(tally.finished)} visitors through a kill -9 of the action server and a failing CRM",
              flush=True)
        before = len(tally.finished)
        rasa_outage(bot, tally)
        print(f"faults: {len(tally.finished) - before} visitors through a kill -9 of Rasa", flush=True)
        if cluster is not None:
            before = len(tally.finished)
            postgres_outage(bot, tally, cluster)
            print(f"faults: {len(tally.finished) - before} visitors through PostgreSQL stopped and started",
                  flush=True)
        start_rss = {**rss(bot)}  # the restarted ones'
        with ThreadPoolExecutor(1) as background:
            worker_kill = background.submit(worker_killed_mid_delivery, worker, receiver)
            for users in (int(x) for x in args.levels.split(",")):
                done = load(bot, tally, users, args.minutes * 60)
                print(f"load: {users} visitors, {args.minutes:g} min: {done} conversations", flush=True)
            worker_killed = worker_kill.result()
        print(f"faults: the sync worker killed -9 mid-delivery: {'yes' if worker_killed else 'NO EVENT CAME'}",
              flush=True)
        soak(bot, tally, args.soak)
        print(f"soak: {args.soak} messages in one conversation", flush=True)
        end_rss = rss(bot)
        states = drain(sessions)
        elapsed = time.monotonic() - started
        worker_alive = worker.proc.poll() is None
    finally:
        worker.proc.terminate()
        worker.proc.wait(timeout=30)
        bot.stop()

    with sessions() as s:
        leads = list(s.scalars(select(Lead).where(Lead.conversation_id.in_(tally.finished))))
    engine.dispose()
    per_conversation = Counter(lead.conversation_id for lead in leads)
    wrong = [lead.conversation_id for lead in leads
             if any(getattr(lead, key) != value for key, value in tally.finished[lead.conversation_id].items())]
    accepted = Counter(r["headers"].get("Idempotency-Key") for r in receiver.requests if r["fault"] is None)
    # a request the CRM processed although its answer was lost (a timeout, a killed worker)
    processed = Counter(r["headers"].get("Idempotency-Key") for r in receiver.requests
                        if r["fault"] in (None, "sleep", "accept_then_sleep"))

    print(f"\n{tally.turns} turns in {elapsed:.0f} s, store {args.store}, cpus={os.cpu_count()} "
          f"load={os.getloadavg()[0]:.2f}")
    print(f"leads expected {len(tally.finished)} / stored {len(per_conversation)} / "
          f"duplicated {sum(c - 1 for c in per_conversation.values())} / wrong {len(wrong)}")
    print(f"CRM requests sent {len(receiver.requests)} (faults injected {sum(1 for r in receiver.requests if r['fault'])}) "
          f"/ events accepted {len(accepted)} / accepted twice {sum(1 for c in accepted.values() if c > 1)} / "
          f"resent after a lost answer (same id, kept once) {sum(1 for c in processed.values() if c > 1)} / "
          f"outbox {dict(states)} / sync worker running at the end: {worker_alive}")
    print(f"answers lost {len(tally.lost)} (no reply or an error); cut off by the Rasa kill and sent again "
          f"{tally.cut_off}; answered 'couldn't save that just now' {tally.deferred}")
    for line in tally.lost[:10]:
        print(f"  {line}")
    print("RSS MiB start -> end: " + ", ".join(f"{name} {start_rss[name]:.0f} -> {end_rss[name]:.0f}"
                                              for name in ("rasa", "actions")))
    missing = sorted(set(tally.finished) - set(per_conversation))
    if missing:
        print(f"  not stored: {missing[:10]}")
    if wrong:
        print(f"  wrong: {wrong[:10]}")
    bad = missing or wrong or tally.lost or any(c > 1 for c in per_conversation.values()) \
        or any(c > 1 for c in accepted.values()) or set(states) - {"delivered"} or not worker_alive
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
