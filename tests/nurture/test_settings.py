"""settings/nurture.yml: the shipped file is valid, mistakes fail at start-up with the field,
and a lead gets the text for its language and need with the documented fallbacks."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.nurture.settings import load_nurture_settings, primary_language
from bot.settings import PROJECT_ROOT, SettingsError

STEP = "{delay_hours: 1, content: {en: {default: {subject: 'Hi {name}', body: 'Hello {name}: {chat_link}'}}}}"


def test_the_shipped_sequences_are_valid() -> None:
    settings = load_nurture_settings(PROJECT_ROOT / "settings")
    assert settings.sequence_for("marketing") == "standard" and len(settings.sequences["standard"].steps) == 3


def test_a_missing_file_means_no_sequences(tmp_path: Path) -> None:
    assert load_nurture_settings(tmp_path).sequences == {}


@pytest.mark.parametrize(("yaml", "complaint"), [
    (f"sequences: {{s: {{steps: [{STEP.replace('{name}:', '{nam}:')}]}}}}", "unknown placeholder"),
    ("sequences: {s: {steps: [{delay_hours: 1, content: {de: {default: {subject: a, body: b}}}}]}}",
     "needs content for en.default"),
    ("sequences: {s: {steps: []}}", "at least 1"),
    (f"sequences: {{s: {{steps: [{STEP.replace('delay_hours: 1', 'delay_hours: -1')}]}}}}", "greater than or equal"),
    (f"link_base_url: chat.example.com\nsequences: {{s: {{steps: [{STEP}]}}}}", "http(s) URL"),
    (f"sequences: {{s: {{steps: [{STEP}]}}}}\nsender: me", "Extra inputs"),
    ("sequences: {s: {steps: [{delay_hours: 1, content: {en: {default: {subject: 'a {', body: b}}}}]}}",
     "unbalanced braces"),
])
def test_mistakes_fail_loudly(tmp_path: Path, yaml: str, complaint: str) -> None:
    (tmp_path / "nurture.yml").write_text(yaml, encoding="utf-8")
    with pytest.raises(SettingsError, match="nurture.yml") as caught:
        load_nurture_settings(tmp_path)
    assert complaint in str(caught.value)


@pytest.mark.parametrize(("language", "category", "subject"), [
    ("en", "appointment_booking", "{name}, fewer no-shows, more booked appointments"),
    ("en", "marketing", "{name}, a few ideas for your chatbot"),  # no text for the need: the default
    ("de", "appointment_booking", "{name}, ein paar Ideen für Ihren Chatbot"),  # German has only a default
    ("fr", None, "{name}, a few ideas for your chatbot"),  # no French: the default language
    (None, None, "{name}, a few ideas for your chatbot"),
])
def test_the_text_follows_language_then_need(language: str | None, category: str | None, subject: str) -> None:
    settings = load_nurture_settings(PROJECT_ROOT / "settings")
    assert settings.text("standard", 0, language, category).subject == subject


@pytest.mark.parametrize(("tag", "language"), [("pt-BR", "pt"), ("de_AT", "de"), ("EN", "en"), ("", None), (None, None)])
def test_primary_language(tag: str | None, language: str | None) -> None:
    assert primary_language(tag) == language
