"""Shared fixtures: one trained model, one Rasa server and one action server per test session
(started only when a test asks for `bot`)."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.channels.config import channel_env, write_credentials
from tests.channels.platforms import PlatformStandIn
from tests.e2e.servers import BotServers
from tests.webchat.site import StaticSite

pytest_plugins = ["tests.postgres", "tests.rabbitmq"]

# Conversations resolve "next quarter" against this instant (LEADBOT_NOW).
NOW = "2026-11-22T10:00:00+00:00"


@pytest.fixture(scope="session")
def platforms():
    """The stand-in for the messaging apps' APIs (tests/channels/platforms.py)."""
    stand_in = PlatformStandIn().start()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory):
    """A customer's web site on its own origin, whose pages embed a chat widget (tests/webchat)."""
    customer = StaticSite(tmp_path_factory.mktemp("site")).start()
    yield customer
    customer.stop()


@pytest.fixture(scope="session")
def bot(tmp_path_factory: pytest.TempPathFactory, platforms: PlatformStandIn, site: StaticSite):
    workdir: Path = tmp_path_factory.mktemp("bot")
    servers = BotServers(workdir, env_overrides={"LEADBOT_NOW": NOW})
    # Pages may open the socket from the dashboard (the widget's demo page) and the customer's site.
    servers.env_overrides["LEADBOT_ALLOWED_ORIGINS"] = f"http://127.0.0.1:{servers.dashboard_port}, {site.origin}"
    # The session server also runs the messaging channels, pointed at the stand-in.
    servers.env_overrides.update(channel_env(platforms.url, servers.rasa_url))
    servers.credentials = write_credentials(workdir / "credentials.yml", servers.env)
    servers.start()
    yield servers
    servers.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """With several test processes (scripts/test.sh), each folder of tests/ runs whole in one of
    them, in its order, as in a single process: a folder's tests share session servers (the
    seeded dashboard of tests/web) whose changes its later tests are written to expect."""
    tests = Path(__file__).resolve().parent
    for item in items:
        parts = Path(str(item.path)).resolve().relative_to(tests).parts
        item.add_marker(pytest.mark.xdist_group(parts[0] if len(parts) > 1 else "tests"))


_ids = itertools.count()


@pytest.fixture
def sender(request: pytest.FixtureRequest) -> str:
    """A fresh conversation id per test."""
    return f"{request.node.name[:40]}-{next(_ids)}"
