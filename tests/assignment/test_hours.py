"""Working hours as people write them, and 'on duty now?' across time zones and midnight."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.assignment.hours import InvalidHours, format_hours, is_working, next_start, parse_hours

WEEKDAYS = {d: ["09:00", "17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}


@pytest.mark.parametrize("text, expected", [
    ("mon-fri 09:00-17:00", WEEKDAYS),
    ("Mon-Fri 9-17", WEEKDAYS),
    ("monday-friday 9am-5pm", WEEKDAYS),
    ("mon,tue,wed,thu,fri 0900-1700", WEEKDAYS),
    ("mon-thu 08:30-17:30; fri 08:30-13:00",
     {**{d: ["08:30", "17:30"] for d in ("mon", "tue", "wed", "thu")}, "fri": ["08:30", "13:00"]}),
    ("sat-mon 10-14", {"mon": ["10:00", "14:00"], "sat": ["10:00", "14:00"], "sun": ["10:00", "14:00"]}),
    ("fri 22:00-06:00", {"fri": ["22:00", "06:00"]}),
    ("mon-fri 12pm-12:30pm", {d: ["12:00", "12:30"] for d in ("mon", "tue", "wed", "thu", "fri")}),
    ("sun 0-24", {"sun": ["00:00", "24:00"]}),
    ("always", {}),
    ("", {}),
    ("24/7", {}),
])
def test_parse_hours(text: str, expected: dict) -> None:
    assert parse_hours(text) == expected


@pytest.mark.parametrize("text, complaint", [
    ("weekdays 9-17", "days are mon"),
    ("mon-fri", "write days then a time range"),
    ("mon-fri 9-25", "not a time of day"),
    ("mon-fri 13pm-5pm", "1-12 before am/pm"),
    ("mon 9-9", "empty"),
    ("mon-fri nine-five", "write days then a time range"),
])
def test_bad_hours_say_what_is_wrong(text: str, complaint: str) -> None:
    with pytest.raises(InvalidHours, match=complaint):
        parse_hours(text)


@pytest.mark.parametrize("text", ["mon-fri 09:00-17:00", "mon-thu 08:30-17:30; fri 08:30-13:00", "always",
                                  "mon 09:00-12:00; wed 09:00-12:00", "sat-sun 10:00-14:00"])
def test_format_round_trips(text: str) -> None:
    assert format_hours(parse_hours(text)) == text


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize("at, tz, working", [
    (utc(2026, 11, 23, 8, 30), "Europe/Berlin", True),    # Mon 09:30 in Berlin
    (utc(2026, 11, 23, 7, 59), "Europe/Berlin", False),   # Mon 08:59 in Berlin
    (utc(2026, 11, 23, 16, 0), "Europe/Berlin", False),   # Mon 17:00: the window is [start, end)
    (utc(2026, 11, 23, 16, 0), "America/New_York", True),  # Mon 11:00 in New York
    (utc(2026, 11, 22, 12, 0), "UTC", False),             # Sunday
    (utc(2026, 11, 23, 23, 30), "Asia/Tokyo", False),      # Tue 08:30 in Tokyo, before 09:00
    (utc(2026, 11, 24, 0, 30), "Asia/Tokyo", True),        # Tue 09:30 in Tokyo (still Mon in UTC)
])
def test_is_working_in_the_reps_time_zone(at: datetime, tz: str, working: bool) -> None:
    assert is_working(WEEKDAYS, tz, at) is working


def test_a_night_shift_counts_on_both_days() -> None:
    hours = {"fri": ["22:00", "06:00"]}
    assert is_working(hours, "UTC", utc(2026, 11, 27, 23, 0))  # Fri 23:00
    assert is_working(hours, "UTC", utc(2026, 11, 28, 5, 59))  # Sat 05:59
    assert not is_working(hours, "UTC", utc(2026, 11, 28, 6, 0))
    assert not is_working(hours, "UTC", utc(2026, 11, 27, 21, 59))


def test_no_hours_means_always_available() -> None:
    assert is_working({}, "UTC", utc(2026, 11, 22, 3, 0))


def test_next_start() -> None:
    friday_evening = utc(2026, 11, 27, 18, 0)
    assert next_start(WEEKDAYS, "UTC", friday_evening) == utc(2026, 11, 30, 9, 0)  # Monday 09:00
    assert next_start(WEEKDAYS, "Europe/Berlin", friday_evening) == utc(2026, 11, 30, 8, 0)
    working = utc(2026, 11, 23, 10, 0)
    assert next_start(WEEKDAYS, "UTC", working) == working
    early = utc(2026, 11, 23, 6, 0)
    assert next_start(WEEKDAYS, "UTC", early) == utc(2026, 11, 23, 9, 0)
