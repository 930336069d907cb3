"""Clean chat text before parsing: one canonical form for every parser.

Visitors paste from e-mail clients, web forms and phones, so the same "25k" can arrive as
full-width "２５ｋ", wrapped in `<b>` tags, split by a zero-width space or padded with
non-breaking spaces. Parsers should not each cope with that; they call `clean_text` once.

Every pattern here is linear-time (no nested quantifiers, no backtracking over unbounded
spans), so a 100,000-character paste costs milliseconds, not a hung worker.
"""
from __future__ import annotations

import html
import re
import unicodedata

from bot.parsing.scripts import ZWNJ, keeps_zwnj, normalise_scripts

__all__ = ["clean_text", "strip_emoji"]

# Elements whose content is code, not words: dropped together with their content.
_HIDDEN_ELEMENTS = ("script", "style")
# A tag: "<" then a letter, "/" or "!" (so "budget <5k" and "a < b" are left alone), up to
# the next ">" without crossing another "<" (bounded, so a stray "<" cannot cost O(n^2)).
# A tag name is letters/digits/":"/"-" only, so "<sam@acme.io>" (an address) is kept.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]{0,30}(?:\s[^<>]{0,2000})?/?>|<![^<>]{0,2000}>")
_WHITESPACE = re.compile(r"\s+")
_ZWJ = "\u200d"


def clean_text(text: str) -> str:
    """NFKC-normalise, drop HTML markup and invisible characters, collapse whitespace.

    Keeps emoji and letters of every script: they are the visitor's words. NFKC folds
    full-width digits and letters ("２５ｋ" -> "25k"), non-breaking and thin spaces, and
    ligatures, so downstream regexes only need to know ASCII digits; digits of other scripts
    and Arabic-keyboard Persian are folded by `bot.parsing.scripts.normalise_scripts`.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _drop_hidden_elements(text)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    # Unescaping can produce new compatibility characters (&#xFF12; is a full-width 2).
    text = unicodedata.normalize("NFKC", text)
    text = normalise_scripts(_drop_invisible(text))
    return _WHITESPACE.sub(" ", text).strip()


def _drop_hidden_elements(text: str) -> str:
    """Remove <script>/<style> elements with their content, scanning once with str.find.

    A regex like `<script.*?</script>` rescans to the end for every unclosed opener, which
    is quadratic on hostile input; this walk never looks at a character twice. An element
    that is never closed hides everything after it, as a browser would.
    """
    lower = text.lower()
    if "<script" not in lower and "<style" not in lower:
        return text
    out: list[str] = []
    pos = 0
    # Next known position of each opener; refreshed only once `pos` has passed it, so a
    # missing "<style" is searched for once, not once per "<script".
    nxt = {name: lower.find("<" + name) for name in _HIDDEN_ELEMENTS}
    while True:
        for name, at in nxt.items():
            if 0 <= at < pos:
                nxt[name] = lower.find("<" + name, pos)
        opens = [(at, name) for name, at in nxt.items() if at >= 0]
        if not opens:
            out.append(text[pos:])
            break
        start, name = min(opens)
        after = start + 1 + len(name)
        if after < len(lower) and (lower[after].isalnum() or lower[after] in "-_"):
            # "<scripts>" or "<style-guide>" is not the element; keep it and move on.
            out.append(text[pos:after])
            pos = after
            continue
        out.append(text[pos:start])
        close = lower.find("</" + name, after)
        if close < 0:
            break
        end = lower.find(">", close)
        pos = len(text) if end < 0 else end + 1
        out.append(" ")
    return "".join(out)


def _drop_invisible(text: str) -> str:
    """Remove control and format characters (zero-width spaces, BOM, bidi marks, soft hyphens).

    Tabs and newlines become spaces (they separate words). A zero-width joiner is kept only
    between two symbols, where it glues an emoji sequence such as a family or a profession,
    and a zero-width non-joiner only between two letters, where it spells a Persian word.
    """
    out: list[str] = []
    for i, ch in enumerate(text):
        cat = unicodedata.category(ch)
        if cat == "Cc":
            out.append(" " if ch.isspace() else "")
        elif cat == "Cf":
            if ch == _ZWJ and _is_pictographic_neighbour(text, i) or ch == ZWNJ and keeps_zwnj(text, i):
                out.append(ch)
        elif cat in ("Co", "Cs", "Cn") and not _is_emoji(ch):
            continue
        else:
            out.append(ch)
    return "".join(out)


def _is_pictographic_neighbour(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return bool(before and after) and _is_emoji_part(before) and _is_emoji_part(after)


def _is_emoji(ch: str) -> bool:
    """True for pictographs and emoji (not for letters, digits or currency signs)."""
    cp = ord(ch)
    return (
        0x1F000 <= cp <= 0x1FAFF  # emoticons, pictographs, transport, flags, symbols & pictographs ext.
        or 0x2600 <= cp <= 0x27BF  # misc symbols, dingbats
        or 0x2300 <= cp <= 0x23FF  # misc technical (watch, hourglass, alarm clock)
        or 0x2B00 <= cp <= 0x2BFF  # arrows and stars used as emoji
        or 0x2190 <= cp <= 0x21FF  # arrows
        or cp in (0x3030, 0x303D, 0x3297, 0x3299, 0x2122, 0x2139, 0x24C2, 0x203C, 0x2049)
    )


def _is_emoji_part(ch: str) -> bool:
    """Emoji or a character that only ever modifies one (variation selector, tag, keycap)."""
    cp = ord(ch)
    return (
        _is_emoji(ch)
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors
        or 0xE0020 <= cp <= 0xE007F  # tag characters (subdivision flags)
        or cp == 0x20E3  # combining enclosing keycap
    )


def strip_emoji(text: str) -> str:
    """Remove emoji, pictographs, joiners and variation selectors, then tidy the spacing.

    Meant for names and company names ("Sam 👋" -> "Sam"): emoji are decoration there, not
    part of what we store or greet people with.
    """
    kept = "".join(ch for ch in text if not (_is_emoji_part(ch) or ch == _ZWJ))
    return _WHITESPACE.sub(" ", kept).strip()
