"""The language slots the understanding action sets (actions/language.py): from the widget's
metadata, the visitor's words, and messages read late after an outage."""
from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.language import language_events
from tests.actions.conftest import make_tracker


def _with_metadata(text: str, metadata: dict, **slots) -> object:
    tracker = make_tracker(text, slots=slots)
    tracker.latest_message["metadata"] = metadata
    return tracker


def test_the_page_language_first_then_the_browsers() -> None:
    assert language_events(_with_metadata("hi", {"page_language": "nb-NO", "language": "ru-RU"})) == \
        [SlotSet("language", "nb"), SlotSet("language_source", "page")]
    assert language_events(_with_metadata("hi", {"page_language": "de", "language": "ru-RU"})) == \
        [SlotSet("language", "ru"), SlotSet("language_source", "page")]
    assert language_events(_with_metadata("hi", {"page_language": 7, "language": "<b>"})) == \
        [SlotSet("language", "en"), SlotSet("language_source", "default")]


def test_nothing_when_it_stays() -> None:
    tracker = make_tracker("ok", slots={"language": "fa", "language_source": "message"})
    assert language_events(tracker) == []


def test_messages_read_late_count_in_order() -> None:
    """Sent while the action server was down: the first that told decides, as it would have."""
    tracker = make_tracker("Acme Corp")
    unread = [{"event": "user", "text": "hi"}, {"event": "user", "text": "vi trenger en chatbot til nettsiden vår"}]
    assert language_events(tracker, unread) == [SlotSet("language", "nb"), SlotSet("language_source", "message")]
