"""The lead page's reply box, in headless Chromium, against the real bot and dashboard: a
visitor asks for a person in the widget, their rep signs in, answers from the lead page (the
message reaches the widget under the rep's name), sees the visitor's next message arrive
without reloading, and hands the conversation back to the bot. Forms without the page's CSRF
token are refused and post nothing. Screenshot: artifacts/web/handoff-reply.png."""
from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.servers import ROOT
from tests.webchat.servers import PASSWORD, REP_A
from tests.webchat.test_handoff import _set_owner
from tests.webchat.test_widget import WAIT, bot_says, lead_of, open_widget, rep_says, send, session_id

pytestmark = pytest.mark.rasa

ARTIFACTS = ROOT / "artifacts" / "web"


def test_a_rep_answers_from_the_lead_page_and_hands_back(webchat, chromium) -> None:
    visitor = chromium.new_context(viewport={"width": 1280, "height": 800}).new_page()
    open_widget(visitor, f"{webchat.url}/demo/")
    conversation = session_id(visitor)
    send(visitor, "We want a bot that answers questions on our online shop")
    bot_says(visitor, "When would you like to have a solution in place?")
    send(visitor, "I'd like to chat with a human please")
    bot_says(visitor, "passed your conversation to our sales team")
    _set_owner(webchat.bot, conversation, REP_A[0])
    lead_id = lead_of(webchat.bot, conversation).id

    rep = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()
    rep.goto(f"{webchat.url}/leads/{lead_id}")
    rep.fill("input[name=email]", REP_A[0])
    rep.fill("input[name=password]", PASSWORD)
    rep.click("button[type=submit]")
    rep.wait_for_url(re.compile(rf"/leads/{lead_id}$"))
    expect(rep.get_by_text("The visitor is waiting for a person")).to_be_visible()
    transcript = rep.locator("#conversation ol.transcript")
    expect(transcript).to_contain_text("I'd like to chat with a human please")

    box = rep.get_by_label("Reply to the visitor as Ana Costa")
    box.fill("Hi! Ana from sales here. <b>What</b> shop platform do you use?")
    rep.get_by_role("button", name="Send").click()
    expect(rep.get_by_role("status").first).to_contain_text("Your message is in the visitor's chat.")
    rep_says(visitor, "Ana Costa", "Hi! Ana from sales here. <b>What</b> shop platform")  # text, never markup
    assert visitor.locator(".lb-log b").count() == 0
    expect(rep.get_by_text("You are talking with the visitor")).to_be_visible()

    # The visitor answers while the bot is paused: it shows up on the open lead page by itself.
    send(visitor, "Shopify, and we have 3 stores")
    expect(transcript.locator("li.user", has_text="Shopify, and we have 3 stores")).to_be_visible(timeout=WAIT)
    expect(transcript.locator("li.rep", has_text="Ana Costa: Hi! Ana from sales here.")).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    rep.screenshot(path=str(ARTIFACTS / "handoff-reply.png"), full_page=True)

    # Another site cannot post for the rep: without the page's CSRF token nothing is sent.
    cookies = {c["name"]: c["value"] for c in rep.context.cookies()}
    forged = requests.post(f"{webchat.url}/leads/{lead_id}/reply", data={"text": "forged"}, cookies=cookies,
                           allow_redirects=False, timeout=30)
    assert forged.status_code == 403
    forged = requests.post(f"{webchat.url}/leads/{lead_id}/hand-back", data={"csrf_token": "x" * 40},
                           cookies=cookies, allow_redirects=False, timeout=30)
    assert forged.status_code == 403
    assert "forged" not in [t["text"] for t in lead_of(webchat.bot, conversation).transcript]

    rep.get_by_role("button", name="Hand back to the bot").click()
    expect(rep.get_by_role("status").first).to_contain_text("The bot is answering the visitor again.")
    expect(rep.get_by_label(re.compile("Reply to the visitor"))).to_have_count(0)
    bot_says(visitor, "I'm the assistant again")
    bot_says(visitor, "When would you like to have a solution in place?")  # the form goes on
    lead = lead_of(webchat.bot, conversation)
    assert lead.handoff_state == "returned"
    assert ("rep", "Ana Costa: Hi! Ana from sales here. <b>What</b> shop platform do you use?") in \
        [(t["sender"], t["text"]) for t in lead.transcript]


def test_the_reply_box_is_only_offered_while_a_visitor_waits(webchat, bot, sender) -> None:
    from tests.webchat.servers import MANAGER

    bot.say(sender, "hi")
    bot.say(sender, "we need a chatbot for appointment booking")
    bot.say(sender, "let me talk to a person")
    lead_id = lead_of(bot, sender).id
    token = webchat.tokens[MANAGER[0]]
    assert webchat.api("POST", f"{sender}/hand-back").status_code == 200
    # The page, as the manager with a bearer token is not a browser: use the API for state, the
    # page route for the refusal (a session is needed for forms, so sign in).
    s = requests.Session()
    page = s.get(f"{webchat.url}/login", timeout=30).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    s.post(f"{webchat.url}/login", data={"email": MANAGER[0], "password": PASSWORD, "csrf_token": csrf,
                                         "next": f"/leads/{lead_id}"}, timeout=30)
    html = s.get(f"{webchat.url}/leads/{lead_id}", timeout=30).text
    assert "Reply to the visitor" not in html and "Hand back to the bot" not in html
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    r = s.post(f"{webchat.url}/leads/{lead_id}/reply", data={"text": "hello?", "csrf_token": csrf}, timeout=30)
    assert r.status_code == 409 and "not waiting for a person" in r.text
    assert requests.get(f"{webchat.url}/api/leads/{lead_id}", headers={"Authorization": f"Bearer {token}"},
                        timeout=30).json()["lead"]["handoff_state"] == "returned"
