"""Slot finding and reading the visitor's choice: pure functions, tables of cases. The rep
works mon-fri 09:00-17:00 in Berlin; it is Friday 4 December 2026, 09:00 in Berlin."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.meetings.choice import DECLINED, NO_FIT, PICKED, REQUESTED, UNCLEAR, read_choice
from bot.meetings.slots import Slot, describe, free_slots, spread
from bot.meetings.timezones import read_timezone
from tests.meetings.conftest import HOURS, NOW

HALF_HOUR = timedelta(minutes=30)
BERLIN = "Europe/Berlin"


def _free(busy=(), hours=HOURS, tz=BERLIN, now=NOW):
    return free_slots(hours, tz, busy, now=now, duration=HALF_HOUR, notice=timedelta(hours=2),
                      horizon=timedelta(days=14))


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_slots_lie_in_working_hours_after_the_notice_and_before_the_horizon() -> None:
    free = _free()
    assert describe(free[0], BERLIN) == "Fri 4 Dec, 11:00"  # 09:00 now + 2 h notice
    assert describe(free[-1], BERLIN) == "Thu 17 Dec, 16:30"  # the horizon: Fri 18 Dec, 09:00
    assert all(s.end - s.start == HALF_HOUR for s in free)
    assert len(free) == 12 + 9 * 16  # Friday from 11:00, then nine working days
    assert {describe(s, BERLIN)[:3] for s in free} == {"Mon", "Tue", "Wed", "Thu", "Fri"}


def test_busy_times_and_other_meetings_are_not_free() -> None:
    busy = [(_utc(2026, 12, 7, 8, 0), _utc(2026, 12, 7, 9, 15))]  # Mon 09:00-10:15 Berlin
    monday = [describe(s, BERLIN) for s in _free(busy) if describe(s, BERLIN).startswith("Mon 7")]
    assert monday[:2] == ["Mon 7 Dec, 10:30", "Mon 7 Dec, 11:00"]


def test_a_window_past_midnight_and_the_default_of_no_hours_for_the_caller() -> None:
    night = {"fri": ["22:00", "02:00"]}
    starts = [describe(s, BERLIN) for s in _free(hours=night)][:9]
    assert starts[:2] == ["Fri 4 Dec, 22:00", "Fri 4 Dec, 22:30"] and starts[8] == "Fri 11 Dec, 22:00"


def test_daylight_saving_changes_keep_slots_on_the_local_grid() -> None:
    march = _utc(2027, 3, 26, 8, 0)  # Friday before the clocks go forward in Berlin
    after = [describe(s, BERLIN) for s in _free(now=march) if describe(s, BERLIN).startswith("Mon 29")]
    assert after[0] == "Mon 29 Mar, 09:00"


def test_offered_slots_spread_over_half_days_in_the_visitors_waking_hours() -> None:
    free = _free()
    assert [describe(s, BERLIN) for s in spread(free, BERLIN, count=3, per_day=2)] == [
        "Fri 4 Dec, 11:00", "Fri 4 Dec, 12:00", "Mon 7 Dec, 09:00"]
    new_york = spread(free, "America/New_York", count=3, per_day=2)
    assert [describe(s, "America/New_York") for s in new_york] == [
        "Fri 4 Dec, 08:00", "Mon 7 Dec, 08:00", "Tue 8 Dec, 08:00"]


FREE = _free()
OFFERED = spread(FREE, BERLIN, count=3, per_day=2)


@pytest.mark.parametrize("text, kind, expected", [
    # numbers and ordinals, as typed on channels without buttons
    ("1", PICKED, "Fri 4 Dec, 11:00"), ("2.", PICKED, "Fri 4 Dec, 12:00"), ("#3", PICKED, "Mon 7 Dec, 09:00"),
    ("the second one", PICKED, "Fri 4 Dec, 12:00"), ("option 1", PICKED, "Fri 4 Dec, 11:00"),
    ("last", PICKED, "Mon 7 Dec, 09:00"), ("7", UNCLEAR, None),
    # a button's payload
    (OFFERED[2].key(), PICKED, "Mon 7 Dec, 09:00"),
    # words: a day, a part of the day, a clock time
    ("Thursday after lunch", REQUESTED, "Thu 10 Dec, 13:00"), ("monday 2pm", REQUESTED, "Mon 7 Dec, 14:00"),
    ("tomorrow morning", NO_FIT, None), ("saturday", NO_FIT, None), ("today at 4", REQUESTED, "Fri 4 Dec, 16:00"),
    ("next week, morning", REQUESTED, "Mon 7 Dec, 09:00"), ("8 December 11:30", REQUESTED, "Tue 8 Dec, 11:30"),
    ("Wednesday at 10:15", REQUESTED, "Wed 9 Dec, 10:00"), ("tuesday after 3pm", REQUESTED, "Tue 8 Dec, 15:00"),
    ("friday before 10", REQUESTED, "Fri 11 Dec, 09:00"), ("at 8pm", NO_FIT, None),
    ("any time on thursday", REQUESTED, "Thu 10 Dec, 09:00"), ("Dec 9th at 11", REQUESTED, "Wed 9 Dec, 11:00"),
    # refusals and the rest
    ("no thanks", DECLINED, None), ("none of these", DECLINED, None), ("later", DECLINED, None),
    ("what is your pricing?", UNCLEAR, None), ("", UNCLEAR, None),
])
def test_the_visitors_choice(text: str, kind: str, expected: str | None) -> None:
    choice = read_choice(text, OFFERED, FREE, tz=BERLIN, now=NOW, duration=HALF_HOUR)
    assert (choice.kind, describe(choice.slot, BERLIN) if choice.slot else None) == (kind, expected)


def test_words_are_read_in_the_visitors_time_zone() -> None:
    choice = read_choice("monday at 9am", OFFERED, FREE, tz="America/New_York", now=NOW, duration=HALF_HOUR)
    assert describe(choice.slot, "America/New_York") == "Mon 7 Dec, 09:00"
    assert describe(choice.slot, BERLIN) == "Mon 7 Dec, 15:00"


def test_a_slot_key_round_trips() -> None:
    slot = OFFERED[0]
    assert Slot.from_key(slot.key(), HALF_HOUR) == slot
    assert Slot.from_key("yesterday", HALF_HOUR) is None


@pytest.mark.parametrize("text, zone", [
    ("Europe/Berlin", "Europe/Berlin"), ("berlin", "Europe/Berlin"), ("I'm in New York", "America/New_York"),
    ("London time", "Europe/London"), ("Sydney, Australia", "Australia/Sydney"), ("São Paulo", "America/Sao_Paulo"),
    ("CET", "Europe/Berlin"), ("pst", "America/Los_Angeles"), ("Pacific time", "America/Los_Angeles"),
    ("eastern", "America/New_York"), ("UTC", "UTC"), ("UTC+2", "Etc/GMT-2"), ("gmt -5", "Etc/GMT+5"),
    ("+05:30", None), ("UTC+20", None), ("no idea", None), ("Thursday after lunch", None), ("", None),
])
def test_the_visitors_time_zone(text: str, zone: str | None) -> None:
    assert read_timezone(text) == zone
