"""One seeded dashboard server per test session (tests/web/server.py), and signed-in HTTP clients."""
from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests

from tests.web.server import ALICE, BOB, MANAGER, DashboardServer

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DashboardServer]:
    srv = DashboardServer(tmp_path_factory.mktemp("dashboard"))
    srv.seed()
    srv.start()
    yield srv
    srv.stop()


class Client(requests.Session):
    """A browser-like HTTP client: signs in through the form, keeps the CSRF token of the last page."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.csrf = ""

    def page(self, path: str, **kwargs) -> requests.Response:
        response = self.get(self.base + path, **kwargs)
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    def submit(self, path: str, data: dict[str, str], *, csrf: bool = True) -> requests.Response:
        body = {**data, **({"csrf_token": self.csrf} if csrf else {})}
        return self.post(self.base + path, data=body)

    def sign_in(self, email: str, password: str) -> requests.Response:
        self.page("/login")
        response = self.submit("/login", {"email": email, "password": password})
        self.page("/inbox")
        return response


def client(server: DashboardServer, who: tuple[str, str] | None) -> Client:
    c = Client(server.url)
    if who is not None:
        response = c.sign_in(*who)
        assert response.url.endswith("/inbox"), response.text[:500]
    return c


@pytest.fixture
def manager(server: DashboardServer) -> Client:
    return client(server, MANAGER)


@pytest.fixture
def alice(server: DashboardServer) -> Client:
    return client(server, ALICE)


@pytest.fixture
def bob(server: DashboardServer) -> Client:
    return client(server, BOB)


@pytest.fixture
def anonymous(server: DashboardServer) -> Client:
    return client(server, None)
