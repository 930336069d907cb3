"""Typos in the words the answer parsers rely on: "nxt monht", "arond 1000", "my self".

Used only as a second reading: when a reply to a question gave no answer as typed, it is read
again with each misspelt key word replaced by the word it is one edit away from (a letter
missing, extra, wrong or two swapped; rapidfuzz's Damerau-Levenshtein). Only words that are
no English word (pyspellchecker's dictionary: "and" is never "end", "weak" never "week") and
not written in capitals ("VND") are touched, and only into the parsers' own vocabulary, so a
name or a company is never "corrected".
"""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein
from spellchecker import SpellChecker

__all__ = ["correct_typos", "join_split_words"]

VOCABULARY = (
    # time
    "january february march april june july august september october november december "
    "next month months week weeks year years quarter quarters day days soon asap immediately "
    "end beginning start middle early late within before until latest about around roughly approximately "
    "maybe probably tomorrow today urgent urgently summer spring autumn winter "
    # money
    "budget thousand million hundred dollars euros pounds rupees monthly yearly annually annual per "
    "month max maximum minimum least most between spend spending afford "
    # authority
    "myself decide decides decision decisions director manager owner founder partner partners boss "
    "together committee board approve approves approval final "
    # need
    "website leads visitors customers booking appointments chatbot support qualify qualification "
    "enquiries inquiries questions sales marketing integration"
).split()
_SPLIT = {"my self": "myself", "a sap": "asap", "e mail": "email", "web site": "website", "next moth": "next month"}
_SPLIT_RE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in _SPLIT) + r")(?!\w)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{3,}")


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    return frozenset(VOCABULARY)


@lru_cache(maxsize=1)
def _english() -> SpellChecker:
    return SpellChecker(language="en")


def _fix(word: str) -> str:
    low = word.lower()
    if low in _known() or len(low) < 3 or word.isupper() or _english().known([low]):
        return word
    match = process.extractOne(low, VOCABULARY, scorer=DamerauLevenshtein.distance, score_cutoff=1)
    if match is None or (len(low) == 3 and len(match[0]) > 4):
        return word
    return match[0]


def join_split_words(text: str) -> str:
    """"my self" -> "myself", "e mail" -> "email": words typed apart that mean one."""
    return _SPLIT_RE.sub(lambda m: _SPLIT[m.group(0).lower()], text)


def correct_typos(text: str) -> str:
    """`text` with misspelt key words restored; the same text when nothing needed it."""
    return _WORD.sub(lambda m: _fix(m.group(0)), join_split_words(text))
