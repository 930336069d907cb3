"""`scripts/run-scaled.sh 2` (`make run-scaled N=2`) as a user starts it: two Rasa processes and
two action servers behind HAProxy, PostgreSQL, Redis, two sync workers, two card senders and
the dashboard, under supervisord. A Rasa process is killed (SIGKILL) mid-conversation, once
under a REST visitor and once under a socket.io one on a WebSocket; each conversation goes on
through the other process with nothing lost or answered twice.

The real script, the real trained model, real processes really killed.
"""
from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
import socketio
from sqlalchemy import create_engine, text

from tests.conftest import NOW
from tests.crm_sync.test_metrics_endpoint import scrape
from tests.e2e.servers import MODEL, ROOT, free_port, wait_until
from tests.e2e.test_conversations import ASKS, asked, stored
from tests.e2e.test_scale_out import SCRIPT
from tests.supervision.test_run_script import _alive, _descendants

pytestmark = [pytest.mark.rasa, pytest.mark.postgres, pytest.mark.slow]  # about two minutes
SCALE = 2


def _free_block(size: int) -> int:
    """A first port of `size` consecutive ports nobody listens on (the stack's LEADBOT_SCALED_PORT)."""
    for _ in range(50):
        base = free_port()
        if base + size > 65000:
            continue
        try:
            for port in range(base, base + size):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise RuntimeError("no free block of ports")


@dataclass
class Stack:
    proc: subprocess.Popen
    data_dir: Path
    balancer: int
    base: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.balancer}"

    @property
    def database_url(self) -> str:
        return f"postgresql+psycopg://leadbot@127.0.0.1:{self.base + 40}/leadbot"

    def ctl(self, *args: str) -> str:
        return subprocess.run([str(ROOT / ".venvs" / "app" / "bin" / "supervisorctl"), "-s",
                               f"unix://{self.data_dir / 'scaled' / 'supervisor.sock'}", *args],
                              capture_output=True, text=True, timeout=30).stdout

    def states(self) -> dict[str, str]:
        return dict(line.split()[:2] for line in self.ctl("status").splitlines() if line.strip())

    def pid(self, program: str) -> int:
        return int(self.ctl("pid", program).strip())

    def say(self, sender: str, message: str) -> list[dict]:
        """One REST message through the balancer (no cookie: round robin)."""
        r = requests.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=120)
        r.raise_for_status()
        return r.json()

    def served(self) -> dict[str, float]:
        """Requests each Rasa process answered, as HAProxy counts them."""
        samples = scrape(self.base + 50)
        return {dict(labels)["server"]: value for (name, labels), value in samples.items()
                if name == "haproxy_server_http_responses_total" and dict(labels).get("code") == "2xx"}

    def both_up(self) -> bool:
        return all(requests.get(f"http://127.0.0.1:{self.base + i}/", timeout=2).ok for i in range(1, SCALE + 1))

    def ready(self) -> bool:
        states = self.states()
        return (len(states) == 3 + 2 * SCALE + 5 and set(states.values()) == {"RUNNING"} and self.both_up()
                and bool(self.say(f"ready-{uuid.uuid4().hex[:6]}", "hi")))


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train` first")
    for program in ("haproxy", "redis-server"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed (scripts/test-deps.sh installs it)")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
        pytest.skip("PostgreSQL is not installed (scripts/test-deps.sh installs it)")
    data_dir = tmp_path_factory.mktemp("scaled") / "runtime"
    pg_dir = Path(tempfile.mkdtemp(prefix="leadbot-scaled-pg-"))  # in /tmp: the postgres account reaches it
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEADBOT_", "SANIC_"))}
    stack = Stack(None, data_dir, free_port(), _free_block(80), data_dir.parent / "run-scaled.log")  # type: ignore[arg-type]
    env.update(LEADBOT_DATA_DIR=str(data_dir), LEADBOT_PG_DIR=str(pg_dir), LEADBOT_NOW=NOW,
               LEADBOT_BALANCER_PORT=str(stack.balancer), LEADBOT_SCALED_PORT=str(stack.base),
               LEADBOT_DASHBOARD_PORT=str(free_port()))
    stack.proc = subprocess.Popen([str(ROOT / "scripts" / "run-scaled.sh"), str(SCALE)], cwd=ROOT, env=env,
                                  stdout=stack.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until(stack.ready, 240, "run-scaled.sh", stack.proc, stack.log)
        yield stack
    finally:
        leftovers = _descendants(stack.proc.pid)
        if stack.proc.poll() is None:
            stack.proc.send_signal(signal.SIGTERM)
            try:
                stack.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        for pid in leftovers:  # only if something went wrong: never leave processes behind
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(pg_dir, ignore_errors=True)


def _user_messages(stack: Stack, sender: str) -> list[str]:
    engine = create_engine(f"postgresql+psycopg://leadbot@127.0.0.1:{stack.base + 40}/rasa_tracker")
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
                                {"s": sender})
            return [json.loads(row[0])["text"] for row in rows]
    finally:
        engine.dispose()


def _kill(stack: Stack, program: str) -> int:
    pid = stack.pid(f"leadbot:{program}")
    os.kill(pid, signal.SIGKILL)
    return pid


def test_a_rasa_process_killed_mid_conversation_the_other_carries_it_on(stack: Stack):
    sender, email = f"failover-{uuid.uuid4().hex[:8]}", "sam.ortiz@brightwell.example"
    script = [*SCRIPT, email]
    before = stack.served()
    questions = [asked(stack.say(sender, message)) for message in script[:4]]
    middle = stack.served()
    assert all(middle[f"rasa-{i}"] > before.get(f"rasa-{i}", 0) for i in (1, 2)), "round robin used both"

    killed = _kill(stack, "rasa-1")
    questions += [asked(stack.say(sender, message)) for message in script[4:]]
    after = stack.served()

    assert questions == [["need"], ["timeline"], ["authority"], ["budget"], ["name"], ["company"], ["email"], []]
    assert after["rasa-2"] - middle["rasa-2"] >= 1, "the living process carried the conversation on"
    assert _user_messages(stack, sender) == script, "every message stored once, in order"
    lead = stored(SimpleNamespace(database_url=stack.database_url), email)
    assert lead["conversation_id"] == sender and lead["company"] == "Brightwell Dental"
    assert lead["budget"]["min"] == 20000 and lead["authority"]["level"] == "decision_maker"
    wait_until(lambda: stack.pid("leadbot:rasa-1") not in (0, killed) and stack.both_up(), 180,
               "rasa-1 started again by supervisord", stack.proc, stack.log)


def _socket(stack: Stack, cookie: str | None, replies: queue.Queue) -> tuple[socketio.Client, str]:
    client = socketio.Client(reconnection=False, http_session=requests.Session())
    if cookie:
        client.eio.http.cookies.set("leadbot_rasa", cookie)
    confirmed: queue.Queue = queue.Queue()
    client.on("bot_uttered", lambda data: replies.put(data))
    client.on("session_confirm", lambda data: confirmed.put(data))
    # polling first, then the upgrade to a WebSocket: every request of the session on one process
    client.connect(stack.url, socketio_path="/socket.io", transports=["polling", "websocket"], wait_timeout=20)
    return client, confirmed  # type: ignore[return-value]


def _pinned(client: socketio.Client) -> set[str]:
    """The processes the client's balancer cookies name."""
    return {cookie.value for cookie in client.eio.http.cookies if cookie.name == "leadbot_rasa"}


def _until_asked(replies: queue.Queue, question: str) -> list[str]:
    texts = []
    while not any(ASKS[question] in t for t in texts):
        texts.append(replies.get(timeout=60).get("text", ""))
    return texts


def test_a_socketio_visitor_on_a_websocket_moves_to_the_other_process_when_its_own_dies(stack: Stack):
    wait_until(stack.both_up, 180, "both Rasa processes", stack.proc, stack.log)
    replies: queue.Queue = queue.Queue()
    client, confirmed = _socket(stack, None, replies)
    try:
        client.emit("session_request", {})
        session_id = confirmed.get(timeout=20)
        wait_until(lambda: client.transport() == "websocket", 20, "the WebSocket upgrade")
        [process] = _pinned(client)
        assert process in {f"rasa-{i}" for i in range(1, SCALE + 1)}, "HAProxy pinned the session by cookie"
        client.emit("user_uttered", {"message": "hi", "session_id": session_id})
        _until_asked(replies, "need")
        client.emit("user_uttered", {"message": SCRIPT[1], "session_id": session_id})
        _until_asked(replies, "timeline")
    finally:
        client.disconnect()

    _kill(stack, process)  # the process the session was pinned to
    replies = queue.Queue()
    client, confirmed = _socket(stack, process, replies)  # the browser still has the cookie
    try:
        client.emit("session_request", {"session_id": session_id})  # the widget keeps its session id
        assert confirmed.get(timeout=20) == session_id
        assert _pinned(client) - {process}, "HAProxy moved the session to a living process"
        client.emit("user_uttered", {"message": SCRIPT[2], "session_id": session_id})
        texts = _until_asked(replies, "authority")
        assert not any(ASKS["timeline"] in t for t in texts), "the answered question is not asked again"
    finally:
        client.disconnect()
    assert _user_messages(stack, session_id) == ["hi", SCRIPT[1], SCRIPT[2]]


def test_every_process_serves_metrics(stack: Stack):
    base = stack.base
    endpoints = {"actions": [base + 20 + i for i in range(1, SCALE + 1)], "sync": [base + 61, base + 62],
                 "notify": [base + 71, base + 72], "dashboard": [base + 51]}
    for kind, ports in endpoints.items():
        for port in ports:
            page = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
            family = "leadbot_action_seconds" if kind == "actions" else "leadbot_queue_pending"
            assert f"# TYPE {family} " in page, f"{kind} on {port}"
    assert scrape(base + 51)[("leadbot_store_up", ())] == 1
