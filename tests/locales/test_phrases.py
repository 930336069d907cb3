"""The action server's own phrases (bot/speech.py) in every locale, with the same placeholders,
and the CLDR-backed parts (lists, currency names, meeting times) in each language."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from bot.speech import Phrasebook, language_code, load_phrasebook, phrasebook

SPOKEN = ["ru", "nb", "fa", "ms", "zh"]
PLACEHOLDER = re.compile(r"\{(\w+)\}")
BOOK = phrasebook()


@pytest.mark.parametrize("code", SPOKEN)
def test_every_phrase_is_translated_with_the_same_placeholders(code):
    english, own = BOOK.phrases["en"], BOOK.phrases[code]
    assert sorted(set(english) - set(own)) == [] and sorted(set(own) - set(english)) == []
    for key, text in english.items():
        assert sorted(PLACEHOLDER.findall(own[key])) == sorted(PLACEHOLDER.findall(text)), key
        assert own[key] != text, f"{key} is still English"
        # a phrase that leads into the next one keeps its trailing space (none in Chinese)
        if code != "zh":
            assert own[key].endswith(" ") == text.endswith(" "), key
            assert own[key].startswith(" ") == text.startswith(" "), key


@pytest.mark.parametrize(("value", "code"), [
    (None, "en"), ("", "en"), ("ru", "ru"), ("ru-RU", "ru"), ("no", "nb"), ("nb_NO", "nb"), ("nn", "nb"),
    ("zh-Hans-CN", "zh"), ("FA", "fa"), (3, "en"),
])
def test_language_codes(value, code):
    assert language_code(value) == code


def test_a_missing_phrase_is_said_in_english(tmp_path: Path):
    (tmp_path / "en.yml").write_text("phrases:\n  a: 'Hello {name}'\n  b: 'Bye'\n", encoding="utf-8")
    (tmp_path / "ms.yml").write_text("phrases:\n  a: 'Hai {name}'\n", encoding="utf-8")
    book = load_phrasebook(tmp_path)
    assert book.say("a", "ms", name="Ana") == "Hai Ana"
    assert book.say("b", "ms") == "Bye"
    assert book.say("a", "ru", name="Ana") == "Hello Ana"  # no locale file: English
    assert book.say("a", "de", name="Ana") == "Hello Ana"  # no locale: English


def test_english_phrasebook_is_required(tmp_path: Path):
    (tmp_path / "xx.yml").write_text("phrases:\n  a: 'Salut'\n", encoding="utf-8")
    with pytest.raises(ValueError, match="English"):
        load_phrasebook(tmp_path)


MONDAY = datetime(2026, 12, 7, 14, 0)


@pytest.mark.parametrize(("code", "listed", "either", "sek", "when"), [
    ("en", "A, B and C", "A or B", "Swedish kronor", "Mon 7 Dec, 14:00"),
    ("ru", "A, B и C", "A или B", "шведские кроны", "пн, 7 дек. 14:00"),
    ("nb", "A, B og C", "A eller B", "svenske kroner", "man. 7. des. 14:00"),
    ("fa", "A،\u200f B، و C", "A یا B", "کرون سوئد", "دوشنبه ۷ دسامبر ۱۴:۰۰"),
    ("ms", "A, B dan C", "A atau B", "Krona Sweden", "Isn, 7 Dis 14:00"),
    ("zh", "A、B和C", "A或B", "瑞典克朗", "12月7日周一 14:00"),
    ("de", "A, B and C", "A or B", "Swedish kronor", "Mon 7 Dec, 14:00"),  # not spoken: English
])
def test_lists_currencies_and_times_in_each_language(code, listed, either, sek, when):
    assert BOOK.join(["A", "B", "C"], code) == listed
    assert BOOK.join(["A", "B"], code, either=True) == either
    assert BOOK.join(["A"], code) == "A"
    assert BOOK.currency_name("SEK", code) == sek
    assert BOOK.when(MONDAY, code) == when


def test_phrasebook_type():
    assert isinstance(BOOK, Phrasebook) and set(BOOK.languages) >= {"en", *SPOKEN}


@pytest.mark.parametrize(("code", "written"), [("en", "12"), ("fa", "۱۲"), ("zh", "12"), ("ru", "12")])
def test_counts_in_the_languages_digits(code, written):
    assert BOOK.number(12, code) == written
