"""One spelling per letter and digit, whatever keyboard typed it: the script normalisation
every parser gets through `bot.parsing.text.clean_text`.

- Digits of every script become ASCII ("۵۰" Persian, "٥٠" Arabic-Indic, "५०" Devanagari ->
  "50"), so the parsers' regexes and number readers only know 0-9. The Arabic decimal and
  thousands separators ("٫", "٬") become "." and ",".
- Persian written on an Arabic keyboard: ي / ى -> ی and ك -> ک (the same letters to a
  reader; Persian phones and Windows layouts differ), when the message is Persian: it has a
  letter only Persian uses (پ چ ژ گ ی ک), a Persian digit, a ZWNJ or a word only Persian uses
  ("است", "را", "كه"). Arabic stays Arabic:
  "800 ريال" is a riyal of one of several countries, "800 ریال" the Iranian rial. The
  kashida "ـ" (stretching, pure decoration) is dropped.
- The zero-width non-joiner (ZWNJ, U+200C) is part of Persian spelling ("می‌خواهیم",
  "کتاب‌ها"): kept between two letters, dropped anywhere else. Visitors write the same word
  with a ZWNJ, a space or nothing; patterns read all three through `loose`.

Chinese numerals (三, 十二) are words, not digits: they stay as written.
"""
from __future__ import annotations

import re
import unicodedata

__all__ = ["WORD_END", "WORD_START", "ZWNJ", "keeps_zwnj", "loose", "loose_any", "normalise_scripts", "word_count"]

ZWNJ = "\u200c"
# Word bounds for patterns that hold Chinese too: a Latin, Cyrillic or Persian word must not go
# on past the match, while Chinese, written without spaces, has no bound ("我不知道").
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD_START = rf"(?<![^\W{_HAN}])"
WORD_END = rf"(?![^\W{_HAN}])"
_HAN_CHAR = re.compile(f"[{_HAN}]")
_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_MARKS = str.maketrans({"٫": ".", "٬": ",", "ـ": None})
_PERSIAN_SIGNS = re.compile(
    "[پچژگیک\u06f0-\u06f9\u200c]"
    # words Persian uses and Arabic does not, as an Arabic keyboard types them
    "|(?<!\\S)(?:است|هستم|هستیم|هست|نيست|را|براي|كه|مي|ها|اين|ميخواهم|ميخوايم)(?!\\S)"
)


def normalise_scripts(text: str) -> str:
    """Fold digits of every script to ASCII and Arabic-keyboard Persian to Persian letters.

    Call after NFKC (full-width forms are folded there). ZWNJs are kept only between two
    letters (see `keeps_zwnj`); `clean_text` drops the others with the other format characters.
    """
    if text.isascii():
        return text
    if _PERSIAN_SIGNS.search(text):
        text = text.translate(_PERSIAN_LETTERS)
    return "".join(_fold_digit(ch) for ch in text.translate(_MARKS))


def _fold_digit(ch: str) -> str:
    if ch.isascii() or not ch.isdecimal():
        return ch
    return str(unicodedata.decimal(ch))


def keeps_zwnj(text: str, i: int) -> bool:
    """The ZWNJ at `i` joins two letters (part of a Persian word's spelling)."""
    return 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()


def loose(phrase: str) -> str:
    """A regex for `phrase` in which a space or ZWNJ may be written as either or left out
    ("می‌خواهم", "می خواهم", "میخواهم"); other characters are matched literally."""
    parts = re.split(r"[\s\u200c]+", phrase.strip())
    return r"[\s\u200c]?".join(re.escape(p) for p in parts)


def loose_any(*phrases: str) -> str:
    """An alternation of `loose` phrases (Persian vocabulary tables: "با هم", "باهم")."""
    return "|".join(loose(p) for p in phrases)


def word_count(text: str) -> int:
    """Words in `text`, counting two Chinese characters as one word (Chinese has no spaces;
    most of its words are two characters long)."""
    han = len(_HAN_CHAR.findall(text))
    return len(_HAN_CHAR.sub(" ", text).split()) + (han + 1) // 2
