"""Text as the intent classifier reads it: Persian written one way, Chinese words split for word n-grams.

Why: Persian is typed with Arabic-script keyboards as often as Persian ones, so one word comes as
"مي‌خواهم", "میخواهم" or "می خواهم", with Arabic ي/ك or Persian ی/ک, and digits in three
scripts; the n-grams of the variants differ unless they are written one way. Chinese has no
spaces, so a word n-gram would be a whole clause: the word analyzer reads each Han character as
a word (a unigram and a bigram of characters are the words of most chat Chinese). Only the
classifier's features see these forms; the message text (the visitor's words as said) is
unchanged. Other scripts pass through untouched, so English features are exactly as before.
"""
from __future__ import annotations

import re

# Arabic letters and digits -> the Persian forms; kashida and short-vowel marks dropped.
_PERSIAN = str.maketrans({
    "\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9",  # ي ى -> ی, ك -> ک
    "\u0629": "\u0647", "\u0623": "\u0627", "\u0625": "\u0627",  # ة -> ه, أ إ -> ا
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    "\u0640": None,  # tatweel
    **{chr(c): None for c in range(0x064B, 0x0653)},  # harakat (fathatan .. sukun, shadda)
})
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")
# ZWNJ (half-space) and the space are both written between a prefix/suffix and its word.
_HALF_SPACE = re.compile(r"[\u200c\u200f\u200e]+")
_HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Persian letters, digits and half-spaces written one way; any other text unchanged."""
    if not text or not _ARABIC_SCRIPT.search(text):
        return text
    return _HALF_SPACE.sub(" ", text.translate(_PERSIAN))


def han_as_words(text: str) -> str:
    """Each Han character set apart by spaces (for the word analyzer only); no Han, unchanged."""
    if not text or not _HAN.search(text):
        return text
    return _SPACES.sub(" ", _HAN.sub(r" \1 ", text)).strip()
