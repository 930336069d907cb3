"""Only Rasa gets into the real action server: loopback by default, the shared token, JSON only
(rasa_sdk_plugins/guard.py). A forged call must change nothing in the store."""
from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest
import requests

from bot.store.db import make_engine, session_factory
from bot.store.export import lead_to_export
from bot.store.repository import get_lead
from tests.actions.test_action_server import _webhook_call
from tests.e2e.servers import ROOT, free_port, wait_until

TOKEN = "the-right-token-3f9a"
APP_PYTHON = ROOT / ".venvs" / "app" / "bin" / "python"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SANIC_HOST", "LEADBOT_ACTIONS_TOKEN")}
    env.update(LEADBOT_DATA_DIR=str(tmp_path / "data"), LEADBOT_DATABASE_URL=f"sqlite:///{tmp_path / 'leadbot.db'}",
               LEADBOT_NOW="2026-11-22T10:00:00+00:00", **extra)
    return env


def _start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen([str(APP_PYTHON), "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


@pytest.fixture
def server(tmp_path: Path):
    port = free_port()
    log = tmp_path / "actions.log"
    proc = _start(_env(tmp_path, LEADBOT_ACTIONS_TOKEN=TOKEN), port, log)
    try:
        wait_until(lambda: requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok, 60,
                   "action server", proc, log)
        yield port, tmp_path
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _lead_conversation(tmp_path: Path) -> str | None:
    """The conversation of the lead the call submits, or None while it is not stored."""
    if not (tmp_path / "leadbot.db").exists():
        return None
    engine = make_engine(f"sqlite:///{tmp_path / 'leadbot.db'}")
    try:
        with session_factory(engine)() as session:
            return lead_to_export(get_lead(session, "sam@brightwell.example"))["conversation_id"]
    except Exception:  # no such lead, or no table yet: nothing was stored
        return None
    finally:
        engine.dispose()


def test_a_forged_call_is_refused_and_changes_nothing(server):
    port, tmp_path = server
    url = f"http://127.0.0.1:{port}/webhook"
    call = _webhook_call("forged-1")
    assert requests.post(url, json=call, timeout=30).status_code == 401
    assert requests.post(url, params={"token": "guess"}, json=call, timeout=30).status_code == 401
    assert requests.post(url, params={"token": TOKEN[:-1]}, json=call, timeout=30).status_code == 401
    # What a web page can send from a visitor's browser without a CORS preflight.
    forged_page = requests.post(url, data=json.dumps(call), headers={"Content-Type": "text/plain"}, timeout=30)
    assert forged_page.status_code == 401
    with_token_as_text = requests.post(url, params={"token": TOKEN}, data=json.dumps(call),
                                       headers={"Content-Type": "text/plain"}, timeout=30)
    assert with_token_as_text.status_code == 415
    assert requests.get(f"http://127.0.0.1:{port}/actions", timeout=10).status_code == 401
    assert _lead_conversation(tmp_path) is None

    r = requests.post(url, params={"token": TOKEN}, json=call, timeout=30)
    assert r.status_code == 200, r.text
    assert _lead_conversation(tmp_path) == "forged-1"


def _listening_addresses(port: int) -> set[str]:
    """The local addresses bound to `port` in LISTEN state, from the kernel's socket tables."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def _non_loopback_address() -> str | None:
    """This machine's address on its outgoing interface (a UDP connect sends nothing)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 9))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def test_it_listens_on_loopback_only_by_default(server):
    port, _ = server
    assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, nothing else
    own_address = _non_loopback_address()
    if own_address is None:
        return  # a machine with loopback only: the socket table above is the whole proof
    with pytest.raises(OSError):
        socket.create_connection((own_address, port), timeout=5).close()


def test_it_does_not_start_without_a_token(tmp_path: Path):
    log = tmp_path / "actions.log"
    proc = _start(_env(tmp_path), free_port(), log)
    assert proc.wait(timeout=60) != 0
    assert "LEADBOT_ACTIONS_TOKEN is not set" in log.read_text()
