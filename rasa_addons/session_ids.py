"""Chat widget session ids the server issued, and only those.

With socket.io session persistence the session id is the conversation's sender id and the
room every bot and rep message is sent to: whoever presents an id joins that conversation.
So the server issues them, signed: `<random>.<HMAC-SHA256 of it>`, and takes back only ids
it signed (rasa_addons/channels/socketio.py). The key is `LEADBOT_SESSION_SECRET`, else one
generated per install and kept (0600) in `session_secret` in the data folder, so issued ids
survive a restart.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Mapping, Optional

SECRET_ENV = "LEADBOT_SESSION_SECRET"
SECRET_FILE = "session_secret"
# Same folder as bot/store/db.py data_dir() (the two environments share no code).
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "runtime"


def session_secret(environ: Mapping[str, str] = os.environ) -> bytes:
    """The signing key: from the environment, else this install's file (created once, 0600)."""
    if environ.get(SECRET_ENV, "").strip():
        return environ[SECRET_ENV].strip().encode()
    folder = Path(environ.get("LEADBOT_DATA_DIR") or DEFAULT_DATA_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / SECRET_FILE
    if not path.exists():
        draft = folder / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(32))
        try:
            os.link(draft, path)  # atomic: a racing start keeps the first key written
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip().encode()


class SessionIds:
    """Issues signed session ids and tells them from any other string."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _mac(self, token: str) -> str:
        return hmac.new(self._secret, token.encode(), hashlib.sha256).hexdigest()

    def issue(self) -> str:
        token = secrets.token_hex(16)
        return f"{token}.{self._mac(token)}"

    def issued(self, session_id: Optional[object]) -> bool:
        """True only for an id `issue` made with this key."""
        if not isinstance(session_id, str) or session_id.count(".") != 1:
            return False
        token, mac = session_id.split(".")
        return bool(token) and hmac.compare_digest(mac, self._mac(token))
