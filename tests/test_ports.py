"""The test processes' ports (tests/ports.py): each process's ports, single or in a block, lie
in its own share, so two processes of one run never start servers on the same port."""
from __future__ import annotations

import socket

import pytest

from tests import ports


@pytest.mark.parametrize("index", [0, 1, 2])
def test_ports_and_blocks_stay_in_the_processs_share_and_are_free(monkeypatch: pytest.MonkeyPatch, index: int):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", f"gw{index}")
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "3")
    for _ in range(20):
        port = ports.free_port()
        assert (port // ports.CHUNK) % 3 == index
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))
    for size in (1, 100, ports.CHUNK):
        base = ports.free_block(size)
        assert {(p // ports.CHUNK) % 3 for p in range(base, base + size)} == {index}
        assert base + size <= 65536


def test_a_port_in_use_is_never_given(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "2")
    with socket.socket() as held:
        held.bind(("127.0.0.1", ports.free_port()))
        held.listen()
        taken = held.getsockname()[1]
        assert all(ports.free_port() != taken for _ in range(50))
        base = ports.free_block(100)
        assert not base <= taken < base + 100


def test_a_block_larger_than_a_run_is_refused():
    with pytest.raises(ValueError):
        ports.free_block(ports.CHUNK + 1)
