"""Where a lead came from: the page and campaign the website widget reports with each message.

The widget sends `page_url`, `referrer` and the `utm_*` parameters as message metadata
(docs/widget.md). The lead keeps the first value of each (the landing page and the
campaign that brought the visitor: first touch) and the page of the latest message as
`last_page_url`. Anything else in the metadata (Rasa adds its own keys) is ignored, and
values are cut to a sane length, so a page cannot stuff the store.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

URL_KEYS = ("page_url", "referrer")
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
SOURCE_KEYS = URL_KEYS + UTM_KEYS
MAX_VALUE_CHARS = 2000


def _clean(key: str, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()[:MAX_VALUE_CHARS]
    if not value:
        return None
    if key in URL_KEYS and not value.startswith(("https://", "http://")):
        return None  # not a web page (file://, javascript:, junk): not a source
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
