"""Assignment applied: owner, rule, reason, CRM event and lead card commit with the lead."""
from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.assignment.assign import assign_if_due, assign_to, assign_waiting, reassign_by_rules
from bot.intake import LeadIntake, Spool
from bot.store.errors import InvalidRep
from bot.store.schema import Lead, Notification, OutboxEvent
from tests.assignment.conftest import MONDAY_MORNING, lead, rep
from tests.store.builders import submission


def events(s, lead_id: int, kind: str = "lead.assigned") -> list[OutboxEvent]:
    return list(s.scalars(select(OutboxEvent).where(OutboxEvent.aggregate_id == lead_id,
                                                    OutboxEvent.event_type == kind)))


def cards(s, lead_id: int) -> list[Notification]:
    return list(s.scalars(select(Notification).where(Notification.lead_id == lead_id)))


def test_round_robin_spreads_leads_evenly_and_records_everything(sessions) -> None:
    with sessions.begin() as s:
        reps = [rep(s, n) for n in ("Ana", "Ben", "Cy")]
    owners = []
    for i in range(6):
        with sessions.begin() as s:
            new = lead(s, f"c{i}")
            result = assign_if_due(s, new.id, now=MONDAY_MORNING + timedelta(minutes=i))
            owners.append(result.rep_name)
    assert owners == ["Ana", "Ben", "Cy", "Ana", "Ben", "Cy"]
    with sessions() as s:
        first = s.scalars(select(Lead).order_by(Lead.id)).first()
        assert first.owner.name == "Ana" and first.assignment_rule == "round_robin"
        assert "Ana is next in turn among 3 available reps" in first.assignment_reason
        assert first.assigned_at == MONDAY_MORNING and first.current_deal().owner == "ana@seller.example"
        [event] = events(s, first.id)
        assert event.payload["rep_email"] == "ana@seller.example" and event.payload["rule"] == "round_robin"
        [card] = cards(s, first.id)
        assert card.rep_id == reps[0].id and card.channel == "email" and card.status == "pending"
        assert card.reason == "qualified"


def test_leads_that_are_not_due_get_no_owner(sessions) -> None:
    with sessions.begin() as s:
        rep(s, "Ana")
        nurture = lead(s, "c1", status="nurture")
        assert assign_if_due(s, nurture.id, now=MONDAY_MORNING) is None
        assert nurture.owner_rep_id is None and not events(s, nurture.id) and not cards(s, nurture.id)


def test_asking_for_a_person_makes_any_lead_due(sessions) -> None:
    with sessions.begin() as s:
        rep(s, "Ana")
        asked = lead(s, "c1", status="nurture", human=True)
        result = assign_if_due(s, asked.id, now=MONDAY_MORNING)
        assert result.rep_name == "Ana" and cards(s, asked.id)[0].reason == "human_requested"


def test_each_step_happens_once_however_often_the_lead_is_saved(sessions) -> None:
    with sessions.begin() as s:
        rep(s, "Ana")
        owned = lead(s, "c1")
        assign_if_due(s, owned.id, now=MONDAY_MORNING)
        assert assign_if_due(s, owned.id, now=MONDAY_MORNING) is None
        assert len(events(s, owned.id)) == 1 and len(cards(s, owned.id)) == 1
        # The visitor, already assigned, now asks for a person: the owner hears of it, once.
        owned.human_requested = True
        result = assign_if_due(s, owned.id, now=MONDAY_MORNING)
        assert result is not None and result.notifications == 1
        assert assign_if_due(s, owned.id, now=MONDAY_MORNING) is None
        assert Counter(c.reason for c in cards(s, owned.id)) == {"qualified": 1, "human_requested": 1}
        assert len(events(s, owned.id)) == 1, "the owner did not change"


def test_a_lead_nobody_can_take_waits_and_is_announced_once(sessions, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "settings").mkdir()
    (tmp_path / "settings" / "notifications.yml").write_text(
        "fallback: {emails: [Manager@Seller.example], slack_webhook_env: SLACK_WEBHOOK_SALES}\n")
    monkeypatch.setenv("LEADBOT_SETTINGS_DIR", str(tmp_path / "settings"))
    with sessions.begin() as s:
        waiting = lead(s, "c1")
        result = assign_if_due(s, waiting.id, now=MONDAY_MORNING)
        assert result.rep_id is None and waiting.assignment_rule == "unassigned"
        announced = cards(s, waiting.id)
        assert {(c.channel, c.target, c.reason) for c in announced} == {
            ("email", "manager@seller.example", "qualified"), ("slack", "SLACK_WEBHOOK_SALES", "qualified")}
        assert all(c.rep_id is None for c in announced)
        assign_if_due(s, waiting.id, now=MONDAY_MORNING)
        assert len(cards(s, waiting.id)) == len(announced), "not announced again"
        assert not events(s, waiting.id)
    with sessions.begin() as s:
        rep(s, "Late")
        [done] = assign_waiting(s, now=MONDAY_MORNING)
        assert done.rep_name == "Late" and done.rule == "round_robin"
        assert assign_waiting(s, now=MONDAY_MORNING) == []


def test_manual_assignment_and_reassignment_by_rules(sessions) -> None:
    with sessions.begin() as s:
        ana, ben = rep(s, "Ana"), rep(s, "Ben")
        the_lead = lead(s, "c1")
        assign_if_due(s, the_lead.id, now=MONDAY_MORNING)
        assert the_lead.owner is ana
        moved = assign_to(s, the_lead.id, ben, now=MONDAY_MORNING, by="Maria")
        assert the_lead.owner is ben and the_lead.assignment_rule == "manual" and moved.reason == "Assigned by Maria."
        assert cards(s, the_lead.id)[-1].reason == "reassigned" and cards(s, the_lead.id)[-1].rep_id == ben.id
        with pytest.raises(InvalidRep, match="already owned by Ben"):
            assign_to(s, the_lead.id, ben, now=MONDAY_MORNING, by="Maria")
        again = reassign_by_rules(s, the_lead.id, now=MONDAY_MORNING)
        assert again.rep_name == "Ana", "the current owner is left out"
        assert [e.payload["rep_name"] for e in events(s, the_lead.id)] == ["Ana", "Ben", "Ana"]
        ben.active = False
        with pytest.raises(InvalidRep, match="inactive"):
            assign_to(s, the_lead.id, ben, now=MONDAY_MORNING, by="Maria")
        with pytest.raises(InvalidRep, match="no other rep is available"):
            reassign_by_rules(s, the_lead.id, now=MONDAY_MORNING)


def test_the_intake_assigns_in_the_transaction_that_stores_the_lead(sessions, tmp_path: Path) -> None:
    with sessions.begin() as s:
        rep(s, "Ana")
    intake = LeadIntake(sessions, Spool(tmp_path / "spool"))
    stored = intake.submit(submission("conv-a", email="ceo@globex.example"), now=MONDAY_MORNING)
    with sessions() as s:
        the_lead = s.get(Lead, stored.lead_id)
        assert the_lead.owner.name == "Ana" and events(s, the_lead.id) and cards(s, the_lead.id)


def test_a_broken_assignment_never_costs_the_lead(sessions, tmp_path: Path, monkeypatch, caplog) -> None:
    settings_dir = tmp_path / "settings"
    settings_dir.mkdir()
    (settings_dir / "assignment.yml").write_text("rules: [{name: x, pick: nonsense}]\n")
    monkeypatch.setenv("LEADBOT_SETTINGS_DIR", str(settings_dir))
    with sessions.begin() as s:
        rep(s, "Ana")
    intake = LeadIntake(sessions, Spool(tmp_path / "spool"))
    with caplog.at_level(logging.ERROR):
        stored = intake.submit(submission("conv-b"), now=MONDAY_MORNING)
    assert stored.stored and "assignment failed" in caplog.text
    with sessions() as s:
        the_lead = s.get(Lead, stored.lead_id)
        assert the_lead.owner_rep_id is None and the_lead.status == "qualified"
        assert not cards(s, the_lead.id) and not events(s, the_lead.id)
        assert events(s, the_lead.id, "lead.created"), "the lead and its CRM event are stored"


def test_the_intake_assigns_waiting_leads_once_a_rep_exists(sessions, tmp_path: Path) -> None:
    intake = LeadIntake(sessions, Spool(tmp_path / "spool"))
    waiting = intake.submit(submission("conv-w", email="ceo@initech.example"), now=MONDAY_MORNING)
    nurture = intake.submit(submission("conv-n", email="x@hooli.example", status="nurture"), now=MONDAY_MORNING)
    assert intake.assign_waiting(now=MONDAY_MORNING) == 0
    with sessions.begin() as s:
        rep(s, "Ana")
    assert intake.assign_waiting(now=MONDAY_MORNING) == 1
    with sessions() as s:
        assert s.get(Lead, waiting.lead_id).owner.name == "Ana"
        assert s.get(Lead, nurture.lead_id).owner_rep_id is None, "nurture leads are not due"
    assert intake.assign_waiting(now=MONDAY_MORNING) == 0
