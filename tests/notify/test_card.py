"""The lead card: everything a rep needs, what visitors typed shown as text on every
channel, and each channel's limits kept."""
from __future__ import annotations

import json
from email import message_from_bytes, policy

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.notify.card import LeadCard, build_card, render_html, render_json, render_slack, render_text, slack_escape
from bot.notify.channels import build_email
from bot.notify.settings import SmtpSettings
from bot.store.schema import Lead
from tests.notify.conftest import add_rep, assign, realistic, save
from tests.store.builders import empty

LINK = "https://crm.example/leads/1"


def card_for(sessions: sessionmaker[Session], lead_id: int, *, reason: str = "qualified", lines: int = 5,
             for_rep: bool = True) -> LeadCard:
    with sessions() as s:
        return build_card(s.get(Lead, lead_id), reason=reason, link=LINK, transcript_lines=lines, for_rep=for_rep)


@pytest.fixture
def owned(sessions) -> int:
    lead_id = save(sessions, realistic(transcript=3))
    assign(sessions, lead_id, add_rep(sessions))
    return lead_id


def test_the_card_has_everything_a_rep_needs(sessions, owned: int) -> None:
    card = card_for(sessions, owned)
    text = render_text(card)
    assert card.subject == "New qualified lead: Zoë Ørsted (Brightwell <Dental>) – score 82 A"
    assert text.startswith(card.subject + "\n")
    for expected in (
        "Name:      Zoë Ørsted", "Company:   Brightwell <Dental>", "E-mail:    zoe@brightwell.example",
        f"Open the lead: {LINK}",
        'specific, booking (said: "We need a chatbot to <b>book</b> consultations & follow-ups")',
        '2,000 EUR a month (said: "around 2k a month")',
        'shares the decision, Head of Ops (said: "me and our CFO <script>alert(1)</script>")',
        'by 2027-03-31, in about 4.2 months (said: "next quarter")',
        "need: 20/20 - A specific need that matches 'booking'.",
        "budget: 19/25 - 12,000 USD a year is in the 10k-25k band.",
        "Why you: Round robin: Dana Ruiz was next.",
        "Bot: message 0 <!channel> ✓", "Visitor: message 1 <!channel> ✓",
    ):
        assert expected in text, expected
    assert card.transcript_note is None


@pytest.mark.parametrize("reason, headline", [
    ("qualified", "New qualified lead"), ("human_requested", "Wants to talk to a person"),
    ("reassigned", "Lead reassigned to you"),
])
def test_the_headline_says_why_the_card_was_sent(sessions, owned: int, reason: str, headline: str) -> None:
    card = card_for(sessions, owned, reason=reason)
    assert card.subject.startswith(headline + ": ") and render_slack(card)["text"].startswith(headline)


def test_a_fallback_card_says_nobody_has_the_lead_and_why(sessions) -> None:
    lead_id = save(sessions)
    assign(sessions, lead_id, None, why="Nobody on duty: all reps are outside working hours.")
    card = card_for(sessions, lead_id, for_rep=False)
    assert card.subject.startswith("Lead waiting for an owner: Zoë Ørsted")
    assert "Why nobody has it: Nobody on duty" in render_text(card)


def test_a_long_conversation_shows_its_end_with_a_note(sessions) -> None:
    lead_id = save(sessions, realistic(transcript=400))
    card = card_for(sessions, lead_id, lines=5)
    assert len(card.transcript) == 5 and card.transcript_note == "first 395 lines not shown"
    text = render_text(card)
    assert "(first 395 lines not shown)" in text and "message 399" in text and "message 394" not in text
    assert "first 395 lines not shown" in render_html(card)
    none_shown = card_for(sessions, lead_id, lines=0)
    assert none_shown.transcript == () and none_shown.transcript_note == "first 400 lines not shown"


def test_html_shows_visitor_markup_as_text(sessions, owned: int) -> None:
    page = render_html(card_for(sessions, owned))
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Brightwell &lt;Dental&gt;" in page and "<b>book</b>" not in page and "&amp; follow-ups" in page
    assert f'<a href="{LINK}">' in page


def test_slack_escapes_its_control_characters_and_nothing_else() -> None:
    assert slack_escape("a & b <!channel> <http://evil|bank> *bold* ✓") == \
        "a &amp; b &lt;!channel&gt; &lt;http://evil|bank&gt; *bold* ✓"


def test_slack_message_shows_visitor_text_as_text(sessions, owned: int) -> None:
    payload = render_slack(card_for(sessions, owned, reason="human_requested"))
    dumped = json.dumps(payload, ensure_ascii=False)
    assert "<!channel>" not in dumped and "&lt;!channel&gt;" in dumped
    assert "<script>" not in dumped and "Brightwell &lt;Dental&gt;" in dumped
    assert payload["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": payload["text"]}}
    assert f"<{LINK}|Open the lead #{owned}>" in payload["blocks"][1]["text"]["text"]


def test_slack_limits_hold_for_huge_leads(sessions) -> None:
    """50 blocks, 3000 characters a section, 10 fields of 2000, 150 in the header; entities
    are never cut in half."""
    sub = realistic(transcript=400, line="& " * 700 + "{i}")
    sub = type(sub)(**{**sub.__dict__, "qualification": type(sub.qualification)(**{
        **sub.qualification.__dict__,
        "need": type(sub.qualification.need)("<x>" * 2000, "specific", "booking"),
        "contact": type(sub.qualification.contact)("N" * 300, "long@brightwell.example", "C" * 200)})})
    lead_id = save(sessions, sub)
    payload = render_slack(card_for(sessions, lead_id, lines=400))
    blocks = payload["blocks"]
    assert len(blocks) == 50 and blocks[-1]["type"] == "context"
    assert "open the lead for all of it" in blocks[-1]["elements"][0]["text"]
    assert len(blocks[0]["text"]["text"]) <= 150
    for block in blocks:
        if block["type"] != "section":
            continue
        texts = [block["text"]["text"]] if "text" in block else [f["text"] for f in block["fields"]]
        assert len(texts) <= 10
        for text in texts:
            assert len(text) <= (3000 if "text" in block else 2000)
            assert not text.rstrip("…").endswith(("&", "&a", "&am", "&amp", "&l", "&lt", "&g", "&gt"))


def test_odd_unicode_is_safe_on_every_channel(sessions) -> None:
    """Emoji sequences, combining marks (composed) and other scripts survive; control
    characters and bidi overrides (which would reorder a subject line) reach no channel."""
    sub = realistic()
    odd_name = "Ze\u0301 \u202eevil\u202c 👩🏽‍💻 Ωμέγα 山田\x00\x1b[31m"
    sub = type(sub)(**{**sub.__dict__, "qualification": type(sub.qualification)(**{
        **sub.qualification.__dict__,
        "contact": type(sub.qualification.contact)(odd_name, "odd@brightwell.example", "Ünïcødé\nGmbH")})})
    lead_id = save(sessions, sub)
    card = card_for(sessions, lead_id)
    assert card.subject == "New qualified lead: Zé evil 👩🏽‍💻 Ωμέγα 山田[31m (Ünïcødé GmbH) – score 82 A"
    for rendered in (render_text(card), render_html(card), json.dumps(render_slack(card), ensure_ascii=False),
                     json.dumps(render_json(card), ensure_ascii=False)):
        rendered.encode("utf-8")  # no lone surrogate left
        assert "\u202e" not in rendered and "\x00" not in rendered and "\x1b" not in rendered
        assert "👩🏽‍💻" in rendered and "山田" in rendered
    message = build_email("dana@seller.example", card, SmtpSettings(), key="leadbot-notification-7")
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Subject"] == card.subject
    assert "Zé evil 👩🏽‍💻" in parsed.get_body(("plain",)).get_content()


def test_a_lead_that_said_nothing_still_makes_a_card(sessions) -> None:
    lead_id = save(sessions, empty())
    card = card_for(sessions, lead_id)
    text = render_text(card)
    assert card.title == f"Lead #{lead_id} – score 9 D"
    assert "Name:      -" in text and "Budget:    unknown" in text
    for rendered in (render_html(card), json.dumps(render_slack(card)), json.dumps(render_json(card))):
        assert rendered
    build_email("dana@seller.example", card, SmtpSettings())


def test_the_webhook_card_carries_the_export(sessions, owned: int) -> None:
    body = render_json(card_for(sessions, owned))
    assert body["type"] == "lead_card" and body["lead_id"] == owned and body["link"] == LINK
    lead = body["lead"]
    assert lead["id"] == owned and lead["budget"]["text"] == "around 2k a month" and lead["budget"]["min"] == 2000
    assert lead["assignment"]["reason"] == "Round robin: Dana Ruiz was next."
    assert [b["dimension"] for b in lead["score_breakdown"]] == ["need", "budget", "authority", "timeline", "contact"]
    assert body["transcript"][1] == "Visitor: message 1 <!channel> ✓"  # raw: a JSON consumer escapes for itself


def test_the_card_shows_the_visitors_phone(sessions) -> None:
    from tests.store.builders import submission

    lead_id = save(sessions, submission("c-phone", phone="+442079460958"))
    card = card_for(sessions, lead_id)
    assert "Phone:     +442079460958" in render_text(card)
    assert render_json(card)["lead"]["phone"] == "+442079460958"
    anonymous = save(sessions, submission("c-anon", email=None, name=None, phone="+14155550132"))
    assert card_for(sessions, anonymous).title.startswith("+14155550132")  # no name or e-mail: the phone
    without = save(sessions, empty("c-none"))
    assert "Phone:" not in render_text(card_for(sessions, without))
