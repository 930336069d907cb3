"""Fault bench: nothing lost, nothing twice, on a freshly started leadbot (issue 17).

Starts the real action server, Rasa server, a `leadbot sync --follow` worker and a webhook CRM
(tests/crm_sync/fake_receiver.py: signature check, one record per Idempotency-Key, faults on
demand), then runs:

1. faults: visitors mid-conversation while the action server is killed (-9) and restarted,
   and while the CRM answers 503s, resets connections and sleeps past the timeout;
2. load: `--minutes` of 16 and 32 concurrent visitors (bench/conversations.py's script);
3. soak: one conversation of `--soak` messages.

Then waits for the CRM queue to drain and prints leads expected / stored / duplicated / wrong,
CRM events sent / accepted / accepted twice / undelivered, answers lost, and the RSS of Rasa
and the action server at the start and the end.

    .venvs/app/bin/python bench/faults.py [--minutes 2] [--levels 16,32] [--soak 600]
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
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.conversations import SCRIPT  # noqa: E402
from bench.perf import LONG_SESSION_EXTRA  # noqa: E402
from bot.store.db import make_engine, session_factory  # noqa: E402
from bot.store.schema import Lead, OutboxEvent  # noqa: E402
from tests.crm_sync.fake_receiver import FakeReceiver, Fault  # noqa: E402
from tests.e2e.servers import BotServers  # noqa: E402

SECRET = "bench-webhook-secret"
NAME, COMPANY = "Sam Ortiz", "Brightwell Dental"
DEFERRED = "couldn't save that just now"  # domain.yml utter_service_unavailable: the action server is down


@dataclass
class Tally:
    """What the visitors saw: conversations finished (their e-mails) and turns without an answer."""

    finished: dict[str, str] = field(default_factory=dict)  # sender -> e-mail
    turns: int = 0
    deferred: int = 0  # answered "couldn't save that just now" (the action server was down)
    lost: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    numbers: itertools.count = field(default_factory=itertools.count)

    def turn(self, http: requests.Session, url: str, sender: str, text: str) -> None:
        try:
            r = http.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120)
            answered = r.ok and bool(r.json())
            why = f"{r.status_code} {r.text[:80]}"
            deferred = r.ok and any(DEFERRED in (m.get("text") or "") for m in r.json())
        except requests.RequestException as exc:
            answered, why, deferred = False, repr(exc)[:80], False
        with self.lock:
            self.turns += 1
            self.deferred += deferred
            if not answered:
                self.lost.append(f"{sender}: {text!r} -> {why}")

    def visit(self, url: str, tag: str, http: requests.Session, pause: float = 0.0) -> None:
        """One whole qualification (a new visitor each time)."""
        n = next(self.numbers)
        sender = f"faults-{tag}-{n}"
        for text in SCRIPT:
            self.turn(http, url, sender, text.format(n=n))
            time.sleep(pause)
        with self.lock:
            self.finished[sender] = SCRIPT[-1].format(n=n)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss(bot: BotServers) -> dict[str, float]:
    return {name: rss_mib(bot.process(name).pid) for name in ("rasa", "actions")}


def faults(bot: BotServers, receiver: FakeReceiver, tally: Tally) -> None:
    """Eight visitors a turn every 2 s; the action server killed -9 3 s in and started again 3 s
    later (it takes a few seconds to answer again; they go on answering meanwhile, and those
    still talking afterwards finish with it); the CRM failing in every way it can."""
    receiver.inject(*[Fault("status", 503)] * 20, *[Fault("reset")] * 10, *[Fault("sleep", seconds=1.0)] * 5,
                    *[Fault("status", 429, retry_after="1")] * 5)
    with ThreadPoolExecutor(8) as pool:
        visits = [pool.submit(tally.visit, bot.rasa_url, "kill", requests.Session(), 2.0) for _ in range(8)]
        time.sleep(3)
        bot.kill_actions()
        time.sleep(3)
        bot.start_actions()
        for visit in visits:
            visit.result()


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
    tally.finished[sender] = SCRIPT[-1].format(n="soak")


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
    parser.add_argument("--keep", action="store_true", help="keep the stores and logs (the folder is printed)")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="leadbot-faults-")
    try:
        with FakeReceiver(SECRET) as receiver:
            return run(Path(tmp), receiver, args)
    finally:
        if args.keep:
            print(f"stores and logs in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run(tmp: Path, receiver: FakeReceiver, args: argparse.Namespace) -> int:
    bot = BotServers(tmp, env_overrides={"LEADBOT_WEBHOOK_SECRET": SECRET})
    bot.start()
    (bot.settings_dir / "crm.yml").write_text(
        "timeout_seconds: 0.8\nlease_seconds: 5\npoll_seconds: 0.1\n"
        "retry: {base_seconds: 0.2, max_seconds: 2, jitter: 0.2, max_attempts: 30}\n"
        f"provider: webhook\nwebhook: {{url: '{receiver.url}'}}\n")
    worker = subprocess.Popen([sys.executable, "-m", "bot.cli", "sync", "--follow", "--worker-id", "bench"],
                              cwd=ROOT, env=bot.env, stdout=subprocess.DEVNULL,
                              stderr=(tmp / "sync.log").open("w"))
    engine = make_engine(bot.database_url)
    sessions = session_factory(engine)
    tally = Tally()
    try:
        start_rss = rss(bot)
        started = time.monotonic()
        faults(bot, receiver, tally)
        print(f"faults: {len(tally.finished)} visitors through a kill -9 of the action server and a failing CRM",
              flush=True)
        start_rss["actions"] = rss(bot)["actions"]  # the restarted one's
        for users in (int(x) for x in args.levels.split(",")):
            done = load(bot, tally, users, args.minutes * 60)
            print(f"load: {users} visitors, {args.minutes:g} min: {done} conversations", flush=True)
        soak(bot, tally, args.soak)
        print(f"soak: {args.soak} messages in one conversation", flush=True)
        end_rss = rss(bot)
        states = drain(sessions)
        elapsed = time.monotonic() - started
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        bot.stop()

    with sessions() as s:
        leads = list(s.scalars(select(Lead).where(Lead.conversation_id.in_(tally.finished))))
    engine.dispose()
    per_conversation = Counter(lead.conversation_id for lead in leads)
    wrong = [lead.conversation_id for lead in leads
             if (lead.email, lead.name, lead.company) != (tally.finished[lead.conversation_id], NAME, COMPANY)]
    accepted = Counter(r["headers"].get("Idempotency-Key") for r in receiver.requests if r["fault"] is None)

    print(f"\n{tally.turns} turns in {elapsed:.0f} s, cpus={os.cpu_count()} load={os.getloadavg()[0]:.2f}")
    print(f"leads expected {len(tally.finished)} / stored {len(per_conversation)} / "
          f"duplicated {sum(c - 1 for c in per_conversation.values())} / wrong {len(wrong)}")
    print(f"CRM requests sent {len(receiver.requests)} (faults injected {sum(1 for r in receiver.requests if r['fault'])}) "
          f"/ events accepted {len(accepted)} / accepted twice {sum(1 for c in accepted.values() if c > 1)} / "
          f"outbox {dict(states)}")
    print(f"answers lost {len(tally.lost)} (no reply or an error); answered 'couldn't save that just now' "
          f"{tally.deferred}")
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
        or any(c > 1 for c in accepted.values()) or set(states) - {"delivered"}
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
