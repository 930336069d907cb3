"""The hand-computed pipeline. Period under test: [2026-11-01, 2026-11-22 10:00) = [START, NOW).

Teams: T1 = reps 1, 2; T2 = rep 3. Deals (lead n has deal n), every time at 00:00 UTC:
  D1 rep1  created Oct 01: qualified Oct 01 -> meeting Oct 11 -> won Nov 10, 10,000 USD  (40 days)
  D2 rep2  created Oct 22: qualified Oct 22 -> lost Nov 05 (price_above_budget), 5,000 USD
  D3 rep3  created Nov 02: qualified Nov 02 -> meeting Nov 04 -> proposal Nov 06 -> won Nov 12, 20,000 USD (10 days)
  D4 rep1  created Nov 01: new Nov 01, open, 3,000 EUR              (stuck: 21 days in new, limit 7)
  D5 rep3  created Nov 15: qualified Nov 15 -> proposal Nov 20, open, 8,000 USD
  D6 rep2  created Sep 01: qualified Sep 01 -> lost Sep 20 (wrong_timing), 4,000 USD   (before the period)
  D7 none  created Nov 03: qualified Nov 03 -> lost Nov 08 (chose_competitor), no value
  D8 rep1  created Nov 05: qualified Nov 05 -> meeting Nov 05 06:00 -> won Nov 06, merged into D4
           on Nov 06: never counted
Conversations (funnel), started at 00:00:
  C1 rest     Nov 02: need budget authority timeline contact qualified, lead 1 (rep1)
  C2 rest     Nov 03: need
  C3 socketio Nov 04: need timeline authority (no budget)
  C4 socketio Nov 05: handed_to_rep
  C5 rest     Oct 01: need   (before the period)
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy.orm import Session

from bot.funnel import record_progress
from bot.store.repository import record_stage, stay_days
from bot.store.schema import Deal, Lead, Rep, Team

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
START = datetime(2026, 11, 1, tzinfo=timezone.utc)


def day(month: int, d: int) -> datetime:
    return datetime(2026, month, d, tzinfo=timezone.utc)


DEALS = [
    # id, owner, created, [(stage, when)], value, currency, lost_reason
    (1, 1, day(10, 1), [("qualified", day(10, 1)), ("meeting", day(10, 11)), ("won", day(11, 10))], 10000, "USD", None),
    (2, 2, day(10, 22), [("qualified", day(10, 22)), ("lost", day(11, 5))], 5000, "USD", "price_above_budget"),
    (3, 3, day(11, 2), [("qualified", day(11, 2)), ("meeting", day(11, 4)), ("proposal", day(11, 6)),
                        ("won", day(11, 12))], 20000, "USD", None),
    (4, 1, day(11, 1), [("new", day(11, 1))], 3000, "EUR", None),
    (5, 3, day(11, 15), [("qualified", day(11, 15)), ("proposal", day(11, 20))], 8000, "USD", None),
    (6, 2, day(9, 1), [("qualified", day(9, 1)), ("lost", day(9, 20))], 4000, "USD", "wrong_timing"),
    (7, None, day(11, 3), [("qualified", day(11, 3)), ("lost", day(11, 8))], None, None, "chose_competitor"),
]


def _lead(session: Session, lead_id: int, owner: int | None, created: datetime) -> None:
    session.add(Lead(id=lead_id, email=f"p{lead_id}@fixture.example", status="qualified", score=80, grade="A",
                     score_breakdown=[], scoring_version="fixture", raw_answers={}, channel="rest",
                     conversation_id=f"conv-{lead_id}", conversation_date=created.date(), source={},
                     transcript=[], owner_rep_id=owner, created_at=created, updated_at=created))


def build(session: Session) -> None:
    session.add_all([Team(id=1, name="T1", created_at=NOW), Team(id=2, name="T2", created_at=NOW)])
    for rep_id, team in ((1, 1), (2, 1), (3, 2)):
        session.add(Rep(id=rep_id, name=f"Rep {rep_id}", email=f"rep{rep_id}@fixture.example", team_id=team,
                        territories=[], working_hours={}, notify={}, created_at=NOW, updated_at=NOW))
    session.flush()
    for deal_id, owner, created, path, value, currency, reason in DEALS:
        _lead(session, deal_id, owner, created)
        session.flush()
        closed = path[-1][1] if path[-1][0] in ("won", "lost") else None
        deal = Deal(id=deal_id, lead_id=deal_id, stage=path[-1][0], value=value, currency=currency,
                    lost_reason=reason, created_at=created, updated_at=path[-1][1], closed_at=closed,
                    days_to_close=stay_days(created, closed) if closed else None)
        session.add(deal)
        session.flush()
        previous = None
        for stage, when in path:
            record_stage(session, deal, previous, stage, now=when, by="fixture")
            previous = stage
    # D8: merged into D4's lead, closed by the merge; never counted.
    _lead(session, 8, 1, day(11, 5))
    session.flush()
    session.add(Deal(id=8, lead_id=8, stage="won", value=99999, currency="USD", merged_into_id=4,
                     created_at=day(11, 5), updated_at=day(11, 6), closed_at=day(11, 6)))
    session.flush()
    merged = session.get(Deal, 8)  # its stays, in the period, must never count either
    for previous, stage, when in ((None, "qualified", day(11, 5)), ("qualified", "meeting", datetime(2026, 11, 5, 6, tzinfo=timezone.utc)),
                                  ("meeting", "won", day(11, 6))):
        record_stage(session, merged, previous, stage, now=when, by="x")
    session.flush()
    for conv, channel, started, steps, lead_id in (
        ("C1", "rest", day(11, 2), ["need", "budget", "authority", "timeline", "contact", "qualified"], 1),
        ("C2", "rest", day(11, 3), ["need"], None),
        ("C3", "socketio", day(11, 4), ["need", "timeline", "authority"], None),
        ("C4", "socketio", day(11, 5), ["handed_to_rep"], None),
        ("C5", "rest", day(10, 1), ["need"], None),
    ):
        record_progress(session, conv, channel, [], now=started)
        record_progress(session, conv, channel, steps, now=started, lead_id=lead_id)


__all__ = ["NOW", "START", "build", "date"]
