"""Sign-in attempts per client address, in memory: a second brake beside the per-account
lockout, against one address trying many accounts (password spraying).

In memory on purpose: it needs no store write per attempt and resets on restart; several
dashboard processes each keep their own count, which still bounds the rate.
"""
from __future__ import annotations

import threading
import time
from collections import deque



class Throttle:
    """At most `max_attempts` per address within `window` seconds (settings/dashboard.yml)."""

    def __init__(self, max_attempts: int, window: float) -> None:
        self.max_attempts, self.window = max_attempts, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, address: str) -> bool:
        """Record an attempt from `address`; False once it has made too many in the window."""
        now = time.monotonic()
        with self._lock:
            attempts = self._seen.setdefault(address, deque())
            while attempts and attempts[0] <= now - self.window:
                attempts.popleft()
            if len(attempts) >= self.max_attempts:
                return False
            attempts.append(now)
            if len(self._seen) > 10_000:  # forget idle addresses; memory stays bounded
                for key in [k for k, v in self._seen.items() if not v]:
                    del self._seen[key]
            return True
