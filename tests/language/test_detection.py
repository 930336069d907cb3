"""The language of short chat messages, as visitors write them (tests/language/messages.yml):
each of our languages, their kin read as one of ours, languages we do not speak, and messages
that carry no language at all."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.language.detect import detect

HERE = Path(__file__).parent


def _cases(name: str) -> list[tuple[str, str | None]]:
    table = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    return [(text, None if lang in ("none", "silent") else lang) for lang, texts in table.items() for text in texts]


@pytest.mark.parametrize(("text", "language"), _cases("messages.yml"))
def test_the_language_of_a_chat_message(text: str, language: str | None) -> None:
    assert detect(text) == language


def test_held_out_messages_are_never_read_as_another_of_our_languages() -> None:
    """Messages written after the thresholds were set: a message in one of ours may be too
    short to tell (None: the conversation keeps its language), never another of ours."""
    cases = _cases("holdout.yml")
    got = [(text, language, detect(text)) for text, language in cases]
    wrong = [(text, language, found) for text, language, found in got if language and found not in (language, None)]
    assert wrong == []
    right = sum(found == language for _, language, found in got)
    assert right / len(got) >= 0.9, [case for case in got if case[1] != case[2]]


@pytest.mark.parametrize("text", [
    "", "   ", "😀😀", "50 000", "+7 912 345-67-89", "۵۰", "jane@example.com, +4791234567",
    "<b>ok</b>", "RM 50,000", "¥5万", "https://例子.中国",
])
def test_no_language_in_figures_addresses_and_symbols(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(("text", "language"), [
    ("нам нужен bot для сайта", "ru"),  # mostly Cyrillic
    ("we need 聊天机器人", "zh"),  # a Han character weighs about a word
    ("می‌خواهیم chatbot داشته باشیم", "fa"),
    ("бюджет 50k", "ru"),
    ("ок, 50k", None),  # two Cyrillic letters: too little
    ("привет", "ru"),
    ("你好", "zh"),
    ("سلام", "fa"),
    ("да", None),
    ("好", None),
    ("こんにちは", None),  # Japanese
    ("안녕하세요 챗봇이 필요해요", None),  # Korean
    ("привіт, як справи", None),  # Ukrainian letters
    ("كم التكلفة؟", None),  # Arabic letters, none of Persian's
    ("فصل بعد", "fa"),  # Arabic script with no letter of either: ours is Persian
    ("مي خواهيم", "fa"),  # Persian typed on an Arabic keyboard (ي)
])
def test_scripts_that_name_a_language(text: str, language: str | None) -> None:
    assert detect(text) == language
