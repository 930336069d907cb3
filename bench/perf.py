"""Benchmark: our bot against the same training data under Rasa's default configuration.

One command, every configuration side by side in ONE run so ratios hold even on a busy
machine (each line also prints the load average at that moment):

- trains the same domain and data with Rasa's default config (`rasa init` pipeline and
  policies: DIET with entities, ResponseSelector, TED, UnexpecTED) into bench/.work/default
  (kept between runs: `rasa train` skips unchanged work), and times a forced training of
  our config.yml into bench/.work/ours (never touches models/leadbot.tar.gz);
- starts three setups, each with the real action server(s) and an SQLite tracker store:
  `ours` (config.yml, endpoints.yml: one Rasa process), `ours-x2` (two Rasa processes,
  each with its own action server, Redis lock store, one shared tracker store, consecutive
  turns of a conversation sent to alternating processes: docs/scaling.md on one machine)
  and `default` (the default-config model on Rasa's stock deployment: its SQL tracker
  store, the domain sent with every action call, no rasa_addons); reports start time and
  the Rasa process tree's memory (RSS from /proc);
- conversation throughput and latency at 1, 8, 32 concurrent conversations, the setups
  interleaved level by level, and the throughput ratio of each of ours to the default;
- in-form answers filling the requested slot, and session length (one sender, N
  messages, p50 of the first 100 against the last 100), for `ours` and `default`;
- the slot parsers' table accuracy;
- NLU intent macro-F1 of both models on the held-out tests/nlu/test_nlu.yml and, with
  --cv, 5-fold cross-validation of both configs on data/nlu.yml.

    .venvs/app/bin/python bench/perf.py --all       # about 25-35 min on 2 quiet cores
    .venvs/app/bin/python bench/perf.py --quick     # about 8-12 min: fewer conversations,
                                                    # 300-message session, no CV, no forced training
    .venvs/app/bin/python bench/perf.py --quick --baseline-epochs 5   # the baseline trained in minutes,
                                                    # not hours (every language's data): speed only
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.conversations import SCRIPT, percentile  # noqa: E402
from tests.e2e.servers import MODEL, RASA_BIN, BotServers, RedisServer, wait_until  # noqa: E402

WORK = ROOT / "bench" / ".work"
# Rasa's own defaults: with no pipeline and no policies, `rasa train` fills in the
# `rasa init` configuration (and writes it into this copy of the file).
DEFAULT_CONFIG = "recipe: default.v1\nlanguage: en\nassistant_id: leadbot-default\npipeline:\npolicies:\n"
# Messages a long session cycles through after the qualification script: questions and
# small talk a visitor might send, so every turn runs NLU, policies and actions.
LONG_SESSION_EXTRA = ["what do you do?", "ok thanks", "how much does it cost?", "hello again",
                      "can I talk to a person?", "thanks, bye"]


def machine() -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"cpus={os.cpu_count()} load={load}"


def log(line: str) -> None:
    print(f"{line}    [{machine()}]", flush=True)


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


@dataclass
class Bot:
    """One configuration under test: a model, its servers, and what starting them cost."""

    name: str
    model: Path
    servers: list["ModelServers"]
    ready_s: float = 0.0

    @property
    def urls(self) -> list[str]:
        return [s.rasa_url for s in self.servers]

    def rasa_rss_mb(self) -> float:
        return sum(rss_mb(s.rasa_pid) for s in self.servers)


class ModelServers(BotServers):
    """BotServers with a chosen model and endpoints file (the tests always use the shared model)."""

    def __init__(self, workdir: Path, model: Path, endpoints: Path, actions_port: int | None = None,
                 start_actions: bool = True, **kw):
        super().__init__(workdir, auth_token=None, **kw)
        self.model, self.endpoints, self.start_actions = model, endpoints, start_actions
        if actions_port:
            self.actions_port = actions_port

    def start(self) -> "ModelServers":
        self.workdir.mkdir(parents=True, exist_ok=True)
        shutil.copytree(ROOT / "settings", self.settings_dir, dirs_exist_ok=True)
        if self.start_actions:
            app_python = ROOT / ".venvs" / "app" / "bin" / "python"
            actions_log = self.workdir / "actions.log"
            actions = subprocess.Popen(
                [str(app_python), "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.actions_port)],
                cwd=ROOT, env=self.env, stdout=actions_log.open("w"), stderr=subprocess.STDOUT)
            self.procs.append(actions)
            wait_until(lambda: requests.get(f"http://127.0.0.1:{self.actions_port}/health", timeout=2).ok,
                       60, "action server", actions, actions_log)
        rasa = self._start_rasa("w")
        wait_until(lambda: self._model_ready(), 300, "Rasa server", rasa, self.workdir / "rasa.log")
        return self

    def _start_rasa(self, log_mode: str) -> subprocess.Popen:
        cmd = [str(RASA_BIN), "run", "--model", str(self.model), "--enable-api",
               "--interface", "127.0.0.1", "--port", str(self.rasa_port),
               "--endpoints", str(self.endpoints), "--credentials", str(ROOT / "credentials.yml")]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=(self.workdir / "rasa.log").open(log_mode),
                                stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    @property
    def rasa_pid(self) -> int:
        return next(p.pid for p in self.procs if p.args[0] == str(RASA_BIN))


def rasa_env(workdir: Path) -> dict[str, str]:
    return BotServers(workdir).env


# The same configuration written out (as `rasa init` writes it in 3.6), so that its neural
# components' epochs can be set: `--baseline-epochs`.
DEFAULT_CONFIG_EXPLICIT = """recipe: default.v1
language: en
assistant_id: leadbot-default
pipeline:
  - name: WhitespaceTokenizer
  - name: RegexFeaturizer
  - name: LexicalSyntacticFeaturizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: {epochs}
    constrain_similarities: true
  - name: EntitySynonymMapper
  - name: ResponseSelector
    epochs: {epochs}
    constrain_similarities: true
  - name: FallbackClassifier
    threshold: 0.3
    ambiguity_threshold: 0.1
policies:
  - name: MemoizationPolicy
  - name: RulePolicy
  - name: UnexpecTEDIntentPolicy
    max_history: 5
    epochs: {epochs}
  - name: TEDPolicy
    max_history: 5
    epochs: {epochs}
    constrain_similarities: true
"""


def train_default(workdir: Path, epochs: int | None = None) -> Path:
    """The same domain and data under Rasa's default config (reused while unchanged).

    With `epochs`, its four neural components (DIET, ResponseSelector, UnexpecTED, TED) train
    for that many epochs instead of 100: the same networks, so the same work per message, but
    minutes of training instead of hours on the data of every language (2 cores). Only the
    speed comparison holds then; its intent F1 is not reported."""
    out = WORK / ("default" if epochs is None else f"default-e{epochs}")
    out.mkdir(parents=True, exist_ok=True)
    config = out / "config.yml"
    if not config.exists():
        config.write_text(DEFAULT_CONFIG if epochs is None else DEFAULT_CONFIG_EXPLICIT.format(epochs=epochs))
    started = time.perf_counter()
    subprocess.run([str(RASA_BIN), "train", "--config", str(config), "--domain", "domain.yml",
                    "--data", "data", "--out", str(out), "--fixed-model-name", "default"],
                   cwd=ROOT, check=True, capture_output=True, env=rasa_env(workdir))
    log(f"default-config model ready in {time.perf_counter() - started:.1f} s (training skipped when unchanged)")
    return out / "default.tar.gz"


def time_training(workdir: Path) -> float:
    out = WORK / "ours"
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run([str(RASA_BIN), "train", "--force", "--out", str(out), "--fixed-model-name", "ours"],
                   cwd=ROOT, check=True, capture_output=True, env=rasa_env(workdir))
    return time.perf_counter() - started


# Rasa's stock deployment for the default-config bot: its SQL tracker store, the domain in
# every action call, none of rasa_addons (the default pipeline never imports it).
STOCK_ENDPOINTS = ("action_endpoint:\n  url: ${LEADBOT_ACTION_ENDPOINT}\n  token: ${LEADBOT_ACTIONS_TOKEN}\n"
                   "tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: ${LEADBOT_TRACKER_DB}\n")


def write_endpoints(path: Path, redis_port: int | None, stock: bool = False) -> Path:
    text = STOCK_ENDPOINTS if stock else (ROOT / "endpoints.yml").read_text()
    if redis_port:
        kind = "redis" if stock else "rasa_addons.lock_store.AtomicRedisLockStore"
        text += f"\nlock_store:\n  type: {kind}\n  url: 127.0.0.1\n  port: {redis_port}\n  db: 0\n"
    path.write_text(text)
    return path


def start_bot(name: str, model: Path, workdir: Path, processes: int = 1, redis_port: int | None = None,
              stock: bool = False) -> Bot:
    """`processes` Rasa servers (each with its own action server) sharing one tracker store."""
    workdir.mkdir(parents=True, exist_ok=True)
    endpoints = write_endpoints(workdir / "endpoints.yml", redis_port, stock)
    shared = {"LEADBOT_TRACKER_DB": str(workdir / "tracker.db"),
              "LEADBOT_DATABASE_URL": f"sqlite:///{workdir / 'leadbot.db'}"}
    started = time.perf_counter()
    servers = [ModelServers(workdir / f"p{i}", model, endpoints, env_overrides=shared) for i in range(processes)]
    with ThreadPoolExecutor(processes) as pool:
        list(pool.map(lambda s: s.start(), servers))
    return Bot(name, model, servers, time.perf_counter() - started)


def converse(urls: list[str], sender: str, n: int, http: requests.Session) -> list[float]:
    latencies = []
    for turn, text in enumerate(SCRIPT):
        url = urls[(n + turn) % len(urls)]  # with two processes, consecutive turns alternate
        started = time.perf_counter()
        r = http.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text.format(n=n)},
                      timeout=300)
        r.raise_for_status()
        latencies.append(time.perf_counter() - started)
    return latencies


def load_level(bot: Bot, users: int, conversations: int) -> dict:
    tag = f"{bot.name}-{users}-{time.time_ns()}"
    sessions = [requests.Session() for _ in range(users)]
    started = time.perf_counter()
    with ThreadPoolExecutor(users) as pool:
        futures = [pool.submit(converse, bot.urls, f"{tag}-{i}", i, sessions[i % users])
                   for i in range(conversations)]
        lat = [x for f in futures for x in f.result()]
    elapsed = time.perf_counter() - started
    return {"turns": len(lat), "turns_per_s": len(lat) / elapsed, "p50_ms": 1000 * percentile(lat, 50),
            "p95_ms": 1000 * percentile(lat, 95), "p99_ms": 1000 * percentile(lat, 99)}


def long_session(bot: Bot, messages: int) -> tuple[float, float]:
    """p50 of the first 100 and the last 100 turns of one sender."""
    http, sender, lat = requests.Session(), f"long-{bot.name}-{time.time_ns()}", []
    texts = cycle(SCRIPT + LONG_SESSION_EXTRA)
    for i in range(messages):
        started = time.perf_counter()
        r = http.post(f"{bot.urls[0]}/webhooks/rest/webhook",
                      json={"sender": sender, "message": next(texts).format(n=i)}, timeout=300)
        r.raise_for_status()
        lat.append(time.perf_counter() - started)
    return 1000 * statistics.median(lat[:100]), 1000 * statistics.median(lat[-100:])


# In-form answers in wordings of our own (not from data/nlu.yml), one list per requested
# slot, in the form's order; SCRIPT[1 + k] is the plain answer that reaches slot k + 1.
IN_FORM_ANSWERS = {
    "need": ["honestly we just want more demos booked from the site", "LEAD QUALIFICATION for our sales team!!",
             "looking to automate first-contact questions from prospects", "a bot to screen inbound leads pls",
             "mostly support tickets tbh, also some sales qualification"],
    "timeline": ["asap", "next quarter probably", "by end of march", "no rush, maybe in 6 months",
                 "within 2 weeks if possible 🙏"],
    "authority": ["me, I'm the CEO", "i decide together with our CFO", "my boss signs off on it",
                  "I'm the one who decides", "the board has final say, I recommend"],
    "budget": ["$5,000/month", "somewhere between 10 and 15k per year", "not sure yet, maybe 2k",
               "50 000 EUR annually", "under 1k a month"],
    "name": ["Priya Raman", "it's Jonas", "my name is Ana-Lucía Pérez", "call me Ted", "Li Wei"],
    "company": ["Acme Robotics Ltd", "i work at Northwind", "Blue Harbor Dental, a clinic in Leeds",
                "we're Globex", "freelancer, no company name: Studio Kim"],
    "email": ["priya@acme.example", "my email is jonas.k@northwind.example", "ANA@BLUEHARBOR.EXAMPLE",
              "ted+bot@globex.example", "you can reach me at li.wei@studiokim.example"],
}


def tracker_slots(url: str, sender: str) -> dict:
    return requests.get(f"{url}/conversations/{sender}/tracker", timeout=60).json()["slots"]


def in_form_fill_share(bot: Bot) -> tuple[int, int, list[str]]:
    """Share of in-form answers that fill the slot the form asked for (not swallowed by another intent)."""
    url, http, filled, total, missed = bot.urls[0], requests.Session(), 0, 0, []
    for k, (slot, answers) in enumerate(IN_FORM_ANSWERS.items()):
        for j, answer in enumerate(answers):
            sender = f"fill-{bot.name}-{slot}-{j}-{time.time_ns()}"
            for text in SCRIPT[: k + 1]:
                http.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text.format(n=j)},
                          timeout=300).raise_for_status()
            if tracker_slots(url, sender).get("requested_slot") != slot:
                missed.append(f"{slot}: form not asking for it before {answer!r}")
                total += 1
                continue
            http.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": answer},
                      timeout=300).raise_for_status()
            total += 1
            if tracker_slots(url, sender).get(slot) not in (None, ""):
                filled += 1
            else:
                missed.append(f"{slot}: {answer!r}")
    return filled, total, missed


def heldout_f1(model: Path, workdir: Path) -> float:
    out = Path(tempfile.mkdtemp(dir=workdir))
    subprocess.run([str(RASA_BIN), "test", "nlu", "--model", str(model), "--nlu", "tests/nlu/test_nlu.yml",
                    "--out", str(out)], cwd=ROOT, check=True, capture_output=True, env=rasa_env(workdir))
    return json.loads((out / "intent_report.json").read_text())["macro avg"]["f1-score"]


def cv_f1(config: Path, workdir: Path) -> float:
    out = Path(tempfile.mkdtemp(dir=workdir))
    subprocess.run([str(RASA_BIN), "test", "nlu", "--config", str(config), "--nlu", "data/nlu.yml",
                    "--cross-validation", "--folds", "5", "--out", str(out)],
                   cwd=ROOT, check=True, capture_output=True, env=rasa_env(workdir))
    return json.loads((out / "intent_report.json").read_text())["macro avg"]["f1-score"]


def parser_accuracy() -> tuple[int, int]:
    """Rows right / rows in the slot parsers' tables (tests/parsing: one parametrized case a row)."""
    # Rows that time the parsers on huge or hostile input (they fail on a loaded machine) are not parsing rows.
    run = subprocess.run([str(ROOT / ".venvs" / "app" / "bin" / "python"), "-m", "pytest", "tests/parsing",
                          "-q", "-p", "no:cacheprovider", "-rN", "-k", "not huge_input_is_fast and not quickly"],
                         cwd=ROOT, capture_output=True, text=True)
    summary = run.stdout.strip().splitlines()[-1]
    counts = {word: int(n) for n, word in (p.split()[:2] for p in summary.split(" in ")[0].split(", "))}
    passed = counts.get("passed", 0)
    return passed, passed + counts.get("failed", 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--all", action="store_true", help="everything, full sizes (about 30 min)")
    mode.add_argument("--quick", action="store_true", help="smaller sizes, no CV, no forced training")
    parser.add_argument("--levels", default="1,8,32")
    parser.add_argument("--skip-scaleout", action="store_true")
    parser.add_argument("--baseline-epochs", type=int, default=None,
                        help="train the default config's neural components for N epochs (same networks, "
                             "so the same speed; its F1 is then not reported)")
    args = parser.parse_args()
    conversations = 32 if args.all else 16
    session_len = 600 if args.all else 300

    log(f"perf bench {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} mode={'all' if args.all else 'quick'}")
    WORK.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="perf-", dir=WORK))
    bots: list[Bot] = []
    try:
        if args.all:
            log(f"training, forced, our config.yml: {time_training(workdir):.1f} s   (target <= 90 s)")
        default_model = train_default(workdir, args.baseline_epochs)
        redis = None if args.skip_scaleout else RedisServer(workdir / "redis")
        setups = [("ours", MODEL, 1, False), ("default", default_model, 1, True)]
        if redis:
            setups.insert(1, ("ours-x2", MODEL, 2, False))
        for name, model, processes, stock in setups:
            bot = start_bot(name, model, workdir / name, processes, redis.port if processes > 1 else None, stock)
            bots.append(bot)
            log(f"{name}: {processes} Rasa process(es) ready in {bot.ready_s:.1f} s (target <= 30 s), "
                f"Rasa RSS {bot.rasa_rss_mb():.0f} MB (target <= 800 MB per process)")

        print(f"{'config':>8} {'users':>5} {'turns':>6} {'turns/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        results: dict[tuple[str, int], dict] = {}
        for users in (int(x) for x in args.levels.split(",")):
            for bot in bots:  # interleaved: every setup measured under the same load
                row = load_level(bot, users, max(conversations, users))
                results[bot.name, users] = row
                log(f"{bot.name:>8} {users:>5} {row['turns']:>6} {row['turns_per_s']:>8.1f} "
                    f"{row['p50_ms']:>8.0f} {row['p95_ms']:>8.0f} {row['p99_ms']:>8.0f}")
        top = max(int(x) for x in args.levels.split(","))
        for bot in bots[:-1]:
            ratio = results[bot.name, top]["turns_per_s"] / results["default", top]["turns_per_s"]
            log(f"throughput ratio {bot.name}/default at {top} users: {ratio:.2f}x (target >= 3x)")
        for bot in bots:
            log(f"{bot.name}: Rasa RSS after load {bot.rasa_rss_mb():.0f} MB")

        singles = [bot for bot in bots if len(bot.servers) == 1]
        for bot in singles:
            filled, total, missed = in_form_fill_share(bot)
            log(f"{bot.name}: in-form answers that fill the requested slot: {filled}/{total} "
                f"= {100 * filled / total:.0f}%" + (f"; not filled: {'; '.join(missed)}" if missed else ""))

        for bot in singles:
            first, last = long_session(bot, session_len)
            log(f"{bot.name}: one sender, {session_len} messages: p50 first 100 {first:.0f} ms, "
                f"last 100 {last:.0f} ms, ratio {last / first:.2f} (target <= 1.3)")

        for bot in bots:
            for s in bot.servers:
                s.stop()
        bots.clear()
        if redis:
            redis.stop()

        right, rows = parser_accuracy()
        log(f"slot parsers: {right}/{rows} table rows right = {100 * right / rows:.1f}% (target >= 97%)")
        for name, model in (("ours", MODEL), ("default", default_model)):
            if name == "default" and args.baseline_epochs is not None:
                log(f"default: NLU intent macro-F1 not reported (trained {args.baseline_epochs} epochs, for speed only)")
                continue
            log(f"{name}: NLU intent macro-F1 on held-out tests/nlu/test_nlu.yml: {heldout_f1(model, workdir):.3f}")
        if args.all:
            for name, config in (("ours", ROOT / "config.yml"), ("default", WORK / "default" / "config.yml")):
                log(f"{name}: NLU intent macro-F1, 5-fold CV on data/nlu.yml: {cv_f1(config, workdir):.3f}")
    finally:
        for bot in bots:
            for s in bot.servers:
                s.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
