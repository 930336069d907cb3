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
    """Lead cards, meeting invitations and nurture e-mails link to where `leadbot dashboard`
    listens (127.0.0.1:8080 by default, else its LEADBOT_DASHBOARD_HOST / _PORT), or to
    LEADBOT_DASHBOARD_URL; shipped files and defaults alike, read when the link is made."""
    from bot.meetings.settings import MeetingSettings, load_meeting_settings
    from bot.notify.settings import NotifySettings, load_notify_settings
    from bot.nurture.settings import NurtureSettings, load_nurture_settings

    def links() -> list[str]:
        return [NotifySettings().link(7), load_notify_settings().link(7),
                MeetingSettings().manage_link, load_meeting_settings().manage_link,
                NurtureSettings().links_base + "/", load_nurture_settings().links_base + "/"]

    for name in ("LEADBOT_SETTINGS_DIR", "LEADBOT_DASHBOARD_PORT", "LEADBOT_DASHBOARD_HOST", "LEADBOT_DASHBOARD_URL"):
        monkeypatch.delenv(name, raising=False)
    assert all(link.startswith("http://127.0.0.1:8080/") for link in links()), links()
    assert links()[0] == "http://127.0.0.1:8080/leads/7" and links()[2].endswith("/meetings/manage/{token}")
    monkeypatch.setenv("LEADBOT_DASHBOARD_PORT", "9090")
    monkeypatch.setenv("LEADBOT_DASHBOARD_HOST", "0.0.0.0")  # listening everywhere: reached on loopback
    assert all(link.startswith("http://127.0.0.1:9090/") for link in links()), links()
    monkeypatch.setenv("LEADBOT_DASHBOARD_URL", "https://sales.example.com/")
    assert all(link.startswith("https://sales.example.com/") for link in links()), links()
    assert links()[0] == "https://sales.example.com/leads/7"


def test_a_card_s_link_opens_the_lead_on_the_running_dashboard(server, manager) -> None:
    """The link a card carries, made with the dashboard's own address, is the lead's page there."""
    from bot.notify.settings import load_notify_settings

    host, port = server.url.removeprefix("http://").split(":")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LEADBOT_DASHBOARD_HOST", host)
        env.setenv("LEADBOT_DASHBOARD_PORT", port)
        env.delenv("LEADBOT_DASHBOARD_URL", raising=False)
        env.setenv("LEADBOT_SETTINGS_DIR", str(server.settings_dir()))
        link = load_notify_settings().link(1)
    assert link == f"{server.url}/leads/1"
    page = manager.get(link)
    assert page.status_code == 200 and "/leads/1" in page.url
