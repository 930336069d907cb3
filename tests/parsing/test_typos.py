"""bot.parsing.typos: key words restored, names and companies left alone."""
from __future__ import annotations

import pytest

from bot.parsing.typos import correct_typos, join_split_words


@pytest.mark.parametrize(("typed", "restored"), [
    ("nxt month", "next month"),
    ("in 3 wekks", "in 3 weeks"),
    ("by mrch", "by march"),
    ("arond 1000 usd per monht", "around 1000 usd per month"),
    ("aproximately 5k", "approximately 5k"),
    ("my bos decides", "my boss decides"),
    ("i decied", "i decide"),
    ("befor summer", "before summer"),
])
def test_key_words_one_edit_away_are_restored(typed: str, restored: str) -> None:
    assert correct_typos(typed) == restored


@pytest.mark.parametrize("text", ["Ahmed Raza", "Raza Traders", "Summit", "Kyle Brandt", "Okoye", "zxqv", "42",
                                  "between 10 and 15k", "50 million VND", "a weak month", "by mouth"])
def test_other_words_are_left_as_typed(text: str) -> None:
    assert correct_typos(text) == text


@pytest.mark.parametrize(("typed", "joined"), [("my self", "myself"), ("E mail me", "email me"), ("a sap", "asap")])
def test_words_typed_apart_are_joined(typed: str, joined: str) -> None:
    assert join_split_words(typed) == joined
