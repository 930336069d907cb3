"""bot.corrections: "it's X not Y" fixes the stored name or company that holds Y."""
from __future__ import annotations

import pytest

from bot.corrections import replace_named_mistake

STORED = {"name": "Katarina Zielińska", "company": "Zielinska Architects"}


@pytest.mark.parametrize(("text", "changes"), [
    ("oops, it's Katarzyna not Katarina", {"name": "Katarzyna Zielińska"}),
    ("not Katarina but Katarzyna", {"name": "Katarzyna Zielińska"}),
    ("sorry, Zielińska Architekci, not Zielinska Architects", {"company": "Zielińska Architekci"}),
    ("I meant Katja, not katarina", {"name": "Katja Zielińska"}),
    ("whoops it's Katarzyna not Katarina", {"name": "Katarzyna Zielińska"}),  # the shared opener words
])
def test_the_stored_words_said_to_be_wrong_are_replaced(text: str, changes: dict[str, str]) -> None:
    assert replace_named_mistake(text, STORED) == changes


@pytest.mark.parametrize("text", [
    "we want a bot, not a form",  # names nothing stored
    "15k not 50k",                 # numbers are their parsers' business
    "Katarzyna",
    "not sure",
    "",
])
def test_nothing_changes_when_no_stored_mistake_is_named(text: str) -> None:
    assert replace_named_mistake(text, STORED) == {}


@pytest.mark.parametrize(("text", "stored", "expected"), [
    ("ой, Катарина, а не Катерина", {"name": "Катерина Иванова"}, {"name": "Катарина Иванова"}),
    ("не Вектор, а Вектор Плюс", {"company": "ООО Вектор"}, {"company": "ООО Вектор Плюс"}),
    ("beklager, Kari, ikke Karin", {"name": "Karin Nordmann"}, {"name": "Kari Nordmann"}),
    ("maaf, Siti, bukan Sita", {"name": "Sita Aminah"}, {"name": "Siti Aminah"}),
    ("是王伟不是王维", {"name": "王维"}, {"name": "王伟"}),
    ("不是华微，是华为", {"company": "华微"}, {"company": "华为"}),
    ("ببخشید، سارا نه سارینا", {"name": "سارینا احمدی"}, {"name": "سارا احمدی"}),
])
def test_named_mistakes_in_other_languages(text: str, stored: dict, expected: dict) -> None:
    assert replace_named_mistake(text, stored) == expected
