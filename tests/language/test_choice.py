"""A conversation's language: the page's until the visitor's words tell, then sticky, and
switched only on request."""
from __future__ import annotations

import pytest

from bot.language.choice import DEFAULT, MESSAGE, PAGE, REQUEST, LanguageChoice, choose_language
from bot.language.codes import supported


def _play(messages: list[str], page: str | None = None) -> LanguageChoice:
    choice = None
    for text in messages:
        choice = choose_language(choice, text, page)
    assert choice is not None
    return choice


def test_english_until_told() -> None:
    assert _play(["hi"]) == LanguageChoice("en", DEFAULT)
    assert _play(["ok", "jane@acme.com", "50k"]) == LanguageChoice("en", DEFAULT)


def test_the_page_language_before_any_words_that_tell() -> None:
    assert _play(["hi"], page="nb-NO") == LanguageChoice("nb", PAGE)
    assert _play(["ok"], page="zh-CN") == LanguageChoice("zh", PAGE)
    assert _play(["hi"], page="de-DE") == LanguageChoice("en", DEFAULT)  # not ours


def test_the_first_message_that_tells_decides_over_the_page() -> None:
    assert _play(["hi", "нам нужен чат-бот для сайта"], page="en-US") == LanguageChoice("ru", MESSAGE)
    assert _play(["we need a chatbot for our website"], page="ru") == LanguageChoice("en", MESSAGE)


def test_a_language_we_do_not_speak_decides_nothing() -> None:
    assert _play(["wir brauchen einen Chatbot für unsere Webseite"], page="nb") == LanguageChoice("nb", PAGE)


@pytest.mark.parametrize("later", ["ok", "50k", "jane.doe@acme.com", "Acme Corp", "thanks",
                                   "we want it live next month", "我们需要", "Ромашка"])
def test_sticky_once_decided(later: str) -> None:
    assert _play(["vi trenger en chatbot til nettsiden vår", later]) == LanguageChoice("nb", MESSAGE)


def test_switched_on_request_and_sticky_again() -> None:
    assert _play(["нам нужен чат-бот", "can we continue in English?"]) == LanguageChoice("en", REQUEST)
    assert _play(["нам нужен чат-бот", "can we continue in English?", "спасибо, понятно"]) == \
        LanguageChoice("en", REQUEST)
    assert _play(["hi", "по-русски, пожалуйста"], page="en") == LanguageChoice("ru", REQUEST)


@pytest.mark.parametrize(("tag", "code"), [
    ("en-GB", "en"), ("ru-RU", "ru"), ("nb-NO", "nb"), ("no", "nb"), ("nn-NO", "nb"), ("da-DK", "nb"),
    ("fa-IR", "fa"), ("ms-MY", "ms"), ("id-ID", "ms"), ("zh-CN", "zh"), ("zh-Hans", "zh"), ("zh_TW", "zh"),
    ("de", None), ("", None), (None, None), ("EN", "en"),
])
def test_language_tags(tag: str | None, code: str | None) -> None:
    assert supported(tag) == code
