"""Free TCP ports on 127.0.0.1 for the servers the tests start.

The suite runs in several processes (pytest-xdist, scripts/test.sh): a port one process found
free could be taken by another before its server binds it. Each process takes only the ports of
its own share, whole runs of 1024 ((port // 1024) % processes == its index), so two processes
never pick the same one, and a block of consecutive ports (`free_block`) lies in one share."""
from __future__ import annotations

import os
import socket

CHUNK = 1024  # ports per run of a share


def _share() -> tuple[int, int]:
    """(this process's index, the number of processes): (0, 1) without xdist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ...
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT") or 1)
    index = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    return index % max(count, 1), max(count, 1)


def _bindable(port: int) -> bool:
    try:
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False


def _in_share(picked: int) -> int:
    """The port `picked` moved (by whole runs, keeping its parity) into this process's share."""
    index, count = _share()
    return picked + CHUNK * ((index - picked // CHUNK) % count)


def _kernel_pick() -> int:
    """Linux gives bind() even ports (odd ones go to outgoing connections): its pick is the start."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port() -> int:
    """A port nothing listens on now, of this process's share."""
    for _ in range(1000):
        port = _in_share(_kernel_pick())
        if port <= 65535 and _bindable(port):
            return port
    raise RuntimeError("no free port in this test process's share")


def free_block(size: int) -> int:
    """The first of `size` consecutive ports nothing listens on, all of this process's share
    (a stack started on one base port, as `scripts/run-scaled.sh` is)."""
    if not 0 < size <= CHUNK:
        raise ValueError(f"a block is 1 to {CHUNK} ports")
    for _ in range(200):
        base = _in_share(_kernel_pick())
        base -= max(0, base % CHUNK + size - CHUNK)  # the block ends inside the run it starts in
        if base + size <= 65536 and all(_bindable(port) for port in range(base, base + size)):
            return base
    raise RuntimeError("no free block of ports in this test process's share")
