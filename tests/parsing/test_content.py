"""settings/content.yml: the needs section loads, and other sections are let through."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.content import Content, load_content
from bot.settings import SettingsError


def test_shipped_file_has_needs_with_keywords_and_pitches() -> None:
    content = load_content()
    keywords = content.need_keywords()
    assert len(keywords) >= 6
    assert all(words for words in keywords.values())
    assert all(content.pitch_for(name) for name in keywords)


def test_pitch_for_unknown_or_missing_category() -> None:
    content = load_content()
    assert content.pitch_for(None) == content.default_pitch  # a specific need, no category
    assert content.pitch_for("no_such_category") == content.default_pitch
    assert content.pitch_for(None, "exploring") is None  # nothing to relate to yet
    assert Content().pitch_for(None) is None  # no general pitch configured


def test_extra_sections_are_allowed(tmp_path: Path) -> None:
    (tmp_path / "content.yml").write_text(
        "widget_theme: dark\n"
        "needs:\n  support:\n    keywords: [help desk]\n    pitch: We answer.\n",
        encoding="utf-8",
    )
    content = load_content(tmp_path)
    assert content.need_keywords() == {"support": ["help desk"]}
    assert content.pitch_for("support") == "We answer."
    assert content.model_extra == {"widget_theme": "dark"}


def test_booking_resources_and_handoff_wording(tmp_path: Path) -> None:
    (tmp_path / "content.yml").write_text(
        "booking_link: https://example.com/book\n"
        "resources:\n  - {title: Guide, url: 'https://example.com/g'}\n"
        "  - {title: Case study, url: 'https://example.com/c'}\n"
        "handoff:\n  in_hours: 'someone joins here.'\n"
        "  after_hours_with_email: 'we will write to {email} by {when}.'\n"
        "  after_hours_without_email: 'leave an address; we write by {when}.'\n",
        encoding="utf-8",
    )
    content = load_content(tmp_path)
    assert content.booking_sentence().endswith("https://example.com/book")
    assert content.resources_text() == "Guide: https://example.com/g; Case study: https://example.com/c"
    assert content.handoff_next_step("a@b.example", open_now=True, when="now") == "someone joins here."
    assert content.handoff_next_step("a@b.example", open_now=False, when="Monday") == \
        "we will write to a@b.example by Monday."
    assert content.handoff_next_step(None, open_now=False, when="Monday") == "leave an address; we write by Monday."


def test_defaults_say_something_sensible_without_links(tmp_path: Path) -> None:
    content = load_content(tmp_path)
    assert content.booking_sentence() == ""
    assert content.resources_text()
    assert "x@y.example" in content.handoff_next_step("x@y.example", open_now=False, when="Monday")
    assert "Monday" in content.handoff_next_step(None, open_now=False, when="Monday")


@pytest.mark.parametrize("bad", [
    "booking_link: www.example.com\n",
    "handoff:\n  after_hours_with_email: 'we will write to you by {when}'\n",
    "handoff:\n  after_hours_without_email: 'we will write to you'\n",
    "resources:\n  - {title: '', url: 'https://x'}\n",
])
def test_invalid_content_is_refused(tmp_path: Path, bad: str) -> None:
    (tmp_path / "content.yml").write_text(bad, encoding="utf-8")
    with pytest.raises(SettingsError):
        load_content(tmp_path)


def test_missing_file_means_no_categories(tmp_path: Path) -> None:
    assert load_content(tmp_path) == Content()
    assert load_content(tmp_path).need_keywords() == {}


def test_a_typo_in_a_category_fails_loudly(tmp_path: Path) -> None:
    (tmp_path / "content.yml").write_text("needs:\n  support:\n    keyword: [help]\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="content.yml"):
        load_content(tmp_path)


@pytest.mark.parametrize(("text", "says"), [
    ("so what do people call you?", "I'm the leadbot assistant."),
    ("know any good jokes", "spreadsheet"),
    ("how's your day been", "doing well"),
    ("who's your boss, bot", "built by the team behind leadbot"),
    ("do you ever dream", "no feelings"),
    ("you're a clever little thing", "kind of you"),
    ("what's your deal anyway", "find out what you need"),  # nothing named: the general answer
])
def test_small_talk_is_answered_on_its_topic(text: str, says: str) -> None:
    assert says in load_content().small_talk.for_text(text)
