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


def test_links_into_the_dashboard_point_at_where_it_listens_out_of_the_box(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lead cards, meeting invitations and nurture e-mails link to `leadbot dashboard`'s own
    default address (127.0.0.1:8080), shipped files and defaults alike."""
    from bot.meetings.settings import MeetingSettings, load_meeting_settings
    from bot.notify.settings import NotifySettings, load_notify_settings
    from bot.nurture.settings import NurtureSettings, load_nurture_settings

    monkeypatch.delenv("LEADBOT_SETTINGS_DIR", raising=False)
    monkeypatch.delenv("LEADBOT_DASHBOARD_PORT", raising=False)
    base = "http://127.0.0.1:8080/"  # `leadbot dashboard` without --port or LEADBOT_DASHBOARD_PORT
    for links in (NotifySettings().lead_url, load_notify_settings().lead_url,
                  MeetingSettings().manage_url, load_meeting_settings().manage_url,
                  NurtureSettings().link_base_url + "/", load_nurture_settings().link_base_url + "/"):
        assert links.startswith(base), links
