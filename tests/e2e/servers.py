"""Start the real action server and Rasa server for end-to-end tests and benchmarks."""
from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
RASA_BIN = ROOT / ".venvs" / "rasa" / "bin" / "rasa"
RASA_PYTHON = ROOT / ".venvs" / "rasa" / "bin" / "python"
MODEL = ROOT / "models" / "leadbot.tar.gz"


def wait_until(check, timeout: float, what: str, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text()[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{tail}")
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    tail = log.read_text()[-3000:] if log and log.exists() else ""
    raise TimeoutError(f"{what} not ready after {timeout} s\n{tail}")


@dataclass
class BotServers:
    """A running action server + Rasa server pair, with their stores in `workdir`."""

    workdir: Path
    env_overrides: dict[str, str] = field(default_factory=dict)
    auth_token: str | None = "test-token"
    # The token the action server requires and Rasa sends (endpoints.yml action_endpoint.token).
    actions_token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    # Where tests/webchat serves the dashboard (the widget's demo page): its origin is the one
    # Rasa's socket.io allows when LEADBOT_ALLOWED_ORIGINS is unset (rasa_addons/channels/origins.py).
    dashboard_port: int = field(default_factory=free_port)
    procs: list[subprocess.Popen] = field(default_factory=list)
    # The Rasa credentials file; tests/conftest.py writes one with the messaging channels.
    credentials: Path = ROOT / "credentials.yml"
    # The Rasa endpoints file (deploy/scaled/endpoints.yml for several processes).
    endpoints: Path = ROOT / "endpoints.yml"
    # The trained model to run (a bench may run another model file).
    model: Path = MODEL

    @property
    def database_url(self) -> str:
        return self.env["LEADBOT_DATABASE_URL"]

    @property
    def settings_dir(self) -> Path:
        return self.workdir / "settings"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            RASA_TELEMETRY_ENABLED="false",
            SQLALCHEMY_SILENCE_UBER_WARNING="1",
            TF_CPP_MIN_LOG_LEVEL="2",
            PYTHONWARNINGS="ignore::DeprecationWarning",
            LEADBOT_DATA_DIR=str(self.workdir),
            LEADBOT_DATABASE_URL=f"sqlite:///{self.workdir / 'leadbot.db'}",
            LEADBOT_TRACKER_DB=str(self.workdir / "tracker.db"),
            LEADBOT_ACTION_ENDPOINT=f"http://127.0.0.1:{self.actions_port}/webhook",
            LEADBOT_ACTIONS_TOKEN=self.actions_token,
            # Rasa's HTTP API token, read by rasa_addons.serve (never on the command line).
            LEADBOT_AUTH_TOKEN=self.auth_token or "",
            # A copy of settings/ per session: a test may change a file the action server
            # reads per call (settings/handoff.yml) without touching the repository's own.
            LEADBOT_SETTINGS_DIR=str(self.settings_dir),
            LEADBOT_DASHBOARD_PORT=str(self.dashboard_port),
        )
        env.update(self.env_overrides)
        return env

    def start(self) -> "BotServers":
        self.workdir.mkdir(parents=True, exist_ok=True)
        if "LEADBOT_SETTINGS_DIR" not in self.env_overrides:
            shutil.copytree(ROOT / "settings", self.settings_dir, dirs_exist_ok=True)
        if not self.model.exists():
            raise RuntimeError(f"no trained model at {self.model}: run `make train` first")
        actions = self._start_actions("w")
        rasa = self._start_rasa("w")
        self._wait_for_actions(actions)
        wait_until(lambda: self._model_ready(), 180, "Rasa server", rasa, self.workdir / "rasa.log")
        return self

    def _start_actions(self, log_mode: str) -> subprocess.Popen:
        app_python = ROOT / ".venvs" / "app" / "bin" / "python"
        actions = subprocess.Popen(
            [str(app_python), "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.actions_port)],
            cwd=ROOT, env=self.env, stdout=(self.workdir / "actions.log").open(log_mode), stderr=subprocess.STDOUT,
        )
        self.procs.append(actions)
        return actions

    def _wait_for_actions(self, actions: subprocess.Popen) -> None:
        wait_until(lambda: requests.get(f"http://127.0.0.1:{self.actions_port}/health", timeout=2).ok,
                   180, "action server", actions, self.workdir / "actions.log")  # it starts beside Rasa's model load

    def process(self, name: str) -> subprocess.Popen:
        """The running "rasa" or "actions" process."""
        marker = "rasa_addons.serve" if name == "rasa" else "rasa_sdk"
        return next(p for p in self.procs if marker in p.args)

    def kill_actions(self) -> None:
        """kill -9 of the action server (no goodbye: what a crash or the OOM killer does)."""
        actions = self.process("actions")
        actions.kill()
        actions.wait(timeout=30)
        self.procs.remove(actions)

    def start_actions(self) -> None:
        """The action server again, on the same port and stores."""
        self._wait_for_actions(self._start_actions("a"))

    def _start_rasa(self, log_mode: str) -> subprocess.Popen:
        cmd = [
            str(RASA_PYTHON), "-m", "rasa_addons.serve", "run", "--model", str(self.model), "--enable-api",
            "--interface", "127.0.0.1", "--port", str(self.rasa_port),
            "--endpoints", str(self.endpoints), "--credentials", str(self.credentials),
        ]
        log = (self.workdir / "rasa.log").open(log_mode)
        rasa = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(rasa)
        return rasa

    def restart_rasa(self) -> None:
        """Stop the Rasa server and start it again on the same port, model and stores: clients
        lose their connections, conversations go on from the tracker store."""
        rasa = next(p for p in self.procs if "rasa_addons.serve" in p.args)
        rasa.terminate()
        rasa.wait(timeout=30)
        self.procs.remove(rasa)
        rasa = self._start_rasa("a")
        wait_until(lambda: self._model_ready(), 180, "Rasa server (restarted)", rasa, self.workdir / "rasa.log")

    def _model_ready(self) -> bool:
        params = {"token": self.auth_token} if self.auth_token else {}
        r = requests.get(f"{self.rasa_url}/status", params=params, timeout=2)
        return r.ok and bool(r.json().get("model_file"))

    def stop(self) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs.clear()

    def say(self, sender: str, text: str, timeout: float = 30) -> list[dict[str, Any]]:
        """Send one message over the REST channel; return the bot's replies."""
        r = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text}, timeout=timeout,
        )
        r.raise_for_status()
        return r.json()


class RedisServer:
    """A throwaway redis-server on a free loopback port (the lock store of several Rasa processes)."""

    def __init__(self, workdir: Path):
        workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--appendonly", "no", "--dir", str(workdir)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_until(lambda: self.cli("ping") == "PONG", 20, "redis", self.proc)

    def cli(self, *args: str) -> str:
        return subprocess.run(["redis-cli", "-p", str(self.port), *args], capture_output=True,
                              text=True, timeout=10).stdout.strip()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
