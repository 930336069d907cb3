"""Where the store lives and how connections are set up; nothing connects at import."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.settings import PROJECT_ROOT
from bot.store.db import database_url, make_engine, normalize_url


def test_default_url_is_a_sqlite_file_in_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "nested" / "data"
    monkeypatch.setenv("LEADBOT_DATA_DIR", str(folder))
    assert database_url() == f"sqlite:///{folder / 'leadbot.db'}"
    assert folder.is_dir(), "the folder is created"


def test_env_url_wins_and_plain_postgres_urls_use_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADBOT_DATABASE_URL", "postgresql://u:p@db:5432/leadbot")
    assert database_url() == "postgresql+psycopg://u:p@db:5432/leadbot"
    assert normalize_url("postgres://h/db") == "postgresql+psycopg://h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    finally:
        engine.dispose()


def test_importing_the_store_creates_no_database(tmp_path: Path) -> None:
    folder = tmp_path / "fresh"
    env = {**os.environ, "LEADBOT_DATA_DIR": str(folder)}
    env.pop("LEADBOT_DATABASE_URL", None)
    modules = "bot.store.db, bot.store.schema, bot.store.repository, bot.store.migrate, bot.store.export, leadbot.cli"
    subprocess.run([sys.executable, "-c", f"import {modules}"], env=env, check=True, cwd=PROJECT_ROOT)
    assert not folder.exists(), "no engine, no database file, not even its folder"


@pytest.mark.postgres
def test_postgresql_plans_each_statement_for_its_parameters(pg_database: str) -> None:
    """A prepared metric query keeps planning per run: one plan for 30 days and a year was
    up to 2.7 times slower (bench/README.md)."""
    engine = make_engine(pg_database)
    try:
        for _ in range(2):  # a fresh connection, then one back from the pool
            with engine.connect() as conn:
                assert conn.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
    finally:
        engine.dispose()
