"""Where the app environment finds Rasa's tracker store: endpoints.yml read as Rasa reads it."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.trackers import TrackerStoreError, tracker_store_url
from tests.e2e.servers import ROOT


def _endpoints(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "endpoints.yml"
    path.write_text(text)
    return path


def test_the_shipped_files(tmp_path: Path) -> None:
    assert tracker_store_url(ROOT / "endpoints.yml", {"LEADBOT_TRACKER_DB": "/var/lib/t.db"}) == "sqlite:////var/lib/t.db"
    assert tracker_store_url(ROOT / "endpoints.yml", {"LEADBOT_DATA_DIR": str(tmp_path)}) == \
        f"sqlite:///{tmp_path / 'tracker.db'}", "scripts/run.sh's default"
    assert tracker_store_url(ROOT / "deploy" / "scaled" / "endpoints.yml",
                             {"LEADBOT_TRACKER_URL": "postgresql://u:p@db:5432/rasa"}) == \
        "postgresql+psycopg://u:p@db:5432/rasa"


@pytest.mark.parametrize(("text", "url"), [
    ("tracker_store:\n  type: SQL\n  dialect: postgresql\n  url: db\n  port: 5433\n  db: rasa\n"
     "  username: u\n  password: ${PW}\n", "postgresql+psycopg://u:s3cret@db:5433/rasa"),
    ("action_endpoint:\n  url: x\n", None),  # Rasa keeps conversations in memory
])
def test_rasa_settings(tmp_path: Path, text: str, url: str | None) -> None:
    assert tracker_store_url(_endpoints(tmp_path, text), {"PW": "s3cret"}) == url


@pytest.mark.parametrize(("text", "message"), [
    ("tracker_store:\n  type: redis\n", "not an SQL store"),
    ("tracker_store:\n  type: SQL\n  db: ${NOPE}\n", "${NOPE}, which is not set"),
])
def test_what_it_cannot_reach_is_said(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TrackerStoreError, match=message.replace("$", r"\$").replace("{", r"\{").replace("}", r"\}")):
        tracker_store_url(_endpoints(tmp_path, text), {})
