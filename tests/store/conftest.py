"""Real databases for store tests: a migrated SQLite file per test, and a fresh database
on the session's PostgreSQL server (tests/postgres.py). Repository tests take
`db_url`/`sessions` and run on both."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.pipeline import PipelineSettings


@pytest.fixture(autouse=True)
def _never_the_real_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Anything that falls back to the configured store lands in tmp_path, not data/."""
    monkeypatch.setenv("LEADBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LEADBOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("LEADBOT_SETTINGS_DIR", raising=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty (unmigrated) database of each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'leadbot.db'}"
    return request.getfixturevalue("pg_database")


@pytest.fixture
def db_url(empty_db_url: str) -> str:
    """A database of each backend, migrated to head."""
    upgrade(empty_db_url)
    return empty_db_url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def pipeline() -> PipelineSettings:
    return PipelineSettings()
