"""A hand-built pipeline whose every metric was computed by hand (see fixtures.py), on a
real migrated database of each backend (the store tests' fixtures)."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.metrics.fixtures import build
from tests.store.conftest import _never_the_real_store, db_url, empty_db_url, engine, sessions  # noqa: F401


@pytest.fixture
def filled(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions.begin() as session:
        build(session)
    return sessions
