"""Proactive chat in headless Chromium, on a customer's pages embedding our widget, against the
real bot: each trigger (time on page, scroll depth, exit intent, a page pattern, a returning
visitor) shows its teaser and unread badge, and only once (the caps hold across reloads and
tabs); a pricing page pitches price and the chat opened from it starts on that line, consent
notice included, then qualifies as usual and the lead records the trigger; a careers page
never opens; a visitor who closed the chat or dismissed a teaser is not asked again.

Time on page runs on Playwright's clock installed in the page and paused (`context.clock`):
a test moves it forward itself, so nothing waits for the machine's wall clock.
Screenshots: artifacts/proactive-teaser.png, artifacts/proactive-opened.png."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bot.proactive import page_regex
from tests.proactive.test_settings import PAGE_PATTERNS
from tests.webchat.conftest import ARTIFACTS
from tests.webchat.servers import MANAGER, PASSWORD, WebChat
from tests.webchat.site import StaticSite
from tests.webchat.test_widget import WAIT, bot_says, lead_of, send, session_id

pytestmark = pytest.mark.rasa

# Our test site's triggers; the site is 127.0.0.1, so its widget reads `default`.
SETTINGS = """\
frequency: {per_session: 1, per_day: 2, same_trigger_days: 7}
sites:
  default:
    quiet_pages: ["/careers*"]
    triggers:
      - name: plans-page
        pages: ["/plans*"]
        after_seconds: 4
        teaser: "Comparing plans? I can tell you what it would cost for your team."
        opening: "Comparing plans? Tell me what you need and I'll work out the price for your team."
      - name: returning-visitor
        returning: true
        after_seconds: 5
        teaser: "Welcome back! Anything I can help you decide?"
        opening: "Welcome back! What can I help you decide?"
      - name: read-deeply
        scroll_percent: 60
        teaser: "Still reading? I can answer your questions in a minute."
        opening: "You've read quite a bit: what would you like the bot to do?"
      - name: leaving
        exit_intent: true
        teaser: "Before you go: can I help you find what you were looking for?"
        opening: "Before you go: what were you looking for?"
      - name: time-on-page
        after_seconds: 30
        teaser: "Questions about how this works for your team? Ask me."
        opening: "Tell me what you'd like the bot to do for your team."
"""
START = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)  # the pages' clock, paused here


@pytest.fixture(scope="module")
def triggers(webchat: WebChat) -> Iterator[None]:
    """The test site's proactive.yml in the session's settings (read per request by the
    dashboard and the action server); the shipped copy back afterwards."""
    path = webchat.bot.settings_dir / "proactive.yml"
    original = path.read_text(encoding="utf-8") if path.exists() else None
    path.write_text(SETTINGS, encoding="utf-8")
    yield
    if original is None:
        path.unlink()
    else:
        path.write_text(original, encoding="utf-8")


@pytest.fixture(scope="module")
def pages(site: StaticSite, webchat: WebChat) -> dict[str, str]:
    """A blog post (tall, no trigger of its own), a plans page and a careers page of the
    customer's site, each embedding the widget the documented way; their URLs."""
    urls = {}
    for name, folder, title in [("blog", "blog/proactive-post", "Ten ways to qualify leads"),
                                ("plans", "plans", "Plans and prices"), ("careers", "careers", "Join us")]:
        page = site.folder / folder / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            '<style>body{margin:0;font:17px/1.6 Georgia,serif} main{max-width:700px;margin:0 auto;'
            f'padding:24px;min-height:3000px}}</style></head><body><main><h1>{title}</h1>'
            '<p>Acme Analytics turns website visitors into qualified leads.</p></main>'
            f'<script src="{webchat.url}/widget/widget.js" data-server="{webchat.relay.url}" defer></script>'
            '</body></html>', encoding="utf-8")
        urls[name] = f"{site.origin}/{folder}/"
    return urls


@pytest.fixture
def visitor(chromium: Browser, triggers: None) -> Iterator[BrowserContext]:
    """A new visitor: a browser profile of their own, on a paused clock."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB",
                                   timezone_id="Europe/London")
    context.clock.install(time=START)
    context.clock.pause_at(START)
    yield context
    context.close()


def visit(context: BrowserContext, url: str, state: str = "armed") -> Page:
    """A new tab (a new browser session) on `url`, once the widget has read its triggers."""
    page = context.new_page()
    page.goto(url)
    proactive(page, state)
    return page


def proactive(page: Page, state: str) -> None:
    expect(page.locator("#leadbot-widget")).to_have_attribute("data-proactive", state, timeout=WAIT)


def teaser(page: Page):
    return page.locator(".lb-teaser")


def badge(page: Page):
    return page.locator(".lb-badge")


def shows(page: Page, trigger: str, text: str) -> None:
    """The teaser of `trigger` is up, with one unread message on the launcher."""
    proactive(page, "shown")
    expect(teaser(page)).to_be_visible()
    expect(teaser(page)).to_have_attribute("data-trigger", trigger)
    expect(teaser(page)).to_contain_text(text)
    expect(badge(page)).to_have_text("1")
    expect(page.get_by_role("button", name=re.compile(r"Open chat: .*\(1 unread message\)"))).to_be_visible()


def nothing_shows(page: Page, context: BrowserContext) -> None:
    """Whatever the visitor does for two minutes, no teaser comes up."""
    context.clock.run_for(120_000)
    page.mouse.wheel(0, 5000)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    leave_through_the_top(page)
    context.clock.run_for(1000)
    expect(teaser(page)).to_be_hidden()
    expect(badge(page)).to_be_hidden()


def leave_through_the_top(page: Page) -> None:
    page.mouse.move(640, 300)
    page.mouse.move(640, 5)
    page.mouse.move(640, -20)


def scroll_to(page: Page, percent: int) -> None:
    """Scroll so that `percent` of the page has been in view (the widget's own measure)."""
    page.evaluate("""percent => {
        const page = document.documentElement;
        window.scrollTo(0, Math.max(0, page.scrollHeight * percent / 100 - window.innerHeight));
    }""", percent)


def test_the_browser_reads_the_page_patterns_as_python_does(chromium: Browser) -> None:
    """The widget runs bot.proactive's regular expressions with JavaScript's RegExp: same answers."""
    page = chromium.new_page()
    cases = [[page_regex(pattern), path] for pattern, path, _ in PAGE_PATTERNS]
    got = page.evaluate("cases => cases.map(([re, path]) => new RegExp(re).test(path))", cases)
    assert got == [matches for _, _, matches in PAGE_PATTERNS]
    page.close()


def test_the_site_config_is_public_cached_and_has_no_openings(webchat: WebChat, triggers: None) -> None:
    answer = requests.get(f"{webchat.url}/widget/proactive", params={"site": "127.0.0.1"}, timeout=30)
    assert answer.ok and answer.headers["Access-Control-Allow-Origin"] == "*"
    assert re.fullmatch(r"public, max-age=\d+", answer.headers["Cache-Control"])
    assert "set-cookie" not in answer.headers
    config = answer.json()
    assert config["site"] == "default" and config["enabled"] is True
    assert [t["name"] for t in config["triggers"]] == ["plans-page", "returning-visitor", "read-deeply", "leaving",
                                                        "time-on-page"]
    assert config["quiet_pages"] == ["^/careers.*$"]
    assert "opening" not in answer.text and "work out the price" not in answer.text


def test_time_on_page_shows_its_teaser_once(visitor: BrowserContext, pages: dict[str, str]) -> None:
    page = visit(visitor, pages["blog"])
    visitor.clock.run_for(29_000)
    expect(teaser(page)).to_be_hidden()
    visitor.clock.run_for(1_000)
    shows(page, "time-on-page", "Questions about how this works")
    page.screenshot(path=str(ARTIFACTS / "proactive-teaser.png"))

    # A reload in the same tab: this session had its teaser.
    page.reload()
    proactive(page, "capped")
    nothing_shows(page, visitor)
    # Another tab, a new session: another trigger may show, this one not for a week; and two
    # in a day are all (per_day), so a third tab shows nothing.
    other = visit(visitor, pages["blog"])
    visitor.clock.run_for(60_000)
    expect(teaser(other)).to_be_hidden()
    leave_through_the_top(other)
    shows(other, "leaving", "Before you go")
    shown = other.evaluate("JSON.parse(localStorage.getItem('leadbot-chat:teasers'))")
    assert shown[0] == {"trigger": "time-on-page", "at": int(START.timestamp() * 1000) + 30_000}
    assert [s["trigger"] for s in shown] == ["time-on-page", "leaving"]
    nothing_shows(visit(visitor, pages["blog"], state="capped"), visitor)


def test_scroll_depth_shows_its_teaser_once(visitor: BrowserContext, pages: dict[str, str]) -> None:
    page = visit(visitor, pages["blog"])
    scroll_to(page, 40)
    visitor.clock.run_for(1_000)
    expect(teaser(page)).to_be_hidden()
    scroll_to(page, 65)
    shows(page, "read-deeply", "Still reading?")
    page.reload()
    proactive(page, "capped")
    scroll_to(page, 100)
    expect(teaser(page)).to_be_hidden()


def test_exit_intent_shows_its_teaser_once(visitor: BrowserContext, pages: dict[str, str]) -> None:
    page = visit(visitor, pages["blog"])
    page.mouse.move(640, 400)
    page.mouse.move(900, 600)  # moving about the page is no exit
    expect(teaser(page)).to_be_hidden()
    leave_through_the_top(page)
    shows(page, "leaving", "Before you go")
    page.reload()
    proactive(page, "capped")
    leave_through_the_top(page)
    expect(teaser(page)).to_be_hidden()


def test_a_returning_visitor_is_welcomed_back(visitor: BrowserContext, pages: dict[str, str]) -> None:
    first = visit(visitor, pages["blog"])
    visitor.clock.run_for(10_000)  # past the returning trigger's 5 s: not on a first visit
    expect(teaser(first)).to_be_hidden()
    first.close()
    visitor.clock.fast_forward(29 * 60_000)  # another page within half an hour: the same visit
    same = visit(visitor, pages["blog"])
    visitor.clock.run_for(10_000)
    expect(teaser(same)).to_be_hidden()
    same.close()
    visitor.clock.fast_forward(31 * 60_000)  # more than half an hour later: a new visit
    again = visit(visitor, pages["blog"])
    visitor.clock.run_for(4_000)
    expect(teaser(again)).to_be_hidden()
    visitor.clock.run_for(1_000)
    shows(again, "returning-visitor", "Welcome back!")


def test_the_plans_page_pitches_price_and_the_chat_opens_on_it(visitor: BrowserContext, webchat: WebChat,
                                                               pages: dict[str, str]) -> None:
    page = visit(visitor, pages["plans"])
    scroll_to(page, 100)  # the blog's triggers do not apply to a page with its own
    leave_through_the_top(page)
    visitor.clock.run_for(3_000)
    expect(teaser(page)).to_be_hidden()
    visitor.clock.run_for(1_000)
    shows(page, "plans-page", "Comparing plans?")

    visitor.clock.resume()  # the conversation runs on the browser's own time from here
    teaser(page).get_by_role("button", name=re.compile("Comparing plans")).click()
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(teaser(page)).to_be_hidden()
    expect(badge(page)).to_be_hidden()
    first = page.locator(".lb-bot").first
    expect(first).to_contain_text("Comparing plans? Tell me what you need and I'll work out the price", timeout=WAIT)
    expect(first).to_contain_text("this chat is recorded")  # the consent notice, after the trigger's line
    bot_says(page, "What would you like help with")  # then the usual qualification
    page.screenshot(path=str(ARTIFACTS / "proactive-opened.png"))

    send(page, "We'd like a chatbot that qualifies our website leads. I'm Priya Nair from Nair Freight, "
               "priya.nair@nairfreight.example")
    bot_says(page, "When would you like to have a solution in place?")
    lead = lead_of(webchat.bot, session_id(page))
    assert lead.source["proactive_trigger"] == "plans-page"
    assert lead.source["page_url"] == pages["plans"]
    assert lead.consent_shown_at is not None
    said = [line["text"] for line in lead.transcript if line["sender"] == "bot"]
    assert said and said[0].startswith("Comparing plans? Tell me what you need")
    # The rep sees what opened the conversation on the lead's page.
    rep = requests.Session()
    form = rep.get(f"{webchat.url}/login", timeout=30).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    rep.post(f"{webchat.url}/login", data={"email": MANAGER[0], "password": PASSWORD, "csrf_token": csrf}, timeout=30)
    shown = rep.get(f"{webchat.url}/leads/{lead.id}", timeout=30).text
    assert re.search(r"Opened by</dt><dd class=\"proactive\">the chat's teaser <code>plans-page</code>", shown)
    # And the metrics count it (leads per trigger, beside the chats visitors opened themselves).
    metrics = rep.get(f"{webchat.url}/metrics?period=all", timeout=30).text
    assert 'id="proactive"' in metrics and "plans-page" in metrics
    triggers = rep.get(f"{webchat.url}/api/metrics?period=all", timeout=30).json()["proactive"]["triggers"]
    assert next(r for r in triggers if r["trigger"] == "plans-page")["leads"] >= 1


def test_the_careers_page_never_opens(visitor: BrowserContext, pages: dict[str, str]) -> None:
    page = visit(visitor, pages["careers"], state="quiet")
    nothing_shows(page, visitor)


def test_a_visitor_who_closed_the_chat_is_not_asked_again(visitor: BrowserContext, pages: dict[str, str]) -> None:
    page = visit(visitor, pages["blog"])
    visitor.clock.resume()
    page.get_by_role("button", name=re.compile("Open chat")).click()
    bot_says(page, "What would you like help with")
    page.get_by_role("button", name="Close chat").click()
    later = visit(visitor, pages["blog"], state="off")
    nothing_shows(later, visitor)
    plans = visit(visitor, pages["plans"], state="off")
    nothing_shows(plans, visitor)


def test_a_visitor_who_dismissed_a_teaser_is_not_asked_again(visitor: BrowserContext,
                                                              pages: dict[str, str]) -> None:
    page = visit(visitor, pages["blog"])
    leave_through_the_top(page)
    shows(page, "leaving", "Before you go")
    teaser(page).get_by_role("button", name="Dismiss").click()
    proactive(page, "dismissed")
    expect(teaser(page)).to_be_hidden()
    expect(badge(page)).to_be_hidden()
    nothing_shows(page, visitor)
    for url in (pages["blog"], pages["plans"]):  # new sessions, other pages
        nothing_shows(visit(visitor, url, state="off"), visitor)


def test_messages_that_arrive_while_the_chat_is_closed_show_as_unread(chromium: Browser, webchat: WebChat,
                                                                      pages: dict[str, str], triggers: None) -> None:
    """The badge is not only the teaser's: the bot's replies that come while the chat is closed
    are counted (kept across pages) until it is opened. Made certain by cutting the socket:
    the message waits for the reconnection, which comes after the chat was closed."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})  # the browser's own clock: reconnection
    page = context.new_page()
    page.goto(pages["blog"])
    page.get_by_role("button", name=re.compile("Open chat")).click()
    bot_says(page, "What would you like help with")
    seen = page.locator(".lb-bot").count()
    webchat.relay.cut()
    try:
        expect(page.locator(".lb-status")).to_contain_text(re.compile("Reconnecting|Retrying"), timeout=WAIT)
        send(page, "We'd like a chatbot that qualifies the leads coming from our website")
        page.get_by_role("button", name="Close chat").click()
    finally:
        webchat.relay.restore()
    # The turn's last message (the next question) is in the closed chat's log: count then.
    expect(page.locator(".lb-log")).to_contain_text("When would you like to have a solution in place?", timeout=WAIT)
    expect(badge(page)).to_have_text(re.compile(r"^[1-9]$"))
    unread = int(badge(page).inner_text())
    assert unread == page.locator(".lb-bot").count() - seen  # every reply since it was closed
    expect(page.get_by_role("button", name=f"Open chat: Chat with us ({unread} unread "
                                            f"{'message' if unread == 1 else 'messages'})")).to_be_visible()
    page.reload()
    expect(badge(page)).to_have_text(str(unread))
    page.get_by_role("button", name=re.compile("Open chat")).click()
    expect(page.locator(".lb-bot", has_text="When would you like to have a solution in place?")).to_be_visible()
    expect(badge(page)).to_be_hidden()
    context.close()
