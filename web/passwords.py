"""Password hashing with scrypt (hashlib, standard library): salted, parameters kept with the hash.

Stored form: `scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>`. Keeping the parameters in the
string lets us raise the cost later: old hashes still verify, and `needs_rehash` says when
to store a stronger one at the next successful sign-in. A random token we issue (a session
cookie, an API token) is kept as its SHA-256 (`token_hash`): it has no dictionary to guess from.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1  # ~16 MiB and ~50 ms per hash on a laptop core
SALT_BYTES, KEY_BYTES = 16, 32
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024  # scrypt cost does not grow with length, but requests should stay small


class WeakPassword(ValueError):
    """A password that is too short (or too long) to accept."""


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise WeakPassword(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise WeakPassword(f"a password has at most {MAX_PASSWORD_CHARS} characters")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES,
                          maxmem=256 * 1024 * 1024)


def hash_password(password: str) -> str:
    """A new salted hash of `password` (checks the length rules first)."""
    check_password_rules(password)
    salt = secrets.token_bytes(SALT_BYTES)
    return f"{SCHEME}${N}${R}${P}${_b64(salt)}${_b64(_derive(password, salt, N, R, P))}"


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches `stored`, compared in constant time."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != SCHEME:
            return False
        key = _derive(password[:MAX_PASSWORD_CHARS], base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(key, base64.b64decode(expected))


def needs_rehash(stored: str) -> bool:
    """True when `stored` was made with other parameters than today's."""
    return not stored.startswith(f"{SCHEME}${N}${R}${P}$")


# Verified against when the e-mail is unknown, so that "no such account" takes as long as
# "wrong password" and the timing does not reveal which e-mails have accounts.
DUMMY_HASH = f"{SCHEME}${N}${R}${P}${_b64(b'0' * SALT_BYTES)}${_b64(b'0' * KEY_BYTES)}"


def token_hash(token: str) -> str:
    """What the store keeps of a session or API token: its SHA-256, so a read of the store
    gives no one a token that works."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
