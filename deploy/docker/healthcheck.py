"""A container's health check (Docker's HEALTHCHECK, Compose's healthcheck): GET the URL given,
else `LEADBOT_HEALTHCHECK_URL`; healthy when it answers below 400 within 4 s. Standard library
only, so either image runs it with its own Python; Kubernetes probes the same URLs itself."""
from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

TIMEOUT_SECONDS = 4


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:
            return answer.status < 400
    except (urllib.error.URLError, OSError) as error:
        print(f"{url}: {error}", file=sys.stderr)
        return False


if __name__ == "__main__":
    sys.exit(0 if healthy(sys.argv[1] if len(sys.argv) > 1 else os.environ["LEADBOT_HEALTHCHECK_URL"]) else 1)
