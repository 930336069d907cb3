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
    assert content.pitch_for(None) is None
    assert content.pitch_for("no_such_category") is None


def test_extra_sections_are_allowed(tmp_path: Path) -> None:
    (tmp_path / "content.yml").write_text(
        "booking_link: https://example.com/book\n"
        "needs:\n  support:\n    keywords: [help desk]\n    pitch: We answer.\n",
        encoding="utf-8",
    )
    content = load_content(tmp_path)
    assert content.need_keywords() == {"support": ["help desk"]}
    assert content.pitch_for("support") == "We answer."
    assert content.model_extra == {"booking_link": "https://example.com/book"}


def test_missing_file_means_no_categories(tmp_path: Path) -> None:
    assert load_content(tmp_path) == Content()
    assert load_content(tmp_path).need_keywords() == {}


def test_a_typo_in_a_category_fails_loudly(tmp_path: Path) -> None:
    (tmp_path / "content.yml").write_text("needs:\n  support:\n    keyword: [help]\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="content.yml"):
        load_content(tmp_path)
