"""The dashboard's signing key (for the sign-in form's CSRF cookie).

From `LEADBOT_DASHBOARD_SECRET` in production. In development, when unset, a random key is
generated once into `data/runtime/dashboard-secret` (mode 600) and reused, so restarts do
not invalidate open sign-in forms; several dashboard processes must share one key.
"""
from __future__ import annotations

import os
import secrets

from bot.store.db import data_dir

ENV = "LEADBOT_DASHBOARD_SECRET"
MIN_CHARS = 32


def secret_key() -> bytes:
    value = os.environ.get(ENV, "").strip()
    if value:
        if len(value) < MIN_CHARS:
            raise ValueError(f"{ENV} must be at least {MIN_CHARS} characters (e.g. `openssl rand -hex 32`)")
        return value.encode("utf-8")
    path = data_dir() / "dashboard-secret"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip().encode("utf-8")
