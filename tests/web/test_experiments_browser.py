"""The Experiments page in a real headless Chromium: the running experiment per variant
(conversations, qualified rate, credible interval, probability to be best, meetings, time to
qualify, a funnel per variant and the verdict), and the variant on the lead page; the same
numbers at /api/experiments. Screenshot: artifacts/web/experiments.png."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.experiments.registry import running_experiment, start, stop
from bot.experiments.report import report
from bot.experiments.settings import load_experiment_settings
from bot.funnel import record_progress
from bot.settings import PROJECT_ROOT
from bot.store.repository import save_lead
from tests.store.builders import NOW, submission
from tests.web.server import MANAGER, DashboardServer
from tests.web.test_browser import _page, _shot, browser  # noqa: F401 (the Chromium fixture)
from tests.webchat.servers import CHROMIUM

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="system Chromium not installed (scripts/test-deps.sh)")
FULL = ["need", "budget", "authority", "timeline", "contact", "qualified"]


@pytest.fixture(scope="module")
def experiment(server: DashboardServer) -> Iterator[int]:
    """opening-line running with 8 conversations per variant (2 and 5 qualified), and a lead in
    quick-answer; stopped afterwards so that other tests see no running experiment."""
    settings = load_experiment_settings(PROJECT_ROOT / "settings")
    shutil.copy(PROJECT_ROOT / "settings" / "experiments.yml", server.settings_dir())  # the shipped definitions
    sessions = server.sessions()
    with sessions.begin() as s:
        if running_experiment(s) is not None:
            stop(s, running_experiment(s).key, now=NOW, by="test")
        start(s, settings, "opening-line", now=NOW, by="test")
        for i in range(16):
            variant, qualified = ("control", i < 2) if i < 8 else ("quick-answer", i < 13)
            record_progress(s, f"web-exp-{i}", "socketio", [], now=NOW, variant=("opening-line", variant))
            later = NOW + timedelta(minutes=4 + i)
            record_progress(s, f"web-exp-{i}", "socketio", FULL if qualified else ["need"], now=later)
        lead_id = save_lead(s, replace(submission("web-exp-8", email="exp-visitor@web.example"),
                                       experiment=("opening-line", "quick-answer")), now=NOW).lead_id
    yield lead_id
    with sessions.begin() as s:
        stop(s, "opening-line", now=NOW, by="test")
    sessions.kw["bind"].dispose()


def test_the_experiments_view_and_the_variant_on_the_lead_page(browser, server: DashboardServer,
                                                               experiment: int) -> None:
    page = _page(browser, server, MANAGER, viewport={"width": 1366, "height": 900})
    page.get_by_role("link", name="Experiments").click()
    page.locator("#report").wait_for()
    assert page.locator("#report h2").inner_text().startswith("opening-line")
    control = page.locator("tr[data-variant='control']").inner_text().split("\t")
    quick = page.locator("tr[data-variant='quick-answer']").inner_text().split("\t")
    assert control[1:4] == ["8", "2", "25.0%"] and quick[1:4] == ["8", "5", "62.5%"]
    assert page.locator(".verdict").inner_text().startswith("Not enough data yet: at least 200 conversations")
    assert page.locator(".charts svg").count() == 2, "a bot funnel per variant"
    listed = page.locator("table.experiments-list").inner_text()
    assert "running" in listed and "budget-early" in listed and "defined" in listed
    _shot(page, "experiments")

    page.goto(f"{server.url}/leads/{experiment}")
    assert page.locator("dd.experiment").inner_text() == "opening-line · variant quick-answer"


def test_the_api_gives_the_report_s_own_numbers(manager, server: DashboardServer, experiment: int) -> None:
    got = manager.page("/api/experiments?key=opening-line")
    assert got.status_code == 200
    with server.sessions()() as s:
        assert got.json() == report(s, load_experiment_settings(PROJECT_ROOT / "settings"), "opening-line").to_dict()
    assert manager.page("/api/experiments?key=nope").status_code == 400
