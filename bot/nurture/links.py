"""Signed links in nurture e-mails: unsubscribe, tracked clicks, and the way back into the chat.

A token is `<base64url JSON>.<base64url HMAC-SHA256>`: whoever holds the e-mail can use its
links, nobody can forge one for another lead or another target (the redirect goes only to
the URL that was signed, so it is no open redirect). The key is the environment variable
named in settings/nurture.yml, else one generated per install and kept (0600) in the data
folder, so links in e-mails already sent survive a restart. The sender and the dashboard
must share it.
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

SECRET_FILE = "nurture-secret"
UNSUBSCRIBE, CLICK, RESUME = "u", "c", "r"
RESUME_TARGET = "chat"  # a click link whose target is the conversation, not a URL


def nurture_secret(variable: str) -> bytes:
    value = os.environ.get(variable, "").strip()
    if value:
        return value.encode("utf-8")
    folder = data_dir()
    path = folder / SECRET_FILE
    if not path.exists():
        draft = folder / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
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
    secret: bytes

    def sign(self, payload: dict[str, Any]) -> str:
        body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8"))
        return f"{body}.{self._mac(body)}"

    def verify(self, token: str, kind: str) -> dict[str, Any] | None:
        """The payload of a token this key signed for `kind`, else None."""
        body, _, mac = token.partition(".")
        if not body or not mac or not hmac.compare_digest(mac, self._mac(body)):
            return None
        try:
            payload = json.loads(_unb64(body))
        except ValueError:
            return None
        return payload if isinstance(payload, dict) and payload.get("k") == kind else None

    def _mac(self, body: str) -> str:
        return _b64(hmac.new(self.secret, body.encode("ascii"), hashlib.sha256).digest())


@dataclass(frozen=True)
class Links:
    """The URLs of one e-mail (message `message_id`)."""

    signer: Signer
    base_url: str

    def unsubscribe(self, message_id: int) -> str:
        return f"{self.base_url}/nurture/u/{self.signer.sign({'k': UNSUBSCRIBE, 'm': message_id})}"

    def click(self, message_id: int, target: str, expires: int | None = None) -> str:
        """A tracked link: counted, then redirected to `target` (a URL, or RESUME_TARGET: the
        conversation, until `expires`, Unix seconds)."""
        payload: dict[str, Any] = {'k': CLICK, 'm': message_id, 'u': target}
        if expires is not None:
            payload["x"] = expires
        return f"{self.base_url}/nurture/c/{self.signer.sign(payload)}"

    def resume(self, lead_id: int, expires: int) -> str:
        """The chat page that continues the lead's conversation, until `expires` (Unix seconds)."""
        return f"{self.base_url}/nurture/chat/{self.signer.sign({'k': RESUME, 'l': lead_id, 'x': expires})}"
