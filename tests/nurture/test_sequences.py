"""Nurture e-mails reach a real SMTP server on 127.0.0.1, step by step, in the lead's
language and need; unsubscribe, tracked links and the way back into the chat go through the
real dashboard app; sequences stop when the lead moves on; two senders send each step once."""
from __future__ import annotations

import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from bot.erasure import Copies, erase_lead, export_person
from bot.intake import Spool
from bot.nurture.links import Links, Signer, nurture_secret
from bot.nurture.metrics import nurture_metrics
from bot.nurture.sequence import pause, resume
from bot.nurture.worker import retry_dead
from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.repository import move_stage
from bot.store.schema import Lead, Meeting, NurtureEnrollment, NurtureMessage, Rep
from tests.nurture.conftest import enrollment, messages, nurture_lead, resave, send_round
from tests.store.builders import NOW

LINK = re.compile(r"https?://\S+")


def _links(mail) -> list[str]:
    return LINK.findall(mail.get_content())


def test_steps_go_out_after_their_delays_in_the_leads_language_and_need(web, sessions, smtp, hand) -> None:
    booking = nurture_lead(sessions, "c-book", "booker@example.com", category="appointment_booking")
    german = nurture_lead(sessions, "c-de", "kunde@example.de", language="de-AT")
    plain = nurture_lead(sessions, "c-en", "plain@example.com", category="marketing", language="fr")
    no_optin = nurture_lead(sessions, "c-no", "silent@example.com", optin=False)
    qualified = nurture_lead(sessions, "c-q", "ready@example.com", status="qualified")

    send_round(sessions, hand)
    assert smtp.messages == [] and enrollment(sessions, booking).next_due_at == NOW.replace(hour=11)
    assert enrollment(sessions, no_optin) is None and enrollment(sessions, qualified) is None

    hand.advance(hours=1)
    send_round(sessions, hand)
    subjects = sorted(m["Subject"] for m in smtp.messages)
    assert subjects == ["Booking step 1 for Zoë", "Schritt 1 für Zoë", "Step 1 for Zoë"]
    mail = next(m for m in smtp.messages if m["To"] == "plain@example.com")
    unsubscribe = mail["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(web.base + "/nurture/u/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["Message-ID"].startswith("<leadbot-nurture-")
    text = mail.get_content()
    assert "campaign traffic into conversations" in text  # marketing's pitch, settings/content.yml
    assert "Buyer's guide to sales chatbots" in text and unsubscribe in text
    assert all(u.startswith(web.base + "/nurture/") for u in _links(mail)), "every link tracked"

    hand.advance(hours=23)
    send_round(sessions, hand)
    assert len(smtp.messages) == 3
    hand.advance(hours=1)
    send_round(sessions, hand)
    assert sorted(m["Subject"] for m in smtp.messages[3:]) == ["Step 2 for Zoë"] * 3  # de falls back to en
    assert enrollment(sessions, german).state == "completed"
    assert [(m.step, m.status, m.attempts) for m in messages(sessions, plain)] == [(0, "sent", 1), (1, "sent", 1)]
    hand.advance(days=30)
    send_round(sessions, hand)
    assert len(smtp.messages) == 6


def test_one_click_unsubscribe_takes_effect_at_once(web, sessions, smtp, hand) -> None:
    lead = nurture_lead(sessions, "c-u", "leaving@example.com")
    send_round(sessions, hand)  # enrolled: step 1 is due an hour later
    hand.advance(hours=1)
    send_round(sessions, hand)
    url = smtp.messages[0]["List-Unsubscribe"].strip("<>")

    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and "<button" in page.text
    assert enrollment(sessions, lead).state == "active", "a GET (a mail scanner) never unsubscribes"
    forged = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    assert requests.post(forged, data="List-Unsubscribe=One-Click", timeout=10).status_code == 404

    answer = requests.post(url, data="List-Unsubscribe=One-Click", timeout=10,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 200 and "no more" in answer.text
    state = enrollment(sessions, lead)
    assert (state.state, state.stop_reason) == ("stopped", "unsubscribed") and state.unsubscribed_at
    hand.advance(days=2)
    send_round(sessions, hand)
    assert len(smtp.messages) == 1
    assert requests.post(url, timeout=10).status_code == 200, "twice is fine"
    with sessions() as s:
        assert nurture_metrics(s).unsubscribed == 1


def test_tracked_links_redirect_and_the_chat_link_resumes_the_conversation(web, sessions, smtp, hand) -> None:
    lead = nurture_lead(sessions, "a1b2.c3d4", "clicker@example.com")
    send_round(sessions, hand)  # enrolled: step 1 is due an hour later
    hand.advance(hours=1)
    send_round(sessions, hand)
    links = _links(smtp.messages[0])
    chat_link = next(u for u in links if "/nurture/c/" in u and links.index(u) == 2)  # resources, resources, chat
    more = next(u for u in links[3:] if "/nurture/c/" in u)

    hop = requests.get(more, allow_redirects=False, timeout=10)
    assert hop.status_code == 302 and hop.headers["location"] == "https://example.com/more"
    back = requests.get(chat_link, allow_redirects=False, timeout=10)
    assert back.status_code == 303 and back.headers["location"].startswith(web.base + "/nurture/chat/")
    page = requests.get(back.headers["location"], timeout=10)
    assert page.status_code == 200 and 'data-resume="a1b2.c3d4"' in page.text and "Welcome back, Zoë." in page.text
    assert [m.clicks for m in messages(sessions, lead)] == [2]

    expired = Links(Signer(nurture_secret("LEADBOT_NURTURE_SECRET")), web.base).resume(lead, int(NOW.timestamp()) - 1)
    assert requests.get(expired, timeout=10).status_code == 410
    assert requests.get(web.base + "/nurture/c/bogus.token", timeout=10).status_code == 404

    resave(sessions, "a1b2.c3d4", "clicker@example.com", status="nurture", transcript_extra=3)
    send_round(sessions, hand)
    with sessions() as s:
        counted = nurture_metrics(s)
        exported = export_person(s, lead, Copies(Spool(web_tmp(sessions)), None))["nurture"]
    assert (counted.sent, counted.clicked, counted.reengaged, counted.qualified) == (1, 1, 1, 0)
    assert exported["state"] == "active" and exported["emails"][0]["clicks"] == 2, "the person's export has it"


def test_the_sequence_stops_when_the_lead_moves_on(web, sessions, smtp, hand) -> None:
    qualifies = nurture_lead(sessions, "c-1", "q@example.com")
    meets = nurture_lead(sessions, "c-2", "m@example.com")
    handed = nurture_lead(sessions, "c-3", "h@example.com")
    erased = nurture_lead(sessions, "c-4", "e@example.com")
    paused = nurture_lead(sessions, "c-5", "p@example.com")
    books = nurture_lead(sessions, "c-6", "b@example.com")
    send_round(sessions, hand)  # enrolled: step 1 is due an hour later
    hand.advance(hours=1)
    send_round(sessions, hand)
    assert len(smtp.messages) == 6

    hand.advance(hours=24)
    # Step 2 is due now; each lead moves on before the round that would send it.
    resave(sessions, "c-1", "q@example.com", status="qualified")
    with sessions.begin() as s:
        deal = s.get(Lead, meets).current_deal()
        move_stage(s, deal.id, "meeting", now=hand.now(), by="dana")
        s.get(Lead, handed).handoff_state = "waiting"
        erase_lead(s, erased, Copies(Spool(web_tmp(sessions)), None), now=hand.now())
        pause(s, paused, by="Dana Ruiz", now=hand.now())
        rep = Rep(name="Dana Ruiz", email="dana@seller.example", active=True, territories=[], timezone="UTC",
                  working_hours={}, notify={}, created_at=NOW, updated_at=NOW)
        s.add(rep)
        s.flush()
        s.add(Meeting(uid="m-1@leadbot", lead_id=books, rep_id=rep.id, start_at=NOW + timedelta(days=3),
                      end_at=NOW + timedelta(days=3, minutes=30), visitor_timezone="UTC", status="booked",
                      sequence=0, created_at=NOW, updated_at=NOW))  # booked in the chat (bot/meetings)
    send_round(sessions, hand)
    assert len(smtp.messages) == 6, [m["To"] for m in smtp.messages[6:]]
    reasons = {lead: (enrollment(sessions, lead).state, enrollment(sessions, lead).stop_reason)
               for lead in (qualifies, meets, handed, paused, books)}
    assert reasons == {qualifies: ("stopped", "qualified"), meets: ("stopped", "meeting_booked"),
                       handed: ("stopped", "handed_to_rep"), paused: ("paused", None),
                       books: ("stopped", "meeting_booked")}
    assert enrollment(sessions, erased) is None and messages(sessions, erased) == [], "erasure reaches the sequence"
    with sessions() as s:
        assert nurture_metrics(s).qualified == 1

    with sessions.begin() as s:
        resume(s, paused, now=hand.now())
    send_round(sessions, hand)
    assert [m["To"] for m in smtp.messages[6:]] == ["p@example.com"]


def test_a_step_queued_before_the_lead_qualified_is_cancelled_not_sent(web, sessions, smtp, hand) -> None:
    lead = nurture_lead(sessions, "c-late", "late@example.com")
    send_round(sessions, hand)  # enrolled: step 1 is due an hour later
    hand.advance(hours=1)
    with sessions.begin() as s:  # the sweep queued step 1 ...
        from bot.nurture.sequence import sweep
        from bot.nurture.settings import load_nurture_settings
        sweep(s, load_nurture_settings(), now=hand.now())
    resave(sessions, "c-late", "late@example.com", status="qualified")  # ... then the lead qualified
    send_round(sessions, hand)
    assert smtp.messages == []
    assert [m.status for m in messages(sessions, lead)] == ["cancelled"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, sessions):
    """The test's SQLite store, or a fresh PostgreSQL database (the same schema, by migration)."""
    if request.param == "sqlite":
        yield sessions
        return
    url = request.getfixturevalue("pg_database")
    upgrade(url)
    engine = make_engine(url)
    yield session_factory(engine)
    engine.dispose()


def test_two_senders_send_each_step_exactly_once(web, store, smtp, hand) -> None:
    sessions = store
    for i in range(12):
        nurture_lead(sessions, f"c-{i}", f"lead{i}@example.com")
    send_round(sessions, hand)  # enrolled: step 1 is due an hour later
    hand.advance(hours=1)
    errors: list[BaseException] = []

    def sender(name: str) -> None:
        try:
            for _ in range(3):
                send_round(sessions, hand, worker=name)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=sender, args=(f"w{n}",)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(m["To"] for m in smtp.messages) == sorted(f"lead{i}@example.com" for i in range(12))
    assert len({m["Message-ID"] for m in smtp.messages}) == 12
    with sessions() as s:
        assert s.scalar(select(NurtureMessage.id).where(NurtureMessage.status != "sent")) is None
        assert len(s.scalars(select(NurtureMessage)).all()) == 12


def test_a_refused_address_is_a_dead_letter_and_greylisting_is_retried(web, sessions, smtp, hand) -> None:
    refused = nurture_lead(sessions, "c-r", "nobody@refused.example")
    grey = nurture_lead(sessions, "c-g", "later@greylist.example")
    send_round(sessions, hand)  # enrolled: step 1 is due an hour later
    hand.advance(hours=1)
    send_round(sessions, hand)
    dead = messages(sessions, refused)[0]
    assert dead.status == "dead" and "550" in dead.last_error
    assert messages(sessions, grey)[0].status == "pending" and "451" in messages(sessions, grey)[0].last_error
    hand.advance(seconds=61)
    send_round(sessions, hand)
    assert [m["To"] for m in smtp.messages] == ["later@greylist.example"]
    with sessions.begin() as s:
        assert retry_dead(s, now=hand.now()) == 1
        assert nurture_metrics(s).dead == 0


def web_tmp(sessions) -> str:
    import tempfile

    return Path(tempfile.mkdtemp(prefix="spool-"))


def test_the_cli_reports_lists_and_pauses(web, env, sessions, smtp, hand) -> None:
    import json

    from tests.notify.conftest import leadbot

    lead = nurture_lead(sessions, "c-cli", "cli@example.com")
    send_round(sessions, hand)
    hand.advance(hours=1)
    send_round(sessions, hand)
    status = leadbot(env, "nurture", "status", "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout) | {} == {"enrolled": 1, "active": 1, "paused": 0, "sent": 1, "dead": 0,
                                             "clicked": 0, "reengaged": 0, "qualified": 0, "unsubscribed": 0}
    from leadbot.cli import main

    assert main(["nurture", "pause", "cli@example.com", "--by", "dana"]) == 0  # in this process: one start is enough
    assert enrollment(sessions, lead).paused_by == "dana"
