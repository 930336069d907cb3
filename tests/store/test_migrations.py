"""Migrations: idempotent, and in step with the models, on every backend."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.store.db import make_engine
from bot.store.migrate import current_revision, head_revision, upgrade
from bot.store.schema import Base

TABLES = {"leads", "deals", "stage_history", "outbox", "consent_events", "alembic_version"}


def test_upgrade_twice_is_idempotent(empty_db_url: str) -> None:
    assert current_revision(empty_db_url) is None
    assert upgrade(empty_db_url) == head_revision()
    assert upgrade(empty_db_url) == head_revision()  # second run: nothing to do, no error
    engine = make_engine(empty_db_url)
    try:
        assert set(inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()


def test_migrations_create_exactly_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"


def test_one_open_deal_per_lead_index_is_partial(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        indexes = {i["name"]: i for i in inspect(engine).get_indexes("deals")}
    finally:
        engine.dispose()
    assert indexes["uq_deals_one_open_per_lead"]["unique"]
