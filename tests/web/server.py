"""A real dashboard for the web tests: a migrated SQLite store seeded through the domain
functions, and `leadbot dashboard` (uvicorn) as a subprocess on a free loopback port."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import requests
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
LEADBOT = Path(sys.executable).parent / "leadbot"
SECRET = "test-secret-" + "x" * 40

MANAGER = ("maria@example.com", "manager password 1")
ALICE = ("alice@example.com", "alice password 1")
BOB = ("bob@example.com", "bob password 12")
XSS_NAME = '<script>window.__pwned = 1; alert("xss")</script>'


@dataclass
class Seeded:
    """Lead ids by purpose, so each test works on its own leads."""

    alice: list[int] = field(default_factory=list)
    bob: list[int] = field(default_factory=list)
    xss: int = 0


@dataclass
class DashboardServer:
    workdir: Path
    port: int = 0
    process: subprocess.Popen | None = None
    seeded: Seeded = field(default_factory=Seeded)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.workdir / 'leadbot.db'}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LEADBOT_")}
        env.update(LEADBOT_DATA_DIR=str(self.workdir), LEADBOT_DATABASE_URL=self.database_url,
                   LEADBOT_DASHBOARD_SECRET=SECRET, PYTHONWARNINGS="ignore::DeprecationWarning",
                   LEADBOT_SETTINGS_DIR=str(self.settings_dir()))
        return env

    def settings_dir(self) -> Path:
        """Shipped settings (missing files mean defaults), with room for the whole test session's
        sign-ins from 127.0.0.1 (the throttle's own test uses a small limit)."""
        folder = self.workdir / "settings"
        if not folder.exists():
            folder.mkdir()
            (folder / "dashboard.yml").write_text(
                (ROOT / "settings" / "dashboard.yml").read_text().replace("sign_ins_per_address: 30",
                                                                          "sign_ins_per_address: 1000"))
        return folder

    def sessions(self) -> sessionmaker[Session]:
        return session_factory(make_engine(self.database_url))

    def leadbot(self, *args: str, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([str(LEADBOT), *args], env={**self.env(), **(env or {})}, capture_output=True,
                                text=True, timeout=120, cwd=ROOT)
        if check and result.returncode != 0:
            raise AssertionError(f"leadbot {' '.join(args)} failed ({result.returncode}): {result.stderr}")
        return result

    def seed(self) -> None:
        from bot.assignment.assign import assign_to
        from bot.assignment.reps import add_rep
        from bot.store.repository import save_lead
        from tests.store.builders import NOW, submission
        from web.accounts import add_account

        upgrade(self.database_url)
        sessions = self.sessions()
        with sessions.begin() as s:
            alice = add_rep(s, "Alice Ng", ALICE[0], now=NOW)
            bob = add_rep(s, "Bob Ray", BOB[0], now=NOW)
            for i in range(12):
                rep = alice if i % 2 == 0 else bob
                name = XSS_NAME if i == 0 else f"Prospect {i:02d}"
                result = save_lead(s, submission(f"web-{i}", email=f"prospect{i}@web.example", name=name,
                                                 points=55 + i, phone=f"+141555501{i:02d}" if i >= 10 else None),
                                   now=NOW - timedelta(days=i, hours=i))
                assign_to(s, result.lead_id, rep, now=NOW, by="seed")
                (self.seeded.alice if rep is alice else self.seeded.bob).append(result.lead_id)
                if i == 0:
                    self.seeded.xss = result.lead_id
            add_account(s, MANAGER[0], MANAGER[1], role="manager", now=NOW, name="Maria Manager")
            add_account(s, ALICE[0], ALICE[1], role="rep", now=NOW)
            add_account(s, BOB[0], BOB[1], role="rep", now=NOW)
        sessions.kw["bind"].dispose()

    def start(self, extra_env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        log = open(self.workdir / "dashboard.log", "w")
        self.process = subprocess.Popen([str(LEADBOT), "dashboard", "--port", str(self.port)],
                                        env={**self.env(), **(extra_env or {})},
                                        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dashboard exited: {(self.workdir / 'dashboard.log').read_text()}")
            try:
                if requests.get(self.url + "/login", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("dashboard did not start within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
