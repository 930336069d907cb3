"""Reps marked available or away: a visitor who asks for a person goes to a rep at their desk
first; qualified leads keep their round robin; away reps still take hand-offs nobody else can."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.assignment.assign import assign_if_due
from bot.assignment.engine import FALLBACK_NEXT_AVAILABLE
from bot.assignment.reps import set_available
from bot.store.schema import Rep
from tests.assignment.conftest import MONDAY_MORNING, WEEKDAYS, lead, rep


def away(s, *reps: Rep) -> None:
    for r in reps:
        set_available(s, r, False, now=MONDAY_MORNING - timedelta(minutes=30))


def test_a_hand_off_goes_to_a_rep_marked_available(sessions) -> None:
    with sessions.begin() as s:
        ana, ben, cy = rep(s, "Ana"), rep(s, "Ben"), rep(s, "Cy")
        away(s, ana, cy)  # Ana is next in turn, but away
        asked = lead(s, "c1", status="nurture", human=True)
        result = assign_if_due(s, asked.id, now=MONDAY_MORNING)
        assert result.rep_id == ben.id and result.rule == "round_robin"
        assert "the only available rep" in result.reason and "Marked available on the dashboard." in result.reason


def test_qualified_leads_keep_their_turn_whoever_is_away(sessions) -> None:
    with sessions.begin() as s:
        ana, _ben = rep(s, "Ana"), rep(s, "Ben")
        away(s, ana)
        result = assign_if_due(s, lead(s, "c1").id, now=MONDAY_MORNING)
        assert result.rep_id == ana.id and "Marked available" not in result.reason


def test_a_rep_at_their_desk_beats_an_earlier_rule_whose_rep_is_away(sessions) -> None:
    with sessions.begin() as s:
        dieter = rep(s, "Dieter", territories=["DACH"])
        zed = rep(s, "Zed")
        away(s, dieter)
        asked = lead(s, "c1", email="anna@firma.de", human=True)
        result = assign_if_due(s, asked.id, now=MONDAY_MORNING)
        assert result.rep_id == zed.id and result.rule == "round_robin"
        # Back at the desk: the territory rule applies again.
        set_available(s, dieter, True, now=MONDAY_MORNING)
        again = lead(s, "c2", email="jonas@werk.at", human=True)
        assert assign_if_due(s, again.id, now=MONDAY_MORNING).rep_id == dieter.id


def test_when_everyone_is_away_the_rules_decide_as_before(sessions) -> None:
    with sessions.begin() as s:
        ana, ben = rep(s, "Ana"), rep(s, "Ben")
        ana.last_assigned_at = MONDAY_MORNING - timedelta(minutes=1)
        away(s, ana, ben)
        result = assign_if_due(s, lead(s, "c1", human=True).id, now=MONDAY_MORNING)
        assert result.rep_id == ben.id and "Marked available" not in result.reason


def test_available_but_off_duty_is_not_at_work(sessions) -> None:
    """Working hours still say who is on duty: marked available after hours counts for nothing."""
    with sessions.begin() as s:
        berlin = rep(s, "Berlin", tz="Europe/Berlin", hours=WEEKDAYS)
        ny = rep(s, "NewYork", tz="America/New_York", hours=WEEKDAYS)
        away(s, berlin)
        # 10:00 UTC: Berlin at work but away; New York available but asleep (05:00).
        result = assign_if_due(s, lead(s, "c1", human=True).id, now=MONDAY_MORNING)
        assert result.rep_id == berlin.id and result.rule == "round_robin"
        # 23:00 UTC: nobody at work; the next to start takes it, away or not.
        late = assign_if_due(s, lead(s, "c2", human=True).id, now=MONDAY_MORNING + timedelta(hours=13))
        assert late.rule == FALLBACK_NEXT_AVAILABLE and late.rep_id == berlin.id
        assert ny.available


def test_marking_is_stored_with_its_time(sessions) -> None:
    with sessions.begin() as s:
        ana = rep(s, "Ana")
        assert ana.available and ana.available_changed_at is None
        set_available(s, ana, False, now=MONDAY_MORNING)
        set_available(s, ana, False, now=MONDAY_MORNING + timedelta(hours=1))  # no change: the time stays
    with sessions() as s:
        stored = s.scalars(select(Rep).where(Rep.name == "Ana")).one()
        assert stored.available is False and stored.available_changed_at == MONDAY_MORNING
