"""Validated `settings/meetings.yml`: how long a meeting is, which slots are offered, where
the reschedule/cancel links point and how long they work."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.assignment.hours import InvalidHours, parse_hours
from bot.backoff import RetrySettings
from bot.dashboard_address import dashboard_url
from bot.settings import load_settings


class MeetingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(True, description="offer meetings to qualified leads and on request")
    duration_minutes: int = Field(30, ge=10, le=240, description="each meeting's length; slots lie on this grid")
    offered: int = Field(3, ge=1, le=9, description="how many slots the bot offers at once")
    per_day: int = Field(2, ge=1, le=9, description="at most this many of them on one day")
    notice_minutes: int = Field(120, ge=0, le=10080, description="the earliest slot is at least this far ahead")
    horizon_days: int = Field(14, ge=1, le=90, description="no slot further ahead than this")
    default_hours: str = Field("mon-fri 09:00-17:00",
                               description="hours for a rep with none stored ('always' is no help for meetings)")
    stage: str = Field("meeting", description="the pipeline stage a booking moves the deal to")
    title: str = Field("Call with {rep}", description="the invitation's summary; {rep} and {company}")
    manage_url: str | None = Field(None, description="reschedule/cancel page with {token}; null: the "
                                                     "dashboard's, where it is reached (bot/dashboard_address.py)")
    link_days: int = Field(30, ge=1, le=365, description="reschedule/cancel links stop working after this")
    secret_env: str = Field("LEADBOT_MEETING_SECRET", description="signs the links (else a per-install key file)")
    calendar_timeout_seconds: float = Field(10, gt=0, le=120, description="each CalDAV call gives up after this")
    lease_seconds: float = Field(120, gt=0)
    batch_size: int = Field(50, ge=1, le=1000)
    retry: RetrySettings = Field(default_factory=lambda: RetrySettings(base_seconds=10, max_seconds=1800,
                                                                       max_attempts=10))

    @field_validator("default_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        try:
            if not parse_hours(value):
                raise ValueError("default_hours must name working days and hours, not 'always'")
        except InvalidHours as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("manage_url")
    @classmethod
    def _manage_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")) or "{token}" not in value:
            raise ValueError("manage_url must be an http(s) URL containing {token}")
        return value

    @property
    def manage_link(self) -> str:
        """The reschedule/cancel URL with its {token}: `manage_url`, else the dashboard's page."""
        return self.manage_url or dashboard_url() + "/meetings/manage/{token}"


def load_meeting_settings(directory: Path | None = None) -> MeetingSettings:
    return load_settings("meetings.yml", MeetingSettings, directory)
