"""The sentences the action server composes itself, in the conversation's language.

Most of what the bot says is a domain response, rendered in the visitor's language by the Rasa
server (rasa_addons/localized_nlg.py). What the actions put together themselves (a thank-you
with the visitor's name, the fields a correction changed, a meeting offer with a rep's name and
times) is a phrase: `phrases:` in `locales/<code>.yml`, English in `locales/en.yml`, each with
the same {placeholders} (tests/locales checks it). A phrase a locale lacks is said in English,
as a response is. Lists and currency names come from Babel's CLDR data ("a, b и c", "кроны").
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale
from babel.dates import format_datetime, format_skeleton
from babel.lists import format_list
from babel.numbers import get_currency_name

from bot.language.codes import BASE, supported

__all__ = ["BASE_LANGUAGE", "LOCALES", "Phrasebook", "language_code", "phrasebook"]

BASE_LANGUAGE = BASE
LOCALES = Path(__file__).resolve().parent.parent / "locales"


def language_code(value: object) -> str:
    """The language a `language` slot value names, as we speak it ("zh-CN" -> "zh", "no" ->
    "nb": bot/language/codes.py); none, or one we do not speak -> English."""
    return (supported(value) if isinstance(value, str) else None) or BASE


@dataclass(frozen=True)
class Phrasebook:
    """Every locale's phrases: language code -> phrase key -> text with {placeholders}."""

    phrases: Mapping[str, Mapping[str, str]]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self.phrases))

    def say(self, key: str, language: str | None = None, **values: object) -> str:
        """The phrase `key` in `language` (English when the locale lacks it), filled in."""
        code = language_code(language)
        text = self.phrases.get(code, {}).get(key) or self.phrases[BASE_LANGUAGE][key]
        return text.format(**values)

    def join(self, items: Sequence[str], language: str | None = None, *, either: bool = False) -> str:
        """"a, b and c" (or "a, b or c" when `either`) as the language writes a list."""
        if self._spoken(language) == BASE_LANGUAGE:  # as the bot always wrote it: no serial comma
            word = " or " if either else " and "
            return items[0] if len(items) == 1 else ", ".join(items[:-1]) + word + items[-1]
        return format_list(list(items), style="or" if either else "standard", locale=self._spoken(language))

    def currency_name(self, code: str, language: str | None = None) -> str:
        """"Swedish kronor", "шведские кроны": how the bot names a currency when it asks."""
        return get_currency_name(code, count=2, locale=self._spoken(language))

    def number(self, value: int, language: str | None = None) -> str:
        """A count as the language writes its digits ("2", Persian "۲")."""
        return str(value).translate(_digits(Locale.parse(self._spoken(language))))

    def _spoken(self, language: str | None) -> str:
        """The language's code when we speak it (it has a locale file), else English's."""
        code = language_code(language)
        return code if code in self.phrases else BASE_LANGUAGE

    def when(self, moment: datetime, language: str | None = None) -> str:
        """"Mon 7 Dec, 14:00" in the language's words, order and digits (the moment's own zone)."""
        locale = Locale.parse(self._spoken(language))
        if locale.language == BASE_LANGUAGE:
            return f"{moment:%a} {moment.day} {moment:%b}, {moment:%H:%M}"
        text = f"{format_skeleton('MMMEd', moment, locale=locale)} {format_skeleton('Hm', moment, locale=locale)}"
        return text.translate(_digits(locale))

    def opening(self, moment: datetime, language: str | None = None) -> str:
        """"Monday 23 November, 09:00 (UTC)": when the team is back, in the language's words
        (its phrase `date_long`, a CLDR date pattern) and digits, in the moment's own zone."""
        code = self._spoken(language)
        text = format_datetime(moment, self.say("date_long", code), tzinfo=moment.tzinfo, locale=code)
        return f"{text} ({moment.tzname()})".translate(_digits(Locale.parse(code)))


# The digits of the numbering systems our languages write by default (CLDR names them; Babel
# carries the names, not the digits). Persian's is "arabext".
NATIVE_DIGITS = {"arabext": "۰۱۲۳۴۵۶۷۸۹", "arab": "٠١٢٣٤٥٦٧٨٩"}


def _digits(locale: Locale) -> dict[int, int]:
    """The locale's own digits as a str.translate table (none: Latin digits kept)."""
    return str.maketrans("0123456789", NATIVE_DIGITS.get(locale.default_numbering_system, "0123456789"))


def load_phrasebook(directory: Path = LOCALES) -> Phrasebook:
    """Read `phrases:` from every `<code>.yml` in `directory`; the English ones must exist."""
    phrases: dict[str, dict[str, str]] = {}
    for path in sorted(directory.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        own = document.get("phrases") or {}
        if not isinstance(own, dict) or not all(isinstance(v, str) for v in own.values()):
            raise ValueError(f"{path}: `phrases` must map phrase names to text")
        phrases[path.stem] = own
    if not phrases.get(BASE_LANGUAGE):
        raise ValueError(f"{directory / 'en.yml'}: the English phrases are missing")
    return Phrasebook(phrases)


@lru_cache(maxsize=1)
def phrasebook() -> Phrasebook:
    """The shipped locales, read once per process."""
    return load_phrasebook()
