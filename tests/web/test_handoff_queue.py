"""The hand-off queue in headless Chromium, on a real dashboard and store whose clock is pinned
(LEADBOT_NOW): the badge counts the visitors a rep may answer, the queue shows how long each
has waited (from the stored hand-off time), a visitor who starts waiting raises a browser
notification and a sound, a rep marked away gets neither, and a rep takes an unassigned
hand-off. Screenshot: artifacts/web/handoff-queue.png."""
from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests.web.server import ALICE, BOB, MANAGER, DashboardServer
from tests.web.test_browser import ARGS, ARTIFACTS
from tests.webchat.servers import CHROMIUM

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="system Chromium not installed (scripts/test-deps.sh)")

NOW = datetime(2026, 11, 23, 10, 7, tzinfo=timezone.utc)  # the dashboard's clock
# Observe, without replacing them, the browser's notifications and the oscillators of the alert
# sound, counted for the tab (the queue page reloads itself when someone joins).
RECORD = """
window.__notes = JSON.parse(sessionStorage.getItem("test-notes") || "[]"); window.__tones = Number(sessionStorage.getItem("test-tones") || 0);
const RealNotification = window.Notification;
window.Notification = function (title, options) {
  window.__notes.push({title: title, body: (options || {}).body});
  sessionStorage.setItem("test-notes", JSON.stringify(window.__notes));  // kept across the queue's reloads
  return new RealNotification(title, options);
};
Object.defineProperty(window.Notification, "permission", {get: () => RealNotification.permission});
window.Notification.requestPermission = (...a) => RealNotification.requestPermission(...a);
const realStart = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...a) {
  window.__tones += 1; sessionStorage.setItem("test-tones", String(window.__tones));
  return realStart.apply(this, a);
};
"""


def waiting_lead(server: DashboardServer, conversation: str, name: str, *, at: datetime, owner: str | None = None,
                 state: str = "waiting") -> int:
    """A visitor who asked for a person at `at`, stored as the action server stores them."""
    from bot.assignment.assign import assign_to
    from bot.assignment.reps import get_rep
    from bot.store.repository import save_lead
    from tests.store.builders import submission

    sessions = server.sessions()
    try:
        with sessions.begin() as s:
            sub = dataclasses.replace(submission(conversation, email=f"{conversation}@buyer.example", name=name,
                                                 status="nurture", human_requested=True, channel="socketio"),
                                      handoff_state=state)
            lead_id = save_lead(s, sub, now=at).lead_id
            if owner:
                assign_to(s, lead_id, get_rep(s, owner), now=at, by="test")
        return lead_id
    finally:
        sessions.kw["bind"].dispose()


@pytest.fixture(scope="module")
def queue_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DashboardServer]:
    from bot.assignment.reps import add_rep
    from bot.store.migrate import upgrade
    from web.accounts import add_account

    server = DashboardServer(tmp_path_factory.mktemp("queue"))
    upgrade(server.database_url)
    sessions = server.sessions()
    with sessions.begin() as s:
        add_rep(s, "Alice Ng", ALICE[0], now=NOW)
        add_rep(s, "Bob Ray", BOB[0], now=NOW)
        add_account(s, MANAGER[0], MANAGER[1], role="manager", now=NOW, name="Maria Manager")
        add_account(s, ALICE[0], ALICE[1], role="rep", now=NOW)
        add_account(s, BOB[0], BOB[1], role="rep", now=NOW)
    sessions.kw["bind"].dispose()
    waiting_lead(server, "q-own", "Olga Owned", at=NOW - timedelta(minutes=7), owner=ALICE[0])
    waiting_lead(server, "q-free", "Fred Free", at=NOW - timedelta(minutes=2))
    waiting_lead(server, "q-bob", "Betty Bobs", at=NOW - timedelta(minutes=30), owner=BOB[0])
    waiting_lead(server, "q-talk", "Tom Talking", at=NOW - timedelta(hours=3), owner=ALICE[0], state="with_rep")
    server.start(extra_env={"LEADBOT_NOW": NOW.isoformat()})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def signed_in(browser, server: DashboardServer, who: tuple[str, str], path: str = "/handoffs"):  # noqa: ANN001, ANN201
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server.url)
    context.add_init_script(RECORD)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(path)
    page.fill("input[name=email]", who[0])
    page.fill("input[name=password]", who[1])
    page.click("button[type=submit]")
    page.wait_for_url(f"**{path}")
    return page


def notes(page) -> list[dict]:  # noqa: ANN001
    return page.evaluate("window.__notes")


def until(page, expression: str, timeout_ms: int = 20_000) -> None:  # noqa: ANN001
    """Wait for `expression` to hold in the page (the dashboard's CSP forbids wait_for_function's eval)."""
    for _ in range(timeout_ms // 100):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true in the page: {expression}")


def test_the_queue_badge_alerts_and_taking_a_hand_off(browser, queue_server: DashboardServer) -> None:
    page = signed_in(browser, queue_server, ALICE)
    badge = page.locator("a.queue-link .badge")
    expect(badge).to_have_text("2")  # her own waiting visitor and the unassigned one, not Bob's
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(3)  # and the conversation she is in
    expect(rows.nth(0)).to_contain_text("Tom Talking")
    expect(rows.nth(0)).to_contain_text("Talking with a rep")
    expect(rows.nth(0).locator("td.wait")).to_have_text("3 h")
    expect(rows.nth(1)).to_contain_text("Olga Owned")
    expect(rows.nth(1).locator("td.wait")).to_have_text("7 min")  # NOW - handoff_at, the dashboard's clock
    expect(rows.nth(2).locator("td.wait")).to_have_text("2 min")
    assert page.locator("table.queue").inner_text().count("Betty Bobs") == 0

    # The visitors already waiting when the page opened were announced by sound; no notification
    # before the rep allows them, which the queue page offers.
    until(page, "window.__tones >= 4")  # two tones per visitor
    assert notes(page) == []
    page.context.grant_permissions(["notifications"])  # what the browser does when the rep clicks "Allow"
    page.get_by_role("button", name="Enable alerts").click()
    expect(page.locator("[data-alert-status]")).to_have_text(re.compile("Alerts are on"))
    expect(page.get_by_role("button", name="Enable alerts")).to_be_hidden()
    tones = page.evaluate("window.__tones")

    # A new visitor asks for a person: the badge, the table, a notification and a sound follow by themselves.
    waiting_lead(queue_server, "q-new", "Nina New", at=NOW - timedelta(minutes=1))
    expect(badge).to_have_text("3", timeout=20_000)
    expect(page.locator("table.queue tbody tr", has_text="Nina New")).to_be_visible(timeout=20_000)
    until(page, "window.__notes.length > 0")
    assert notes(page) == [{"title": "Nina New is waiting for a person",
                            "body": "Brightwell Dental · via socketio. Open the hand-off queue to answer."}]
    assert page.evaluate("window.__tones") > tones
    page.reload()
    page.wait_for_timeout(1000)
    assert len(notes(page)) == 1  # nobody is announced twice
    page.screenshot(path=str(ARTIFACTS / "handoff-queue.png"), full_page=True)

    # Away: the badge still counts, but no notification or sound.
    page.get_by_role("button", name="Set away").click()
    page.wait_for_url("**/handoffs")
    expect(page.locator(".desk-state")).to_have_text("Away")
    tones = page.evaluate("window.__tones")
    waiting_lead(queue_server, "q-quiet", "Quentin Quiet", at=NOW)
    expect(badge).to_have_text("4", timeout=20_000)
    page.wait_for_timeout(500)
    assert len(notes(page)) == 1 and page.evaluate("window.__tones") == tones
    page.get_by_role("button", name="Set available").click()
    expect(page.locator(".desk-state")).to_have_text("Available")

    # Taking the unassigned hand-off makes Alice its owner and opens its reply box.
    row = page.locator("table.queue tbody tr", has_text="Fred Free")
    row.get_by_role("button", name="Take it").click()
    page.wait_for_url(re.compile(r"/leads/\d+#conversation$"))
    expect(page.get_by_label("Reply to the visitor as Alice Ng")).to_be_visible()
    expect(page.get_by_text("Alice Ng · rule")).to_be_visible()


def test_the_manager_sees_every_hand_off_and_a_rep_no_others(browser, queue_server: DashboardServer) -> None:
    manager = signed_in(browser, queue_server, MANAGER, "/inbox")
    expect(manager.locator("a.queue-link .badge")).not_to_have_text("0")
    manager.goto("/handoffs")
    expect(manager.locator("table.queue tbody tr", has_text="Betty Bobs")).to_be_visible()
    expect(manager.locator(".desk")).to_have_count(0)  # a manager without a rep is never routed to
    bob = signed_in(browser, queue_server, BOB)
    expect(bob.locator("table.queue tbody tr", has_text="Betty Bobs")).to_be_visible()
    expect(bob.locator("table.queue tbody tr", has_text="Olga Owned")).to_have_count(0)


@pytest.mark.parametrize("business_hours, line", [
    ("mon-fri 09:00-17:00", "Typically replies in a few minutes"),    # Monday 10:07 UTC, reps always at work
    ("mon 13:00-17:00", "Typically replies in 3 hours"),              # 2 h 53 min away
    ("tue 08:00-12:00", "Typically replies tomorrow at 09:00"),       # the visitor is in Berlin
    ("sat 09:00-12:00", "Typically replies Saturday at 10:00"),
])
def test_the_widget_says_when_a_person_typically_replies(browser, queue_server: DashboardServer, business_hours: str,
                                                         line: str) -> None:
    settings = queue_server.settings_dir() / "handoff.yml"
    settings.write_text(f'business_hours: "{business_hours}"\n', encoding="utf-8")
    try:
        context = browser.new_context(base_url=queue_server.url, timezone_id="Europe/Berlin", locale="en-GB")
        page = context.new_page()
        page.goto("/demo/")
        page.get_by_role("button", name=re.compile("Open chat")).click()
        expect(page.locator(".lb-agent-text")).to_have_text(line)
        if business_hours.startswith("sat"):
            page.screenshot(path=str(ARTIFACTS / "widget-reply-time.png"))
        context.close()
    finally:
        settings.unlink()
