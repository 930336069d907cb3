"""CSRF protection for every form.

Signed-in forms carry the session's own token (synchronizer token pattern). The sign-in
form, which has no session yet, carries an HMAC of a random value kept in a cookie
(signed double submit), so another site cannot post a sign-in either. Cookies are also
SameSite=Lax. Comparisons are constant-time.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

FIELD = "csrf_token"
HEADER = "x-csrf-token"
LOGIN_COOKIE = "leadbot_login_csrf"


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


def new_login_nonce() -> str:
    return secrets.token_urlsafe(24)


def login_token(key: bytes, nonce: str) -> str:
    return hmac.new(key, b"login:" + nonce.encode("utf-8"), hashlib.sha256).hexdigest()


def valid_login_token(key: bytes, nonce: str | None, token: str | None) -> bool:
    return bool(nonce) and same(login_token(key, nonce or ""), token)
