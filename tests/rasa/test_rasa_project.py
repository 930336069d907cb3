"""The Rasa project itself: training data valid, test stories predicted exactly."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.servers import RASA_BIN, ROOT, MODEL

pytestmark = pytest.mark.rasa


def _rasa(args: list[str], env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(RASA_BIN), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_data_validate_is_clean(bot):
    data = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "data").glob("*.yml"))]
    result = _rasa(["data", "validate", "--fail-on-warnings", "--data", *data], bot.env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_stories_are_predicted(bot, tmp_path: Path):
    out = ROOT / "artifacts" / "rasa-test"
    result = _rasa(
        ["test", "core", "--model", str(MODEL), "--stories", "tests/stories",
         "--endpoints", "endpoints.yml", "--out", str(out), "--fail-on-prediction-errors"],
        bot.env,
    )
    failed = (out / "failed_test_stories.yml")
    detail = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, detail[-4000:] + result.stdout[-3000:] + result.stderr[-3000:]
