"""Free TCP ports on 127.0.0.1 for the servers the tests start.

The suite runs in several processes (pytest-xdist, scripts/test.sh): a port one process found
free could be taken by another before its server binds it. Each process takes only the ports of
its own share ((port // 2) % processes == its index), so two processes never pick the same one."""
from __future__ import annotations

import os
import socket


def _share() -> tuple[int, int]:
    """(this process's index, the number of processes): (0, 1) without xdist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ...
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)
    index = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    return index % max(count, 1), max(count, 1)


def free_port() -> int:
    """A port nothing listens on now, of this process's share.

    Linux gives bind() even ports (odd ones go to outgoing connections): the kernel's pick is
    the start, and the next even port of this process's share is tried explicitly."""
    index, count = _share()
    for _ in range(1000):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            picked = s.getsockname()[1]
        port = picked + 2 * ((index - picked // 2) % count)
        if port > 65535:
            continue
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port in this test process's share")
