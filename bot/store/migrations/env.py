"""Alembic environment for the pipeline store; driven by `bot.store.migrate.upgrade`.

Used programmatically (no alembic.ini): the caller passes either an open connection in
`config.attributes["connection"]` or a URL in the `sqlalchemy.url` option. The engine is
built by `bot.store.db.make_engine`, so migrations run with the same SQLite settings
(foreign keys, WAL) as the application. On PostgreSQL a transaction-scoped advisory lock
serialises concurrent upgrades (the bot and the CLI may both start at once).

Retired revision ids: 0006 was a slot reserved for the messaging channels, which needed no
schema change; it was removed and 0007 now follows 0005. A store stamped "0006" (upgraded
to it explicitly, or downgraded one step from 0007) has exactly the 0005 schema, so its
stamp is rewritten to "0005" before Alembic reads it; Alembic would otherwise refuse the
unknown id ("Can't locate revision"). Stores at 0007 or 0008 are unaffected.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.store.db import make_engine
from bot.store.schema import Base

UPGRADE_LOCK_KEY = 7_310_421_001  # any constant shared by every leadbot process
# A removed revision id -> the revision whose schema is identical (see the module docstring).
RETIRED_REVISIONS = {"0006": "0005"}

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    """Emit SQL instead of running it (`alembic upgrade --sql`), for DBAs who review DDL."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK_KEY})
        _restamp_retired(connection)
        context.run_migrations()


def _restamp_retired(connection: Connection) -> None:
    """Point a stamp at a removed revision to its schema twin, in the migration's transaction."""
    if not inspect(connection).has_table("alembic_version"):
        return
    for retired, same_schema in RETIRED_REVISIONS.items():
        connection.execute(text("UPDATE alembic_version SET version_num = :same WHERE version_num = :retired"),
                           {"same": same_schema, "retired": retired})


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
