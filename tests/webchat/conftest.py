"""Fixtures for the website widget and the rep API: the webchat server in front of the
session's bot, a cuttable relay to Rasa's socket.io, and headless Chromium (Playwright)."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.e2e.servers import ROOT, BotServers, free_port, wait_until
from tests.webchat.proxy import TcpRelay

REP_TOKEN = "rep-secret-for-tests"
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


class WebChat:
    """The dashboard server (which serves the widget and the rep API) and the relay the widget reaches Rasa through."""

    def __init__(self, url: str, relay: TcpRelay, bot: BotServers) -> None:
        self.url = url
        self.relay = relay
        self.bot = bot

    def api(self, method: str, path: str, token: str | None = REP_TOKEN, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        url = f"{self.url}/api/handoff/conversations" + (f"/{path}" if path else "")
        return requests.request(method, url, headers=headers,
                                timeout=60, **kwargs)


@pytest.fixture(scope="session")
def webchat(bot: BotServers) -> Iterator[WebChat]:
    relay = TcpRelay(bot.rasa_port).start()
    port = free_port()
    log = bot.workdir / "webchat.log"
    env = {**bot.env, "LEADBOT_RASA_URL": bot.rasa_url, "LEADBOT_AUTH_TOKEN": bot.auth_token or "",
           "LEADBOT_WIDGET_SOCKET_URL": relay.url, "LEADBOT_REP_API_TOKEN": REP_TOKEN}
    leadbot = Path(sys.executable).parent / "leadbot"
    proc = subprocess.Popen([str(leadbot), "dashboard", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: requests.get(f"{url}/demo/", timeout=2).ok, 60, "dashboard server", proc, log)
        yield WebChat(url, relay, bot)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        relay.stop()


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
def handoff_hours(bot: BotServers) -> Iterator[callable]:
    """Set the business hours the action server reads on each hand-off; restored after."""
    path = bot.settings_dir / "handoff.yml"
    original = path.read_text(encoding="utf-8")

    def set_hours(hours: str) -> None:
        path.write_text(original.replace('"mon-fri 09:00-17:00"', f'"{hours}"'), encoding="utf-8")

    yield set_hours
    path.write_text(original, encoding="utf-8")
