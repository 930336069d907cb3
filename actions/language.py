"""The conversation's language as Rasa slots, set by the understanding action before the bot's
first reply to each message (so the very first reply can be in the visitor's language).

`language` holds our code (read by the responses' renderer, rasa_addons/localized_nlg.py, and
stored on the lead); `language_source` how it was chosen, which decides whether a later message
may still change it (bot/language/choice.py). The widget reports the page's language as the
message's `page_language` metadata and the browser's as `language` (webchat/static/widget.js):
the page's first.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.slots import LANGUAGE, latest_text
from bot.language.choice import SOURCES, LanguageChoice, choose_language
from bot.language.codes import supported
from bot.language.detect import identifier
from bot.source import LANGUAGE as METADATA_LANGUAGE

LANGUAGE_SOURCE = "language_source"
PAGE_LANGUAGE = "page_language"  # the widget's metadata key for the page's <html lang>


def current_language(tracker: Tracker) -> LanguageChoice | None:
    """The conversation's language so far (None before the first message)."""
    code, source = supported(tracker.get_slot(LANGUAGE)), tracker.get_slot(LANGUAGE_SOURCE)
    if code is None:
        return None
    return LanguageChoice(code, source if source in SOURCES else "message")  # set by hand: keep it


def language_events(tracker: Tracker, unread: Sequence[dict[str, Any]] = ()) -> list[EventType]:
    """The slot events for the language after the `unread` messages (`user` events sent while
    the action server was down, actions/unread.py) and the latest one ([] when it stays)."""
    current = chosen = current_language(tracker)
    for text, metadata in [*((m.get("text"), m.get("metadata")) for m in unread),
                           (latest_text(tracker), (tracker.latest_message or {}).get("metadata"))]:
        chosen = choose_language(chosen, text, _page_language(metadata))
    if chosen is None or chosen == current and tracker.get_slot(LANGUAGE) == chosen.code:
        return []
    return [SlotSet(LANGUAGE, chosen.code), SlotSet(LANGUAGE_SOURCE, chosen.source)]


def _page_language(metadata: Any) -> str | None:
    """The page's language tag the widget reported, else the browser's, when one of ours."""
    if not isinstance(metadata, dict):
        return None
    tags = (metadata.get(PAGE_LANGUAGE), metadata.get(METADATA_LANGUAGE))
    return next((tag for tag in tags if isinstance(tag, str) and supported(tag)), None)


def warm_up() -> None:
    """Load the detector's model (about 1.5 s) before the first visitor waits for it."""
    identifier()
