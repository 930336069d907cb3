"""The plain-Python parts of the hand-off and the widget: business hours and what the
visitor is told, the retired shared-token setting, the lead's source, the transcript with rep lines,
and every quick-reply payload in domain.yml understood as the answer it stands for."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import yaml

from bot.content import load_content
from bot.extraction import extract
from bot.handoff import HandoffSettings, load_handoff_settings, plan_handoff
from bot.settings import DEFAULT_SETTINGS_DIR, SettingsError
from bot.source import lead_source
from bot.transcript import transcript_from_events
from tests.e2e.servers import ROOT

SUNDAY_10 = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("hours", "tz", "at", "open_now", "when"), [
    ("mon-fri 09:00-17:00", "UTC", SUNDAY_10, False, "Monday 23 November, 09:00 (UTC)"),
    ("mon-fri 09:00-17:00", "UTC", datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc), True, None),
    ("mon-fri 09:00-17:00", "UTC", datetime(2026, 11, 23, 17, 0, tzinfo=timezone.utc), False,
     "Tuesday 24 November, 09:00 (UTC)"),
    ("mon-fri 9-17", "Europe/Berlin", datetime(2026, 11, 23, 7, 30, tzinfo=timezone.utc), False,
     "Monday 23 November, 09:00 (CET)"),
    ("mon-sun 00:00-24:00", "UTC", SUNDAY_10, True, None),
    ("sat 22:00-02:00", "UTC", SUNDAY_10.replace(hour=1), True, None),
])
def test_business_hours_decide_what_happens_next(hours, tz, at, open_now, when) -> None:
    plan = plan_handoff(HandoffSettings(business_hours=hours, timezone=tz), at)
    assert plan.open_now is open_now
    if when:
        assert plan.when_text() == when


def test_the_visitor_is_told_the_next_step_in_the_shipped_words() -> None:
    content = load_content(DEFAULT_SETTINGS_DIR)
    plan = plan_handoff(load_handoff_settings(DEFAULT_SETTINGS_DIR), SUNDAY_10)
    when = plan.when_text()
    assert content.handoff_next_step("a@b.example", open_now=True, when=when) == \
        "a rep will answer you here within minutes."
    # without a way to reach them, the visitor is asked for one, once, while they wait
    assert "e-mail address or phone number" in content.handoff_next_step(None, open_now=True, when=when)
    assert "e-mail you at a@b.example by Monday 23 November, 09:00 (UTC)" in \
        content.handoff_next_step("a@b.example", open_now=False, when=when)
    assert "Leave your e-mail address" in content.handoff_next_step(None, open_now=False, when=when)


@pytest.mark.parametrize("bad", [
    "business_hours: 'weekdays nine to five'\n",
    "timezone: Mars/Olympus\n",
    "rep_token_env: ''\n",
    "opening: 9\n",
])
def test_bad_handoff_settings_are_refused_with_the_field(tmp_path: Path, bad: str) -> None:
    (tmp_path / "handoff.yml").write_text(bad, encoding="utf-8")
    with pytest.raises(SettingsError, match="handoff.yml"):
        load_handoff_settings(tmp_path)


def test_the_retired_shared_token_setting_is_refused_with_what_to_do_instead(tmp_path: Path) -> None:
    (tmp_path / "handoff.yml").write_text("rep_token_env: LEADBOT_REP_API_TOKEN\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"no longer used.*leadbot users token"):
        load_handoff_settings(tmp_path)


def test_lead_source_keeps_the_first_touch_and_the_latest_page() -> None:
    source = lead_source([
        {"model_id": "abc", "assistant_id": "x"},  # what Rasa adds: ignored
        {"page_url": "https://acme.example/pricing?utm_source=ads", "referrer": "https://www.google.com/",
         "utm_source": "ads", "utm_campaign": "spring", "utm_medium": 7},
        None,
        {"page_url": "https://acme.example/contact", "utm_source": "newsletter", "utm_term": "  "},
        {"page_url": "javascript:alert(1)", "referrer": "file:///etc/passwd", "utm_content": "x" * 5000},
    ])
    assert source == {
        "page_url": "https://acme.example/pricing?utm_source=ads", "referrer": "https://www.google.com/",
        "utm_source": "ads", "utm_campaign": "spring", "utm_content": "x" * 2000,
        "last_page_url": "https://acme.example/contact",
    }
    assert lead_source([]) == {} and lead_source([{"page_url": "https://a.example/"}]) == {"page_url": "https://a.example/"}


@pytest.mark.parametrize(("key", "value", "kept"), [
    # the browser's language (navigator.language, or rasa-webchat's customData), a BCP 47 tag
    ("language", "en", "en"),
    ("language", "pt-BR", "pt-BR"),
    ("language", " zh-Hant-TW ", "zh-Hant-TW"),
    ("language", "en_US", None),
    ("language", "English please", None),
    ("language", "<script>", None),
    ("language", 7, None),
    # the browser's time zone (Intl.DateTimeFormat().resolvedOptions().timeZone), an IANA name
    ("time_zone", "Europe/Berlin", "Europe/Berlin"),
    ("time_zone", "America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ("time_zone", "UTC", "UTC"),
    ("time_zone", "Mars/Olympus_Mons", None),
    ("time_zone", "../../etc/passwd", None),
    ("time_zone", "+02:00", None),
])
def test_lead_source_keeps_a_language_and_time_zone_only_when_they_are_one(key, value, kept) -> None:
    assert lead_source([{key: value}]).get(key) == kept


def test_transcript_marks_the_rep_lines() -> None:
    lines = transcript_from_events([
        {"event": "user", "text": "/greet", "timestamp": 0, "parse_data": {"intent": {"name": "greet"}}},
        {"event": "user", "text": "/etc/passwd?", "timestamp": 0, "parse_data": {"intent": {"name": "out_of_scope"}}},
        {"event": "user", "text": "a person please", "timestamp": 1},
        {"event": "bot", "text": "Of course.", "timestamp": 2},
        {"event": "slot", "name": "x", "value": 1},
        {"event": "bot", "text": "Dana here.", "timestamp": 3, "metadata": {"sender": "rep", "rep_name": "Dana"}},
        {"event": "bot", "text": "", "timestamp": 4},
    ])
    assert [(line.sender, line.text) for line in lines] == [
        ("user", "/etc/passwd?"), ("user", "a person please"), ("bot", "Of course."), ("rep", "Dana here.")]


def _buttons() -> list[tuple[str, str, str]]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    found = []
    for name, variants in domain["responses"].items():
        if not name.startswith("utter_ask_") or name == "utter_ask_followup_optin":
            continue
        for variant in variants:
            for button in variant.get("buttons") or []:
                found.append((name.removeprefix("utter_ask_"), button["title"], button["payload"]))
    return found


def test_the_questions_with_natural_choices_have_quick_replies() -> None:
    slots = {slot for slot, _, _ in _buttons()}
    assert {"timeline", "authority", "budget"} <= slots
    assert all(any(t == "Skip" for s, t, _ in _buttons() if s == slot) for slot in slots)


@pytest.mark.parametrize(("slot", "title", "payload"), _buttons())
def test_every_quick_reply_answers_its_question(slot: str, title: str, payload: str) -> None:
    found = extract(payload, today=date(2026, 11, 22), requested=slot, categories={})
    if found.meta in ("skip", "not_sure"):
        return
    value = found.slots().get(slot)
    assert value is not None, f"{title!r} ({payload!r}) is not understood as a {slot} answer"
    assert value.get("status", "stated") in ("stated", "none") and value.get("level") != "unknown"
