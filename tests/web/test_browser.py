"""The dashboard in a real headless Chromium (system /usr/bin/chromium, driven by Playwright).

Screenshots go to artifacts/web/ (desktop and phone) as test artifacts.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.server import ALICE, MANAGER, XSS_NAME, DashboardServer
from tests.webchat.servers import CHROMIUM

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--no-first-run", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "web"
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="system Chromium not installed (scripts/test-deps.sh)")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def _page(browser, server: DashboardServer, who: tuple[str, str], **context):  # noqa: ANN001, ANN202
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(15_000)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    page.goto(server.url + "/inbox")
    assert "/login" in page.url
    page.fill("input[name=email]", who[0])
    page.fill("input[name=password]", who[1])
    page.click("button[type=submit]")
    page.wait_for_url("**/inbox")
    return page


def _shot(page, name: str) -> None:  # noqa: ANN001
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _kpi(page, key: str) -> str:  # noqa: ANN001
    return page.locator(f"[data-metric='{key}'] .value").inner_text()


def test_sign_in_open_a_lead_move_it_to_won_and_see_the_metrics_change(browser, server: DashboardServer) -> None:
    page = _page(browser, server, MANAGER, viewport={"width": 1366, "height": 900})
    _shot(page, "desktop-inbox")
    page.goto(server.url + "/metrics")
    won_before = _kpi(page, "won")
    lead_id = server.seeded.alice[2]
    page.goto(server.url + "/inbox?all=1")
    page.click(f"a[href='/leads/{lead_id}']")
    page.wait_for_url(f"**/leads/{lead_id}")
    _shot(page, "desktop-lead")
    for stage in ("meeting", "proposal", "negotiation"):
        page.select_option("form[action$='/stage'] select[name=stage]", stage)
        page.click("form[action$='/stage'] button")
        page.wait_for_url("**?done=moved")
        assert page.locator(".lead-head strong").inner_text() != ""
    page.fill("form[action$='/won'] input[name=value]", "24000")
    page.fill("form[action$='/won'] input[name=currency]", "USD")
    page.click("form[action$='/won'] button")
    page.wait_for_url("**?done=won")
    assert "Marked as won." in page.inner_text("main")
    history = page.inner_text(".history")
    for move in ("qualified → meeting", "meeting → proposal", "proposal → negotiation", "negotiation → won"):
        assert move in history
    page.goto(server.url + "/metrics")
    assert _kpi(page, "won") != won_before
    assert int(_kpi(page, "won").replace(",", "")) == int(won_before.replace(",", "")) + 1
    _shot(page, "desktop-metrics")
    page.goto(server.url + "/board")
    _shot(page, "desktop-board")
    assert page.dialogs == []


def test_a_rep_cannot_open_another_reps_lead(browser, server: DashboardServer) -> None:
    page = _page(browser, server, ALICE, viewport={"width": 1366, "height": 900})
    response = page.goto(f"{server.url}/leads/{server.seeded.bob[0]}")
    assert response is not None and response.status == 404
    assert "Not found" in page.inner_text("h1")
    _shot(page, "desktop-rep-404")
    hrefs = page.eval_on_selector_all("a[href^='/leads/']", "els => els.map(e => e.getAttribute('href'))")
    page.goto(server.url + "/inbox?all=1")
    hrefs = page.eval_on_selector_all("a[href^='/leads/']", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(int(h.split("/")[2]) in server.seeded.alice for h in hrefs)


def test_a_lead_named_script_is_shown_as_text_and_never_runs(browser, server: DashboardServer) -> None:
    page = _page(browser, server, MANAGER, viewport={"width": 1366, "height": 900})
    page.goto(f"{server.url}/leads/{server.seeded.xss}")
    assert page.locator("h1").inner_text().startswith(XSS_NAME)
    page.goto(server.url + "/inbox?all=1")
    assert page.get_by_text(XSS_NAME).count() >= 1
    assert page.evaluate("window.__pwned") is None and page.dialogs == []


def test_drag_a_card_to_another_column(browser, server: DashboardServer) -> None:
    page = _page(browser, server, MANAGER, viewport={"width": 1600, "height": 1000})
    lead_id = server.seeded.bob[2]
    page.goto(server.url + "/board")
    card = page.locator(f".deal[data-lead='{lead_id}']")
    assert card.count() == 1
    card.drag_to(page.locator(".column[data-stage='meeting'] header"))
    page.wait_for_load_state("load")
    page.wait_for_selector(f".column[data-stage='meeting'] .deal[data-lead='{lead_id}']")
    page.goto(f"{server.url}/leads/{lead_id}")
    assert "qualified → meeting" in page.inner_text(".history")


def test_pages_fit_a_phone(browser, server: DashboardServer) -> None:
    page = _page(browser, server, MANAGER, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    for path, name in (("/inbox?all=1", "phone-inbox"), (f"/leads/{server.seeded.alice[1]}", "phone-lead"),
                       ("/metrics", "phone-metrics"), ("/board", "phone-board")):
        page.goto(server.url + path)
        _shot(page, name)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than the phone"
    page.goto(server.url + "/inbox?all=1")
    page.locator("a[href^='/leads/']").first.click()
    page.wait_for_url("**/leads/*")
