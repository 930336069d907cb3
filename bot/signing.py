"""Signed tokens for links the project hands out (nurture e-mails, meeting links; the same
scheme as widget session ids): `<base64url JSON>.<base64url HMAC-SHA256>`, the MAC taken over
a purpose and the body, so a token made for one purpose is refused for another.

The key is an environment variable, else one generated per install and kept (0600) in the
data folder, so links already sent survive a restart; every process that makes or checks
the links (a sender, the dashboard) must share it.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from typing import Any

from bot.store.db import data_dir


def install_secret(variable: str, filename: str) -> bytes:
    """`$variable`, else this install's key in `filename` of the data folder (created once, atomically)."""
    value = os.environ.get(variable, "").strip()
    if value:
        return value.encode("utf-8")
    folder = data_dir()
    path = folder / filename
    if not path.exists():
        draft = folder / f".{filename}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(draft, path)  # atomic: the first key written wins a race
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Signer:
    """Signs and checks JSON payloads for one `purpose`."""

    secret: bytes
    purpose: str

    def sign(self, payload: dict[str, Any]) -> str:
        body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8"))
        return f"{body}.{self._mac(body)}"

    def verify(self, token: str) -> dict[str, Any] | None:
        """The payload of a token this key signed for this purpose, else None."""
        body, _, mac = token.partition(".")
        if not body or not mac or not hmac.compare_digest(mac, self._mac(body)):
            return None
        try:
            payload = json.loads(_unb64(body))
        except ValueError:
            return None
        return payload if isinstance(payload, dict) else None

    def _mac(self, body: str) -> str:
        message = f"{self.purpose}:{body}".encode("ascii")
        return _b64(hmac.new(self.secret, message, hashlib.sha256).digest())
