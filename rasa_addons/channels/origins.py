"""Which web pages may open the socket.io channel: `LEADBOT_ALLOWED_ORIGINS`, validated.

A browser sends the page's origin with every socket.io request. HTTP long-polling (how
rasa-webchat and socket.io's default client start) works across origins only when Rasa
answers with CORS headers for that origin; a WebSocket is not covered by CORS at all, so the
origin is checked on both alike (rasa_addons/channels/socketio.py hands this list to
python-engineio, which refuses any other origin with a 400 and sends CORS headers to these).
Clients that are not browsers send no origin and are not affected.

    LEADBOT_ALLOWED_ORIGINS="https://www.example.com, https://shop.example.com"

Unset, only the dashboard's own origin (which serves the widget's demo page) is listed:
`http://127.0.0.1:<LEADBOT_DASHBOARD_PORT>` and `http://localhost:<port>` (port 8080 by
default). `*` (every site) is taken only when it is the whole value, never by default.
Pages of the socket's own origin are always allowed (`SameOriginOr`): the host the socket
is reached on served them, Rasa itself or a site whose reverse proxy passes `/socket.io/` on
(with its Host header); non-browser clients (python-socketio) send that origin too.

    python -m rasa_addons.channels.origins   # prints the list, or why the value is wrong
"""
from __future__ import annotations

import os
import re
import sys
from typing import Any, List, Mapping, Optional, Union
from urllib.parse import urlsplit

ORIGINS_ENV = "LEADBOT_ALLOWED_ORIGINS"
DASHBOARD_PORT_ENV = "LEADBOT_DASHBOARD_PORT"
DEFAULT_DASHBOARD_PORT = 8080
ANY = "*"
DEFAULT_PORTS = {"http": 80, "https": 443}
_SEPARATORS = re.compile(r"[\s,]+")


class OriginsError(ValueError):
    """A value of LEADBOT_ALLOWED_ORIGINS that is not a list of origins (the message says why)."""


def origin(text: str) -> str:
    """`text` as browsers write an origin (`https://example.com`, `http://127.0.0.1:8080`)."""
    problem = OriginsError(f"{ORIGINS_ENV}: {text!r} is not an origin: write scheme://host[:port] "
                           "(http or https, no path), e.g. https://www.example.com")
    try:
        parts = urlsplit(text)
        port = parts.port  # ValueError when it is not a port number
    except ValueError:
        raise problem from None
    scheme = parts.scheme.lower()
    if (scheme not in DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc
            or parts.path not in ("", "/") or "?" in text or "#" in text):
        raise problem
    host = parts.hostname.lower()
    host = f"[{host}]" if ":" in host else host  # IPv6
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != DEFAULT_PORTS[scheme] else "")


def dashboard_origins(environ: Mapping[str, str]) -> List[str]:
    """The dashboard's own origin on this machine, as `make run` serves it."""
    text = environ.get(DASHBOARD_PORT_ENV, "").strip() or str(DEFAULT_DASHBOARD_PORT)
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise OriginsError(f"{DASHBOARD_PORT_ENV}: {text!r} is not a port number")
    return [f"http://127.0.0.1:{int(text)}", f"http://localhost:{int(text)}"]


def allowed_origins(environ: Mapping[str, str] = os.environ) -> Union[List[str], str]:
    """The origins pages may open the socket from: a list, or `*` when set to exactly that."""
    text = environ.get(ORIGINS_ENV, "").strip()
    if not text:
        return dashboard_origins(environ)
    if text == ANY:
        return ANY
    items = [item for item in _SEPARATORS.split(text) if item]
    if ANY in items:
        raise OriginsError(f"{ORIGINS_ENV}: '*' allows every site and must be the whole value, "
                           "not one item of a list")
    allowed: List[str] = []
    for item in items:
        normal = origin(item)
        if normal not in allowed:
            allowed.append(normal)
    return allowed


class SameOriginOr:
    """python-engineio's origin check: a listed origin, or the socket's own (same host)."""

    def __init__(self, listed: List[str]) -> None:
        self.listed = frozenset(listed)

    def __call__(self, page: Optional[str], environ: Optional[Mapping[str, Any]] = None) -> bool:
        if not isinstance(page, str):
            return False
        if page in self.listed:
            return True
        host = str((environ or {}).get("HTTP_HOST") or "").lower()
        return bool(host) and urlsplit(page).netloc.lower() == host


def engineio_origins(environ: Mapping[str, str] = os.environ) -> Union[SameOriginOr, str]:
    """What python-engineio's `cors_allowed_origins` is set to: `*`, or the check above."""
    allowed = allowed_origins(environ)
    return ANY if allowed == ANY else SameOriginOr(list(allowed))


def main() -> int:
    try:
        allowed = allowed_origins()
    except OriginsError as exc:
        print(f"socket.io: {exc}", file=sys.stderr)
        return 1
    print("socket.io allowed origins: " + (allowed if allowed == ANY else ", ".join(allowed)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
