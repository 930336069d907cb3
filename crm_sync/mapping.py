"""Field mapping from config: export-contract fields (dotted paths) to a CRM's properties.

Besides the export's own fields (`email`, `company`, `need.text`, `budget.max`,
`authority.role`, `timeline.target_date`, `score`, ...), `first_name` and `last_name`
split the visitor's name, as CRMs keep them apart. Empty values are left out, so that a
CRM keeps what a rep typed there rather than being blanked by a field we do not know.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.settings import SettingsError
from bot.store.export import CSV_COLUMNS

_NESTED = ("need", "budget", "authority", "timeline", "deal", "consent", "assignment")


def _dotted(column: str) -> str:
    head, _, rest = column.partition("_")
    return f"{head}.{rest}" if head in _NESTED and rest else column


# Every field a mapping may name: the export contract's (its CSV columns, dotted), and the name split.
FIELDS = frozenset({_dotted(c) for c in CSV_COLUMNS} | {"deal.stage", "first_name", "last_name"})


def known_fields(mapping: dict[str, str]) -> dict[str, str]:
    """A field mapping whose every key is an export field: a typo fails at start-up, with
    the names it could have meant, instead of leaving a CRM property empty forever."""
    unknown = sorted(set(mapping) - FIELDS)
    if unknown:
        raise ValueError(f"unknown export field(s) {unknown}; known: {', '.join(sorted(FIELDS))}")
    return mapping


def check_stages(stages: Mapping[str, Any], section: str, pipeline_stages: Iterable[str], *,
                 complete: bool = False) -> None:
    """Stage maps name leadbot stages (settings/pipeline.yml); `complete` when the CRM
    refuses a deal without a stage, so every leadbot stage needs one."""
    keys = list(pipeline_stages)
    unknown = sorted(set(stages) - set(keys))
    if unknown:
        raise SettingsError(f"crm.yml: {section}: {unknown} are not stages of settings/pipeline.yml {keys}")
    missing = [k for k in keys if k not in stages] if complete else []
    if missing:
        raise SettingsError(f"crm.yml: {section}: no CRM stage for leadbot stage(s) {missing}")


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


def transcript_text(event: dict[str, Any]) -> str:
    """The conversation as a note's text: one `sender: text` line per message."""
    return "\n".join(f"{line['sender']}: {line['text']}" for line in event.get("transcript") or [])
