"""Real stores for the experiments' tests: a migrated SQLite file and, where the suite runs
PostgreSQL, a fresh database on it (tests/postgres.py)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade


@pytest.fixture(autouse=True)
def _never_the_real_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LEADBOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("LEADBOT_SETTINGS_DIR", raising=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'leadbot.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_database")
    upgrade(url)
    return url


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield session_factory(engine)
    engine.dispose()
