"""Start the dashboard server (which serves the widget, its demo page and the rep API) in
front of a running bot, with a cuttable relay to Rasa's socket.io: for tests and bench/."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.e2e.servers import ROOT, BotServers, wait_until
from tests.webchat.proxy import TcpRelay

# The dashboard accounts the rep API is called with (created in the bot's store, tokens issued
# as `leadbot users token` does). The reps are inactive, so the assignment rules never pick them.
MANAGER = ("dana.ruiz@seller.example", "Dana Ruiz", "manager")
REP_A = ("ana.costa@seller.example", "Ana Costa", "rep")
REP_B = ("ben.okafor@seller.example", "Ben Okafor", "rep")
# Debian's Chromium; LEADBOT_CHROMIUM points elsewhere (scripts/test.sh --at: a shim that
# starts it on the real clock).
CHROMIUM = os.environ.get("LEADBOT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


class WebChat:
    """The dashboard server and the relay the widget reaches Rasa through."""

    def __init__(self, url: str, relay: TcpRelay, bot: BotServers) -> None:
        self.url = url
        self.relay = relay
        self.bot = bot
        self.tokens = accounts(bot)  # e-mail -> API token

    def api(self, method: str, path: str, token: str | None = None, *, as_: str = MANAGER[0],
            **kwargs) -> requests.Response:
        """The rep API as the account `as_` (the manager by default), or with `token` as given."""
        token = self.tokens[as_] if token is None and as_ else token
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        url = f"{self.url}/api/handoff/conversations" + (f"/{path}" if path else "")
        return requests.request(method, url, headers=headers, timeout=60, **kwargs)


PASSWORD = "a long test password 1"


def accounts(bot: BotServers) -> dict[str, str]:
    """The manager and two rep accounts (created once per store); a fresh API token for each."""
    from datetime import datetime, timezone

    from bot.assignment.reps import RepChanges, add_rep
    from bot.store.db import make_engine, session_factory
    from bot.store.errors import StoreError
    from web.accounts import add_account, get_account, issue_api_token

    now = datetime.now(timezone.utc)
    engine = make_engine(bot.database_url)
    tokens = {}
    try:
        with session_factory(engine).begin() as session:
            for email, name, role in (MANAGER, REP_A, REP_B):
                try:
                    account = get_account(session, email)
                except StoreError:
                    if role == "rep":
                        add_rep(session, name, email, now=now, changes=RepChanges(active=False, notify={"email": False}))
                    account = add_account(session, email, PASSWORD, role=role, now=now, name=name)
                tokens[email] = issue_api_token(session, account, now=now)
    finally:
        engine.dispose()
    return tokens


@contextmanager
def running_webchat(bot: BotServers) -> Iterator[WebChat]:
    relay = TcpRelay(bot.rasa_port).start()
    port = bot.dashboard_port
    log = bot.workdir / "webchat.log"
    env = {**bot.env, "LEADBOT_RASA_URL": bot.rasa_url, "LEADBOT_AUTH_TOKEN": bot.auth_token or "",
           "LEADBOT_WIDGET_SOCKET_URL": relay.url}
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
