"""A throw-away PostgreSQL server for the test session (when the server binaries are
installed; `scripts/test-deps.sh` installs them), one fresh database per test that asks
for `pg_database`, and a server of its own for a test that stops and starts it
(`pg_cluster`; bench/faults.py uses `make_cluster` too). Loaded for every test directory
from tests/conftest.py."""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from tests.ports import free_port as _free_port


def _server_binaries() -> tuple[str, str] | None:
    # Debian keeps the server binaries out of PATH, under /usr/lib/postgresql/<version>/bin
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    initdb = shutil.which("initdb") or (str(candidates[0]) if candidates else None)
    if not initdb:
        return None
    pg_ctl = shutil.which("pg_ctl") or str(Path(initdb).with_name("pg_ctl"))
    return (initdb, pg_ctl) if os.path.exists(pg_ctl) else None


def _unprivileged_user() -> str | None:
    """PostgreSQL refuses to run as root: use the postgres (or nobody) account."""
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    return None


@dataclass
class PgServer:
    port: int
    root: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://leadbot@127.0.0.1:{self.port}/{database}"


@dataclass
class PgCluster(PgServer):
    """A PostgreSQL server of its own (initdb'd in `root`) that can be stopped and started
    again on the same port and data, as an outage does."""

    pg_ctl: str = ""
    prefix: tuple[str, ...] = ()

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.prefix, *args], cwd=self.root, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed ({result.returncode}): {result.stderr}\n{tail}")

    def start(self) -> None:
        # synchronous_commit on: an immediate stop must not lose transactions already
        # committed (with it off, the last commits before a crash are lost by design)
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=on -c full_page_writes=off")
        self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options,
                  "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast`: clients disconnected, a clean shutdown; `immediate`: as if the server crashed."""
        self._run(self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop")


def make_cluster() -> PgCluster:
    """initdb a new cluster on a free port (skips the test when PostgreSQL is not installed)."""
    binaries = _server_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    initdb, pg_ctl = binaries
    prefix: tuple[str, ...] = ()
    root = Path(tempfile.mkdtemp(prefix="leadbot-pg-"))
    if os.geteuid() == 0:
        user = _unprivileged_user()
        runuser = shutil.which("runuser")
        if user is None or runuser is None:
            shutil.rmtree(root, ignore_errors=True)
            pytest.skip("running as root and no unprivileged account (postgres/nobody) or runuser to start PostgreSQL")
        shutil.chown(root, user)
        prefix = (runuser, "-u", user, "--")
    cluster = PgCluster(_free_port(), root, pg_ctl=pg_ctl, prefix=prefix)
    try:
        cluster._run(initdb, "-D", str(cluster.data), "-U", "leadbot", "-A", "trust", "-E", "UTF8", "--no-locale")
    except Exception:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return cluster


def _running(cluster: PgCluster) -> Iterator[PgCluster]:
    try:
        cluster.start()
    except Exception:
        shutil.rmtree(cluster.root, ignore_errors=True)
        raise
    try:
        yield cluster
    finally:
        subprocess.run([*cluster.prefix, cluster.pg_ctl, "-D", str(cluster.data), "-m", "immediate", "-w", "stop"],
                       cwd=cluster.root, capture_output=True, timeout=60)
        shutil.rmtree(cluster.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    yield from _running(make_cluster())


@pytest.fixture
def pg_cluster() -> Iterator[PgCluster]:
    """A PostgreSQL server for one test, which it may stop and start (an outage)."""
    yield from _running(make_cluster())


@pytest.fixture(scope="session")
def pg_admin(pg_server: PgServer) -> Iterator[Engine]:
    engine = create_engine(pg_server.url(), isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture
def pg_database(pg_server: PgServer, pg_admin: Engine) -> Iterator[str]:
    """A fresh, empty database on the session's server."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    with pg_admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield pg_server.url(name)
    with pg_admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


