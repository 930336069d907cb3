"""A Russian name said in another case, back to the form it is written in: "работаю в Ромашке"
-> "Ромашка", "мы из Технопарка" -> "Технопарк", "в Северном ветре" -> "Северный ветер".

Russian puts a company's name in the case its preposition asks for ("в" + prepositional, "из"
+ genitive), and the lead must hold the name as the company writes it.
Why a library: pymorphy3 knows Russian inflection from the OpenCorpora dictionary (shipped in
its wheel, nothing downloaded); hand-written endings get the gender wrong ("Технопарке" is
"Технопарк", "Ромашке" is "Ромашка"). A word its dictionary does not hold (a coined or foreign
name: "МедЛайне", "Бизнесланде", "Вектор Медиа") is kept as said: its guesses by analogy cannot
know the gender either.
"""
from __future__ import annotations

import re
from functools import lru_cache

import pymorphy3

__all__ = ["GENITIVE", "PREPOSITIONAL", "is_place", "nominative"]

PREPOSITIONAL = "loct"  # "в Ромашке"
GENITIVE = "gent"  # "из Ромашки"
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


@lru_cache(maxsize=1)
def _analyzer() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


def nominative(words: str, case: str) -> str:
    """`words` (said in `case`) in the nominative, each word's capitals where they were."""
    return " ".join(_word_nominative(word, case) for word in words.split())


def is_place(words: str, case: str) -> bool:
    """The first word, read in `case`, is a place ("из Москвы", "в Новосибирске"): the
    dictionary marks toponyms (Geox), so a city or country is never taken for a workplace."""
    first = words.split()[0] if words.split() else ""
    if not _CYRILLIC.search(first):
        return False
    parses = [p for p in _analyzer().parse(first) if p.tag.case == case] or _analyzer().parse(first)[:1]
    return bool(parses) and "Geox" in parses[0].tag


def _word_nominative(word: str, case: str) -> str:
    if not _CYRILLIC.search(word):
        return word
    for parse in _analyzer().parse(word):
        if parse.tag.case != case or not parse.is_known:
            continue  # a guess may take the gender wrong ("Бизнесланде" is not "Бизнесланда")
        form = parse.inflect({"nomn"})
        return _capitals_like(word, form.word) if form is not None else word
    return word


def _capitals_like(said: str, form: str) -> str:
    """`form` with the capitals of `said` ("МедЛайне" -> "МедЛайн", "ООО" stays upper)."""
    if said.isupper() and len(said) > 1:
        return form.upper()
    return "".join(c.upper() if i < len(said) and said[i].isupper() else c for i, c in enumerate(form))
