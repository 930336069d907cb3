"""Every CRM sync test module defines `env` (its fake CRM, crm.yml and a migrated SQLite
store, via sync_helpers.configure); `sessions` opens that store."""
from __future__ import annotations

import pytest

from bot.store.db import make_engine, session_factory


@pytest.fixture
def sessions(env: dict[str, str]):
    engine = make_engine(env["LEADBOT_DATABASE_URL"])
    yield session_factory(engine)
    engine.dispose()
