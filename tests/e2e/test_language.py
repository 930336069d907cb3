"""The conversation's language against the running bot: set before the first reply, from the
page's language or the visitor's first words, sticky, switched on request (docs/languages.md).

What the replies say in each language is the locales' (tests/locales); here a reply's script is
enough to tell which language it was rendered in.
"""
from __future__ import annotations

import re

import pytest
import requests

pytestmark = pytest.mark.rasa

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
HAN = re.compile(r"[\u4e00-\u9fff]")
PERSIAN = re.compile(r"[\u0600-\u06ff]")


def say(bot, sender: str, text: str, language: str | None = None) -> str:
    """One message as the widget sends it (the page's language as metadata, when given); the
    bot's replies joined."""
    body = {"sender": sender, "message": text, **({"metadata": {"language": language}} if language else {})}
    r = requests.post(f"{bot.rasa_url}/webhooks/rest/webhook", json=body, timeout=30)
    r.raise_for_status()
    return "\n".join(reply.get("text", "") for reply in r.json())


def slots(bot, sender: str) -> dict:
    r = requests.get(f"{bot.rasa_url}/conversations/{sender}/tracker", params={"token": bot.auth_token}, timeout=10)
    r.raise_for_status()
    return r.json()["slots"]


def language(bot, sender: str) -> tuple[str | None, str | None]:
    found = slots(bot, sender)
    return found.get("language"), found.get("language_source")


def test_the_first_reply_is_in_the_language_of_the_first_message(bot, sender):
    reply = say(bot, sender, "здравствуйте, нам нужен чат-бот для сайта")
    assert language(bot, sender) == ("ru", "message")
    assert CYRILLIC.search(reply), reply


def test_a_greeting_is_answered_in_the_pages_language(bot, sender):
    reply = say(bot, sender, "hi", language="zh-CN")
    assert language(bot, sender) == ("zh", "page")
    assert HAN.search(reply), reply


def test_english_when_nothing_tells(bot, sender):
    reply = say(bot, sender, "hi", language="de-DE")  # a page in a language we do not speak
    assert language(bot, sender) == ("en", "default")
    assert not CYRILLIC.search(reply) and not HAN.search(reply)


def test_the_visitors_words_outrank_the_page(bot, sender):
    say(bot, sender, "hi", language="en-US")
    reply = say(bot, sender, "سلام، برای سایتمون یک چت‌بات می‌خواهیم", language="en-US")
    assert language(bot, sender) == ("fa", "message")
    assert PERSIAN.search(reply), reply


def test_short_messages_and_names_never_switch(bot, sender):
    say(bot, sender, "hei, vi trenger en chatbot til nettsiden vår")
    assert language(bot, sender) == ("nb", "message")
    for text in ("ok", "50k", "Acme Corp", "lang-switch-nb@example.com"):
        say(bot, sender, text)
        assert language(bot, sender) == ("nb", "message"), text


def test_switched_on_request_and_the_request_is_no_answer(bot, sender):
    first = say(bot, sender, "здравствуйте, нам нужен чат-бот для сайта")
    reply = say(bot, sender, "can we continue in English?")
    assert language(bot, sender) == ("en", "request")
    assert not CYRILLIC.search(reply), reply
    assert reply.strip() == "When would you like to have a solution in place?", \
        "the pending question again, in English, with no hint" + first
    found = slots(bot, sender)
    assert "English" not in str(found.get("timeline")) + str(found.get("name")) + str(found.get("company"))
    say(bot, sender, "в следующем квартале")  # sticky again: a Russian answer is still answered in English
    assert language(bot, sender) == ("en", "request")


@pytest.mark.parametrize(("request_text", "code", "script"), [
    ("по-русски, пожалуйста", "ru", CYRILLIC), ("请说中文", "zh", HAN), ("لطفا فارسی صحبت کنید", "fa", PERSIAN)])
def test_asked_mid_way_the_question_comes_again_in_that_language(bot, sender, request_text, code, script):
    say(bot, sender, "hi, we need a chatbot for lead capture on our website")
    reply = say(bot, sender, request_text)
    assert language(bot, sender) == (code, "request")
    assert script.search(reply) and len([line for line in reply.splitlines() if line.strip()]) == 1, reply
    assert slots(bot, sender)["answer_attempts"] in (None, {}), "a request is no unclear answer"
