"""Where the reps' dashboard is reached: the base of every link into it (lead cards, meeting
invitations, nurture e-mails) that settings do not set themselves.

`LEADBOT_DASHBOARD_URL` when the dashboard is reached at a public address (behind a proxy,
HTTPS); else where `leadbot dashboard` listens (`LEADBOT_DASHBOARD_HOST`,
`LEADBOT_DASHBOARD_PORT`, the same defaults as its --host and --port), read when a link is
made, so the links follow a changed port without touching three settings files.
"""
from __future__ import annotations

import os

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
_ANY_ADDRESS = {"0.0.0.0", "::", ""}  # listening everywhere: this machine is reached on loopback


def listen_host() -> str:
    return os.environ.get("LEADBOT_DASHBOARD_HOST", DEFAULT_HOST)


def listen_port() -> int:
    return int(os.environ.get("LEADBOT_DASHBOARD_PORT", str(DEFAULT_PORT)))


def dashboard_url() -> str:
    """The dashboard's base URL, without a trailing slash."""
    public = os.environ.get("LEADBOT_DASHBOARD_URL", "").strip()
    if public:
        return public.rstrip("/")
    host = listen_host().strip()
    host = DEFAULT_HOST if host in _ANY_ADDRESS else host
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{listen_port()}"
