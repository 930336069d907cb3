"""`leadbot experiments start|stop|list|report`, run as the real console script on a real
store (SQLite, and PostgreSQL where the suite runs it)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from bot.experiments.report import report
from bot.experiments.settings import load_experiment_settings
from bot.funnel import record_progress
from bot.settings import PROJECT_ROOT
from tests.experiments.test_report import T0

SCRIPT = Path(sys.executable).with_name("leadbot")


def leadbot(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADBOT_")}
    env.update(LEADBOT_DATABASE_URL=url, LEADBOT_DATA_DIR=str(tmp_path / "data"), LEADBOT_NOW=T0.isoformat(),
               PYTHONPATH=str(PROJECT_ROOT))  # this checkout's code, whichever the environment was installed from
    return subprocess.run([str(SCRIPT), *args], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def test_start_report_stop_with_a_winner(db_url: str, sessions, tmp_path: Path) -> None:
    listed = leadbot(db_url, tmp_path, "experiments", "list")
    assert listed.returncode == 0, listed.stderr
    assert any(line.split()[:2] == ["opening-line", "defined"] for line in listed.stdout.splitlines())

    started = leadbot(db_url, tmp_path, "experiments", "start", "opening-line", "--by", "dana")
    assert started.returncode == 0, started.stderr
    assert "control (1), quick-answer (1)" in started.stdout
    again = leadbot(db_url, tmp_path, "experiments", "start", "budget-early")
    assert again.returncode == 1 and "'opening-line' is running; stop it first" in again.stderr

    with sessions.begin() as session:  # twelve conversations: 1 of 6 and 4 of 6 qualified
        for i in range(12):
            variant = "control" if i < 6 else "quick-answer"
            qualified = (i == 0) or (6 <= i < 10)
            record_progress(session, f"c{i}", "socketio", [], now=T0, variant=("opening-line", variant))
            steps = ["need", "budget", "authority", "timeline", "contact", "qualified"] if qualified else ["need"]
            record_progress(session, f"c{i}", "socketio", steps, now=T0 + timedelta(minutes=6))

    as_json = leadbot(db_url, tmp_path, "experiments", "report", "--json")
    assert as_json.returncode == 0, as_json.stderr
    with sessions() as session:
        assert json.loads(as_json.stdout) == report(session, load_experiment_settings()).to_dict()
    readable = leadbot(db_url, tmp_path, "experiments", "report", "opening-line")
    assert readable.returncode == 0, readable.stderr
    rows = {line.split()[0]: line.split() for line in readable.stdout.splitlines() if line.strip()}
    assert rows["control"][1:4] == ["6", "1", "16.7%"] and rows["quick-answer"][1:4] == ["6", "4", "66.7%"]
    assert "Not enough data yet: at least 200 conversations per variant" in readable.stdout
    assert "Conversations started" in readable.stdout

    wrong = leadbot(db_url, tmp_path, "experiments", "stop", "opening-line", "--winner", "nope")
    assert wrong.returncode == 1 and "no variant 'nope'" in wrong.stderr
    stopped = leadbot(db_url, tmp_path, "experiments", "stop", "opening-line", "--winner", "quick-answer")
    assert stopped.returncode == 0, stopped.stderr
    assert "every new conversation gets quick-answer" in stopped.stdout
    final = json.loads(leadbot(db_url, tmp_path, "experiments", "list", "--json").stdout)
    opening = next(e for e in final if e["key"] == "opening-line")
    assert (opening["state"], opening["winner"]) == ("stopped", "quick-answer")


def test_a_report_before_any_experiment_is_a_one_line_error(db_url: str, tmp_path: Path) -> None:
    out = leadbot(db_url, tmp_path, "experiments", "report")
    assert out.returncode == 1
    assert out.stderr.strip() == "leadbot: error: no experiment has been started yet (`leadbot experiments start KEY`)"
