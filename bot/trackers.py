"""Rasa's tracker store as the app environment sees it: a conversation's events, read for a
data export and deleted for an erasure.

Why the tracker store's database and not Rasa's HTTP API: Rasa 3.6 has no call that deletes
a conversation (`PUT /conversations/<id>/tracker/events` replaces the events in memory, and
its SQL tracker store then keeps every old row), the API answers only while Rasa runs, and
what must forget is the database `endpoints.yml` names, which we read here the way Rasa does
(`${VAR}` from the environment; `db_url`, or Rasa's `dialect`/`db`/`host`/... keys). The one
table is Rasa's `events`, keyed by `sender_id` (the conversation id).

A turn Rasa is processing while its rows are deleted saves its events again (Rasa writes
what it does not find stored): the store's tombstone still refuses that state's lead
(`bot.store.repository.is_stale`). An erasure asked for in the chat is applied by the tracker
store itself at the end of that turn (`rasa_addons/tracker_store.py`).
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import bindparam, create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from bot.settings import SettingsError
from bot.store.db import data_dir, normalize_url

ENDPOINTS_VARIABLE = "LEADBOT_RASA_ENDPOINTS"
DEFAULT_ENDPOINTS = Path(__file__).resolve().parents[1] / "endpoints.yml"
EVENTS_TABLE = "events"  # rasa.core.tracker_store.SQLTrackerStore.SQLEvent
_VARIABLE = re.compile(r"\$\{([^}]+)\}")


class TrackerStoreError(SettingsError):
    """The tracker store named in endpoints.yml cannot be read or is not an SQL store."""


def tracker_store_url(endpoints: Path | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The SQLAlchemy URL of the tracker store `endpoints.yml` configures (the file in
    `LEADBOT_RASA_ENDPOINTS`, else the repository's), or None when Rasa keeps conversations
    in memory only (no `tracker_store`: a restart forgets them)."""
    environ = dict(os.environ if environ is None else environ)
    # What scripts/run.sh gives Rasa when the deployer sets nothing.
    folder = Path(environ["LEADBOT_DATA_DIR"]) if environ.get("LEADBOT_DATA_DIR") else data_dir()
    environ.setdefault("LEADBOT_TRACKER_DB", str(folder / "tracker.db"))
    path = endpoints or Path(environ.get(ENDPOINTS_VARIABLE) or DEFAULT_ENDPOINTS)
    try:
        config = (yaml.safe_load(path.read_text("utf-8")) or {}).get("tracker_store")
    except OSError as exc:
        raise TrackerStoreError(f"cannot read the Rasa endpoints file {path}: {exc}") from exc
    if not config:
        return None
    config = {key: _expand(value, environ) for key, value in config.items()}
    kind = str(config.get("type") or "")
    if kind.lower() != "sql" and not kind.endswith(".LeadbotTrackerStore"):
        raise TrackerStoreError(f"tracker store type {kind!r} in {path} is not an SQL store; erase its "
                                "conversations with that store's own tools")
    if config.get("db_url"):
        return normalize_url(str(config["db_url"]))
    dialect = str(config.get("dialect") or "sqlite")
    if dialect == "sqlite":
        return f"sqlite:///{config.get('db') or 'rasa.db'}"
    url = URL.create(dialect, username=config.get("username"), password=config.get("password"),
                     host=config.get("url") or config.get("host"),
                     port=int(config["port"]) if config.get("port") else None,
                     database=config.get("db"), query=config.get("query") or {})
    return normalize_url(url.render_as_string(hide_password=False))


def conversation_events(url: str, conversation_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Every stored event of these conversations, oldest first (a data export)."""
    rows = _run(url, f"SELECT sender_id, data FROM {EVENTS_TABLE} WHERE sender_id IN :ids ORDER BY id",
                conversation_ids, fetch=True)
    events: dict[str, list[dict[str, Any]]] = {c: [] for c in conversation_ids}
    for sender_id, data in rows:
        events[sender_id].append(json.loads(data))
    return {c: e for c, e in events.items() if e}


def erase_conversations(url: str, conversation_ids: Sequence[str]) -> int:
    """Delete these conversations from the tracker store; how many events went. The next
    message of one starts a new conversation."""
    return _run(url, f"DELETE FROM {EVENTS_TABLE} WHERE sender_id IN :ids", conversation_ids)


def _run(url: str, sql: str, conversation_ids: Sequence[str], *, fetch: bool = False) -> Any:
    parsed = make_url(url)
    sqlite = parsed.get_backend_name() == "sqlite"
    if not conversation_ids or sqlite and not Path(parsed.database or "").exists():
        return [] if fetch else 0  # nothing to read; never create the file
    engine = create_engine(url, connect_args={"timeout": 10} if sqlite else {})
    try:
        with engine.begin() as conn:
            if not inspect(conn).has_table(EVENTS_TABLE):
                return [] if fetch else 0  # Rasa never stored a conversation here
            statement = text(sql).bindparams(bindparam("ids", expanding=True))
            result = conn.execute(statement, {"ids": list(conversation_ids)})
            return result.all() if fetch else result.rowcount
    finally:
        engine.dispose()


def _expand(value: Any, environ: Mapping[str, str]) -> Any:
    """`${VAR}` as Rasa expands it in endpoints.yml (an unset variable is an error)."""
    if not isinstance(value, str):
        return value

    def variable(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in environ:
            raise TrackerStoreError(f"endpoints.yml uses ${{{name}}}, which is not set")
        return environ[name]
    return _VARIABLE.sub(variable, value)
