"""Signed, expiring reschedule and cancel links in meeting invitations.

Signed the way the project signs what it hands out (rasa_addons/session_ids.py, web/csrf.py):
HMAC-SHA256 with a key from the environment (`secret_env` in settings/meetings.yml), else one
generated per install and kept (0600) in the data folder, so links already e-mailed survive a
restart; the action server (which writes the invitations) and the dashboard (which opens the
links) share it. A token is `<base64url JSON>.<base64url MAC>` naming the meeting and an
expiry (Unix seconds): a link from before a reschedule still opens the meeting (it names the
meeting, not its time), a forged or edited one does not, an old one says it expired.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.store.db import data_dir

SECRET_FILE = "meeting-secret"


class BadLink(ValueError):
    """A link that was not signed here, was changed, or has expired; the message says which."""


def meeting_secret(variable: str) -> bytes:
    """The signing key: `$variable`, else this install's key file (created once, atomically)."""
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
class MeetingLink:
    """What a valid token names."""

    meeting_id: int
    expires: datetime


@dataclass(frozen=True)
class MeetingLinks:
    secret: bytes
    manage_url: str  # with {token}
    lifetime: timedelta

    def token(self, meeting_id: int, *, now: datetime) -> str:
        expires = int((now + self.lifetime).timestamp())
        body = _b64(json.dumps({"m": meeting_id, "x": expires}, separators=(",", ":")).encode("ascii"))
        return f"{body}.{self._mac(body)}"

    def url(self, meeting_id: int, *, now: datetime) -> str:
        return self.manage_url.replace("{token}", self.token(meeting_id, now=now))

    def verify(self, token: str, *, now: datetime) -> MeetingLink:
        body, _, mac = token.partition(".")
        if not body or not mac or not hmac.compare_digest(mac, self._mac(body)):
            raise BadLink("this link is not valid (it was changed or not made here)")
        try:
            payload = json.loads(_unb64(body))
            meeting_id, expires = int(payload["m"]), int(payload["x"])
        except (ValueError, KeyError, TypeError):
            raise BadLink("this link is not valid") from None
        at = datetime.fromtimestamp(expires, tz=now.tzinfo)
        if now >= at:
            raise BadLink("this link has expired; reply to the invitation or ask in the chat for a new time")
        return MeetingLink(meeting_id, at)

    def _mac(self, body: str) -> str:
        return _b64(hmac.new(self.secret, b"meeting:" + body.encode("ascii"), hashlib.sha256).digest())
