"""A throw-away PostgreSQL server for the test session (when the server binaries are
installed; `scripts/test-deps.sh` installs them), one fresh database per test that asks
for `pg_database`. Loaded for every test directory from tests/conftest.py."""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    binaries = _server_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    initdb, pg_ctl = binaries
    prefix: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="leadbot-pg-"))
    if os.geteuid() == 0:
        user = _unprivileged_user()
        runuser = shutil.which("runuser")
        if user is None or runuser is None:
            shutil.rmtree(root, ignore_errors=True)
            pytest.skip("running as root and no unprivileged account (postgres/nobody) or runuser to start PostgreSQL")
        shutil.chown(root, user)
        prefix = [runuser, "-u", user, "--"]
    data, log, port = root / "data", root / "server.log", _free_port()

    def run(*args: str) -> None:
        result = subprocess.run([*prefix, *args], cwd=root, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed ({result.returncode}): {result.stderr}\n{tail}")

    try:
        run(initdb, "-D", str(data), "-U", "leadbot", "-A", "trust", "-E", "UTF8", "--no-locale")
        options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        run(pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start")
    except Exception:
        shutil.rmtree(root, ignore_errors=True)
        raise
    try:
        yield PgServer(port, root)
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"],
                       cwd=root, capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


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


