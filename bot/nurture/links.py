"""Signed links in nurture e-mails: unsubscribe, tracked clicks, and the way back into the chat.

Tokens are bot/signing.py's: whoever holds the e-mail can use its links, nobody can forge
one for another lead or another target (the redirect goes only to the URL that was signed,
so it is no open redirect). The key is the environment variable named in
settings/nurture.yml, else one generated per install and kept (0600) in the data folder;
the sender and the dashboard must share it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot import signing

SECRET_FILE = "nurture-secret"
UNSUBSCRIBE, CLICK, RESUME = "u", "c", "r"
RESUME_TARGET = "chat"  # a click link whose target is the conversation, not a URL


def nurture_secret(variable: str) -> bytes:
    return signing.install_secret(variable, SECRET_FILE)


@dataclass(frozen=True)
class Signer:
    """bot/signing.py's tokens for nurture links; the kind of link is part of the payload."""

    secret: bytes

    def sign(self, payload: dict[str, Any]) -> str:
        return signing.Signer(self.secret, "nurture").sign(payload)

    def verify(self, token: str, kind: str) -> dict[str, Any] | None:
        """The payload of a token this key signed for `kind`, else None."""
        payload = signing.Signer(self.secret, "nurture").verify(token)
        return payload if payload is not None and payload.get("k") == kind else None


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
