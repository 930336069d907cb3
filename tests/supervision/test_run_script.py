"""`scripts/run.sh` as `make run` starts it: every process under supervisord, restarted when it
dies while the others keep serving, all stopped by one SIGTERM; tokens off the command line;
what it creates readable by its user only.

The real script, the real trained model and real processes, really killed.
"""
from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.e2e.servers import MODEL, ROOT, free_port, wait_until

pytestmark = pytest.mark.rasa

PROGRAMS = {  # what identifies each supervised process on its command line
    "actions": "-m rasa_sdk --actions actions",
    "sync": "leadbot sync --follow",
    "notify": "leadbot notifications send --follow",
    "nurture": "leadbot nurture send --follow",
    "dashboard": "leadbot dashboard",
    "rasa": "-m rasa_addons.serve run",
}
API_TOKEN = "api-token-given-by-the-deployer-7c1e"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _descendants(pid: int) -> set[int]:
    """Every living process below `pid` (children, grandchildren...), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class Running:
    proc: subprocess.Popen
    data_dir: Path
    rasa_port: int
    actions_port: int
    dashboard_port: int
    log: Path

    def pids(self) -> dict[str, int]:
        """The supervised programs' pids (supervisord's direct children)."""
        found = {}
        for pid in _descendants(self.proc.pid):
            line = _cmdline(pid)
            for name, mark in PROGRAMS.items():
                if mark in line and _parent(pid) == self.proc.pid:
                    found[name] = pid
        return found

    def say(self, sender: str, text: str) -> list[dict]:
        r = requests.post(f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook",
                          json={"sender": sender, "message": text}, timeout=60)
        r.raise_for_status()
        return r.json()

    def chats(self, sender: str) -> bool:
        """A conversation's first turn runs through Rasa and the action server."""
        return any("What would you like help with" in m.get("text", "") for m in self.say(sender, "hi"))

    def dashboard_serves(self) -> bool:
        r = requests.get(f"http://127.0.0.1:{self.dashboard_port}/login", timeout=10)
        return r.status_code == 200

    def actions_up(self) -> bool:
        return requests.get(f"http://127.0.0.1:{self.actions_port}/health", timeout=5).ok

    def wait_ready(self, what: str = "make run") -> None:
        wait_until(lambda: set(self.pids()) == set(PROGRAMS) and self.actions_up() and self.dashboard_serves()
                   and self.chats(f"ready-{time.monotonic_ns()}"), 180, what, self.proc, self.log)


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train` first")
    data_dir = tmp_path_factory.mktemp("run") / "runtime"
    ports = {"LEADBOT_RASA_PORT": free_port(), "LEADBOT_ACTIONS_PORT": free_port(),
             "LEADBOT_DASHBOARD_PORT": free_port()}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEADBOT_", "SANIC_"))}
    env.update({k: str(v) for k, v in ports.items()}, LEADBOT_DATA_DIR=str(data_dir), LEADBOT_AUTH_TOKEN=API_TOKEN)
    log = data_dir.parent / "run.log"
    proc = subprocess.Popen([str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env, stdout=log.open("w"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    running = Running(proc, data_dir, ports["LEADBOT_RASA_PORT"], ports["LEADBOT_ACTIONS_PORT"],
                      ports["LEADBOT_DASHBOARD_PORT"], log)
    try:
        running.wait_ready()
        yield running
    finally:
        leftovers = _descendants(proc.pid)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for pid in leftovers:  # only if a test failed half-way: never leave processes behind
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_tokens_stay_off_command_lines_and_files_are_private(running: Running):
    pids = running.pids()
    actions_env = dict(item.split("=", 1) for item in
                       Path(f"/proc/{pids['actions']}/environ").read_text().split("\0") if "=" in item)
    generated = actions_env["LEADBOT_ACTIONS_TOKEN"]  # made by run.sh: none was given
    assert len(generated) >= 32
    for pid in _descendants(running.proc.pid) | {running.proc.pid}:
        assert API_TOKEN not in _cmdline(pid) and generated not in _cmdline(pid)
    assert generated not in running.log.read_text() and API_TOKEN not in running.log.read_text()

    # The action server takes calls only with that token; Rasa has it (the chat works).
    webhook = f"http://127.0.0.1:{running.actions_port}/webhook"
    assert requests.post(webhook, json={"next_action": "action_submit_lead"}, timeout=10).status_code == 401
    # Rasa's HTTP API wants the token run.sh was given.
    status = f"http://127.0.0.1:{running.rasa_port}/status"
    assert requests.get(status, timeout=10).status_code == 401
    assert requests.get(status, params={"token": API_TOKEN}, timeout=10).ok

    assert stat.S_IMODE(running.data_dir.stat().st_mode) == 0o700
    for name in ("credentials.yml", "leadbot.db", "tracker.db"):
        assert stat.S_IMODE((running.data_dir / name).stat().st_mode) == 0o600, name


def test_a_killed_process_is_started_again_and_the_others_keep_serving(running: Running):
    for victim in ("notify", "actions", "rasa"):
        before = running.pids()
        os.kill(before[victim], signal.SIGKILL)
        others = {name: pid for name, pid in before.items() if name != victim}
        if victim == "notify":
            assert running.chats(f"while-{victim}-is-down")
        assert running.dashboard_serves()
        running.wait_ready(f"{victim} started again")
        after = running.pids()
        assert after[victim] != before[victim]
        assert {name: after[name] for name in others} == others, f"killing {victim} restarted others"


def test_sigterm_stops_every_process_within_15_seconds(running: Running):
    everything = _descendants(running.proc.pid) | {running.proc.pid}
    assert len(everything) >= len(PROGRAMS) + 1
    started = time.monotonic()
    running.proc.send_signal(signal.SIGTERM)
    while any(_alive(pid) for pid in everything) and time.monotonic() - started < 15:
        time.sleep(0.1)
    left = {pid: _cmdline(pid) for pid in everything if _alive(pid)}
    assert left == {}, f"still running {time.monotonic() - started:.1f} s after SIGTERM"
    assert running.proc.wait(timeout=5) == 0


def test_sync_follow_without_a_crm_stays_up_idle_until_stopped(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADBOT_")}
    env.update(LEADBOT_DATA_DIR=str(tmp_path))  # shipped settings: provider none
    proc = subprocess.Popen([str(ROOT / ".venvs" / "app" / "bin" / "leadbot"), "sync", "--follow"], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert "No CRM configured" in proc.stdout.readline()
        # It waits for a stop signal (in sigwait, the kernel says) rather than exiting.
        wait_until(lambda: "sigtimedwait" in Path(f"/proc/{proc.pid}/wchan").read_text(), 30,
                   "sync --follow waiting for a signal", proc)
        assert proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

