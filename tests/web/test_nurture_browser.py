"""A rep's lead page in a real headless Chromium: the win probability beside the score, the
nurture sequence's state, and pausing it with the button. Screenshot:
artifacts/web/lead-nurture-and-win-probability.png."""
from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from bot.nurture.sequence import enrollment_of, sweep
from bot.nurture.settings import load_nurture_settings
from bot.settings import PROJECT_ROOT
from bot.store.repository import record_followup_optin, save_lead
from bot.winprob.model import Evaluation, WinModel, save
from tests.store.builders import NOW, submission
from tests.web.server import MANAGER, DashboardServer
from tests.web.test_browser import ARTIFACTS, _page, _shot
from tests.webchat.servers import CHROMIUM

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="system Chromium not installed (scripts/test-deps.sh)")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    from tests.web.test_browser import ARGS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def test_a_rep_sees_the_win_probability_and_pauses_the_nurture_e_mails(browser, server: DashboardServer) -> None:
    sessions = server.sessions()
    with sessions.begin() as s:
        lead_id = save_lead(s, submission("web-nurture-browser", email="someday@web.example", status="nurture",
                                          points=44), now=NOW).lead_id
        record_followup_optin(s, "web-nurture-browser", True, now=NOW)
        sweep(s, load_nurture_settings(PROJECT_ROOT / "settings"), now=NOW)
    model = WinModel(version=2, trained_at="2026-11-21T07:00:00+00:00", intercept=-0.9,
                     weights={"authority=decision_maker": 0.84, "budget=10k-25k": 0.31, "timeline=<=3m": 0.42},
                     closed_deals=1782, won=668, evaluation=Evaluation(1336, 446, 0.70, 0.21, 0.37, []))
    path = save(model, server.workdir / "win-model.json")
    try:
        page = _page(browser, server, MANAGER, viewport={"width": 1366, "height": 900})
        page.goto(f"{server.url}/leads/{lead_id}")
        assert page.locator("#win").inner_text() == "Win probability 66%"
        assert "authority: decision maker" in page.locator(".win-reasons").inner_text()
        assert "Sequence standard: active" in page.locator(".nurture-state").inner_text()
        page.get_by_role("button", name="Pause the sequence").click()
        page.get_by_text("Nurture e-mails paused.").wait_for()
        assert "paused by maria@example.com" in page.locator(".nurture-state").inner_text()
        page.locator("#win").scroll_into_view_if_needed()
        _shot(page, "lead-nurture-and-win-probability")
    finally:
        path.unlink()
    with sessions() as s:
        assert enrollment_of(s, lead_id).state == "paused"
    sessions.kw["bind"].dispose()
