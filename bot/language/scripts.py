"""Which writing system a message's letters are in, and the letters that tell languages apart.

Of the scripts our languages use, only Latin is shared (English, Bokmål, Malay); the others
name the language on their own once the letters that only a neighbour uses are ruled out:
Cyrillic is Russian unless it has Ukrainian, Belarusian or Serbian letters; Arabic script is
Persian unless it has letters only Arabic writes (ة, أ, إ) and none of Persian's own (پ چ ژ گ ی ک;
Arabic's ي and ك are no sign, an Arabic keyboard types them for Persian too);
Han is Chinese unless there is kana (Japanese) or hangul (Korean).
"""
from __future__ import annotations

import unicodedata
from collections import Counter

LATIN, CYRILLIC, ARABIC, HAN, KANA, HANGUL = "latin", "cyrillic", "arabic", "han", "kana", "hangul"

_NOT_RUSSIAN = frozenset("іїєґўђјљњћџѓќѕІЇЄҐЎЂЈЉЊЋЏЃЌЅ")
_PERSIAN_ONLY = frozenset("پچژگیک")  # ی U+06CC and ک U+06A9, not Arabic's ي U+064A and ك U+0643
_ARABIC_ONLY = frozenset("ةأإ")


def script_of(char: str) -> str | None:
    """The script of one letter (None for digits, punctuation, emoji and scripts we do not use)."""
    if not char.isalpha():
        return None
    code = ord(char)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF:
        return KANA
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return HANGUL
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FA1F:
        return HAN
    name = unicodedata.name(char, "")
    for script, prefix in ((LATIN, "LATIN"), (CYRILLIC, "CYRILLIC"), (ARABIC, "ARABIC")):
        if name.startswith(prefix):
            return script
    return None


def letters_by_script(text: str) -> Counter[str]:
    """How many letters of each script `text` has."""
    return Counter(script for script in map(script_of, text) if script is not None)


def russian_letters_only(text: str) -> bool:
    """Cyrillic with none of the letters only Russian's neighbours write."""
    return not _NOT_RUSSIAN.intersection(text)


def persian_or_unmarked(text: str) -> bool:
    """Arabic script that Persian may have written: Persian letters, or none of Arabic's own."""
    return bool(_PERSIAN_ONLY.intersection(text)) or not _ARABIC_ONLY.intersection(text)
