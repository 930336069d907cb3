"""The languages the bot speaks, by their ISO 639-1 codes, and how a language tag maps to one.

One code per language everywhere (the `language` slot, the store, the export, settings and file
names). A language we do not speak but whose readers read one we do counts as that one: Nynorsk
and Danish are read as Bokmål ("no" is Norwegian), Indonesian as Malay (docs/languages.md).
"""
from __future__ import annotations

BASE = "en"
SUPPORTED: tuple[str, ...] = ("en", "ru", "nb", "fa", "ms", "zh")
NAMES = {"en": "English", "ru": "Russian", "nb": "Norwegian (Bokmål)", "fa": "Persian", "ms": "Malay",
         "zh": "Chinese"}

# Codes (ISO 639-1 and the 639-3 some systems report) of languages read as one we speak.
READS_AS = {"no": "nb", "nob": "nb", "nn": "nb", "nno": "nb", "da": "nb", "dan": "nb", "id": "ms", "ind": "ms",
            "msa": "ms", "zsm": "ms", "zho": "zh", "cmn": "zh", "rus": "ru", "fas": "fa", "pes": "fa", "eng": "en"}


def supported(code: str | None) -> str | None:
    """Our code for a language code or BCP 47 tag ("nb-NO", "no", "zh-Hans-CN", "id"), or None
    when it is none of ours ("de-AT")."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    primary = READS_AS.get(primary, primary)
    return primary if primary in SUPPORTED else None
