"""The website widget in headless Chromium, against the real bot: a whole qualification
with a reload mid-way, the stored lead's source, keyboard-only use, a dropped connection,
and the desktop and phone layouts (screenshots in artifacts/)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from bot.store.db import make_engine, session_factory
from bot.store.repository import get_lead
from tests.webchat.conftest import ARTIFACTS

pytestmark = pytest.mark.rasa

CAMPAIGN = "?utm_source=newsletter&utm_medium=email&utm_campaign=autumn-launch"
WAIT = 30_000  # ms: a turn through Rasa and the action server, on a busy 2-core machine


def lead_of(bot, conversation_id: str):
    engine = make_engine(bot.database_url)
    try:
        with session_factory(engine)() as session:
            from sqlalchemy import select

            from bot.store.schema import Lead
            lead_id = session.scalars(select(Lead.id).where(Lead.conversation_id == conversation_id)).one()
            lead = get_lead(session, lead_id)
            session.expunge_all()
            return lead
    finally:
        engine.dispose()


def bot_says(page: Page, fragment: str) -> None:
    expect(page.locator(".lb-bot", has_text=fragment).last).to_be_visible(timeout=WAIT)


def rep_says(page: Page, name: str, fragment: str) -> None:
    """A rep's message, shown as theirs: their name (and initials) on the bubble, not "Name: " in the text."""
    bubble = page.locator(".lb-rep", has_text=fragment).last
    expect(bubble).to_be_visible(timeout=WAIT)
    expect(bubble.locator(".lb-by-name")).to_have_text(name)
    assert not bubble.inner_text().split("\n", 1)[-1].startswith(f"{name}:")


def send(page: Page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")


def session_id(page: Page) -> str:
    return page.evaluate("JSON.parse(localStorage.getItem('leadbot-chat:session'))")


def open_widget(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name=re.compile("Open chat")).click()
    bot_says(page, "What would you like help with")


def test_a_whole_qualification_through_the_widget_survives_a_reload(webchat, chromium) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB",
                                   timezone_id="Europe/London")
    page = context.new_page()
    open_widget(page, f"{webchat.url}/demo/{CAMPAIGN}")
    expect(page.locator(".lb-consent")).to_contain_text("recorded")
    bot_says(page, "this chat is recorded")  # the bot's own consent notice, too
    conversation = session_id(page)

    send(page, "We'd like a chatbot that qualifies the leads coming from our website, we are about 30 people")
    bot_says(page, "When would you like to have a solution in place?")
    page.get_by_role("button", name="Within 3 months").click()
    bot_says(page, "Who will make the final decision")
    expect(page.locator(".lb-msg.lb-user").last).to_have_text(re.compile("Within 3 months"))

    # A reload mid-way: same conversation, history and the pending quick replies are back.
    page.goto(f"{webchat.url}/demo/")
    assert session_id(page) == conversation
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.locator(".lb-bot", has_text="Who will make the final decision")).to_be_visible()
    page.get_by_role("button", name="I decide", exact=True).click()
    bot_says(page, "Do you have a budget in mind?")
    send(page, "around 25k per year, in USD")
    bot_says(page, "What's your name?")
    send(page, "Maria Lopez")
    bot_says(page, "Which company are you with?")
    send(page, "Lopez Logistics")
    bot_says(page, "best email address")
    send(page, "maria.lopez@lopezlogistics.com")
    bot_says(page, "Thank you, Maria")
    booking = page.get_by_role("link", name="https://meet.example.com/leadbot/intro-call")
    expect(booking).to_have_attribute("rel", "noopener noreferrer")
    page.screenshot(path=str(ARTIFACTS / "widget-desktop.png"))

    lead = lead_of(webchat.bot, conversation)
    assert lead.email == "maria.lopez@lopezlogistics.com" and lead.company == "Lopez Logistics"
    assert lead.channel == "socketio"
    assert lead.timeline["text"] == "within 3 months" and lead.authority["level"] == "decision_maker"
    assert lead.budget["min"] == 25000 and lead.budget["currency"] == "USD"
    assert lead.source["page_url"] == f"{webchat.url}/demo/{CAMPAIGN}"
    assert lead.source["last_page_url"] == f"{webchat.url}/demo/"
    assert (lead.source["utm_source"], lead.source["utm_medium"], lead.source["utm_campaign"]) == \
        ("newsletter", "email", "autumn-launch")
    assert (lead.source["language"], lead.source["time_zone"]) == ("en-GB", "Europe/London")
    said = [line["text"] for line in lead.transcript if line["sender"] == "user"]
    assert "/greet" not in said, "the widget's opening shortcut is not the visitor's words"
    assert "within 3 months" in said and "I make the decision" in said
    context.close()


@pytest.mark.parametrize("stored", ["not a valid id: " + "x" * 300, "0123456789abcdef0123456789abcdef"],
                         ids=["malformed", "unsigned"])
def test_a_stored_session_id_the_server_did_not_issue_is_replaced_by_the_one_it_issues(webchat, chromium,
                                                                                       stored) -> None:
    """Ids are the server's, signed: an old widget's own uuid (or a guessed one) starts afresh."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{webchat.url}/demo/")
    page.evaluate(f"localStorage.setItem('leadbot-chat:session', JSON.stringify({stored!r}))")
    open_widget(page, f"{webchat.url}/demo/")  # the greeting arrives: messages go under the issued id
    issued = session_id(page)
    assert issued != stored and re.fullmatch(r"[0-9a-f]{32}\.[0-9a-f]{64}", issued)
    send(page, "We'd like a chatbot that qualifies the leads coming from our website")
    bot_says(page, "When would you like to have a solution in place?")
    context.close()


def test_phone_layout_fills_the_screen(webchat, chromium) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                   device_scale_factor=2)
    page = context.new_page()
    open_widget(page, f"{webchat.url}/demo/")
    send(page, "we need help booking appointments for our clinics")
    bot_says(page, "When would you like to have a solution in place?")
    box = page.get_by_role("dialog").bounding_box()
    assert box and box["width"] == 390 and box["height"] >= 800
    replies = page.locator(".lb-reply")
    expect(replies.first).to_be_visible()
    for i in range(replies.count()):
        reply = replies.nth(i).bounding_box()
        assert reply and reply["x"] >= 0 and reply["x"] + reply["width"] <= 390 and reply["height"] >= 36
    page.screenshot(path=str(ARTIFACTS / "widget-phone.png"))
    context.close()


def tab_to(page: Page, target, key: str, presses: int = 12) -> None:
    """Move the focus with `key` only until `target` has it."""
    for _ in range(presses):
        page.keyboard.press(key)
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{target} cannot be reached with {key}")


def test_keyboard_only(webchat, chromium) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{webchat.url}/demo/")
    launcher = page.get_by_role("button", name=re.compile("Open chat"))
    tab_to(page, launcher, "Tab")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_label("Your message")).to_be_focused()
    bot_says(page, "What would you like help with")
    page.keyboard.type("We want to answer customer support questions after hours")
    page.keyboard.press("Enter")
    bot_says(page, "When would you like to have a solution in place?")
    tab_to(page, page.get_by_role("button", name="3-6 months"), "Shift+Tab")
    page.keyboard.press("Enter")
    bot_says(page, "Who will make the final decision")
    expect(page.get_by_role("log")).to_contain_text("3-6 months")
    page.keyboard.press("Escape")
    expect(launcher).to_be_focused()
    expect(page.get_by_role("dialog")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("outage", ["dropped socket", "Rasa restart"])
def test_the_widget_reconnects_and_the_conversation_continues(webchat, chromium, outage: str) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    open_widget(page, f"{webchat.url}/demo/")
    send(page, "I'm looking for a way to capture more leads from our site")
    bot_says(page, "When would you like to have a solution in place?")
    page.evaluate("""() => {
        window.__statuses = [];
        const status = document.querySelector('.lb-status');
        new MutationObserver(() => window.__statuses.push(status.textContent)).observe(
            status, {childList: true, characterData: true, subtree: true});
    }""")

    if outage == "dropped socket":
        webchat.relay.cut()  # the network goes away: the socket drops, no server answers
        expect(page.locator(".lb-status")).to_contain_text(re.compile("Reconnecting|Retrying"), timeout=WAIT)
        send(page, "next month")  # typed while offline: kept and sent once back
        page.wait_for_timeout(1500)
        webchat.relay.restore()
    else:
        webchat.bot.restart_rasa()  # a new Rasa process: every socket is gone
        expect(page.locator(".lb-status")).to_be_empty(timeout=WAIT)  # reconnected by itself
        page.get_by_role("button", name="Right away").click()
    bot_says(page, "Who will make the final decision")
    expect(page.locator(".lb-status")).to_be_empty()
    assert any("Reconnecting" in s or "Retrying" in s for s in page.evaluate("window.__statuses"))
    page.get_by_role("button", name="Someone else decides").click()
    bot_says(page, "Do you have a budget in mind?")
    context.close()
