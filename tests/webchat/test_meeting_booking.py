"""Booking a meeting in the website widget, in headless Chromium against the real bot: the
browser's time zone (Asia/Tokyo) reaches the bot, the rep's free times appear as buttons in it,
and a click books one (screenshot in artifacts/meeting-booking.png)."""
from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect

from sqlalchemy import select

from bot.store.db import make_engine, session_factory
from bot.store.schema import Deal, Meeting
from tests.e2e.test_meetings import _rep
from tests.webchat.conftest import ARTIFACTS
from tests.webchat.test_widget import WAIT, bot_says, lead_of, open_widget, send, session_id

pytestmark = pytest.mark.rasa


def test_a_visitor_books_a_meeting_in_the_widget(webchat, chromium) -> None:  # noqa: ANN001
    _rep(webchat.bot)  # Mia Tanaka owns leads from Japan
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB", timezone_id="Asia/Tokyo")
    page = context.new_page()
    open_widget(page, f"{webchat.url}/demo/")
    conversation = session_id(page)
    for text, next_question in (
            ("We'd like a chatbot that qualifies the leads coming from our website", "When would you like"),
            ("within 2 months", "Who will make the final decision"), ("I decide, I'm the CEO", "budget"),
            ("about 40k USD a year", "What's your name?"), ("Ken Ito", "Which company"),
            ("Ito KK", "best email address")):
        send(page, text)
        bot_says(page, next_question)
    send(page, f"ken{random.randint(1000, 9999)}@ito.co.jp")
    bot_says(page, "Here are Mia Tanaka's next free times (Asia/Tokyo)")
    choice = page.get_by_role("button", name=re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ \w+, \d\d:\d\d$"))
    expect(choice.first).to_be_visible(timeout=WAIT)
    title = choice.nth(1).inner_text()
    choice.nth(1).click()
    bot_says(page, f"Booked: {title} (Asia/Tokyo) with Mia Tanaka.")
    page.screenshot(path=str(ARTIFACTS / "meeting-booking.png"))
    lead = lead_of(webchat.bot, conversation)
    assert lead.source["time_zone"] == "Asia/Tokyo"
    engine = make_engine(webchat.bot.database_url)
    try:
        with session_factory(engine)() as session:
            assert session.scalars(select(Meeting.visitor_timezone).where(Meeting.lead_id == lead.id)).one() == "Asia/Tokyo"
            assert session.scalars(select(Deal.stage).where(Deal.lead_id == lead.id)).one() == "meeting"
    finally:
        engine.dispose()
    context.close()
