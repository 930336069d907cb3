"""Password hashing: salted scrypt with its parameters kept, constant-time verification."""
from __future__ import annotations

import pytest

from web.passwords import DUMMY_HASH, WeakPassword, hash_password, needs_rehash, verify_password


def test_hash_is_salted_and_carries_its_parameters() -> None:
    first, second = hash_password("a long passphrase"), hash_password("a long passphrase")
    assert first != second  # a fresh salt each time
    scheme, n, r, p, salt, key = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1") and salt and key
    assert verify_password("a long passphrase", first) and verify_password("a long passphrase", second)


@pytest.mark.parametrize("attempt", ["a long passphrasE", "", "a long passphrase ", "x" * 5000])
def test_other_passwords_do_not_verify(attempt: str) -> None:
    assert not verify_password(attempt, hash_password("a long passphrase"))


@pytest.mark.parametrize("stored", ["", "plain", "md5$abc", "scrypt$x$8$1$AA==$AA==", DUMMY_HASH])
def test_malformed_or_dummy_hashes_never_verify(stored: str) -> None:
    assert not verify_password("a long passphrase", stored)


def test_weaker_parameters_ask_for_a_rehash() -> None:
    assert not needs_rehash(hash_password("a long passphrase"))
    assert needs_rehash("scrypt$1024$8$1$AAAA$AAAA")


@pytest.mark.parametrize("password", ["short", "123456789", "y" * 1025])
def test_too_short_or_too_long_passwords_are_refused(password: str) -> None:
    with pytest.raises(WeakPassword):
        hash_password(password)


def test_sign_in_throttle_counts_per_address_within_its_window() -> None:
    from web.throttle import Throttle

    throttle = Throttle(max_attempts=3, window=0.2)
    assert [throttle.allow("10.0.0.1") for _ in range(4)] == [True, True, True, False]
    assert throttle.allow("10.0.0.2")  # another address has its own count
    import time

    time.sleep(0.25)
    assert throttle.allow("10.0.0.1")  # the window has passed
