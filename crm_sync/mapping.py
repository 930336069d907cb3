"""Field mapping from config: export-contract fields (dotted paths) to a CRM's properties.

Besides the export's own fields (`email`, `company`, `need.text`, `budget.max`,
`authority.role`, `timeline.target_date`, `score`, ...), `first_name` and `last_name`
split the visitor's name, as CRMs keep them apart. Empty values are left out, so that a
CRM keeps what a rep typed there rather than being blanked by a field we do not know.
"""
from __future__ import annotations

from typing import Any


def field_value(lead: dict[str, Any], path: str) -> Any:
    first, _, last = (lead.get("name") or "").strip().partition(" ")
    if path == "first_name":
        return first or None
    if path == "last_name":
        return last.strip() or None
    value: Any = lead
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def mapped(lead: dict[str, Any], mapping: dict[str, str], *, as_text: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, prop in mapping.items():
        value = field_value(lead, path)
        if value in (None, ""):
            continue
        out[prop] = str(value) if as_text and not isinstance(value, str) else value
    return out
