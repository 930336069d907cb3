"""A rep's own calendar on a real CalDAV server (Radicale on 127.0.0.1), read with the
`caldav` client: busy events block slots, free (transparent) and cancelled ones do not,
recurring ones block each occurrence, and a calendar that cannot be read says so."""
from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import caldav
import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.meetings.booking import availability_of, connect_calendar, free_slots_for
from bot.meetings.calendar import CalendarAccess, CalendarUnavailable, busy_times
from bot.meetings.settings import MeetingSettings
from bot.meetings.slots import describe
from tests.meetings.conftest import NOW, owned_lead
from tests.meetings.radicale_server import radicale

BERLIN = ZoneInfo("Europe/Berlin")
USER, PASSWORD = "dana", "calendar-password"


def _event(uid: str, start: datetime, end: datetime, extra: str = "") -> str:
    stamp = "%Y%m%dT%H%M%S"
    return (f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n"
            f"DTSTAMP:20261201T000000Z\r\nDTSTART;TZID=Europe/Berlin:{start:{stamp}}\r\n"
            f"DTEND;TZID=Europe/Berlin:{end:{stamp}}\r\nSUMMARY:{uid}\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n")


@pytest.fixture(scope="module")
def calendar_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with radicale(tmp_path_factory.mktemp("radicale"), USER, PASSWORD) as base:
        client = caldav.DAVClient(url=f"{base}/{USER}/", username=USER, password=PASSWORD, timeout=10)
        calendar = client.principal().make_calendar(name="Work", cal_id="work")
        day = datetime(2026, 12, 7, tzinfo=BERLIN)  # Monday
        calendar.save_event(_event("busy", day.replace(hour=9), day.replace(hour=10, minute=15)))
        calendar.save_event(_event("free", day.replace(hour=11), day.replace(hour=12), "TRANSP:TRANSPARENT\r\n"))
        calendar.save_event(_event("cancelled", day.replace(hour=13), day.replace(hour=14), "STATUS:CANCELLED\r\n"))
        calendar.save_event(_event("standup", day.replace(hour=16, minute=30), day.replace(hour=17),
                                   "RRULE:FREQ=DAILY;COUNT=5\r\n"))
        yield str(calendar.url)


def test_busy_times_come_from_the_calendar(calendar_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANA_CALDAV_PASSWORD", PASSWORD)
    access = CalendarAccess(calendar_url, USER, "DANA_CALDAV_PASSWORD")
    busy = busy_times(access, NOW, NOW + timedelta(days=14), tz="Europe/Berlin", timeout=10)
    local = [(s.astimezone(BERLIN).strftime("%a %H:%M"), e.astimezone(BERLIN).strftime("%H:%M")) for s, e in busy]
    assert local == [("Mon 09:00", "10:15"), ("Mon 16:30", "17:00"), ("Tue 16:30", "17:00"),
                     ("Wed 16:30", "17:00"), ("Thu 16:30", "17:00"), ("Fri 16:30", "17:00")]


def test_slots_leave_out_what_the_reps_calendar_has(calendar_url: str, sessions: sessionmaker[Session],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANA_CALDAV_PASSWORD", PASSWORD)
    settings = MeetingSettings()
    lead_id, rep_id = owned_lead(sessions)
    with sessions.begin() as session:
        connect_calendar(session, rep_id, calendar_url, now=NOW, username=USER, password_env="DANA_CALDAV_PASSWORD")
        who = availability_of(session, lead_id, settings)
    monday = [describe(s, "Europe/Berlin")[-5:] for s in free_slots_for(sessions, who, settings, now=NOW)
              if describe(s, "Europe/Berlin").startswith("Mon 7")]
    assert monday[0] == "10:30" and "11:00" in monday and "13:00" in monday
    assert monday[-1] == "16:00"  # the stand-up takes 16:30


@pytest.mark.parametrize("access, message", [
    (lambda url: CalendarAccess(url, USER, "DANA_CALDAV_PASSWORD"), "Unauthorized"),
    (lambda url: CalendarAccess(url, USER, "NOT_SET_ANYWHERE"), "set NOT_SET_ANYWHERE"),
    (lambda url: CalendarAccess("http://127.0.0.1:9/cal/", USER, None), "calendar http://127.0.0.1:9/cal/"),
])
def test_a_calendar_that_cannot_be_read_is_reported(calendar_url: str, monkeypatch: pytest.MonkeyPatch,
                                                   access, message: str) -> None:
    monkeypatch.setenv("DANA_CALDAV_PASSWORD", "wrong")
    monkeypatch.delenv("NOT_SET_ANYWHERE", raising=False)
    with pytest.raises(CalendarUnavailable, match=message.replace("/", ".")):
        busy_times(access(calendar_url), NOW, NOW + timedelta(days=1), tz="UTC", timeout=5)


def test_the_cli_connects_a_calendar_it_can_read(calendar_url: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    from bot.store.db import make_engine, session_factory
    from bot.store.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    engine = make_engine(url)
    lead_id, _ = owned_lead(session_factory(engine))
    engine.dispose()
    env = {**os.environ, "LEADBOT_DATABASE_URL": url, "LEADBOT_DATA_DIR": str(tmp_path),
           "LEADBOT_NOW": NOW.isoformat(), "DANA_CALDAV_PASSWORD": PASSWORD}
    leadbot = [str(Path(sys.executable).with_name("leadbot")), "meetings", "calendar", "dana@example.com", calendar_url,
               "--username", USER]
    done = subprocess.run([*leadbot, "--password-env", "DANA_CALDAV_PASSWORD"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Calendar connected: 5 busy time(s)" in done.stdout  # the 6th stand-up is 7 days out
