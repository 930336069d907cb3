"""OAuth tokens at rest: encrypted with Fernet (AES-128-CBC + HMAC-SHA256, `cryptography`)
under a key that lives only in the environment (`LEADBOT_CRM_TOKEN_KEY`), so a copy of the
database alone holds no usable token. Make a key with
`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
"""
from __future__ import annotations

import os

from cryptography.fernet import Fernet, InvalidToken

from crm_sync.settings import MissingSecret

KEY_ENV = "LEADBOT_CRM_TOKEN_KEY"


class TokenBox:
    def __init__(self, key: str | None = None) -> None:
        key = key or os.environ.get(KEY_ENV, "")
        if not key:
            raise MissingSecret(f"set {KEY_ENV} to a Fernet key: OAuth tokens are stored encrypted (docs/crm.md)")
        try:
            self.fernet = Fernet(key.encode())
        except ValueError as exc:
            raise MissingSecret(f"{KEY_ENV} is not a Fernet key (32 url-safe base64 bytes): {exc}") from None

    def seal(self, token: str) -> str:
        return self.fernet.encrypt(token.encode()).decode()

    def open(self, sealed: str | None) -> str | None:
        """The token, or None when there is none or it was sealed under another key."""
        if not sealed:
            return None
        try:
            return self.fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            return None
