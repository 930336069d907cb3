"""Asking the bot to speak another language, in each of ours; and messages that name a
language without asking for it."""
from __future__ import annotations

import pytest

from bot.language.requests import requested_language


@pytest.mark.parametrize(("text", "language"), [
    # English
    ("can we continue in English?", "en"),
    ("English please", "en"),
    ("English?", "en"),
    ("do you speak Russian?", "ru"),
    ("could you write in Chinese", "zh"),
    ("can we switch to Norwegian", "nb"),
    ("I'd prefer Malay", "ms"),
    ("Farsi please", "fa"),
    ("in Bokmål please", "nb"),
    ("Russian?", "ru"),
    ("norsk", "nb"),
    ("中文", "zh"),
    ("русский", "ru"),
    # Russian
    ("по-русски, пожалуйста", "ru"),
    ("можно на русском?", "ru"),
    ("давайте по-английски", "en"),
    ("вы говорите по-русски?", "ru"),
    ("можно продолжить на английском языке", "en"),
    # Bokmål
    ("på norsk, takk", "nb"),
    ("kan vi snakke norsk?", "nb"),
    ("kan vi fortsette på engelsk", "en"),
    ("snakker du norsk?", "nb"),
    # Persian
    ("لطفا فارسی صحبت کنید", "fa"),
    ("به فارسی لطفا", "fa"),
    ("میشه انگلیسی حرف بزنیم؟", "en"),
    ("فارسی بلدید؟", "fa"),
    # Malay
    ("boleh guna bahasa Melayu?", "ms"),
    ("boleh cakap bahasa melayu tak", "ms"),
    ("sila guna bahasa Inggeris", "en"),
    ("bahasa melayu please", "ms"),
    # Chinese
    ("请说中文", "zh"),
    ("可以用中文吗？", "zh"),
    ("请用英文回复", "en"),
    ("能讲普通话吗", "zh"),
    ("说中文", "zh"),
])
def test_a_request_to_switch(text: str, language: str) -> None:
    assert requested_language(text) == language


@pytest.mark.parametrize("text", [
    "we need the bot in English and Russian",
    "our clients speak Chinese",
    "we are a Chinese restaurant in Oslo",
    "the website is in Norwegian",
    "нам нужен бот на русском и английском",
    "наши клиенты говорят по-китайски",
    "nettsiden vår er på engelsk",
    "我们需要中文和英文的机器人",
    "我们是一家中文学校",
    "مشتری‌های ما فارسی‌زبان هستند",
    "pelanggan kami kebanyakannya berbahasa Cina",
    "we sell English tea",
    "ok", "", "Acme",
    "Norwegian", "Chinese", "Danish kroner",  # answers to "which currency?"
])
def test_naming_a_language_is_no_request(text: str) -> None:
    assert requested_language(text) is None
