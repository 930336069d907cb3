"""settings/dashboard.yml: shipped values equal the defaults; mistakes are named."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError
from web.settings import DashboardSettings, load_dashboard_settings


def test_shipped_file_equals_the_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEADBOT_SETTINGS_DIR", raising=False)
    monkeypatch.delenv("LEADBOT_DASHBOARD_SECURE_COOKIES", raising=False)
    assert load_dashboard_settings() == DashboardSettings()


def test_a_bad_value_names_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "dashboard.yml").write_text("idle_minutes: -5\n")
    with pytest.raises(SettingsError, match=r"(?s)dashboard.yml.*idle_minutes"):
        load_dashboard_settings(tmp_path)


def test_secure_cookies_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADBOT_DASHBOARD_SECURE_COOKIES", "1")
    assert load_dashboard_settings(tmp_path).secure_cookies is True
