"""Real stores for the experiments' tests: the store tests' own fixtures (a migrated SQLite
file and, where the suite runs PostgreSQL, a fresh database on it: `db_url`, `sessions`)."""
from tests.store.conftest import _never_the_real_store, db_url, empty_db_url, engine, sessions  # noqa: F401
