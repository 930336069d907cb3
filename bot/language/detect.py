"""The language a visitor's message is written in, when the message says.

Most chat messages are short, and many carry no language at all: "ok", "50k", an e-mail address,
a name, "Acme Corp". Those give None, so they never decide or switch the conversation's
language. A message decides only when its letters, once addresses, figures and the chat words
every language borrows ("ok", "thanks", "lol") are set aside, are enough to tell, and are not
only names (every word capitalised: "Kuala Lumpur", "Petronas Berhad"):

- a script only one of our languages uses decides on its own (`bot/language/scripts.py`):
  Han is Chinese, Cyrillic Russian, Arabic script Persian (unless a neighbour's letters show);
- Latin script (English, Bokmål, Malay, and the many languages we do not speak) goes to
  py3langid (langid.py's maintained fork; its naive Bayes model ships in its wheel, nothing is
  downloaded), restricted to our Latin languages, their close kin and common others, whose
  probabilities are added up per language a reply would be in (Nynorsk and Danish to Bokmål,
  Indonesian to Malay, the others to none). It decides when the best of those is clearly ahead.

docs/languages.md has the comparison of detectors behind this choice and the thresholds
(bench/language_detectors.py).
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.language.codes import supported
from bot.language.scripts import (
    ARABIC, CYRILLIC, HAN, HANGUL, KANA, LATIN, letters_by_script, persian_or_unmarked, russian_letters_only,
)

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# Latin-script languages the detector weighs: ours, their kin, and others visitors often write
# (these give None: a language we do not speak decides nothing).
LATIN_CANDIDATES = ("en", "nb", "nn", "da", "ms", "id", "de", "fr", "es", "it", "pt", "nl", "sv", "pl", "tr")
# A Latin message decides with at least this many words and letters of language...
MIN_LATIN_WORDS, MIN_LATIN_LETTERS = 2, 7
# ...and when its language's confidence (summed over the codes read as it) is at least this.
MIN_CONFIDENCE = 0.45
# Letters a non-Latin script needs: "да", "بله" say too little; "привет", "你好" do.
MIN_LETTERS = {CYRILLIC: 4, ARABIC: 4, HAN: 2}
HAN_WEIGHT = 3  # a Han character carries about a word

_NOT_WORDS = re.compile(
    r"\S+@\S+"  # e-mail addresses
    r"|(?:https?://|www\.)\S+|\S+\.(?:com|net|org|io|no|my|ru|ir|cn)\b\S*"  # links
    r"|[\w.,:/+$€£¥₽%-]*?\d[A-Za-z0-9.,:/+$€£¥₽%-]*"  # figures: 50k, RM50, Q3, +47 912 34 567, 2026-03-01
    r"|[@#]\w+",  # handles and tags
    re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Chat words every language borrows: they tell nothing about the visitor's language.
_INTERNATIONAL = frozenset(
    "ok okay okey k kk oke thanks thank thx ty tq lol haha hehe hi hey hai hei bye pls plz please yes no yeah yep "
    "nope sorry wow cool super hmm hm mm ah oh uh eh email e mail".split())


def detect(text: str) -> str | None:
    """Our code for the language `text` is written in, or None when it does not tell (too short,
    no language, or a language we do not speak)."""
    words = _NOT_WORDS.sub(" ", text or "")
    counts = letters_by_script(words)
    if counts[KANA] or counts[HANGUL]:
        return None  # Japanese or Korean: not ours
    weighted = {script: n * (HAN_WEIGHT if script == HAN else 1) for script, n in counts.items()}
    if not weighted:
        return None
    script = max(weighted, key=weighted.__getitem__)
    if script == LATIN:
        return _latin(words)
    if counts[script] < MIN_LETTERS.get(script, 1_000_000):
        return None
    if script == HAN:
        return "zh"
    if script == CYRILLIC:
        return "ru" if russian_letters_only(words) else None
    if script == ARABIC:
        return "fa" if persian_or_unmarked(words) else None
    return None


def _latin(text: str) -> str | None:
    words = [w for w in _WORD.findall(text) if w.lower() not in _INTERNATIONAL]
    if len(words) < MIN_LATIN_WORDS or sum(map(len, words)) < MIN_LATIN_LETTERS:
        return None
    if not text.isupper() and all(w[0].isupper() for w in words):
        return None  # "Marta Okafor", "Kuala Lumpur", "Acme Corp": names say nothing of the writer's language
    confidence = latin_confidences(" ".join(words))
    best = max(confidence, key=confidence.__getitem__, default=None)
    if best is None or best == "none" or confidence[best] < MIN_CONFIDENCE:
        return None
    return best


def latin_confidences(text: str) -> dict[str, float]:
    """The detector's probability that `text` is in each of our languages (and "none": the
    others), summed over the codes read as one language."""
    summed: dict[str, float] = defaultdict(float)
    for code, probability in identifier().rank(text):
        summed[supported(code) or "none"] += float(probability)
    return dict(summed)


@lru_cache(maxsize=1)
def identifier() -> LanguageIdentifier:
    """The detector, built once per process (about 1.7 s; the action server builds it as it
    starts: actions/language.py). Only the candidates' columns of the model are kept: 65 MB in
    the action server instead of about 85 (bench/README.md)."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    full = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE)
    wanted = {"no" if code == "nb" else code for code in LATIN_CANDIDATES}  # its Bokmål is "no"
    columns = [i for i, code in enumerate(full.nb_classes) if code in wanted]
    return LanguageIdentifier(np.ascontiguousarray(full.nb_ptc[:, columns]), full.nb_pc[columns],
                              [full.nb_classes[i] for i in columns], full.tk_nextmove, full.tk_output,
                              norm_probs=True, tk_row=full.tk_row)
