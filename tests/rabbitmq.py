"""A throw-away RabbitMQ node for tests (Debian's rabbitmq-server, which scripts/test-deps.sh
installs), started through deploy/rabbitmq.sh as the scaled stack starts its own, on free
loopback ports, in a directory of its own. `stop()` and `start()` again keep its data (an
outage: durable queues and persistent messages survive). Loaded from tests/conftest.py."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pika
import pytest
from pika.exceptions import AMQPError

from tests.e2e.servers import ROOT, free_port

SCRIPT = ROOT / "deploy" / "rabbitmq.sh"
SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")


@dataclass
class RabbitMQ:
    root: Path
    port: int = field(default_factory=free_port)
    dist_port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    def start(self, timeout: float = 90) -> "RabbitMQ":
        log = (self.root.parent / f"{self.root.name}.log").open("a")
        self.proc = subprocess.Popen([str(SCRIPT), str(self.root), str(self.port), str(self.dist_port)],
                                     stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"RabbitMQ exited with {self.proc.returncode}: see {log.name}")
            if self.answers():
                return self
            time.sleep(0.3)
        raise TimeoutError(f"RabbitMQ not ready after {timeout} s: see {log.name}")

    def answers(self) -> bool:
        try:
            pika.BlockingConnection(pika.URLParameters(self.url + "?connection_attempts=1&socket_timeout=1")).close()
            return True
        except AMQPError:
            return False

    def stop(self) -> None:
        """A clean shutdown (SIGTERM), as a service manager stops it."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        self.proc = None

    def queued(self, queue: str) -> int:
        connection = pika.BlockingConnection(pika.URLParameters(self.url))
        try:
            return connection.channel().queue_declare(queue, durable=True, passive=True).method.message_count
        finally:
            connection.close()


def make_rabbitmq() -> RabbitMQ:
    if not SERVER.exists():
        pytest.skip("rabbitmq-server is not installed (scripts/test-deps.sh installs it)")
    # Not under pytest's 0700 tmp dir: as root the node runs as the rabbitmq account.
    root = Path(tempfile.mkdtemp(prefix="leadbot-rabbitmq-"))
    os.chmod(root, 0o755)
    return RabbitMQ(root / "node")


@pytest.fixture
def rabbitmq() -> Iterator[RabbitMQ]:
    """A RabbitMQ node for one test, which it may stop and start (an outage)."""
    node = make_rabbitmq()
    try:
        yield node.start()
    finally:
        node.stop()
        shutil.rmtree(node.root.parent, ignore_errors=True)
