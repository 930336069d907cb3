"""What a change read back from the CRM means for the store: the one rule, per field.

For each synced field (stage, amount, lost reason, owner) of a lead, with the value both
sides last agreed (`crm_sync/sync_state.py`) and leadbot's value now:

1. The CRM's value is the agreed one: our own write read back (or nothing new). Nothing
   is stored and nothing is sent again.
2. Older than the agreement (the CRM changed it before our last write of it): our write
   was the later one and stands. Logged as `stale`, unless the CRM says an integration made
   it (an earlier write of ours, reported late).
3. Leadbot's value is already the CRM's: they agree now.
4. Leadbot changed the field too since the agreement (a conflict): **the last writer wins
   per field**. The CRM's change is applied if it is newer than ours (`conflict_crm_won`,
   our value stays in the stage history or the log); else ours stands and is sent as usual
   (`conflict_leadbot_won`, the CRM's value kept in the log). The lead page shows both.
5. Otherwise the CRM's change is applied (`applied`).

Applied changes go through the store's own functions (`move_stage`, `assign_to`), so stage
history and every metric see them, named after the CRM (`changed_by: hubspot`). The
outbox events they write carry `origin` = the CRM, and the sync worker does not send
them back. Notes written in the CRM become leadbot notes once (by their CRM id); ours,
read back, are recognised by the event marker they carry.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.assignment.assign import assign_to
from bot.store.errors import StoreError
from bot.store.repository import checked_money, move_stage
from bot.store.schema import CrmChange, CrmLink, Deal, Lead, Note, OutboxEvent, Rep
from crm_sync.readback import Change
from crm_sync.readback.vocabulary import Vocabulary
from crm_sync.sync_state import agree, agreed, amount_text

OUR_MARKER = "leadbot-event-"  # what our notes in a CRM end with (crm_sync/hubspot.py, pipedrive.py)


@dataclass
class ReadBackReport:
    """What a batch of changes did, by outcome ("applied", "echo", "unknown", ...)."""

    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def applied(self) -> int:
        return self.outcomes["applied"] + self.outcomes["conflict_crm_won"]

    def add(self, other: "ReadBackReport") -> None:
        self.outcomes.update(other.outcomes)


def apply_changes(session: Session, changes: Iterable[Change], vocabulary: Vocabulary, *, now: datetime) -> ReadBackReport:
    """Apply a batch of read-back changes in the caller's transaction."""
    report = ReadBackReport()
    for change in changes:
        report.outcomes[_apply_one(session, change, vocabulary, now)] += 1
    return report


def lead_of(session: Session, crm: str, change: Change) -> Lead | None:
    """The lead a CRM object belongs to: by the link we keep, else by the lead id it carries."""
    lead_id = session.scalar(select(CrmLink.lead_id).where(
        CrmLink.crm == crm, CrmLink.object_type == change.object_type, CrmLink.external_id == change.object_id))
    if lead_id is None:
        lead_id = change.lead_id
    return session.get(Lead, lead_id) if lead_id is not None else None


def _apply_one(session: Session, change: Change, vocab: Vocabulary, now: datetime) -> str:
    lead = lead_of(session, vocab.crm, change)
    if lead is None:
        return "unknown"  # not a lead of ours (created in the CRM), or erased
    if change.key and session.scalar(select(CrmChange.id).where(CrmChange.crm == vocab.crm,
                                                                CrmChange.change_key == change.key)):
        return "seen"
    if change.field == "note":
        return _note(session, lead, change, vocab, now)
    if change.ignored and change.field == "owner":
        return "unmapped"  # every record has some owner; only our reps' are news
    if change.ignored:
        return _log(session, vocab, lead, change, "ignored", now, detail=change.ignored)
    deal = lead.current_deal()
    if deal is None and change.field != "owner":
        return "unknown"
    if change.field == "lost_reason" and (deal is None or deal.stage != vocab.pipeline.lost_stage.key):
        return "not_lost"  # a reason left on a deal reopened: it comes with the next change to lost
    agreement = agreed(session, vocab.crm, lead.id)
    base, base_at = agreement.get(change.field, (None, None))
    ours, ours_at = _local(lead, deal, change.field)
    if change.field in agreement and change.means(base):
        return "echo"
    if base_at is not None and change.changed_at <= base_at:
        if change.by_api:
            return "echo"  # an earlier write of ours, reported late
        return _log(session, vocab, lead, change, "stale", now, other=ours,
                    detail=f"leadbot wrote {base!r} to {vocab.label} later")
    if change.means(ours):
        agree(session, vocab.crm, lead.id, {change.field: ours}, change.changed_at)
        return "agreed"
    outcome = "applied"
    if change.field in agreement and ours != base:  # both sides changed it since they agreed
        if ours_at is not None and ours_at >= change.changed_at:
            return _log(session, vocab, lead, change, "conflict_leadbot_won", now, other=ours,
                        detail="leadbot's change is newer: it is sent to the CRM")
        outcome = "conflict_crm_won"
    error = _store(session, lead, deal, change, vocab, now)
    if error:
        return _log(session, vocab, lead, change, "ignored", now, other=ours, detail=error)
    agreed_values = {change.field: change.value}
    if change.field == "stage" and change.lost_reason and change.value == vocab.pipeline.lost_stage.key:
        agreed_values["lost_reason"] = change.lost_reason
    agree(session, vocab.crm, lead.id, agreed_values, change.changed_at)
    return _log(session, vocab, lead, change, outcome, now, other=ours if outcome != "applied" else None)


def _local(lead: Lead, deal: Deal | None, name: str) -> tuple[str | None, datetime | None]:
    """Leadbot's value of a synced field, and when it last changed."""
    if name == "owner":
        return (lead.owner.email if lead.owner else None), lead.assigned_at or lead.updated_at
    assert deal is not None
    if name == "stage":
        return deal.stage, deal.stage_entered_at or deal.updated_at
    if name == "amount":
        return amount_text(deal.value), deal.updated_at
    return deal.lost_reason, deal.closed_at or deal.updated_at


def _store(session: Session, lead: Lead, deal: Deal | None, change: Change, vocab: Vocabulary, now: datetime) -> str | None:
    """Apply the CRM's value through the store's functions; the reason it could not be, or None."""
    mark = session.scalar(select(func.max(OutboxEvent.id))) or 0
    try:
        with session.begin_nested():
            _write(session, lead, deal, change, vocab, now)
    except StoreError as exc:
        return str(exc)
    for event in session.scalars(select(OutboxEvent).where(OutboxEvent.id > mark, OutboxEvent.aggregate_id == lead.id)):
        event.payload = {**event.payload, "origin": vocab.crm}  # the CRM has it already: not sent back
    session.flush()
    return None


def _write(session: Session, lead: Lead, deal: Deal | None, change: Change, vocab: Vocabulary, now: datetime) -> None:
    # The change's own time, within what the history allows: after the deal's last change, never ahead of us.
    when = min(change.changed_at, now)
    if change.field == "owner":
        rep = session.scalar(select(Rep).where(Rep.email == change.value))
        if rep is None:
            raise StoreError(f"no rep with e-mail {change.value!r} (`leadbot reps add`)")
        assign_to(session, lead.id, rep, now=max(when, lead.assigned_at or when), by=vocab.crm)
        return
    assert deal is not None
    when = max(when, deal.stage_entered_at or when)
    if change.field == "stage":
        lost = change.value == vocab.pipeline.lost_stage.key
        reason = (change.lost_reason or deal.lost_reason or vocab.unknown_lost_reason) if lost else None
        move_stage(session, deal.id, change.value or "", now=when, by=vocab.crm, note=f"changed in {vocab.label}",
                   lost_reason=reason, pipeline=vocab.pipeline)
    elif change.field == "amount":
        deal.value = checked_money(float(change.value)) if change.value is not None else None
        deal.value_source, deal.updated_at = "manual", when
    elif change.field == "lost_reason":
        if deal.stage != vocab.pipeline.lost_stage.key:
            raise StoreError(f"the deal is {deal.stage!r} in leadbot, not lost: the reason is kept for when it is")
        deal.lost_reason, deal.updated_at = change.value, when
    session.flush()


def _note(session: Session, lead: Lead, change: Change, vocab: Vocabulary, now: datetime) -> str:
    body = (change.value or "").strip()
    if OUR_MARKER in body or not body:
        return "echo"
    session.add(Note(lead_id=lead.id, author=f"{vocab.label}", body=body[:10_000], created_at=min(change.changed_at, now)))
    lead.updated_at = now
    return _log(session, vocab, lead, change, "applied", now, value=body[:200])


def _log(session: Session, vocab: Vocabulary, lead: Lead, change: Change, outcome: str, now: datetime, *,
         other: str | None = None, detail: str | None = None, value: str | None = None) -> str:
    if value is None:
        value = change.value if change.value is not None or change.raw is None else str(change.raw)
    session.add(CrmChange(crm=vocab.crm, lead_id=lead.id, object_id=change.object_id, field=change.field,
                          value=value, other_value=other, outcome=outcome,
                          detail=detail, via=change.via, change_key=change.key, crm_changed_at=change.changed_at,
                          received_at=now))
    session.flush()
    return outcome
