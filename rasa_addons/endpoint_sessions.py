"""Keep one HTTP connection pool per endpoint instead of a new one per request.

Rasa 3.6's `EndpointConfig.request` opens a fresh `aiohttp.ClientSession` for every
call, so every call to the action server (two or three per turn) sets up a connector
and a new TCP connection, then tears them down: 9% of the Rasa process's CPU under load
(py-spy, bench/README.md). Here `EndpointConfig.session()` hands out one long-lived
session per endpoint and event loop, configured exactly as Rasa configures its own
(headers, basic auth, timeout); `async with` no longer closes it, so connections are
kept alive and reused.

Request bodies are written with ujson (a Rasa dependency, pinned beside it): the body of an
action call is the whole tracker, often with the domain, and `json.dumps` of it was 8% of
the Rasa process's CPU under load (bench/README.md "Fifth round"); ujson writes the same
JSON document about three times faster.
"""
from __future__ import annotations

import asyncio
from typing import Any, Dict, Optional, Tuple

import aiohttp
import ujson
from rasa.utils.endpoints import EndpointConfig

_stock_session = EndpointConfig.session
_sessions: Dict[Tuple[int, int], aiohttp.ClientSession] = {}


class _KeptOpen:
    """`async with` over a shared session, leaving it open on exit."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc_info: Any) -> Optional[bool]:
        return None


def shared_session(self: EndpointConfig) -> Any:
    """The endpoint's long-lived session on the running loop (a new one per loop)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # not inside a loop: Rasa's own one-off session
        return _stock_session(self)
    key = (id(self), id(loop))
    session = _sessions.get(key)
    if session is None or session.closed:
        session = _stock_session(self)
        # aiohttp takes the serialiser as `ClientSession(json_serialize=...)`; the session
        # is Rasa's own (configured in one place), so its attribute is set here.
        session._json_serialize = ujson.dumps
        _sessions[key] = session
    return _KeptOpen(session)


def install() -> None:
    """Replace Rasa's per-request sessions (idempotent)."""
    EndpointConfig.session = shared_session  # type: ignore[method-assign]
