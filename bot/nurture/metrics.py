"""How nurture is doing, counted from the enrollments' stamps and the e-mails' rows.

`sent`: e-mails delivered; `clicked`: leads that followed a tracked link; `reengaged`: leads
who wrote to the bot again after an e-mail; `qualified`: leads that qualified while in a
sequence, after at least one e-mail; `unsubscribed`. Leads enrolled in [since, until).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.schema import NurtureEnrollment, NurtureMessage


@dataclass(frozen=True)
class NurtureMetrics:
    enrolled: int
    active: int
    paused: int
    sent: int
    dead: int
    clicked: int
    reengaged: int
    qualified: int
    unsubscribed: int

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def nurture_metrics(session: Session, *, since: datetime | None = None, until: datetime | None = None) -> NurtureMetrics:
    where = []
    if since is not None:
        where.append(NurtureEnrollment.enrolled_at >= since)
    if until is not None:
        where.append(NurtureEnrollment.enrolled_at < until)
    e = NurtureEnrollment
    row = session.execute(select(
        func.count(e.id),
        func.count(e.id).filter(e.state == "active"),
        func.count(e.id).filter(e.state == "paused"),
        func.count(e.clicked_at), func.count(e.reengaged_at), func.count(e.qualified_at), func.count(e.unsubscribed_at),
    ).where(*where)).one()
    messages = dict(session.execute(
        select(NurtureMessage.status, func.count(NurtureMessage.id)).join(e).where(*where).group_by(NurtureMessage.status)
    ).all())
    return NurtureMetrics(enrolled=row[0], active=row[1], paused=row[2], sent=messages.get("sent", 0),
                          dead=messages.get("dead", 0), clicked=row[3], reengaged=row[4], qualified=row[5],
                          unsubscribed=row[6])
