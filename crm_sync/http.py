"""The HTTP session a CRM target calls its API with: JSON, and the CRM's credential in a
header on every call (never in a URL, where proxies and logs would keep it). The calls
themselves go through `bot.outbound.call`, which gives each a timeout and an Outcome."""
from __future__ import annotations

import requests


def api_session(auth: dict[str, str], session: requests.Session | None = None) -> requests.Session:
    session = session or requests.Session()
    session.headers.update({**auth, "Content-Type": "application/json", "User-Agent": "leadbot-crm-sync"})
    return session
