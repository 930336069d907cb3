"""settings/content.yml in each language: the shipped file translates every part, and a site's
file that translates only some of it says the rest in English (bot/content.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.content import load_content
from bot.settings import SettingsError

SPOKEN = ["ru", "nb", "fa", "ms", "zh"]
SHIPPED = load_content()
PLACEHOLDER = re.compile(r"\{(\w+)\}")


@pytest.mark.parametrize("code", SPOKEN)
def test_the_shipped_content_is_translated_whole(code):
    own, english = SHIPPED.languages[code], SHIPPED
    assert own.default_pitch and set(own.needs) == set(english.needs)
    assert all(category.pitch and category.keywords for category in own.needs.values())
    assert [r.url for r in own.resources] == [r.url for r in english.resources]
    assert set(own.handoff) == set(english.handoff.model_dump())
    for key, text in own.handoff.items():
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(getattr(english.handoff, key))), key
    for section in ("integrations", "competitors", "small_talk"):
        mine, theirs = getattr(own, section), getattr(english, section)
        assert mine.general != theirs.general and len(mine.named) == len(theirs.named), section
    spoken = SHIPPED.in_language(code)
    assert spoken.language == code and spoken.pitch_for("lead_capture") == own.needs["lead_capture"].pitch
    booking = spoken.booking_sentence()
    assert booking.endswith(SHIPPED.booking_link) and booking != SHIPPED.booking_sentence()


@pytest.mark.parametrize(("code", "question", "answer"), [
    ("ru", "Как тебя зовут?", "Я ассистент leadbot."),
    ("ru", "А с Битрикс24 работаете?", "Готового коннектора"),
    ("nb", "Hva heter du?", "Jeg er leadbot-assistenten."),
    ("fa", "اسمت چیه؟", "من دستیار leadbot هستم."),
    ("ms", "Siapa nama awak?", "Saya pembantu leadbot."),
    ("zh", "你叫什么名字？", "我是 leadbot 助手。"),  # written without spaces: found inside the sentence
    ("zh", "能和企业微信对接吗", "这个系统目前还没有内置连接器"),
    ("zh", "你们和HubSpot怎么集成", "HubSpot："),  # a brand name glued to Chinese words
])
def test_questions_are_answered_in_the_language(code, question, answer):
    content = SHIPPED.in_language(code)
    said = " ".join([content.small_talk.for_text(question), content.integrations.for_text(question)])
    assert answer in said


def test_need_keywords_of_every_language_file_a_need():
    keywords = SHIPPED.need_keywords()
    assert "запись" in keywords["appointment_booking"] and "线索" in keywords["lead_capture"]
    assert keywords["appointment_booking"][:3] == SHIPPED.needs["appointment_booking"].keywords[:3]  # English first


def test_what_a_site_has_not_translated_is_english(tmp_path: Path):
    (tmp_path / "content.yml").write_text(
        "needs:\n"
        "  support:\n    keywords: [help desk]\n    pitch: We answer.\n"
        "  sales:\n    keywords: [pipeline]\n    pitch: We sell.\n"
        "resources:\n  - {title: Guide, url: 'https://example.com/g'}\n"
        "languages:\n"
        "  ru:\n"
        "    needs:\n      support:\n        pitch: Мы отвечаем.\n        keywords: [поддержка]\n"
        "    handoff:\n      in_hours: менеджер ответит здесь.\n",
        encoding="utf-8")
    content = load_content(tmp_path)
    russian = content.in_language("ru")
    assert russian.pitch_for("support") == "Мы отвечаем." and russian.pitch_for("sales") == "We sell."
    assert russian.handoff.in_hours == "менеджер ответит здесь."
    assert russian.handoff.after_hours_with_email == content.handoff.after_hours_with_email
    assert russian.resources_text() == "Guide: https://example.com/g"
    assert russian.integrations == content.integrations
    assert content.in_language("de").pitch_for("support") == "We answer."  # no such language: English
    assert content.in_language(None) is content
    assert content.need_keywords() == {"support": ["help desk", "поддержка"], "sales": ["pipeline"]}


@pytest.mark.parametrize(("section", "message"), [
    ("  russian:\n    default_pitch: x\n", "ISO 639-1"),
    ("  ru:\n    needs:\n      nothing:\n        pitch: x\n", "no such need category"),
    ("  ru:\n    handoff:\n      after_hours_with_email: 'мы напишем вам'\n", "{email}"),
    ("  ru:\n    pitches: x\n", "pitches"),
])
def test_a_translation_that_cannot_work_stops_the_start(tmp_path: Path, section, message):
    (tmp_path / "content.yml").write_text("needs:\n  support:\n    keywords: [help]\n" "languages:\n" + section,
                                          encoding="utf-8")
    with pytest.raises(SettingsError, match=re.escape(message)):
        load_content(tmp_path)
