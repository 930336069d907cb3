"""When a person can next answer in the chat (the widget's "typically replies" line): business
hours and the active reps' own working hours, both, read from a real store."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot.handoff import HandoffSettings, next_reply
from bot.store.schema import Rep
from tests.assignment.conftest import MONDAY_MORNING, WEEKDAYS, rep

OFFICE = HandoffSettings(business_hours="mon-fri 09:00-17:00")


def active(s) -> list[Rep]:
    return list(s.scalars(select(Rep).where(Rep.active.is_(True))))


def test_open_hours_with_a_rep_at_work_is_now(sessions) -> None:
    with sessions.begin() as s:
        rep(s, "Ana", hours=WEEKDAYS)
        assert next_reply(OFFICE, active(s), MONDAY_MORNING) == MONDAY_MORNING


def test_without_reps_business_hours_alone_decide(sessions) -> None:
    with sessions.begin() as s:
        saturday = MONDAY_MORNING - timedelta(days=2)
        assert next_reply(OFFICE, active(s), saturday) == datetime(2026, 11, 23, 9, tzinfo=timezone.utc)


def test_open_hours_wait_for_the_first_rep_to_start(sessions) -> None:
    with sessions.begin() as s:
        rep(s, "NewYork", tz="America/New_York", hours=WEEKDAYS)  # 09:00 in New York is 14:00 UTC
        rep(s, "Late", tz="UTC", hours={"mon": ["15:00", "20:00"]})
        assert next_reply(OFFICE, active(s), MONDAY_MORNING) == datetime(2026, 11, 23, 14, tzinfo=timezone.utc)


def test_a_rep_who_works_only_outside_business_hours_is_not_counted(sessions) -> None:
    with sessions.begin() as s:
        night = rep(s, "Night", hours={d: ["18:00", "23:00"] for d in ("mon", "tue")})
        rep(s, "Thursday", hours={"thu": ["11:00", "12:00"]})
        assert next_reply(OFFICE, active(s), MONDAY_MORNING) == datetime(2026, 11, 26, 11, tzinfo=timezone.utc)
        s.delete(s.get(Rep, next(r.id for r in active(s) if r.name == "Thursday")))
        s.flush()
        # Nobody ever works in business hours: the business hours are the best promise left.
        assert next_reply(OFFICE, [night], MONDAY_MORNING) == MONDAY_MORNING
