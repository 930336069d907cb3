"""`scripts/run-scaled.sh N` started and stopped for tests and benchmarks (tests/e2e/test_scaled_stack.py,
bench/scale.py): the real script on free ports, its data and PostgreSQL files in temporary folders."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text

from tests.e2e.servers import MODEL, ROOT, wait_until
from tests.ports import free_block, free_port
from tests.supervision.test_run_script import _alive, _descendants


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a /metrics page: (name, sorted labels) -> value."""
    page = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(page) for s in family.samples}


@dataclass
class Stack:
    proc: subprocess.Popen
    data_dir: Path
    balancer: int
    base: int
    log: Path
    scale: int

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
        return all(requests.get(f"http://127.0.0.1:{self.base + i}/", timeout=2).ok for i in range(1, self.scale + 1))

    def ready(self) -> bool:
        states = self.states()
        return (len(states) == 4 + 2 * self.scale + 9 and set(states.values()) == {"RUNNING"} and self.both_up()
                and bool(self.say(f"ready-{uuid.uuid4().hex[:6]}", "hi")))


@contextmanager
def running_stack(scale: int, workdir: Path, env_overrides: dict[str, str] | None = None) -> Iterator[Stack]:
    """The stack with `scale` Rasa processes, ready (every process running, both stores up, a chat
    answered through the balancer); stopped with SIGTERM as a user does, nothing left behind."""
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train` first")
    for program in ("haproxy", "redis-server"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed (scripts/test-deps.sh installs it)")
    if not Path("/usr/lib/rabbitmq/bin/rabbitmq-server").exists():
        pytest.skip("rabbitmq-server is not installed (scripts/test-deps.sh installs it)")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
        pytest.skip("PostgreSQL is not installed (scripts/test-deps.sh installs it)")
    data_dir = workdir / "runtime"
    pg_dir = Path(tempfile.mkdtemp(prefix="leadbot-scaled-pg-"))  # in /tmp: the postgres account reaches it
    rabbitmq_dir = Path(tempfile.mkdtemp(prefix="leadbot-scaled-rabbitmq-"))  # and the rabbitmq account
    rabbitmq_dir.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEADBOT_", "SANIC_"))}
    stack = Stack(None, data_dir, free_port(), free_block(100), workdir / "run-scaled.log", scale)  # type: ignore[arg-type]
    env.update(LEADBOT_DATA_DIR=str(data_dir), LEADBOT_PG_DIR=str(pg_dir),
               LEADBOT_RABBITMQ_DIR=str(rabbitmq_dir / "node"),
               LEADBOT_BALANCER_PORT=str(stack.balancer), LEADBOT_SCALED_PORT=str(stack.base),
               LEADBOT_DASHBOARD_PORT=str(free_port()), **(env_overrides or {}))
    stack.proc = subprocess.Popen([str(ROOT / "scripts" / "run-scaled.sh"), str(scale)], cwd=ROOT, env=env,
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
        shutil.rmtree(rabbitmq_dir, ignore_errors=True)


def user_messages(stack: Stack, sender: str) -> list[str]:
    """The texts of a conversation's user messages in the shared tracker store, in order."""
    engine = create_engine(f"postgresql+psycopg://leadbot@127.0.0.1:{stack.base + 40}/rasa_tracker")
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
                                {"s": sender})
            return [json.loads(row[0])["text"] for row in rows]
    finally:
        engine.dispose()


def kill(stack: Stack, program: str) -> int:
    """SIGKILL one supervised program (`rasa-1`...); its pid."""
    pid = stack.pid(f"leadbot:{program}")
    os.kill(pid, signal.SIGKILL)
    return pid
