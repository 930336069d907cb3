"""Human hand-off through the real bot: in and out of business hours, the bot silent while
paused, a rep's reply through the rep API with their dashboard account (into the widget and the
stored transcript, under their name), who may answer which conversation, refused tokens, and
the hand-back that resumes the bot."""
from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.servers import ROOT
from tests.e2e.test_conversations import stored, texts
from tests.webchat.servers import MANAGER, REP_A, REP_B
from tests.webchat.test_widget import bot_says, lead_of, open_widget, rep_says, send, session_id

pytestmark = pytest.mark.rasa

ARTIFACTS = ROOT / "artifacts" / "web"
ASK_FOR_A_PERSON = "can I talk to a real person please"


def slots(bot, conversation: str) -> dict:
    """The conversation's slots in Rasa (answers not stored yet while the form goes on)."""
    r = requests.get(f"{bot.rasa_url}/conversations/{conversation}/tracker", params={"token": bot.auth_token},
                     timeout=10)
    return r.json()["slots"]


def test_after_hours_the_visitor_is_promised_an_email_and_the_rep_answers_in_the_widget(webchat, chromium) -> None:
    # LEADBOT_NOW is Sunday 2026-11-22 10:00 UTC; the shipped hours are mon-fri 09:00-17:00 UTC.
    page = chromium.new_context(viewport={"width": 1280, "height": 800}).new_page()
    open_widget(page, f"{webchat.url}/demo/?utm_source=ads")
    conversation = session_id(page)
    send(page, "We need a bot that qualifies the leads on our website")
    bot_says(page, "When would you like to have a solution in place?")
    send(page, ASK_FOR_A_PERSON)
    bot_says(page, "offline right now")
    bot_says(page, "we will e-mail you by Monday 23 November, 09:00 (UTC)")

    lead = lead_of(webchat.bot, conversation)
    assert lead.human_requested and lead.handoff_state == "waiting"
    assert any(line["text"] == ASK_FOR_A_PERSON for line in lead.transcript), "flagged with the conversation so far"

    # Paused: what the visitor writes is kept (and understood); the address they were asked
    # for is acknowledged, anything else gets no bot reply.
    send(page, "ok, my email is sam.rivera@northwind-shop.com")
    bot_says(page, "Thanks, noted (sam.rivera@northwind-shop.com). We will get back to you by Monday 23 November")
    bots_before = page.locator(".lb-bot").count()
    send(page, "we mostly sell garden furniture")
    page.wait_for_timeout(4000)
    assert page.locator(".lb-bot").count() == bots_before, "the bot must stay silent while paused"
    lead = lead_of(webchat.bot, conversation)  # stored as it came, before any rep acts
    assert lead.email == "sam.rivera@northwind-shop.com" and lead.handoff_state == "waiting"
    assert [line["text"] for line in lead.transcript[-3:]] == [
        "ok, my email is sam.rivera@northwind-shop.com",
        "Thanks, noted (sam.rivera@northwind-shop.com). We will get back to you by Monday 23 November, 09:00 (UTC).",
        "we mostly sell garden furniture"]

    waiting = webchat.api("GET", "").json()["conversations"]
    assert [(c["conversation_id"], c["handoff_state"], c["channel"]) for c in waiting
            if c["conversation_id"] == conversation] == [(conversation, "waiting", "socketio")]
    shown = webchat.api("GET", conversation).json()
    assert shown["paused"] is True and shown["handoff_state"] == "waiting"
    assert shown["transcript"][-1] == {**shown["transcript"][-1], "sender": "user",
                                       "text": "we mostly sell garden furniture"}

    reply = webchat.api("POST", f"{conversation}/messages", json={"text": "Hi Sam, Dana here from sales. How can I help?"})
    assert reply.status_code == 201, reply.text
    assert reply.json()["channel"] == "socketio" and reply.json()["rep"] == "Dana Ruiz"
    # A person writes now: the widget shows the rep's name and initials, on the message and at the top.
    rep_says(page, "Dana Ruiz", "Hi Sam, Dana here from sales")
    expect(page.locator(".lb-agent-text")).to_have_text("Dana Ruiz is answering")
    expect(page.locator(".lb-header .lb-avatar")).to_have_text("DR")
    expect(page.locator(".lb-rep .lb-avatar").last).to_have_text("DR")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-rep-answering.png"))
    markup = "<img src=x onerror=\"document.title='pwned'\"> see https://example.com/pricing."
    assert webchat.api("POST", f"{conversation}/messages", json={"text": markup}).status_code == 201
    rep_says(page, "Dana Ruiz", "<img src=x")  # shown as text, never parsed as HTML
    assert page.locator(".lb-log img").count() == 0 and page.title() != "pwned"
    expect(page.get_by_role("link", name="https://example.com/pricing")).to_be_visible()
    lead = lead_of(webchat.bot, conversation)
    assert lead.handoff_state == "with_rep"
    assert lead.email == "sam.rivera@northwind-shop.com", "the e-mail given while paused reached the lead"
    senders = [(line["sender"], line["text"]) for line in lead.transcript]
    assert ("rep", "Dana Ruiz: Hi Sam, Dana here from sales. How can I help?") in senders
    assert ("user", "ok, my email is sam.rivera@northwind-shop.com") in senders
    assert ("bot", "Thanks, noted (sam.rivera@northwind-shop.com). We will get back to you by Monday 23 November, "
                   "09:00 (UTC).") in senders
    assert lead.source["utm_source"] == "ads"

    back = webchat.api("POST", f"{conversation}/hand-back")
    assert back.status_code == 200 and back.json() == {"conversation_id": conversation, "resumed": True,
                                                       "form_continues": True}
    bot_says(page, "I'm the assistant again")
    expect(page.locator(".lb-agent-text")).to_have_text(re.compile("^Typically replies"))  # the rep left
    expect(page.locator(".lb-header .lb-avatar")).to_be_hidden()
    bot_says(page, "When would you like to have a solution in place?")  # the form goes on
    page.reload()  # the widget opens again by itself, and the rep's messages stay theirs
    rep_says(page, "Dana Ruiz", "Hi Sam, Dana here from sales")
    send(page, "within 2 months")
    bot_says(page, "Who will make the final decision")
    assert lead_of(webchat.bot, conversation).handoff_state == "returned"
    assert conversation not in [c["conversation_id"] for c in webchat.api("GET", "").json()["conversations"]]
    assert slots(webchat.bot, conversation)["timeline"]["months"] == 2.0
    assert webchat.api("POST", f"{conversation}/messages", json={"text": "still there?"}).status_code == 409


def test_in_business_hours_a_rep_answers_here_and_the_bot_is_silent(bot, webchat, sender, handoff_hours) -> None:
    handoff_hours("mon-sun 00:00-24:00")
    bot.say(sender, "hello")
    bot.say(sender, "we want to automate our customer support with a chatbot")
    replies = bot.say(sender, "I'd rather speak with someone from your team")
    assert "a rep will answer you here within minutes" in texts(replies), texts(replies)
    assert bot.say(sender, "are you still there?") == [], "paused: no bot reply"
    assert bot.say(sender, "next quarter probably") == []

    posted = webchat.api("POST", f"{sender}/messages", json={"text": "Hello, I'm Lee. Happy to help!"})
    assert posted.status_code == 201, posted.text
    shown = webchat.api("GET", sender).json()
    assert shown["handoff_state"] == "with_rep" and shown["channel"] == "rest"
    assert [t["sender"] for t in shown["transcript"][-3:]] == ["user", "user", "rep"]

    back = webchat.api("POST", f"{sender}/hand-back").json()
    assert back["form_continues"] is True
    # The timeline said while paused was understood; the form asks what is still open.
    replies = bot.say(sender, "I decide together with my cofounder")
    assert "budget" in texts(replies), texts(replies)
    lead = lead_of(bot, sender)  # stored at the rep's reply and the hand-back
    assert lead.timeline["text"] == "next quarter probably" and lead.handoff_state == "returned"
    assert slots(bot, sender)["authority"]["level"] == "shared"


def test_the_rep_api_refuses_wrong_tokens_and_bad_requests(bot, webchat, sender) -> None:
    bot.say(sender, "hi")
    bot.say(sender, "talk to a human")
    for token in (None, "", "wrong-token", "lbt_not-a-real-token", webchat.tokens[MANAGER[0]] + "x"):
        for method, path in (("GET", ""), ("GET", sender), ("POST", f"{sender}/messages"),
                             ("POST", f"{sender}/hand-back")):
            r = webchat.api(method, path, token=token, as_="", json={"text": "hi"})
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer", (token, path, r.text)
    assert webchat.api("POST", f"{sender}/messages", json={"text": "  "}).status_code == 400
    assert webchat.api("POST", f"{sender}/messages", data="not json").status_code == 400
    assert webchat.api("POST", f"{sender}/messages", json={"text": "x" * 5000}).status_code == 400
    named = webchat.api("POST", f"{sender}/messages", json={"text": "hi", "rep": "Someone Else"})
    assert named.status_code == 400 and "signed-in account" in named.json()["error"], "no one writes under another name"
    assert webchat.api("GET", "nobody-ever-wrote-here").status_code == 404
    # A conversation the bot is still handling: a rep cannot barge in.
    other = f"{sender}-b"
    bot.say(other, "hi")
    r = webchat.api("POST", f"{other}/messages", json={"text": "hello"})
    assert r.status_code == 409 and "not asked for a person" in r.json()["error"]
    assert webchat.api("POST", f"{other}/hand-back").status_code == 409


def test_hand_back_after_a_complete_conversation_says_what_the_bot_can_do(bot, webchat, sender) -> None:
    for text in ("hi", "we need a chatbot to book appointments for our dental clinics", "in about 6 weeks",
                 "it's my decision", "around 500 EUR a month", "Robin Meyer", "Meyer Dental",
                 "robin@meyerdental.de"):
        bot.say(sender, text)
    replies = bot.say(sender, "can a human call me?")
    assert "robin@meyerdental.de" in texts(replies) or "within minutes" in texts(replies)
    assert webchat.api("POST", f"{sender}/messages", json={"text": "Robin, I'll call you at 3pm."}).status_code == 201
    assert webchat.api("POST", f"{sender}/hand-back").json()["form_continues"] is False
    replies = bot.say(sender, "thanks a lot")
    assert replies, "the bot answers again"
    lead = lead_of(bot, sender)
    assert lead.status == "qualified" and lead.handoff_state == "returned"
    assert ("rep", "Dana Ruiz: Robin, I'll call you at 3pm.") in [(t["sender"], t["text"]) for t in lead.transcript]


def test_a_session_that_ends_while_waiting_ends_the_pause_and_the_rep_closes_the_handoff(bot, webchat, sender) -> None:
    bot.say(sender, "hello")
    bot.say(sender, "we need a chatbot for appointment booking")
    assert "passed your conversation" in texts(bot.say(sender, "let me talk to a person"))
    # The visitor is silent past session_expiration_time: Rasa starts a new session (run here
    # through Rasa's own action_session_start), which ends the pause and carries the slots over.
    params = {"token": bot.auth_token, "output_channel": "latest"}
    requests.post(f"{bot.rasa_url}/conversations/{sender}/execute", params=params,
                  json={"name": "action_session_start"}, timeout=30).raise_for_status()
    refused = webchat.api("POST", f"{sender}/messages", json={"text": "Hi, sorry for the wait"})
    assert refused.status_code == 409 and "session has ended" in refused.json()["error"]
    assert sender in [c["conversation_id"] for c in webchat.api("GET", "").json()["conversations"]]

    closed = webchat.api("POST", f"{sender}/hand-back")
    assert closed.status_code == 200 and closed.json()["form_continues"] is False
    assert sender not in [c["conversation_id"] for c in webchat.api("GET", "").json()["conversations"]]
    assert lead_of(bot, sender).handoff_state == "returned"
    assert "Hi again" in texts(bot.say(sender, "hi")), "the bot answers the returning visitor"


def test_what_a_waiting_visitor_writes_reaches_the_lead(bot, sender) -> None:
    """Asked for a person first, the need and a pasted signature come while the bot is paused:
    nothing is asked any more, yet all of it is on the lead the rep opens."""
    assert "passed your conversation" in texts(bot.say(sender, "Hi, I'd like to talk to a person please"))
    assert texts(bot.say(sender, "we need a bot that qualifies leads for our solar panel installs")) == ""
    email = f"{sender.lower()}@lindqvist.example"
    bot.say(sender, f"Oskar Lind, Lindqvist Solar, {email}")
    lead = stored(bot, email)
    assert lead["need"]["status"] == "stated" and "solar panel" in lead["need"]["text"]
    assert (lead["name"], lead["company"], lead["human_requested"]) == ("Oskar Lind", "Lindqvist Solar", True)


@pytest.mark.parametrize("asking", [
    "is there a person I can chat with?",
    "is someone from sales around?",
    "not a bot please, someone human",
    "could a member of your staff contact me",
    "I want to talk to someone real",
])
def test_asking_for_a_person_in_other_words_pauses_the_bot(bot, webchat, sender, asking: str) -> None:
    bot.say(sender, "hi")
    bot.say(sender, "we want to qualify our inbound leads automatically")
    assert "passed your conversation to our sales team" in texts(bot.say(sender, asking))
    assert bot.say(sender, "ok thanks, waiting") == []
    assert webchat.api("GET", sender).json()["paused"] is True


def _set_owner(bot, conversation: str, owner_email: str | None) -> None:
    """Test set-up: who owns the conversation's lead (the reps are inactive, so no rule picks them)."""
    from sqlalchemy import select

    from bot.store.db import make_engine, session_factory
    from bot.store.schema import Lead, Rep

    engine = make_engine(bot.database_url)
    try:
        with session_factory(engine).begin() as s:
            lead = s.scalars(select(Lead).where(Lead.conversation_id == conversation)).one()
            lead.owner_rep_id = s.scalars(select(Rep.id).where(Rep.email == owner_email)).one() if owner_email else None
    finally:
        engine.dispose()


def test_a_rep_answers_their_own_and_unassigned_handoffs_a_manager_any(bot, webchat, sender) -> None:
    ana, ben = REP_A[0], REP_B[0]
    owned, unowned = f"{sender}-owned", f"{sender}-unowned"
    for conversation in (owned, unowned):
        bot.say(conversation, "hi")
        assert "passed your conversation" in texts(bot.say(conversation, "I want to talk to a person"))
    _set_owner(bot, owned, ana)
    _set_owner(bot, unowned, None)

    def listed(who: str) -> set[str]:
        return {c["conversation_id"] for c in webchat.api("GET", "", as_=who).json()["conversations"]} & {owned, unowned}

    assert listed(ana) == {owned, unowned} and listed(ben) == {unowned} and listed(MANAGER[0]) == {owned, unowned}

    # Ben neither owns the lead nor may take it: as if it did not exist, and nothing reaches the visitor.
    for method, path in (("GET", owned), ("POST", f"{owned}/messages"), ("POST", f"{owned}/hand-back")):
        r = webchat.api(method, path, as_=ben, json={"text": "Ben here"})
        assert r.status_code == 404, (path, r.text)
    assert "Ben here" not in [t["text"] for t in webchat.api("GET", owned, as_=ana).json()["transcript"]]

    # Ana answers her lead, under her name; Ben the unassigned one; the manager any.
    assert webchat.api("POST", f"{owned}/messages", as_=ana, json={"text": "Hi, Ana here."}).status_code == 201
    assert webchat.api("POST", f"{unowned}/messages", as_=ben, json={"text": "Hello from Ben."}).status_code == 201
    assert webchat.api("POST", f"{owned}/messages", json={"text": "Dana, her manager, joining."}).status_code == 201
    lines = [(t["sender"], t["text"]) for t in lead_of(bot, owned).transcript]
    assert ("rep", "Ana Costa: Hi, Ana here.") in lines and ("rep", "Dana Ruiz: Dana, her manager, joining.") in lines
    assert ("rep", "Ben Okafor: Hello from Ben.") in [(t["sender"], t["text"]) for t in lead_of(bot, unowned).transcript]

    # Once someone owns it, the lead is no longer Ben's to answer.
    _set_owner(bot, unowned, ana)
    assert webchat.api("POST", f"{unowned}/hand-back", as_=ben).status_code == 404
    assert webchat.api("POST", f"{unowned}/hand-back", as_=ana).json()["resumed"] is True
    assert webchat.api("POST", f"{owned}/hand-back", as_=ana).json()["resumed"] is True
    assert lead_of(bot, owned).handoff_state == lead_of(bot, unowned).handoff_state == "returned"


def test_the_former_shared_token_opens_nothing(bot, webchat, sender) -> None:
    bot.say(sender, "hi")
    bot.say(sender, "talk to a human")
    for token in ("rep-secret-for-tests", "lbt_"):
        r = webchat.api("POST", f"{sender}/messages", token=token, as_="", json={"text": "hi"})
        assert r.status_code == 401, r.text


@pytest.mark.parametrize("declining", ["I'd rather not talk to a machine", "I'd prefer not to chat with a bot"])
def test_declining_the_bot_is_never_taken_as_a_skipped_answer(bot, webchat, sender, declining: str) -> None:
    """Found in use: "rather not" was read as "skip" and the timeline stored as unknown. Now the
    visitor is handed to a person (once the model knows the phrasing) or asked again; never both skipped."""
    bot.say(sender, "hi")
    bot.say(sender, "we want to qualify our inbound leads automatically")
    replies = texts(bot.say(sender, declining))
    assert "passed your conversation" in replies or "When would you like" in replies or "time frame" in replies, replies
    assert slots(bot, sender)["timeline"] is None
