"""rasa-webchat, the community widget many Rasa sites already embed (from the npm registry:
scripts/test-deps.sh), set up with docs/widget.md's snippet on a customer's page of another
origin, in headless Chromium against the real bot: long-polling with CORS, then WebSocket; a
qualification with a reload mid-way (its own session_request/session_confirm); the stored
lead's answers, consent and source from customData. And a page of a site nobody listed."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.servers import ROOT
from tests.webchat.conftest import ARTIFACTS
from tests.webchat.site import StaticSite
from tests.webchat.test_widget import lead_of

pytestmark = pytest.mark.rasa

BUNDLE = ROOT / "tests" / "webchat" / ".rasa-webchat" / "package" / "lib" / "index.js"
DOC = ROOT / "docs" / "widget.md"
CDN = "https://cdn.jsdelivr.net/npm/rasa-webchat@1.0.1/lib/index.js"
BOT = "https://bot.example.com"
CAMPAIGN = "?utm_source=partner-blog&utm_medium=referral&utm_campaign=fleet-week"
WAIT = 30_000  # ms: a turn through Rasa and the action server, on a busy 2-core machine


def documented_snippet() -> str:
    """The init script docs/widget.md gives for rasa-webchat, as a site owner copies it."""
    section = DOC.read_text(encoding="utf-8").split("## Using rasa-webchat or another socket.io client", 1)[1]
    snippet = re.search(r"```html\n(.*?)```", section, re.S)
    assert snippet, "docs/widget.md has no rasa-webchat snippet"
    assert CDN in snippet.group(1) and BOT in snippet.group(1)
    return snippet.group(1)


def publish(site: StaticSite, socket_url: str, folder: str = "fleet") -> str:
    """A page of the customer's site with rasa-webchat embedded; its URL."""
    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE} is missing: run scripts/test-deps.sh (it fetches rasa-webchat from npm)")
    (site.folder / "vendor").mkdir(exist_ok=True)
    shutil.copyfile(BUNDLE, site.folder / "vendor" / "rasa-webchat.js")
    snippet = documented_snippet().replace(CDN, "/vendor/rasa-webchat.js").replace(BOT, socket_url)
    page = site.folder / folder / "index.html"
    page.parent.mkdir(exist_ok=True)
    page.write_text("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Lopez Freight</title>"
                    "</head><body><h1>Freight that shows up on time</h1>" + snippet + "</body></html>",
                    encoding="utf-8")
    return f"{site.origin}/{folder}/"


def bot_says(page: Page, fragment: str) -> None:
    expect(page.locator(".rw-response", has_text=fragment).last).to_be_visible(timeout=WAIT)


def send(page: Page, text: str) -> None:
    box = page.locator(".rw-new-message")
    box.fill(text)
    box.press("Enter")


def session_id(page: Page) -> str:
    return page.evaluate("JSON.parse(localStorage.getItem('chat_session')).session_id")


def until(page: Page, condition, what: str, timeout_ms: int = WAIT) -> None:
    """Let the page run (its events arrive meanwhile) until `condition()` holds."""
    for _ in range(timeout_ms // 100):
        if condition():
            return
        page.wait_for_timeout(100)
    pytest.fail(f"never happened: {what}")


class Transports:
    """What the page's socket.io client sent to Rasa, and what Rasa answered to its polls."""

    def __init__(self, page: Page, rasa_url: str) -> None:
        self.polls: list[tuple[int, str | None]] = []
        self.blocked: list[str] = []  # polls whose answer the browser withheld from the page
        self.websockets: list[str] = []
        polling = lambda url: url.startswith(rasa_url) and "transport=polling" in url  # noqa: E731
        page.on("response", lambda r: self.polls.append((r.status, r.headers.get("access-control-allow-origin")))
                if polling(r.url) else None)
        page.on("requestfailed", lambda r: self.blocked.append(r.failure or "") if polling(r.url) else None)
        page.on("websocket", lambda ws: self.websockets.append(ws.url) if ws.url.startswith(
            rasa_url.replace("http://", "ws://")) else None)


def test_rasa_webchat_on_another_sites_page_qualifies_a_lead_through_a_reload(bot, site, chromium) -> None:
    url = publish(site, bot.rasa_url)
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="de-DE",
                                   timezone_id="Europe/Berlin")
    page = context.new_page()
    transports = Transports(page, bot.rasa_url)
    page.goto(url + CAMPAIGN)
    page.locator(".rw-launcher").click()
    expect(page.locator(".rw-header")).to_contain_text("This chat is recorded")  # its subtitle: stays there
    bot_says(page, "this chat is recorded")  # the bot's first message carries the notice
    bot_says(page, "What would you like help with")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "rasa-webchat-greeting.png"))
    conversation = session_id(page)
    assert re.fullmatch(r"[0-9a-f]{32}\.[0-9a-f]{64}", conversation), "the id the server issued and signed"

    send(page, "We'd like a chatbot that qualifies the leads coming from our website, we are about 30 people")
    bot_says(page, "When would you like to have a solution in place?")
    page.locator(".rw-reply", has_text="Within 3 months").click()
    bot_says(page, "Who will make the final decision")

    # Long-polling first, answered with CORS headers for the site, then the WebSocket upgrade.
    assert transports.polls and all(status == 200 and allow == site.origin for status, allow in transports.polls)
    assert transports.websockets and "transport=websocket" in transports.websockets[0]

    # A reload mid-way: rasa-webchat asks for its kept session id and the server confirms it.
    page.reload()
    expect(page.locator(".rw-response", has_text="Who will make the final decision")).to_be_attached(timeout=WAIT)
    if not page.locator(".rw-new-message").is_visible():
        page.locator(".rw-launcher").click()
    assert session_id(page) == conversation
    send(page, "it's my call")
    bot_says(page, "Do you have a budget in mind?")
    send(page, "around 25k per year, in USD")
    bot_says(page, "What's your name?")
    send(page, "Maria Lopez")
    bot_says(page, "Which company are you with?")
    send(page, "Lopez Freight")
    bot_says(page, "best email address")
    send(page, "maria.lopez@lopezfreight.com")
    bot_says(page, "Thank you, Maria")
    assert session_id(page) == conversation
    page.screenshot(path=str(ARTIFACTS / "rasa-webchat.png"))
    context.close()

    lead = lead_of(bot, conversation)
    assert lead.email == "maria.lopez@lopezfreight.com" and lead.company == "Lopez Freight"
    assert lead.channel == "socketio" and lead.consent_shown_at is not None
    assert lead.timeline["text"] == "within 3 months" and lead.authority["level"] == "decision_maker"
    assert lead.budget["min"] == 25000 and lead.budget["currency"] == "USD"
    assert lead.source["page_url"] == url + CAMPAIGN
    assert (lead.source["utm_source"], lead.source["utm_medium"], lead.source["utm_campaign"]) == \
        ("partner-blog", "referral", "fleet-week")
    assert (lead.source["language"], lead.source["time_zone"]) == ("de-DE", "Europe/Berlin")
    said = [line["text"] for line in lead.transcript if line["sender"] == "user"]
    assert "/greet" not in said and "it's my call" in said


def test_an_id_rasa_webchat_kept_that_the_server_did_not_sign_is_replaced(bot, site, chromium) -> None:
    """rasa-webchat's own uuid from before (or a guessed id): a new conversation under a signed id."""
    url = publish(site, bot.rasa_url, folder="pricing")
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{site.origin}/vendor/rasa-webchat.js")  # the site's origin, without the widget
    page.evaluate("localStorage.setItem('chat_session', JSON.stringify({session_id: '0123456789abcdef0123456789abcdef'}))")
    page.goto(url)
    page.locator(".rw-launcher").click()
    bot_says(page, "What would you like help with")
    issued = session_id(page)
    assert issued != "0123456789abcdef0123456789abcdef" and re.fullmatch(r"[0-9a-f]{32}\.[0-9a-f]{64}", issued)
    send(page, "We need a chatbot that books appointments for our clinics")
    bot_says(page, "When would you like to have a solution in place?")
    context.close()


def test_rasa_webchat_on_a_site_nobody_listed_is_refused(bot, chromium, tmp_path: Path) -> None:
    stranger = StaticSite(tmp_path / "stranger").start()
    try:
        url = publish(stranger, bot.rasa_url)
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        transports = Transports(page, bot.rasa_url)
        cors_errors: list[str] = []
        page.on("console", lambda m: cors_errors.append(m.text) if "CORS policy" in m.text else None)
        page.goto(url)
        until(page, lambda: transports.blocked and cors_errors, "the page's polls to Rasa blocked")
        expect(page.locator(".rw-launcher")).to_have_count(0)  # rasa-webchat hides itself, unconnected
        assert all(status == 400 and allow is None for status, allow in transports.polls)
        assert any("No 'Access-Control-Allow-Origin' header" in text for text in cors_errors), cors_errors
        assert transports.websockets == []
        expect(page.locator(".rw-response")).to_have_count(0)
        context.close()
    finally:
        stranger.stop()
