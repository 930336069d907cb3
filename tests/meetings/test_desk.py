"""The meeting conversation without Rasa, on a real store: what the bot offers and how it
reads the replies (buttons, numbers, words, a time zone, a refusal)."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.meetings.desk import MeetingDesk, MeetingState, asks_for_meeting
from bot.meetings.settings import MeetingSettings
from bot.store.schema import Deal, Meeting
from tests.meetings.conftest import NOW, owned_lead


@pytest.fixture
def desk(sessions: sessionmaker[Session]) -> MeetingDesk:
    return MeetingDesk(sessions, MeetingSettings())


def _answer(desk: MeetingDesk, state: MeetingState, text: str, key: str | None = None):  # noqa: ANN202
    return desk.answer(MeetingState.from_dict(state.to_dict()), text, now=NOW, conversation_id="conv-1",
                       channel="rest", choice_key=key)


def test_offer_then_a_button_books(desk: MeetingDesk, sessions: sessionmaker[Session]) -> None:
    lead_id, _ = owned_lead(sessions)
    offer = desk.start(lead_id, "Europe/Berlin", now=NOW)
    assert offer.awaiting and "Dana Rep" in offer.text and "(Europe/Berlin)" in offer.text
    assert [title for title, _ in offer.buttons] == ["Fri 4 Dec, 11:00", "Fri 4 Dec, 12:00", "Mon 7 Dec, 09:00"]
    assert offer.buttons[2][1] == '/choose_meeting{"meeting_choice": "2026-12-07T08:00Z"}'
    booked = _answer(desk, offer.state, offer.buttons[2][1], key="2026-12-07T08:00Z")
    assert booked.booked and not booked.awaiting
    assert booked.text.startswith("Booked: Mon 7 Dec, 09:00 (Europe/Berlin) with Dana Rep.")
    assert "sam@example.com" in booked.text
    with sessions() as session:
        assert session.scalars(select(Deal.stage)).one() == "meeting"
        assert session.scalars(select(Meeting.visitor_timezone)).one() == "Europe/Berlin"


def test_a_button_for_a_time_booked_meanwhile_gets_fresh_times(desk: MeetingDesk,
                                                                sessions: sessionmaker[Session]) -> None:
    lead_id, rep_id = owned_lead(sessions)
    first = desk.start(lead_id, "Europe/Berlin", now=NOW)
    second = MeetingState.from_dict(first.state.to_dict())
    assert _answer(desk, first.state, first.buttons[0][1], key=first.state.offered[0]).booked
    late = _answer(desk, second, first.buttons[0][1], key=second.offered[0])  # a second tab, same offer
    assert late.text.startswith("Sorry, that time has just been taken.") and late.buttons
    assert late.buttons[0][0] == "Fri 4 Dec, 11:30"


def test_numbers_and_words_in_the_visitors_zone(desk: MeetingDesk, sessions: sessionmaker[Session]) -> None:
    lead_id, _ = owned_lead(sessions)
    offer = desk.start(lead_id, "America/New_York", now=NOW)
    assert [t for t, _ in offer.buttons] == ["Fri 4 Dec, 08:00", "Mon 7 Dec, 08:00", "Tue 8 Dec, 08:00"]
    assert _answer(desk, offer.state, "2").text.startswith("Booked: Mon 7 Dec, 08:00 (America/New_York)")
    other_id, _ = owned_lead(sessions, conversation_id="conv-2", email="kim@example.com", rep_email="o@example.com")
    again = desk.start(other_id, "America/New_York", now=NOW)
    assert _answer(desk, again.state, "Thursday morning").text.startswith("Booked: Thu 10 Dec, 08:00")
    late = desk.start(other_id, "America/New_York", now=NOW)  # 1 pm in New York is 7 pm in Berlin
    assert _answer(desk, late.state, "Thursday after lunch").text.startswith("Dana Rep has nothing free then.")


def test_a_time_nothing_fits_gets_other_times_and_other_messages_are_let_go(
        desk: MeetingDesk, sessions: sessionmaker[Session]) -> None:
    lead_id, _ = owned_lead(sessions)
    offer = desk.start(lead_id, "Europe/Berlin", now=NOW)
    nothing = _answer(desk, offer.state, "saturday morning")
    assert nothing.text.startswith("Dana Rep has nothing free then.") and nothing.buttons and nothing.awaiting
    yes = _answer(desk, nothing.state, "yes please")
    assert yes.awaiting and "type its number" in yes.text
    assert _answer(desk, yes.state, "what's your pricing?").passed_on  # handled as any other message


def test_the_time_zone_is_asked_when_the_browser_did_not_say(desk: MeetingDesk,
                                                             sessions: sessionmaker[Session]) -> None:
    lead_id, _ = owned_lead(sessions)
    question = desk.start(lead_id, None, now=NOW)
    assert "time zone" in question.text and not question.buttons and question.awaiting
    again = _answer(desk, question.state, "dunno")
    assert "didn't recognise" in again.text and again.awaiting
    assert _answer(desk, again.state, "ok").passed_on  # an acknowledgement is no time zone: handled as usual
    offer = _answer(desk, again.state, "I'm in London")
    assert "(Europe/London)" in offer.text and offer.buttons[0][0] == "Fri 4 Dec, 10:00"


@pytest.mark.parametrize("text", ["oops, make that 35k", "actually my email is p.nair@maplekey.example",
                                  "we also want it to work on WhatsApp and Instagram please"])
def test_a_correction_or_a_sentence_is_no_time_zone(desk: MeetingDesk, sessions: sessionmaker[Session],
                                                    text: str) -> None:
    lead_id, _ = owned_lead(sessions)
    question = desk.start(lead_id, None, now=NOW)
    assert _answer(desk, question.state, text).passed_on  # read as usual: a correction updates the lead


def test_no_thanks_and_nobody_to_meet(desk: MeetingDesk, sessions: sessionmaker[Session]) -> None:
    lead_id, _ = owned_lead(sessions)
    offer = desk.start(lead_id, "UTC", now=NOW)
    declined = _answer(desk, offer.state, "no thanks")
    assert not declined.awaiting and "will be in touch" in declined.text
    assert MeetingDesk(sessions, MeetingSettings(enabled=False)).start(lead_id, "UTC", now=NOW) is None
    assert desk.start(999, "UTC", now=NOW) is None


@pytest.mark.parametrize("text, asks", [
    ("can we book a demo?", True), ("I'd like a call with someone", True), ("schedule a meeting", True),
    ("no call please, email only", False), ("thanks!", False), ("my budget is 30k", False),
])
def test_asking_for_a_meeting_after_the_lead_is_stored(text: str, asks: bool) -> None:
    assert asks_for_meeting(text) is asks


@pytest.mark.parametrize(("language", "offer_text", "first_button", "booked_text"), [
    ("ru", "Вот ближайшее свободное время у Dana Rep (Europe/Berlin).", "пт, 4 дек. 11:00",
     "Готово: пн, 7 дек. 09:00 (Europe/Berlin), звонок с Dana Rep. Приглашение уже отправлено на sam@example.com."),
    ("fa", "این‌ها نزدیک‌ترین زمان‌های آزاد Dana Rep است (Europe/Berlin).", "جمعه ۴ دسامبر ۱۱:۰۰",
     "رزرو شد: دوشنبه ۷ دسامبر ۹:۰۰ (Europe/Berlin) با Dana Rep. دعوت‌نامه به sam@example.com فرستاده شد."),
    ("zh", "这是 Dana Rep 最近的空闲时间（Europe/Berlin）。", "12月4日周五 11:00",
     "已预约：12月7日周一 09:00（Europe/Berlin），与 Dana Rep 通话。邀请已发送至 sam@example.com。"),
])
def test_the_desk_speaks_the_conversations_language(sessions: sessionmaker[Session], language: str,
                                                    offer_text: str, first_button: str, booked_text: str) -> None:
    """The offer, the times on the buttons and the confirmation in the visitor's language
    (bot/speech.py phrases, CLDR dates, Persian digits); the payloads are the same keys."""
    desk = MeetingDesk(sessions, MeetingSettings(), language)
    lead_id, _ = owned_lead(sessions)
    offer = desk.start(lead_id, "Europe/Berlin", now=NOW)
    assert offer_text in offer.text and offer.buttons[0][0] == first_button
    assert offer.buttons[2][1] == '/choose_meeting{"meeting_choice": "2026-12-07T08:00Z"}'
    booked = _answer(desk, offer.state, offer.buttons[2][1], key="2026-12-07T08:00Z")
    assert booked.booked and booked.text.startswith(booked_text), booked.text
