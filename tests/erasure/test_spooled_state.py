"""A conversation spooled while the store is down keeps the lead it was stored as: its spool
file and the next turn both still name it, so the store can refuse it once that lead is erased."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.intake import Spool
from tests.intake.test_intake import NOW, intake_at, submission


def test_a_spooled_state_remembers_its_lead(tmp_path: Path) -> None:
    down = intake_at(f"sqlite:///{tmp_path / 'missing-dir' / 'leads.db'}", tmp_path / "spool")
    result = down.submit(replace(submission("c1", "sam@brightwell.example"), lead_id=7), now=NOW)
    assert not result.stored and result.lead_id == 7, "the conversation keeps naming its lead"
    [path] = Spool(tmp_path / "spool").pending()
    assert Spool(tmp_path / "spool").load(path).lead_id == 7
