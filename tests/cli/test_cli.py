"""The `leadbot` console script, run as a user would, against a seeded SQLite store."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
from pathlib import Path

from bot.store.export import CSV_COLUMNS
from bot.store.migrate import head_revision
from tests.store.builders import EMAIL


def test_leads_list_is_an_aligned_table(leadbot) -> None:
    result = leadbot("leads", "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["ID", "NAME", "EMAIL", "COMPANY"]
    assert len(lines) == 2 + 3
    assert "Zoë Ørsted" in result.stdout and "dana@kimclinics.example" in result.stdout
    status_column = lines[0].index("STATUS")
    assert all(line[status_column:].split()[0] in ("qualified", "nurture", "STATUS", "-" * 12)
               for line in lines if not line.startswith("--"))


def test_leads_list_filters_by_status_and_limits(leadbot) -> None:
    result = leadbot("leads", "list", "--status", "nurture")
    assert result.returncode == 0
    body = result.stdout.splitlines()[2:]
    assert len(body) == 2 and all("nurture" in line for line in body)
    assert len(leadbot("leads", "list", "--limit", "1").stdout.splitlines()) == 3
    bad = leadbot("leads", "list", "--status", "hot")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_leads_show_includes_answers_and_score_reasons(leadbot) -> None:
    result = leadbot("leads", "show", EMAIL.upper())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Zoë Ørsted" in out and "Brightwell Dental" in out
    assert "12,000 USD yearly" in out and "decision_maker, Head of IT" in out
    assert "12,000 USD a year is in the 10k-25k band." in out  # a score reason
    assert "Stage history" in out and "created in qualified by bot" in out


def test_unknown_lead_is_a_clear_error_without_traceback(leadbot) -> None:
    for key in ("999", "nobody@example.com"):
        result = leadbot("leads", "show", key)
        assert result.returncode == 1
        assert result.stderr.startswith("leadbot: error: no lead with")
        assert "Traceback" not in result.stderr and result.stdout == ""


def test_export_json_is_the_contract(leadbot) -> None:
    result = leadbot("leads", "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    leads = json.loads(result.stdout)
    assert [lead["conversation_id"] for lead in leads] == ["conv-1", "conv-2", "conv-3"]
    assert leads[0]["name"] == "Zoë Ørsted" and "Zoë" in result.stdout  # not \\u-escaped
    assert leads[0]["budget"]["min"] == 12000 and leads[0]["stage"] == "qualified"
    assert leads[2]["budget"]["status"] == "unknown" and leads[2]["email"] is None


def test_export_csv_to_a_file(leadbot, tmp_path: Path) -> None:
    target = tmp_path / "leads.csv"
    result = leadbot("leads", "export", "--format", "csv", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert "Exported 3 lead(s)" in result.stderr
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 4
    assert rows[1][CSV_COLUMNS.index("name")] == "Zoë Ørsted"


def test_export_to_an_unwritable_place_is_a_user_error(leadbot, tmp_path: Path) -> None:
    result = leadbot("leads", "export", "--output", str(tmp_path / "missing" / "x.json"))
    assert result.returncode == 1 and "cannot write" in result.stderr


def test_export_person_and_delete(leadbot, store: str) -> None:
    person = leadbot("leads", "export-person", EMAIL)
    assert person.returncode == 0, person.stderr
    data = json.loads(person.stdout)
    assert data["lead"]["email"] == EMAIL and data["transcript"]

    refused = leadbot("leads", "delete", EMAIL)
    assert refused.returncode == 1 and "--yes" in refused.stderr

    deleted = leadbot("leads", "delete", EMAIL, "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stdout.startswith("Deleted lead 1")
    again = leadbot("leads", "show", EMAIL)
    assert again.returncode == 1 and "no lead with email" in again.stderr
    with sqlite3.connect(store.removeprefix("sqlite:///")) as db:
        kinds = [row[0] for row in db.execute("SELECT event_type FROM outbox WHERE aggregate_id = 1")]
    assert kinds == ["lead.deleted"]


def test_pipeline_in_order_with_values_per_currency(leadbot) -> None:
    result = leadbot("pipeline")
    assert result.returncode == 0, result.stderr
    stages = [line.split("  ")[0].strip() for line in result.stdout.splitlines()[2:]]
    assert stages == ["New", "Qualified", "Meeting booked", "Proposal sent", "Negotiation", "Won", "Lost"]
    qualified = result.stdout.splitlines()[3]
    assert " 1 " in qualified and "12,000 USD" in qualified
    new = result.stdout.splitlines()[2]
    assert " 2 " in new and "12,000 USD" in new


def test_deals_move_and_its_errors(leadbot) -> None:
    ok = leadbot("deals", "move", "1", "meeting", "--note", "call booked", "--by", "alice")
    assert ok.returncode == 0, ok.stderr
    assert "now in stage meeting" in ok.stdout
    assert "qualified -> meeting by alice: call booked" in leadbot("leads", "show", "1").stdout
    unknown = leadbot("deals", "move", "1", "demo")
    assert unknown.returncode == 1 and "unknown stage 'demo'" in unknown.stderr
    lost = leadbot("deals", "move", "1", "lost")
    assert lost.returncode == 1 and "lost reason is required" in lost.stderr


def test_leads_note_is_stored_with_an_outbox_event(leadbot, store: str) -> None:
    ok = leadbot("leads", "note", EMAIL, "  Called back, wants a demo on Tuesday <b>  ", "--by", "alice")
    assert ok.returncode == 0, ok.stderr
    assert "added to lead 1" in ok.stdout
    with sqlite3.connect(store.removeprefix("sqlite:///")) as db:
        assert db.execute("SELECT author, body FROM notes").fetchall() == [
            ("alice", "Called back, wants a demo on Tuesday <b>")]
        (payload,) = db.execute("SELECT payload FROM outbox WHERE event_type = 'note.added'").fetchone()
    assert json.loads(payload)["body"] == "Called back, wants a demo on Tuesday <b>"
    empty = leadbot("leads", "note", "1", "   ")
    assert empty.returncode == 1 and "needs some text" in empty.stderr
    missing = leadbot("leads", "note", "nobody@example.com", "hello")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    person = json.loads(leadbot("leads", "export-person", EMAIL).stdout)
    assert [n["body"] for n in person["notes"]] == ["Called back, wants a demo on Tuesday <b>"]


def test_db_upgrade_creates_and_is_idempotent(leadbot, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    for _ in range(2):
        result = leadbot("db", "upgrade", url=url)
        assert result.returncode == 0, result.stderr
        assert f"at revision {head_revision()}" in result.stdout


def test_first_use_of_an_empty_database_migrates_it(leadbot, tmp_path: Path) -> None:
    result = leadbot("leads", "list", url=f"sqlite:///{tmp_path / 'empty.db'}")
    assert result.returncode == 0, result.stderr
    assert "No leads stored yet." in result.stdout


def test_unreachable_database_exits_3(leadbot) -> None:
    result = leadbot("leads", "list", url="postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert result.returncode == 3
    assert result.stderr.startswith("leadbot: error: the database is unavailable")
    assert "Traceback" not in result.stderr


def test_module_entry_point_works_too(leadbot, store: str) -> None:
    import os
    import subprocess
    result = subprocess.run([sys.executable, "-m", "leadbot.cli", "leads", "list", "--limit", "1"],
                            env={**os.environ, "LEADBOT_DATABASE_URL": store}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_usage_errors_exit_2(leadbot) -> None:
    assert leadbot().returncode == 2
    assert leadbot("leads", "list", "--limit", "0").returncode == 2


def test_export_csv_never_writes_a_formula(leadbot, tmp_path: Path) -> None:
    """OWASP CSV injection: a visitor's words that a spreadsheet would run get a leading
    apostrophe; a negative number in a numeric column stays a number."""
    from dataclasses import replace

    from bot.answers import Contact, Need, Timeline
    from bot.store.db import make_engine, session_factory
    from bot.store.migrate import upgrade
    from bot.store.pipeline import PipelineSettings
    from bot.store.repository import save_lead
    from tests.store.builders import NOW, complete, submission

    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    upgrade(url)
    hostile = replace(complete(), contact=Contact("@SUM(1+1)*cmd|' /C calc'!A0", "eve@example.com",
                                                  "=cmd|' /C calc'!A0", "+14155550132"),
                      need=Need("+HYPERLINK(\"http://evil.example\")", "specific", "booking"),
                      timeline=Timeline("stated", "-\tlast month", "2026-10-01", None))
    engine = make_engine(url)
    try:
        with session_factory(engine).begin() as session:
            save_lead(session, replace(submission("conv-x"), qualification=hostile), now=NOW,
                      pipeline=PipelineSettings())
    finally:
        engine.dispose()

    result = leadbot("leads", "export", "--format", "csv", url=url)
    assert result.returncode == 0, result.stderr
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["company"] == "'=cmd|' /C calc'!A0"
    assert row["name"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row["need_text"] == "'+HYPERLINK(\"http://evil.example\")"
    assert row["timeline_text"] == "'-\tlast month"
    assert row["phone"] == "'+14155550132"  # shown as +14155550132, kept as text
    assert row["timeline_months"] == "-1.7"  # a number in a numeric column stays a number
    assert row["email"] == "eve@example.com" and row["budget_min"] == "12000"
    exported = json.loads(leadbot("leads", "export", "--format", "json", url=url).stdout)
    assert exported[0]["company"] == "=cmd|' /C calc'!A0", "JSON carries the words as typed"


def test_an_id_past_the_largest_is_not_found_never_a_traceback(leadbot) -> None:
    huge = str(2**63)  # overflowed SQLite's integers: a traceback
    for args, message in ((("leads", "show", huge), f"no lead with id {huge}"),
                          (("deals", "move", huge, "won"), f"no deal with id {huge}"),
                          (("leads", "note", huge, "hi"), f"no lead with id {huge}"),
                          (("reps", "show", huge), f"no rep '{huge}'")):
        result = leadbot(*args)
        assert result.returncode == 1 and result.stderr.startswith(f"leadbot: error: {message}"), result.stderr
        assert "Traceback" not in result.stderr


def test_the_command_line_loads_no_text_parser_it_does_not_use() -> None:
    """`leadbot` starts in about a second: the parsers of visitors' text (budget, timeline, ...:
    seconds of tables and patterns) load only in the commands that read text."""
    import subprocess

    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, leadbot.cli; print(' '.join(m for m in sys.modules if m.startswith('bot.parsing')))"],
        capture_output=True, text=True, check=True).stdout.split()
    assert "bot.parsing" in loaded
    assert not {f"bot.parsing.{name}" for name in ("budget", "timeline", "authority", "contact", "need", "replies")} & set(loaded)
