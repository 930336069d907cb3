"""The export contract: how a stored lead looks to the outside world (JSON and CSV).

This is a stable public format (docs/export-contract.md): CRMs, spreadsheets and the
outbox consume it. Rules that keep consumers simple:
- every key is always present; a missing answer is its object with nulls and status
  "unknown", never an absent key;
- money is a number in the currency the visitor stated (never converted);
- timestamps are ISO-8601 in UTC; dates are YYYY-MM-DD;
- changes are additive only: a new key may appear, an existing one never changes meaning.
"""
from __future__ import annotations

import csv
import json
import re
from datetime import date
from typing import IO, Any

from bot.answers import Authority, Budget, Need, Timeline, months_between
from bot.formats import iso_date, iso_utc, money
from bot.store.schema import Deal, Lead

# CSV: one row per lead, these columns in this order (nested objects flattened with "_").
CSV_COLUMNS: tuple[str, ...] = (
    "id", "name", "email", "company", "status", "score", "grade", "scoring_version",
    "disqualified_by", "stage", "deal_id", "deal_value", "deal_currency", "deal_lost_reason",
    "deal_owner", "deal_closed_at",
    "need_text", "need_level", "need_category", "need_status",
    "budget_min", "budget_max", "budget_currency", "budget_period", "budget_status", "budget_text",
    "authority_level", "authority_role", "authority_text", "authority_status",
    "timeline_months", "timeline_target_date", "timeline_status", "timeline_text",
    "channel", "conversation_id", "conversation_date", "human_requested", "followup_optin",
    "consent_shown_at", "consent_version", "source", "score_breakdown",
    "created_at", "updated_at",
    "assignment_rep_name", "assignment_rep_email", "assignment_rule", "assignment_reason", "assignment_assigned_at",
    "handoff_state", "handoff_at",
    "phone",
    "experiment_key", "experiment_variant",
    "language",
    "authority_role_en",
)

# Columns that hold numbers; a plain number there (negative included) is written as it is.
NUMERIC_COLUMNS = frozenset({"id", "score", "deal_id", "deal_value", "budget_min", "budget_max", "timeline_months"})
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?", re.IGNORECASE)
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets
# (OWASP "CSV Injection"): a company named "=cmd|' /C calc'!A0" would run on opening.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _need(need: Need | None) -> dict[str, Any]:
    if need is None:
        return {"text": None, "level": None, "category": None, "status": "unknown"}
    return {"text": need.text, "level": need.level, "category": need.category, "status": need.status}


def _budget(budget: Budget | None) -> dict[str, Any]:
    if budget is None:
        return {"min": None, "max": None, "currency": None, "period": None, "status": "unknown", "text": None}
    return {
        "min": money(budget.min),
        "max": money(budget.max),
        "currency": budget.currency,
        "period": budget.period,
        "status": budget.status,
        "text": budget.text,
    }


def _authority(authority: Authority | None) -> dict[str, Any]:
    level = (authority.level if authority else None) or "unknown"
    return {
        "level": level,
        "role": authority.role if authority else None,
        "role_en": authority.role_en if authority else None,
        "text": authority.text if authority else None,
        "status": "unknown" if level == "unknown" else "stated",
    }


def _timeline(timeline: Timeline | None, conversation_date: date | None) -> dict[str, Any]:
    if timeline is None:
        return {"months": None, "target_date": None, "status": "unknown", "text": None}
    months = timeline.months
    if timeline.target_date and conversation_date is not None:
        months = months_between(conversation_date, date.fromisoformat(timeline.target_date))
    return {
        "months": months,
        "target_date": timeline.target_date,
        "status": timeline.status,
        "text": timeline.text,
    }


def _deal(deal: Deal | None) -> dict[str, Any]:
    if deal is None:
        return {"id": None, "stage": None, "value": None, "currency": None,
                "lost_reason": None, "owner": None, "closed_at": None}
    return {
        "id": deal.id,
        "stage": deal.stage,
        "value": money(deal.value),
        "currency": deal.currency,
        "lost_reason": deal.lost_reason,
        "owner": deal.owner,
        "closed_at": iso_utc(deal.closed_at),
    }


def _assignment(lead: Lead) -> dict[str, Any]:
    owner = lead.owner
    return {
        "rep_id": lead.owner_rep_id,
        "rep_name": owner.name if owner else None,
        "rep_email": owner.email if owner else None,
        "rule": lead.assignment_rule,
        "reason": lead.assignment_reason,
        "assigned_at": iso_utc(lead.assigned_at),
    }


def lead_to_export(lead: Lead) -> dict[str, Any]:
    """One lead in the export-contract form (a JSON-ready dict)."""
    deal = lead.current_deal()
    return {
        "id": lead.id,
        "name": lead.name,
        "email": lead.email,
        "company": lead.company,
        "phone": lead.phone,
        "status": lead.status,
        "score": lead.score,
        "grade": lead.grade,
        "score_breakdown": [dict(d) for d in lead.score_breakdown or []],
        "scoring_version": lead.scoring_version,
        "disqualified_by": lead.disqualified_by,
        "stage": deal.stage if deal else None,
        "deal": _deal(deal),
        "need": _need(lead.need_answer),
        "budget": _budget(lead.budget_answer),
        "authority": _authority(lead.authority_answer),
        "timeline": _timeline(lead.timeline_answer, lead.conversation_date),
        "channel": lead.channel,
        "conversation_id": lead.conversation_id,
        "conversation_date": iso_date(lead.conversation_date),
        "human_requested": bool(lead.human_requested),
        "handoff_state": lead.handoff_state,
        "handoff_at": iso_utc(lead.handoff_at),
        "followup_optin": lead.followup_optin,
        "consent": {"shown_at": iso_utc(lead.consent_shown_at), "version": lead.consent_version},
        "source": dict(lead.source or {}),
        "assignment": _assignment(lead),
        "experiment": {"key": lead.experiment, "variant": lead.variant},
        "language": lead.language,
        "created_at": iso_utc(lead.created_at),
        "updated_at": iso_utc(lead.updated_at),
    }


def flatten(exported: dict[str, Any]) -> dict[str, Any]:
    """One export dict as a CSV row: nested objects become prefix_key columns."""
    row: dict[str, Any] = {}
    for key, value in exported.items():
        if key in ("need", "budget", "authority", "timeline", "deal", "consent", "assignment", "experiment"):
            for sub, subvalue in value.items():
                column = "stage" if (key, sub) == ("deal", "stage") else f"{key}_{sub}"
                row[column] = subvalue
        else:
            row[key] = value
    row["deal_id"] = exported["deal"]["id"]
    return {column: inert(column, _cell(row.get(column))) for column in CSV_COLUMNS}


def inert(column: str, text: str) -> str:
    """`text` as a spreadsheet shows it but never runs it: a cell that a spreadsheet would
    read as a formula gets a leading apostrophe (OWASP's advice, which spreadsheets hide and
    keep as text: a phone "+44..." stays "+44..." on screen), except a plain number in a
    numeric column, which stays a number."""
    if not text.startswith(_FORMULA_START):
        return text
    if column in NUMERIC_COLUMNS and _PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text


def _cell(value: Any) -> str:
    """CSV text: empty for null, true/false for booleans, JSON for lists and objects."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def write_json(leads: list[dict[str, Any]], out: IO[str]) -> None:
    json.dump(leads, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv(leads: list[dict[str, Any]], out: IO[str]) -> None:
    """A header row, then one row per lead (RFC 4180 quoting, \\r\\n line ends)."""
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS))
    writer.writeheader()
    for lead in leads:
        writer.writerow(flatten(lead))
