"""Real rasa-sdk trackers and dispatchers, a real SQLite store, a fixed clock."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import services

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text())


@pytest.fixture(autouse=True)
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LEADBOT_NOW", "2026-11-22T10:00:00+00:00")
    monkeypatch.setenv("LEADBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LEADBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'leadbot.db'}")
    services.intake.cache_clear()
    yield tmp_path
    services.intake.cache_clear()


def make_tracker(
    text: str = "",
    *,
    slots: dict[str, Any] | None = None,
    intent: str = "inform",
    confidence: float = 0.95,
    form: str | None = None,
    sender: str = "visitor-1",
    history: list[tuple[str, str]] = (),
) -> Tracker:
    """A tracker whose latest message is `text`, after `history` (sender, text) pairs."""
    all_slots = {"phase": "qualifying", "skipped": None, "pitched": False}
    all_slots.update(slots or {})
    now = time.time()
    events: list[dict[str, Any]] = []
    for who, said in [*history, ("user", text)]:
        events.append({"event": who, "text": said, "timestamp": now, "input_channel": "rest"}
                      if who == "user" else {"event": "bot", "text": said, "timestamp": now})
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": []}
    return Tracker(
        sender_id=sender, slots=all_slots, latest_message=latest, events=events, paused=False,
        followup_action=None, active_loop={"name": form} if form else {},
        latest_action_name="action_listen",
    )


def responses(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("response") for m in dispatcher.messages]


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()
