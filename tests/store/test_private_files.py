"""The stores are created readable by their owner only, whatever the umask of the process that
creates them: the pipeline store (bot.store.db) and Rasa's tracker store (rasa_addons)."""
from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

from sqlalchemy import text

from bot.intake import Spool
from bot.store.db import data_dir, make_engine
from tests.e2e.servers import ROOT

RASA_PYTHON = ROOT / ".venvs" / "rasa" / "bin" / "python"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_pipeline_store_and_its_wal_are_private(tmp_path: Path):
    old = os.umask(0o022)
    try:
        engine = make_engine(f"sqlite:///{tmp_path / 'leadbot.db'}")
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.execute(text("INSERT INTO t VALUES (1)"))
        modes = {p.name: _mode(p) for p in tmp_path.iterdir()}
        engine.dispose()
    finally:
        os.umask(old)
    assert "leadbot.db" in modes
    assert set(modes.values()) == {0o600}, modes


def test_the_data_folder_is_private(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("LEADBOT_DATA_DIR", str(tmp_path / "runtime"))
    old = os.umask(0o022)
    try:
        folder = data_dir()
    finally:
        os.umask(old)
    assert _mode(folder) == 0o700


def test_the_tracker_store_file_is_private(tmp_path: Path):
    script = ("import sys; from rasa_addons.tracker_store import LeadbotTrackerStore; "
              "LeadbotTrackerStore(dialect='sqlite', db=sys.argv[1])")
    result = subprocess.run([str(RASA_PYTHON), "-c", script, str(tmp_path / "tracker.db")], cwd=ROOT,
                            capture_output=True, text=True, preexec_fn=lambda: os.umask(0o022), timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    modes = {p.name: _mode(p) for p in tmp_path.iterdir()}
    assert "tracker.db" in modes and set(modes.values()) == {0o600}, modes


def test_spooled_submissions_are_private_whatever_the_umask(tmp_path: Path):
    """The spool holds names, e-mails and whole conversations: its files are opened 0600 and
    its folder made 0700 explicitly, so even a umask of 000 cannot widen them; a claim and a
    claim given back (renames and links of the same file) keep the mode."""
    from tests.intake.test_intake import NOW, intake_at, submission

    spool = Spool(tmp_path / "spool")
    old = os.umask(0)
    try:
        down = intake_at(f"sqlite:///{tmp_path / 'missing-dir' / 'leads.db'}", spool.folder)
        assert not down.submit(submission("c1", "sam@brightwell.example"), now=NOW).stored
        assert not down.submit(submission("c2", None), now=NOW).stored
        [first, second] = spool.pending()
        claimed = spool.claim(first)
        assert claimed is not None
        spool.give_back(claimed)
        modes = {p.name: _mode(p) for p in spool.folder.iterdir()}
        folder = _mode(spool.folder)
    finally:
        os.umask(old)
    assert sorted(modes) == sorted([first.name, second.name]), "nothing but the two spooled files"
    assert set(modes.values()) == {0o600}, modes
    assert folder == 0o700
