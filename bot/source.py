"""Where a lead came from: the page and campaign the visitor's chat widget reports with each message.

Our widget sends `page_url`, `referrer`, the `utm_*` parameters, the browser's `language`
and `time_zone` as message metadata; rasa-webchat sends what the site puts in its
`customData`, which the socket.io channel reads as metadata too (docs/widget.md). The lead
keeps the first value of each (the landing page and the campaign that brought the visitor:
first touch) and the page of the latest message as `last_page_url`. A chat the visitor opened
from a proactive teaser names its trigger (`proactive_trigger`, `bot/proactive.py`), so the
lead shows what opened the conversation. Anything else in the
metadata (Rasa adds its own keys) is ignored, and values are checked and cut to a sane
length, so a page cannot stuff the store: a language is a BCP 47 tag ("en", "pt-BR"), a
time zone an IANA name ("Europe/Berlin").
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any
from zoneinfo import available_timezones

from bot.proactive import NAME as TRIGGER_NAME
from bot.proactive import TRIGGER_KEY

URL_KEYS = ("page_url", "referrer")
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
LANGUAGE, TIME_ZONE = "language", "time_zone"
SOURCE_KEYS = URL_KEYS + UTM_KEYS + (LANGUAGE, TIME_ZONE, TRIGGER_KEY)
MAX_VALUE_CHARS = 2000
# A BCP 47 language tag as browsers report it (navigator.language): "en", "en-US", "zh-Hant-TW".
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}")


@lru_cache(maxsize=1)
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _clean(key: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()[:MAX_VALUE_CHARS]
    if not value:
        return None
    if key in URL_KEYS and not value.startswith(("https://", "http://")):
        return None  # not a web page (file://, javascript:, junk): not a source
    if key == LANGUAGE and not LANGUAGE_TAG.fullmatch(value):
        return None
    if key == TIME_ZONE and value not in _time_zones():
        return None
    if key == TRIGGER_KEY and not TRIGGER_NAME.fullmatch(value):
        return None
    return value


def lead_source(metadata_per_message: Iterable[Mapping[str, Any] | None]) -> dict[str, str]:
    """The lead's `source` from each user message's metadata, oldest first."""
    source: dict[str, str] = {}
    last_page: str | None = None
    for metadata in metadata_per_message:
        if not isinstance(metadata, Mapping):
            continue
        for key in SOURCE_KEYS:
            value = _clean(key, metadata.get(key))
            if value is not None:
                source.setdefault(key, value)
                if key == "page_url":
                    last_page = value
    if last_page is not None and last_page != source.get("page_url"):
        source["last_page_url"] = last_page
    return source
