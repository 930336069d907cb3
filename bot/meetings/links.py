"""Signed, expiring reschedule and cancel links in meeting invitations.

Signed by bot/signing.py, as the project signs what it hands out: HMAC-SHA256 over the purpose
"meeting" and the body, with a key from the environment (`secret_env` in settings/meetings.yml),
else one generated per install and kept (0600) in the data folder, so links already e-mailed
survive a restart; the action server (which writes the invitations) and the dashboard (which
opens the links) share it. A token is `<base64url JSON>.<base64url MAC>` naming the meeting and
an expiry (Unix seconds): a link from before a reschedule still opens the meeting (it names the
meeting, not its time), a forged or edited one does not, an old one says it expired.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.signing import Signer, install_secret

SECRET_FILE = "meeting-secret"
PURPOSE = "meeting"


class BadLink(ValueError):
    """A link that was not signed here, was changed, or has expired; the message says which."""


def meeting_secret(variable: str) -> bytes:
    """The signing key: `$variable`, else this install's key file (created once, atomically)."""
    return install_secret(variable, SECRET_FILE)


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
        return self._signer().sign({"m": meeting_id, "x": expires})

    def url(self, meeting_id: int, *, now: datetime) -> str:
        return self.manage_url.replace("{token}", self.token(meeting_id, now=now))

    def verify(self, token: str, *, now: datetime) -> MeetingLink:
        payload = self._signer().verify(token)
        if payload is None:
            raise BadLink("this link is not valid (it was changed or not made here)")
        try:
            meeting_id, expires = int(payload["m"]), int(payload["x"])
        except (ValueError, KeyError, TypeError):
            raise BadLink("this link is not valid") from None
        at = datetime.fromtimestamp(expires, tz=now.tzinfo)
        if now >= at:
            raise BadLink("this link has expired; reply to the invitation or ask in the chat for a new time")
        return MeetingLink(meeting_id, at)

    def _signer(self) -> Signer:
        return Signer(self.secret, PURPOSE)
