"""Validated `settings/dashboard.yml`: sessions, sign-in throttling, page sizes.

Secrets never live here: the cookie-signing key comes from `LEADBOT_DASHBOARD_SECRET`
(`web/secret.py`). `LEADBOT_DASHBOARD_SECURE_COOKIES=1` overrides `secure_cookies` for a
deployment behind HTTPS without editing the file.
"""
from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.settings import load_settings


class DashboardSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    session_hours: float = Field(12, gt=0, le=24 * 30)  # a session ends this long after sign-in
    idle_minutes: float = Field(120, gt=0)  # ... or after this long without a request
    secure_cookies: bool = False  # send cookies over HTTPS only (turn on behind TLS)
    max_failed_logins: int = Field(5, ge=1)  # wrong passwords in a row before a lockout
    lockout_minutes: float = Field(15, gt=0)
    sign_ins_per_address: int = Field(30, ge=1)  # sign-in attempts per client address ...
    sign_in_window_minutes: float = Field(5, gt=0)  # ... in this window (any accounts)
    inbox_page_size: int = Field(50, ge=5, le=500)
    board_cards_per_stage: int = Field(12, ge=1, le=200)


def load_dashboard_settings(directory: Path | None = None) -> DashboardSettings:
    settings = load_settings("dashboard.yml", DashboardSettings, directory)
    flag = os.environ.get("LEADBOT_DASHBOARD_SECURE_COOKIES", "").strip().lower()
    if flag:
        settings = settings.model_copy(update={"secure_cookies": flag in ("1", "true", "yes", "on")})
    return settings
