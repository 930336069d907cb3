"""The conversation's language: decided once, sticky, changed only when the visitor asks.

Before the visitor has said anything that tells, the reply is in the page's (or browser's)
language the widget reports, when it is one of ours, else in English. The first message that
tells decides (`bot/language/detect.py`), whatever the page said: the visitor's own words are
better evidence than their browser. From then on the language stays, whatever later messages
look like (a quoted phrase, a company name, "ok"), until the visitor asks for another one
(`bot/language/requests.py`).
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.language.codes import BASE, supported
from bot.language.detect import detect
from bot.language.requests import requested_language

# How the language was chosen; only the first two give way to a message that tells.
DEFAULT, PAGE, MESSAGE, REQUEST = "default", "page", "message", "request"
SOURCES = (DEFAULT, PAGE, MESSAGE, REQUEST)


@dataclass(frozen=True)
class LanguageChoice:
    """A conversation's language (our code) and how it was chosen (one of SOURCES)."""

    code: str
    source: str

    @property
    def settled(self) -> bool:
        """Decided by the visitor's words: no longer given way to."""
        return self.source in (MESSAGE, REQUEST)


def choose_language(current: LanguageChoice | None, text: str | None, page_language: str | None) -> LanguageChoice:
    """The language after one more visitor message (`text`, with the page or browser language
    tag its widget reported, if any)."""
    asked = requested_language(text or "")
    if asked:
        return LanguageChoice(asked, REQUEST)
    if current is not None and current.settled:
        return current
    told = detect(text or "")
    if told:
        return LanguageChoice(told, MESSAGE)
    page = supported(page_language)
    if page and (current is None or current.source == DEFAULT):
        return LanguageChoice(page, PAGE)
    return current or LanguageChoice(BASE, DEFAULT)
