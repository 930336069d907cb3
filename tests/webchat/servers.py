"""Start the dashboard server (which serves the widget, its demo page and the rep API) in
front of a running bot, with a cuttable relay to Rasa's socket.io: for tests and bench/."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.e2e.servers import ROOT, BotServers, free_port, wait_until
from tests.webchat.proxy import TcpRelay

REP_TOKEN = "rep-secret-for-tests"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


class WebChat:
    """The dashboard server and the relay the widget reaches Rasa through."""

    def __init__(self, url: str, relay: TcpRelay, bot: BotServers) -> None:
        self.url = url
        self.relay = relay
        self.bot = bot

    def api(self, method: str, path: str, token: str | None = REP_TOKEN, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        url = f"{self.url}/api/handoff/conversations" + (f"/{path}" if path else "")
        return requests.request(method, url, headers=headers, timeout=60, **kwargs)


@contextmanager
def running_webchat(bot: BotServers) -> Iterator[WebChat]:
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
