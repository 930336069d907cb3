"""Run the real `leadbot` console script against a temporary SQLite store."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.pipeline import PipelineSettings
from bot.store.repository import save_lead
from tests.store.builders import NOW, empty, submission

SCRIPT = Path(sys.executable).with_name("leadbot")


@pytest.fixture
def store(tmp_path: Path) -> str:
    """A migrated SQLite store seeded through the repository: three leads."""
    url = f"sqlite:///{tmp_path / 'leadbot.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        sessions = session_factory(engine)
        for sub in (
            submission("conv-1", name="Zoë Ørsted", source={"utm_source": "ads"}),
            submission("conv-2", email="dana@kimclinics.example", name="Dana Kim", status="nurture", points=55),
            empty("conv-3"),
        ):
            with sessions.begin() as session:
                save_lead(session, sub, now=NOW, pipeline=PipelineSettings())
    finally:
        engine.dispose()
    return url


Run = Callable[..., subprocess.CompletedProcess]


@pytest.fixture
def leadbot(store: str, tmp_path: Path) -> Run:
    """`leadbot(*args)` -> CompletedProcess, with the store's URL and a fixed clock."""
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "leadbot.cli"]

    def run(*args: str, url: str | None = None) -> subprocess.CompletedProcess:
        env = {**os.environ, "LEADBOT_DATABASE_URL": url or store, "LEADBOT_DATA_DIR": str(tmp_path / "data"),
               "LEADBOT_NOW": NOW.isoformat()}
        env.pop("LEADBOT_SETTINGS_DIR", None)
        return subprocess.run([*command, *args], env=env, cwd=PROJECT_ROOT, capture_output=True,
                              text=True, encoding="utf-8", timeout=60)

    return run
