from tests.store.conftest import _never_the_real_store, db_url, empty_db_url, engine, sessions  # noqa: F401
