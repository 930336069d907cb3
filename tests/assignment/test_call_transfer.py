"""Where a phone call goes when the caller asks for a person (bot/handoff.py): the owning rep's
line when that rep can take it, else the hand-off settings' line, else a message is taken.
A real SQLite store; reps and leads made through the real code."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.assignment.reps import RepChanges, set_available, update_rep
from bot.handoff import HandoffPlan, HandoffSettings, call_transfer_number, rep_line
from bot.intake import LeadIntake, Spool
from bot.store.errors import InvalidRep
from bot.store.schema import Lead
from tests.assignment.conftest import MONDAY_MORNING, WEEKDAYS, rep
from tests.store.builders import submission

SUNDAY = MONDAY_MORNING - timedelta(days=1)
OPEN = HandoffPlan(open_now=True, next_opening=MONDAY_MORNING)
CLOSED = HandoffPlan(open_now=False, next_opening=MONDAY_MORNING)
DESK = "+14155550100"
ANA = "+14155550177"


@pytest.mark.parametrize(("plan", "desk", "owner", "expected"), [
    (OPEN, DESK, ANA, ANA),      # the owner at work: their line
    (OPEN, DESK, None, DESK),    # no owner line: the desk
    (OPEN, None, None, None),    # neither: a message
    (CLOSED, DESK, ANA, None),   # after hours: a message, whoever could answer
])
def test_where_a_call_is_put_through(plan, desk, owner, expected) -> None:
    assert call_transfer_number(HandoffSettings(call_transfer_to=desk), plan, owner) == expected


@pytest.mark.parametrize("line", ["+1 415 555 0100", "14155550100", "+1415", "+10000000000", "call me"])
def test_a_transfer_line_must_be_dialable_as_written(line) -> None:
    with pytest.raises(ValueError, match="E.164"):
        HandoffSettings(call_transfer_to=line)


def test_a_rep_line_is_stored_checked_and_only_used_while_they_can_answer(sessions) -> None:
    with sessions.begin() as s:
        ana = rep(s, "Ana", hours=WEEKDAYS)
        with pytest.raises(InvalidRep, match="E.164"):
            update_rep(s, ana, RepChanges(phone="415-555-0177"), now=MONDAY_MORNING)
        update_rep(s, ana, RepChanges(phone=ANA), now=MONDAY_MORNING)
        assert rep_line(ana, MONDAY_MORNING) == ANA
        assert rep_line(ana, SUNDAY) is None, "off duty by their own hours"
        set_available(s, ana, False, now=MONDAY_MORNING)
        assert rep_line(ana, MONDAY_MORNING) is None, "marked away on the dashboard"
        set_available(s, ana, True, now=MONDAY_MORNING)
        update_rep(s, ana, RepChanges(active=False), now=MONDAY_MORNING)
        assert rep_line(ana, MONDAY_MORNING) is None, "deactivated"
        update_rep(s, ana, RepChanges(active=True, phone=""), now=MONDAY_MORNING)
        assert ana.phone is None and rep_line(ana, MONDAY_MORNING) is None, "the line removed"


def test_the_intake_reads_the_owners_line_of_a_stored_lead(sessions, tmp_path: Path) -> None:
    with sessions.begin() as s:
        ana = rep(s, "Ana")
        update_rep(s, ana, RepChanges(phone=ANA), now=MONDAY_MORNING)
    intake = LeadIntake(sessions, Spool(tmp_path / "spool"))
    stored = intake.submit(submission("call-a", email="ceo@globex.example", human_requested=True),
                           now=MONDAY_MORNING)
    with sessions() as s:
        assert s.get(Lead, stored.lead_id).owner.name == "Ana"
    assert intake.owner_line(stored.lead_id, now=MONDAY_MORNING) == ANA
    assert intake.owner_line(10**6, now=MONDAY_MORNING) is None, "no such lead: no line"
