"""Fixtures for the website widget and the rep API: the dashboard server (serving both) in
front of the session's bot, a cuttable relay to Rasa's socket.io, and headless Chromium."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.servers import ROOT, BotServers
from tests.webchat.servers import CHROMIUM, CHROMIUM_ARGS, WebChat, running_webchat

ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="session")
def webchat(bot: BotServers) -> Iterator[WebChat]:
    with running_webchat(bot) as web:
        yield web


@pytest.fixture(scope="module")
def chromium():
    """Module scope: Playwright's sync API holds an event loop in this thread while it runs,
    which later tests using asyncio (or their own Playwright) must not find."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test-deps.sh")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def handoff_hours(bot: BotServers) -> Iterator[Callable[[str], None]]:
    """Set the business hours the action server reads on each hand-off; restored after."""
    path = bot.settings_dir / "handoff.yml"
    original = path.read_text(encoding="utf-8")

    def set_hours(hours: str) -> None:
        path.write_text(original.replace('"mon-fri 09:00-17:00"', f'"{hours}"'), encoding="utf-8")

    yield set_hours
    path.write_text(original, encoding="utf-8")
