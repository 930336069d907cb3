"""The export contract (docs/export-contract.md): keys, types and nulls, JSON and CSV."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import datetime

import pytest

from bot.answers import AUTHORITY_LEVELS, STATUSES, Authority
from bot.store.export import CSV_COLUMNS, inert, write_csv, write_json
from bot.store.pipeline import PipelineSettings
from bot.store.repository import export_leads, save_lead
from tests.store.builders import NOW, complete, empty, submission

TOP_KEYS = {
    "id", "name", "email", "company", "status", "score", "grade", "score_breakdown", "scoring_version",
    "disqualified_by", "stage", "deal", "need", "budget", "authority", "timeline", "channel",
    "conversation_id", "conversation_date", "human_requested", "handoff_state", "handoff_at", "followup_optin",
    "consent", "source", "assignment", "created_at", "updated_at", "phone", "experiment",
    "language",
}
NESTED = {
    "need": {"text", "level", "category", "status"},
    "budget": {"min", "max", "currency", "period", "status", "text"},
    "authority": {"level", "role", "role_en", "text", "status"},
    "timeline": {"months", "target_date", "status", "text"},
    "deal": {"id", "stage", "value", "currency", "lost_reason", "owner", "closed_at"},
    "consent": {"shown_at", "version"},
    "assignment": {"rep_id", "rep_name", "rep_email", "rule", "reason", "assigned_at"},
    "experiment": {"key", "variant"},
}


def _stored(sessions, *subs) -> list[dict]:
    for sub in subs:
        with sessions.begin() as session:
            save_lead(session, sub, now=NOW, pipeline=PipelineSettings())
    with sessions() as session:
        return export_leads(session)


def _is_utc_iso(value: str) -> bool:
    return datetime.fromisoformat(value).utcoffset().total_seconds() == 0


def test_complete_lead_has_every_key_with_the_documented_types(sessions) -> None:
    [lead] = _stored(sessions, submission(human_requested=True, source={"utm_campaign": "spring"}))
    assert set(lead) == TOP_KEYS
    for key, keys in NESTED.items():
        assert set(lead[key]) == keys, key
    assert isinstance(lead["id"], int) and isinstance(lead["score"], int)
    assert lead["budget"] == {"min": 12000, "max": 12000, "currency": "USD", "period": "yearly",
                              "status": "stated", "text": "$12k"}
    assert isinstance(lead["budget"]["min"], (int, float)) and not isinstance(lead["budget"]["min"], bool)
    assert lead["authority"] == {"level": "decision_maker", "role": "Head of IT", "role_en": None,
                                 "text": "it's my call, I run IT", "status": "stated"}
    assert lead["timeline"]["target_date"] == "2027-01-31"
    assert lead["timeline"]["months"] == 2.3  # 70 days after 2026-11-22
    assert lead["need"] == {"text": "We need a chatbot to book consultations", "level": "specific",
                            "category": "booking", "status": "stated"}
    assert lead["stage"] == "qualified" == lead["deal"]["stage"]
    assert lead["deal"]["value"] == 12000 and lead["deal"]["currency"] == "USD"
    assert lead["human_requested"] is True and lead["followup_optin"] is None
    assert lead["consent"]["version"] == "2026-11-v1" and _is_utc_iso(lead["consent"]["shown_at"])
    assert lead["source"] == {"utm_campaign": "spring"}
    assert _is_utc_iso(lead["created_at"]) and _is_utc_iso(lead["updated_at"])
    assert lead["conversation_date"] == "2026-11-22"
    dims = {d["dimension"]: d for d in lead["score_breakdown"]}
    assert set(dims["budget"]) == {"dimension", "points", "max_points", "known", "reason"}
    assert dims["budget"]["reason"].startswith("12,000 USD")
    assert lead["status"] in ("qualified", "nurture", "disqualified")
    json.dumps(lead, ensure_ascii=False)  # serialisable as is


def test_missing_answers_are_objects_of_nulls_with_status_unknown(sessions) -> None:
    [lead] = _stored(sessions, empty())
    assert set(lead) == TOP_KEYS
    assert lead["need"] == {"text": None, "level": None, "category": None, "status": "unknown"}
    assert lead["budget"] == {"min": None, "max": None, "currency": None, "period": None,
                              "status": "unknown", "text": None}
    assert lead["authority"] == {"level": "unknown", "role": None, "role_en": None, "text": None,
                                 "status": "unknown"}
    assert lead["timeline"] == {"months": None, "target_date": None, "status": "unknown", "text": None}
    assert lead["email"] is None and lead["name"] is None and lead["company"] is None and lead["phone"] is None
    assert lead["consent"] == {"shown_at": None, "version": None}
    assert lead["stage"] == "new" and lead["deal"]["value"] is None
    assert lead["source"] == {} and lead["human_requested"] is False
    assert lead["handoff_state"] is None and lead["handoff_at"] is None, "nobody was asked for"
    assert lead["experiment"] == {"key": None, "variant": None}, "no experiment was running"
    assert lead["timeline"]["status"] in STATUSES and lead["authority"]["level"] in AUTHORITY_LEVELS


def test_the_handoff_state_and_when_it_last_changed_are_exported(sessions) -> None:
    from datetime import timedelta


    asked = submission("c-handoff", human_requested=True)
    with sessions.begin() as session:
        save_lead(session, replace(asked, handoff_state="waiting"), now=NOW, pipeline=PipelineSettings())
    later = NOW + timedelta(minutes=7)
    with sessions.begin() as session:
        save_lead(session, replace(asked, handoff_state="with_rep"), now=later, pipeline=PipelineSettings())
    with sessions() as session:
        [lead] = export_leads(session)
    assert (lead["human_requested"], lead["handoff_state"]) == (True, "with_rep")
    assert lead["handoff_at"] == "2026-11-22T10:07:00+00:00" and _is_utc_iso(lead["handoff_at"])
    out = io.StringIO(newline="")
    write_csv([lead], out)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["handoff_state"], row["handoff_at"]) == ("with_rep", "2026-11-22T10:07:00+00:00")
    assert CSV_COLUMNS[50:52] == ("handoff_state", "handoff_at"), "new columns are appended, never inserted"


def test_the_experiment_variant_is_exported_and_a_lead_keeps_its_first_in_an_experiment(sessions) -> None:
    """docs/export-contract.md `experiment`: the variant the lead's conversation was given. A
    lead keeps the variant it first had in an experiment; a later experiment replaces it."""

    first = replace(submission("c-1"), experiment=("opening-line", "quick-answer"))
    [lead] = _stored(sessions, first, replace(first, experiment=("opening-line", "control")))
    assert lead["experiment"] == {"key": "opening-line", "variant": "quick-answer"}
    out = io.StringIO(newline="")
    write_csv([lead], out)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["experiment_key"], row["experiment_variant"]) == ("opening-line", "quick-answer")
    assert CSV_COLUMNS[53:55] == ("experiment_key", "experiment_variant"), "new columns are appended, never inserted"
    [lead] = _stored(sessions, replace(first, experiment=("budget-early", "budget-second")))
    assert lead["experiment"] == {"key": "budget-early", "variant": "budget-second"}


def test_the_conversations_language_is_exported(sessions) -> None:
    """docs/export-contract.md `language`: the language the visitor was answered in, the latest
    conversation's; an earlier lead's (stored before it was recorded) is null."""

    [lead] = _stored(sessions, submission("c-1"))
    assert lead["language"] is None
    [lead] = _stored(sessions, replace(submission("c-1"), language="ru"))
    assert lead["language"] == "ru"
    [lead] = _stored(sessions, replace(submission("c-1"), language=None))
    assert lead["language"] == "ru", "a submission that does not know it keeps it"
    out = io.StringIO(newline="")
    write_csv([lead], out)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["language"] == "ru"
    assert CSV_COLUMNS[-2:] == ("language", "authority_role_en"), "new columns are appended, never inserted"


def test_a_title_said_in_another_language_is_exported_as_said_and_in_english(sessions) -> None:
    said = Authority("decision_maker", "я коммерческий директор, решаю я", "коммерческий директор",
                     "Commercial Director")
    [lead] = _stored(sessions, submission(qualification=replace(complete(), authority=said)))
    assert lead["authority"]["role"] == "коммерческий директор"
    assert lead["authority"]["role_en"] == "Commercial Director"
    out = io.StringIO(newline="")
    write_csv([lead], out)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["authority_role"], row["authority_role_en"]) == ("коммерческий директор", "Commercial Director")


def test_json_keeps_non_ascii_text(sessions) -> None:
    leads = _stored(sessions, submission(name="Zoë Ørsted"))
    out = io.StringIO()
    write_json(leads, out)
    assert "Zoë Ørsted" in out.getvalue()
    assert json.loads(out.getvalue())[0]["name"] == "Zoë Ørsted"


def test_csv_has_the_header_and_one_row_per_lead(sessions) -> None:
    leads = _stored(sessions, submission("c1"), empty("c2"))
    out = io.StringIO(newline="")
    write_csv(leads, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(csv.reader(io.StringIO(out.getvalue())).__next__()) == CSV_COLUMNS
    assert len(rows) == 2
    full, blank = rows
    assert (full["budget_min"], full["budget_currency"], full["need_level"]) == ("12000", "USD", "specific")
    assert (full["stage"], full["human_requested"], full["timeline_months"]) == ("qualified", "false", "2.3")
    assert json.loads(full["score_breakdown"])[0]["dimension"] == "need"
    assert (blank["budget_min"], blank["budget_status"], blank["authority_level"]) == ("", "unknown", "unknown")
    assert blank["email"] == "" and blank["source"] == "{}"


def test_every_exported_key_is_documented() -> None:
    from bot.settings import PROJECT_ROOT

    doc = (PROJECT_ROOT / "docs" / "export-contract.md").read_text(encoding="utf-8")
    for key in TOP_KEYS | {k for keys in NESTED.values() for k in keys}:
        assert f"| `{key}` |" in doc, f"{key} is not documented in docs/export-contract.md"
    for column in CSV_COLUMNS:
        assert column in doc, column


def test_the_phone_is_exported_in_e164_and_appended_as_the_last_csv_column(sessions) -> None:
    """Added in contract version 1 (additive): `phone` is a string in E.164 or null."""
    with_phone, without = _stored(sessions, submission("c1", phone="+442079460958"), empty("c2"))
    assert (with_phone["phone"], without["phone"]) == ("+442079460958", None)
    out = io.StringIO(newline="")
    write_csv([with_phone, without], out)
    header, first, second = list(csv.reader(io.StringIO(out.getvalue())))
    phone = CSV_COLUMNS.index("phone")
    assert header[phone] == "phone" and phone == 52, "appended after handoff_at, never moved"
    assert header[:52][-2:] == ["handoff_state", "handoff_at"], "no earlier column moved"
    assert (first[phone], second[phone]) == ("'+442079460958", "")  # text to a spreadsheet, never a formula


def test_a_later_conversation_without_a_phone_keeps_the_stored_one(sessions) -> None:
    leads = _stored(sessions, submission("c1", phone="+14155550132"), submission("c2"))
    assert [lead["phone"] for lead in leads] == ["+14155550132"]  # same e-mail: one lead, phone kept
    leads = _stored(sessions, submission("c3", phone="+442079460958"))
    assert [lead["phone"] for lead in leads] == ["+14155550132"]  # another conversation is only linked
    leads = _stored(sessions, submission("c1", phone="+442079460958"))
    assert [lead["phone"] for lead in leads] == ["+442079460958"]  # its own conversation's new number replaces it


@pytest.mark.parametrize(("column", "text", "written"), [
    # formulas in text columns: one apostrophe in front (OWASP CSV injection)
    ("company", "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("name", "+1+1", "'+1+1"), ("need_text", "-2+3", "'-2+3"), ("name", "@SUM(A1)", "'@SUM(A1)"),
    ("need_text", "\t=1", "'\t=1"), ("need_text", "\r=1", "'\r=1"), ("phone", "+14155550132", "'+14155550132"),
    ("budget_text", "-50000 USD", "'-50000 USD"), ("name", "-5", "'-5"),
    # numbers in numeric columns stay numbers
    ("timeline_months", "-1.7", "-1.7"), ("deal_value", "-3", "-3"), ("budget_min", "12000", "12000"),
    # ... but a formula in a numeric column is still neutralised
    ("deal_value", "-1+cmd|' /C calc'!A0", "'-1+cmd|' /C calc'!A0"), ("score", "=1", "'=1"),
    # harmless starts are untouched
    ("company", "Brightwell = best", "Brightwell = best"), ("name", " =1", " =1"), ("email", "", ""),
])
def test_csv_cells_are_never_formulas(column: str, text: str, written: str) -> None:
    assert inert(column, text) == written
