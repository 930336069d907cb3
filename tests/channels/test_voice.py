"""Phone calls through Twilio Voice: Twilio's signed webhooks posted to the running Rasa server
(our `twilio_voice` connector, the trained model, the real action server and the SQLite
store), and the TwiML answered, parsed: <Gather input="speech dtmf"> around the bot's <Say>s,
keys for the spoken choices, <Dial> for a transfer and a message when nobody answers it, a
message taken then <Hangup> after hours, a meeting booked by voice."""
from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest
import requests
from sqlalchemy import select

from bot.assignment.reps import RepChanges, add_rep, get_rep
from bot.store.db import make_engine, session_factory
from bot.store.errors import RepNotFound
from bot.store.migrate import upgrade
from bot.store.schema import Lead
from tests.channels import config
from tests.channels.voice import Caller, twilio_signature
from tests.e2e.test_conversations import ASKS, stored, stored_by_conversation
from tests.e2e.test_meetings import _rep as _rep_for_japan

pytestmark = pytest.mark.rasa

NEED = "We need a chatbot to capture and qualify leads on our website"


def a_number() -> str:
    return f"+1415555{random.randint(1000, 9999)}"


def asked(said: str) -> list[str]:
    return [slot for slot, fragment in ASKS.items() if fragment in said]


def listens(answer) -> bool:
    gather = answer.gather
    return gather is not None and gather.get("input") == "speech dtmf" and not answer.hangs_up


def tracker_events(bot, sender: str) -> list[dict]:
    r = requests.get(f"{bot.rasa_url}/conversations/{sender}/tracker", params={"token": bot.auth_token}, timeout=10)
    r.raise_for_status()
    return r.json()["events"]


def test_a_whole_qualification_by_voice_stores_the_caller_as_a_lead(bot):
    caller = Caller(bot, a_number())
    answer = caller.ring()
    assert listens(answer), "the greeting ends listening for speech"
    assert answer.gather.get("action").startswith(config.voice_webhook_url(bot.rasa_url) + "?"), \
        "Twilio posts the answer to the public URL it was configured with"
    assert "call is recorded" in answer.said(), "the consent notice, worded for a call"
    assert asked(answer.said()) == ["need"]

    answer = caller.say(NEED)
    assert asked(answer.said()) == ["timeline"]
    assert "right away, within three months" in answer.said(), "choices are said, not shown"
    assert all("button" not in e.tag.lower() for e in answer.root.iter())
    assert asked(caller.say("within three months").said()) == ["authority"]
    assert asked(caller.say("I make the decision").said()) == ["budget"]
    assert asked(caller.say("about fifty k a year").said()) == ["name"]
    assert asked(caller.say("Sam Ortiz").said()) == ["company"]
    answer = caller.say("Brightwell Dental")
    assert asked(answer.said()) == ["email"] and "sam at example dot com" in answer.said()
    answer = caller.say("sam dot ortiz at voicebrightwell dot com")
    assert asked(answer.said()) == []
    assert "call you back" in answer.said(), "the outcome, worded for a call (no link read out)"
    assert "http" not in answer.said()

    # an address of its own: the bot's store is shared by every test of the session
    lead = stored(bot, "sam.ortiz@voicebrightwell.com")
    assert lead["phone"] == caller.number, "the number the call came from, in E.164"
    assert lead["channel"] == "twilio_voice"
    assert lead["conversation_id"] == caller.number
    assert lead["budget"]["min"] == 50000 and lead["budget"]["period"] == "yearly"
    assert lead["authority"]["level"] == "decision_maker"
    assert lead["timeline"]["status"] == "stated"


def test_silence_says_the_question_again_then_ends_the_call(bot):
    caller = Caller(bot, a_number())
    caller.ring()
    answer = caller.say(NEED)
    question = answer.said()
    assert asked(question) == ["timeline"]

    answer = caller.stay_silent()
    assert listens(answer)
    assert answer.said().startswith("Are you still there?")
    assert asked(answer.said()) == ["timeline"], "the whole last turn again, question included"
    assert "silence=1" in caller.next_action

    assert listens(caller.stay_silent())
    answer = caller.stay_silent()
    assert answer.hangs_up and answer.gather is None, "after two silences in a row: goodbye"
    assert "Goodbye" in answer.said()


def test_an_answer_after_a_silence_goes_on_and_resets_the_count(bot):
    caller = Caller(bot, a_number())
    caller.ring()
    caller.stay_silent()
    answer = caller.say(NEED)
    assert asked(answer.said()) == ["timeline"]
    assert "silence=0" in caller.next_action


def test_repeat_that_says_the_pending_question_again(bot):
    caller = Caller(bot, a_number())
    caller.ring()
    caller.say(NEED)
    answer = caller.say("sorry, can you repeat that")
    assert listens(answer)
    assert asked(answer.said()) == ["timeline"]
    assert "again" in answer.said()
    assert asked(caller.say("right away").said()) == ["authority"], "and the form goes on"


def test_a_person_asked_for_after_hours_takes_a_message_stored_with_the_lead(bot):
    # The session clock is a Sunday (tests/conftest.py NOW): outside business hours.
    caller = Caller(bot, a_number())
    caller.ring()
    caller.say(NEED)
    answer = caller.say("can I talk to a real person please")
    assert "offline" in answer.said() and "leave a short message" in answer.said()
    assert answer.dial is None
    assert "turn=message" in caller.next_action, "the next words are the message"

    answer = caller.say("Please call me back on Monday morning about pricing for three clinics")
    assert answer.hangs_up and "your message is with our team" in answer.said()

    lead = stored_by_conversation(bot, caller.number)
    assert lead["phone"] == caller.number
    assert lead["human_requested"] is True and lead["handoff_state"] == "waiting"
    events = tracker_events(bot, caller.number)
    assert any(e["event"] == "user" and "Monday morning" in (e.get("text") or "") for e in events)
    assert _transcript_has(bot, caller.number, "Monday morning about pricing"), "the message, with the lead"


def _transcript_has(bot, sender: str, words: str) -> bool:
    engine = make_engine(bot.database_url)
    try:
        with session_factory(engine)() as session:
            lead = session.scalars(select(Lead).where(Lead.conversation_id == sender)).one()
            return any(words in (line.get("text") or "") for line in lead.transcript or [])
    finally:
        engine.dispose()


@pytest.fixture
def transfer_in_hours(bot):
    path = bot.settings_dir / "handoff.yml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace('"mon-fri 09:00-17:00"', '"always"')
                    .replace("call_transfer_to: null", 'call_transfer_to: "+14155550199"'), encoding="utf-8")
    yield "+14155550199"
    path.write_text(original, encoding="utf-8")


def test_a_person_asked_for_in_business_hours_transfers_the_call(bot, transfer_in_hours):
    caller = Caller(bot, a_number())
    caller.ring()
    caller.say(NEED)
    answer = caller.say("I'd like to speak to someone on your sales team")
    assert answer.dial == transfer_in_hours, answer.said()
    assert "putting you through" in answer.said()
    assert answer.gather is None
    assert answer.dial_element.get("action") == config.voice_webhook_url(bot.rasa_url) + "?turn=dialled"
    assert int(answer.dial_element.get("timeout")) <= 30
    lead = stored_by_conversation(bot, caller.number)
    assert lead["human_requested"] is True and lead["phone"] == caller.number


KIWI_REP_LINE = "+6495550123"


def _rep_for_new_zealand(bot) -> None:
    """A rep who owns New Zealand's leads, always at work, with a phone line."""
    upgrade(bot.database_url)
    engine = make_engine(bot.database_url)
    try:
        with session_factory(engine).begin() as s:
            try:
                get_rep(s, "aroha@seller.example")
            except RepNotFound:
                add_rep(s, "Aroha Ngata", "aroha@seller.example", now=datetime(2026, 11, 1, tzinfo=timezone.utc),
                        changes=RepChanges(territories=["NZ"], notify={"email": False}, phone=KIWI_REP_LINE))
    finally:
        engine.dispose()


def test_a_person_asked_for_in_hours_is_the_owning_reps_line_when_they_have_one(bot, transfer_in_hours):
    _rep_for_new_zealand(bot)
    caller = Caller(bot, a_number())
    caller.ring()
    domain = f"kiwi{random.randint(1000, 9999)}"
    # not qualified (so not assigned) before the address is known
    for words in (NEED, "just researching", "not sure", "not sure", "Sam Ortiz", "Kiwi Dental"):
        caller.say(words)
    caller.say(f"sam at {domain} dot co dot nz")  # a New Zealand address: Aroha's territory
    answer = caller.say("can I talk to a person please")
    assert answer.dial == KIWI_REP_LINE, answer.said()
    lead = stored(bot, f"sam@{domain}.co.nz")
    assert lead["assignment"]["rep_email"] == "aroha@seller.example" and lead["assignment"]["rule"] == "territory"


def test_a_forged_or_unsigned_request_is_refused_and_changes_nothing(bot):
    caller = Caller(bot, a_number())
    caller.ring()
    caller.say(NEED)
    before = tracker_events(bot, caller.number)
    action = caller.next_action

    forged = Caller(bot, caller.number, token="not-the-auth-token")
    forged.call_sid = caller.call_sid
    assert forged.post(action, forged.form(SpeechResult="our budget is zero")).status == 403
    assert caller.post(action, caller.form(SpeechResult="our budget is zero"), signature="").status == 403
    # signed for other words than the ones posted (a replayed signature on a changed form)
    genuine = caller.form(SpeechResult="right away")
    sig = twilio_signature(action, genuine, config.TWILIO_VOICE_AUTH_TOKEN)
    assert caller.post(action, caller.form(SpeechResult="our budget is zero"), signature=sig).status == 403
    # signed for the webhook without the action's query string
    unsigned_query = twilio_signature(caller.webhook, genuine, config.TWILIO_VOICE_AUTH_TOKEN)
    assert caller.post(action, genuine, signature=unsigned_query).status == 403
    assert tracker_events(bot, caller.number) == before, "nothing reached the conversation"

    caller.next_action = action
    assert asked(caller.say("right away").said()) == ["authority"], "the genuine call goes on"


def test_a_transfer_nobody_answers_takes_a_message(bot, transfer_in_hours):
    caller = Caller(bot, a_number())
    caller.ring()
    caller.say(NEED)
    # put through to the line of the rep the hand-off went to, or the configured one
    assert caller.say("can I speak to a person").dial in (transfer_in_hours, KIWI_REP_LINE)
    answer = caller.dial_ends("no-answer")
    assert "nobody could take your call" in answer.said() and "leave a short message" in answer.said()
    assert answer.dial is None and "turn=message" in caller.next_action, "the next words are the message"
    answer = caller.say("Please call me back this afternoon about the clinic rollout")
    assert answer.hangs_up and "your message is with our team" in answer.said()
    assert _transcript_has(bot, caller.number, "this afternoon about the clinic rollout")
    lead = stored_by_conversation(bot, caller.number)
    assert lead["handoff_state"] == "waiting", "nobody talked to the caller yet: still in the queue"


@pytest.mark.parametrize("status", ["busy", "failed", "canceled"])
def test_a_busy_or_failed_transfer_takes_a_message_too(bot, transfer_in_hours, status):
    caller = Caller(bot, a_number())
    caller.ring()
    caller.say(NEED)
    assert caller.say("I want to talk to a human").dial
    answer = caller.dial_ends(status)
    assert "nobody could take your call" in answer.said() and "turn=message" in caller.next_action


def test_a_transfer_the_rep_took_ends_the_call_when_they_hang_up(bot, transfer_in_hours):
    caller = Caller(bot, a_number())
    caller.ring()
    caller.say(NEED)
    assert caller.say("can I speak to a person").dial
    answer = caller.dial_ends("completed")
    assert answer.hangs_up and answer.said() == "" and answer.gather is None


def test_a_key_picks_the_spoken_choice_of_that_number(bot):
    caller = Caller(bot, a_number())
    caller.ring()
    caller.say(NEED)
    answer = caller.say("can we start over")
    said = answer.said()
    assert "Start over?" in said and "Or press 1 for " in said and ", or 2 for " in said, said
    assert answer.gather.get("numDigits") == "1", "one key is enough while choices stand"
    answer = caller.press("2")
    assert listens(answer)
    pressed = [e for e in tracker_events(bot, caller.number) if e["event"] == "user"][-1]
    assert pressed["text"] == "no", "the key stood for the second choice's payload, as a click"
    assert asked(answer.said()) == ["timeline"], answer.said()


def test_keys_with_no_choice_standing_are_the_answer_as_said(bot):
    caller = Caller(bot, a_number())
    caller.ring()
    for words in (NEED, "right away", "I make the decision"):
        answer = caller.say(words)
    assert asked(answer.said()) == ["budget"]
    assert answer.gather.get("numDigits") is None, "a figure can have many digits"


def test_a_meeting_is_booked_by_voice_with_a_key(bot):
    """A caller from Japan qualifies by voice, says their city for the time zone, hears three
    times with a key each, presses 3 and is booked with the rep who owns Japan's leads."""
    _rep_for_japan(bot)  # Mia Tanaka owns leads from Japan, at work every day
    caller = Caller(bot, f"+8190{random.randint(10**7, 10**8)}")
    caller.ring()
    domain = f"mori{random.randint(1000, 9999)}"
    for words in (NEED, "within two months", "I decide, I'm the CEO", "about forty k dollars a year", "Aiko Mori",
                  "Mori KK"):
        caller.say(words)
    answer = caller.say(f"aiko at {domain} dot co dot jp")
    assert "book a call with Mia Tanaka" in answer.said() and "time zone" in answer.said(), answer.said()
    answer = caller.say("Tokyo")
    said = answer.said()
    assert "(Asia/Tokyo)" in said and "Or press 1 for " in said and ", or 3 for " in said, said
    assert answer.gather.get("numDigits") == "1" and listens(answer)
    third = said.split(", or 3 for ")[1].rstrip(".").strip()
    answer = caller.press("3")
    assert "Booked:" in answer.said() and "Mia Tanaka" in answer.said(), answer.said()
    assert third.split(" (")[0] in answer.said(), (third, answer.said())
    lead = stored(bot, f"aiko@{domain}.co.jp")
    assert lead["channel"] == "twilio_voice" and lead["phone"] == caller.number
    assert lead["deal"]["stage"] == "meeting"
    engine = make_engine(bot.database_url)
    try:
        with session_factory(engine)() as s:
            from bot.store.schema import Meeting

            meeting = s.scalars(select(Meeting).where(Meeting.lead_id == lead["id"])).one()
            assert meeting.status == "booked" and meeting.visitor_timezone == "Asia/Tokyo"
    finally:
        engine.dispose()
