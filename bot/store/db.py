"""Where the store lives and how to connect to it; nothing connects at import time.

`LEADBOT_DATABASE_URL` selects the database (PostgreSQL in production); without it the
store is a SQLite file in the data folder, so a laptop demo needs no server. Engines are
built only when asked for, which keeps tests away from any real database.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import PROJECT_ROOT

# Runtime files (database, spool) default to a git-ignored folder beside the training data:
# `data/` itself is read by `rasa train`, which must never see spooled JSON files.
DEFAULT_DATA_DIR = PROJECT_ROOT / "data" / "runtime"
# Wait this long for another writer instead of failing at once (LEADBOT_SQLITE_BUSY_TIMEOUT_MS;
# the action server's replies never wait that long: actions/store_calls.py).
SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("LEADBOT_SQLITE_BUSY_TIMEOUT_MS", "5000"))
SQLITE_MMAP_BYTES = 1 << 30  # address space only: pages are the OS's file cache, shared by processes
SQLITE_CACHE_KIB = 32 * 1024  # per connection, filled only as pages are read


def data_dir() -> Path:
    """The folder for runtime files (`LEADBOT_DATA_DIR`, else data/runtime), created if missing,
    for this user only: it holds the leads, their conversations and the spool."""
    folder = Path(os.environ.get("LEADBOT_DATA_DIR") or DEFAULT_DATA_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def database_url() -> str:
    """`LEADBOT_DATABASE_URL`, else a SQLite file `leadbot.db` in the data folder."""
    url = os.environ.get("LEADBOT_DATABASE_URL", "").strip()
    if url:
        return normalize_url(url)
    return f"sqlite:///{data_dir() / 'leadbot.db'}"


def normalize_url(url: str) -> str:
    """Use psycopg 3 for plain `postgresql://` URLs (psycopg2 is not installed)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for `url` (default: `database_url()`), tuned for the backend.

    SQLite: foreign keys enforced (off by default there), WAL, a busy timeout instead of
    instant "database is locked", and SQLAlchemy in charge of BEGIN (IMMEDIATE, so that
    several processes writing at once queue up) so that SAVEPOINTs (used by `save_lead`)
    really work.
    Others: `pool_pre_ping`, so a restarted server costs one reconnect, not one error;
    PostgreSQL plans each statement for its own parameters (`plan_cache_mode`) and speaks UTC.
    """
    url = normalize_url(url or database_url())
    if is_sqlite(url):
        _create_private_file(make_url(url).database)
        engine = create_engine(url, **kwargs)
        engine.dialect.statement_compiler = _SQLiteCompiler
        _tune_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "postgresql":
        _tune_postgresql(engine)
    return engine


def _create_private_file(database: str | None) -> None:
    """Create a SQLite file readable by its owner only, before SQLite creates it 0644 (less the
    umask); its -wal and -shm files take the file's mode. An existing file, an in-memory
    database, or a folder that is not there yet (SQLite then says so) is left alone."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    try:
        os.close(os.open(database, os.O_RDONLY | os.O_CREAT, 0o600))
    except OSError:
        pass


def _tune_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # psycopg prepares a statement on the server after five runs, and PostgreSQL then
        # soon plans it once for any parameters: a metric's period range got one plan for
        # 30 days and for a year alike (lost reasons over a year: 84 ms against 31). Keep
        # the prepared statements, plan each run for its own parameters.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET plan_cache_mode = force_custom_plan")
            # Times in SQL (a day's boundaries in the metrics, a timestamp read as text) are
            # UTC, whatever the server's own time zone (found by the suite run at
            # 2027-03-28 01:30 Europe/Berlin: a stay began "01:00" instead of "00:00").
            cursor.execute("SET TIME ZONE 'UTC'")
        dbapi_connection.commit()


class _SQLiteCompiler(SQLiteCompiler):
    """Writes SQLite's table hint (`INDEXED BY ...`, from `Select.with_hint(..., "sqlite")`),
    which SQLAlchemy's own SQLite compiler drops. bot.metrics.indexes uses it."""

    def get_from_hint_text(self, table: Any, text: str | None) -> str | None:
        return text


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; disable it
        # and let the "begin" hook below emit BEGIN when SQLAlchemy starts a transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode=WAL")
            # Reports read large index ranges: map the file instead of copying pages through
            # SQLite's default 2 MB cache, so one report does not evict the next one's pages.
            cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
            cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE: take the write lock up front. A deferred transaction that reads and
        # then writes while another process writes fails at once with "database is locked"
        # (SQLite cannot wait there without risking deadlock); this one waits its turn.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for `engine`. Objects stay readable after commit (the CLI prints them)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def refresh_statistics(url: str | None = None) -> None:
    """After a bulk load (`leadbot demo-data`): planner statistics for the new rows, and on
    PostgreSQL the visibility map too (VACUUM), without which its index-only scans visit the
    table for every row until autovacuum comes by (the metrics at 100k leads: 636 ms
    against 377 for a year). VACUUM cannot run in a transaction; SQLite's ANALYZE can."""
    engine = make_engine(url)
    try:
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM (ANALYZE)")
        else:
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
