"""Assignment on both backends, with leads stored concurrently: round robin stays fair
(on PostgreSQL the reps are locked while one transaction chooses) and no lead is lost."""
from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timezone

from sqlalchemy import select

from bot.assignment.reps import RepChanges, add_rep, add_team
from bot.intake import LeadIntake, Spool
from bot.store.schema import Lead, Notification, OutboxEvent
from tests.store.builders import submission

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


def test_concurrent_intakes_share_leads_fairly(sessions, tmp_path) -> None:
    with sessions.begin() as s:
        add_team(s, "sales", now=NOW)
        for name in ("ana", "ben", "cy"):
            add_rep(s, name.title(), f"{name}@seller.example", now=NOW, changes=RepChanges(team="sales"))
    intake = LeadIntake(sessions, Spool(tmp_path / "spool"))
    errors: list[BaseException] = []

    def visitors(first: int) -> None:
        try:
            for i in range(first, first + 6):
                result = intake.submit(submission(f"conv-{i}", email=f"buyer@company{i}.example"), now=NOW)
                assert result.stored
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=visitors, args=(k * 6,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with sessions() as s:
        owners = Counter(lead.owner.name for lead in s.scalars(select(Lead)))
        assigned_events = s.scalars(select(OutboxEvent).where(OutboxEvent.event_type == "lead.assigned")).all()
        cards = s.scalars(select(Notification)).all()
    assert sum(owners.values()) == 12 and set(owners.values()) == {4}, owners
    assert len(assigned_events) == 12 and len(cards) == 12
