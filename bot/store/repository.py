"""The store's operations: save a conversation's lead, move deals, read, export, delete.

Transactions belong to the caller (`with sessions.begin() as session: save_lead(...)`):
these functions flush but never commit, so a caller can group several of them. Each
write runs inside a SAVEPOINT, so a failure half-way leaves nothing behind even if the
caller catches the error and commits other work.

Every change a CRM must hear about adds an `outbox` row in the same transaction, and
every stage change adds a `stage_history` row: the lead, its deal, the history and the
outbox are never out of step.
"""
from __future__ import annotations

import hashlib
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.formats import iso_utc, money
from bot.leads import LeadSubmission, TranscriptLine
from bot.store.errors import (
    DealNotFound,
    InvalidFilter,
    InvalidMoney,
    InvalidNote,
    InvalidTransition,
    LeadErased,
    LeadNotFound,
)
from bot.store.export import lead_to_export
from bot.store.pipeline import LEAD_STATUSES, PipelineSettings, load_pipeline_settings
from bot.store.schema import (
    MAX_MONEY,
    ConsentEvent,
    Deal,
    Lead,
    LinkedConversation,
    Note,
    OutboxEvent,
    Rep,
    StageHistory,
    Tombstone,
    as_id,
)

BOT = "bot"
MAX_NOTE_CHARS = 10_000


# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    """What `save_lead` did: which lead, whether it is new, and its deal's stage now."""

    lead_id: int
    created: bool
    stage: str
    deal_id: int | None = None
    merged_from: int | None = None  # id of a lead (same conversation, no email) merged in
    linked_to: int | None = None  # another conversation's lead whose e-mail this one gave


@dataclass(frozen=True)
class StageSummary:
    """One row of the pipeline board: deals in a stage and their value per currency."""

    stage: str
    label: str
    count: int
    value: dict[str | None, float] = field(default_factory=dict)  # None: currency not stated
    probability: float | None = None
    closed: bool = False
    configured: bool = True  # False: deals sit in a stage pipeline.yml no longer defines


@dataclass(frozen=True)
class DeletionResult:
    """What `delete_lead` removed, and the tombstone left for the CRM.

    `conversation_ids` are the conversations the lead was built from (its own, those
    whose consent it recorded, linked ones): the caller erases them outside the store too
    (the Rasa tracker store, the spool: `bot/erasure.py`). Kept in memory only."""

    lead_id: int
    deal_ids: tuple[int, ...]
    outbox_event_id: str
    conversation_ids: tuple[str, ...] = ()
    email_sha256: str | None = None
    phone_sha256: str | None = None


# --- helpers ---------------------------------------------------------------------------


def normalize_email(email: str | None) -> str | None:
    """Emails are compared case-insensitively and without surrounding spaces."""
    if email is None:
        return None
    email = email.strip().lower()
    return email or None


def email_hash(email: str) -> str:
    """SHA-256 of the normalised email: lets a CRM find a contact to delete without the address."""
    return sha256_hex(normalize_email(email) or "")


def sha256_hex(value: str) -> str:
    """The hex SHA-256 of a text: how a tombstone names an identifier without keeping it
    (a conversation id hashes as `bot.funnel.conversation_key` does; a phone is in E.164)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _require_aware(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be a timezone-aware datetime, got {now!r}")
    return now.astimezone(timezone.utc)


def _pipeline(pipeline: PipelineSettings | None) -> PipelineSettings:
    return pipeline if pipeline is not None else load_pipeline_settings()


def add_event(session: Session, event_type: str, lead_id: int, payload: dict[str, Any], now: datetime) -> OutboxEvent:
    """An outbox row for the CRM, in the caller's transaction (so it exists iff the change does)."""
    event = OutboxEvent(
        event_id=str(uuid.uuid4()),
        event_type=event_type,
        aggregate_type="lead",
        aggregate_id=lead_id,
        payload=payload,
        created_at=now,
        status="pending",
        attempts=0,
        next_attempt_at=now,
    )
    session.add(event)
    return event


def _stage_changed_payload(deal: Deal, entry: StageHistory, pipeline: PipelineSettings) -> dict[str, Any]:
    stage = next((s for s in pipeline.stages if s.key == deal.stage), None)
    return {
        "deal_id": deal.id,
        "lead_id": deal.lead_id,
        "from_stage": entry.from_stage,
        "to_stage": entry.to_stage,
        "probability": stage.probability if stage else None,
        "changed_at": iso_utc(entry.changed_at),
        "changed_by": entry.changed_by,
        "note": entry.note,
        "value": money(deal.value),
        "currency": deal.currency,
        "lost_reason": deal.lost_reason,
    }


def stay_days(entered: datetime | None, left: datetime) -> float | None:
    """Days from `entered` to `left` (a stay in a stage, a deal's time to close); never
    negative: clocks can disagree."""
    if entered is None:
        return None
    return max((left - entered).total_seconds() / 86400.0, 0.0)


def record_stage(session: Session, deal: Deal, from_stage: str | None, to_stage: str, *,
                 now: datetime, by: str, note: str | None = None) -> StageHistory:
    """Append the change of `deal` (whose `stage` the caller sets) to its history.

    The row also closes the stay in `from_stage`, which began at the deal's
    `stage_entered_at`; the deal is in `to_stage` from `now` on.
    """
    entered = deal.stage_entered_at if from_stage is not None else None
    entry = StageHistory(deal=deal, from_stage=from_stage, to_stage=to_stage, changed_at=now, changed_by=by,
                         note=note, from_entered_at=entered, stay_days=stay_days(entered, now))
    deal.stage_entered_at = now
    session.add(entry)
    return entry


def _open_deal(lead: Lead) -> Deal | None:
    return next((d for d in lead.deals if d.closed_at is None and d.merged_into_id is None), None)


# --- saving a conversation -------------------------------------------------------------


def save_lead(session: Session, submission: LeadSubmission, *, now: datetime,
              pipeline: PipelineSettings | None = None) -> SaveResult:
    """Store a conversation's lead: lead + deal + stage history + outbox, all or nothing.

    Deduplication: the same email (any case) updates that lead; without an email, the
    same conversation updates its lead. A conversation stored without an email that later
    gives one gets it; if another lead already has that email, the conversation's lead is
    merged into it (its deals, history and consent records move over, nothing is lost).
    The deal enters the stage `entry_stage` maps the lead's status to, and only ever moves
    forward automatically, never out of won or lost.
    """
    now = _require_aware(now)
    pipeline = _pipeline(pipeline)
    if is_stale(session, submission):
        raise LeadErased(f"lead {submission.lead_id} was erased; this conversation's earlier state is dropped")
    for attempt in (1, 2):
        try:
            with session.begin_nested():
                return _save(session, submission, now, pipeline)
        except IntegrityError:
            # Another process stored the same email between our read and our write; the
            # retry finds its lead and updates it instead of failing the conversation.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _save(session: Session, submission: LeadSubmission, now: datetime, pipeline: PipelineSettings) -> SaveResult:
    email = normalize_email(submission.qualification.contact.email)
    by_email = _lead_by_email(session, email) if email else None
    by_conversation = _lead_by_conversation(session, submission.conversation_id)

    linked_to: int | None = None
    if by_email is not None and by_email.conversation_id != submission.conversation_id and (
            by_conversation is None or by_conversation.id != by_email.id):
        # Another conversation's lead: typing its e-mail proves nothing, so this conversation
        # is kept beside that lead for its rep, never written over it (docs/security.md).
        linked_to = _link_conversation(session, by_email, submission, now).lead_id
        if by_conversation is None:
            session.flush()
            deal = by_email.current_deal()
            return SaveResult(by_email.id, False, deal.stage if deal else "", deal.id if deal else None,
                              linked_to=linked_to)
        email, by_email = None, None  # the conversation's own lead is updated, without that e-mail

    merged_from: int | None = None
    created = False
    if by_email is not None:
        lead = by_email
        if by_conversation is not None and by_conversation.id != lead.id and by_conversation.email is None:
            merged_from = by_conversation.id
            _merge(session, source=by_conversation, target=lead, now=now, pipeline=pipeline)
    elif by_conversation is not None:
        lead = by_conversation  # gains (or corrects) its email below
    else:
        lead = Lead(created_at=now, deals=[], consent_events=[])
        session.add(lead)
        created = True

    previous_conversation = lead.conversation_id
    before = None if created else crm_view(lead)
    _apply_submission(lead, submission, email, now)
    _record_consent(session, lead, submission, now)
    session.flush()  # the lead needs its id for the deal and the events

    deal, changes = _sync_deal(session, lead, submission, now, pipeline,
                               same_conversation=previous_conversation == submission.conversation_id)
    session.flush()
    if created:
        add_event(session, "lead.created", lead.id, lead_to_export(lead), now)
    elif crm_view(lead) != before:  # a message that changed nothing a CRM sees is no event
        add_event(session, "lead.updated", lead.id, lead_to_export(lead), now)
    for entry in changes:
        add_event(session, "deal.stage_changed", lead.id, _stage_changed_payload(deal, entry, pipeline), now)
    session.flush()
    return SaveResult(lead.id, created, deal.stage, deal.id, merged_from, linked_to)


def _link_conversation(session: Session, lead: Lead, s: LeadSubmission, now: datetime) -> LinkedConversation:
    """Record (or bring up to date) conversation `s` beside `lead`: its answers, the score
    they earn on their own and its transcript. The lead's fields, score and conversation
    stay as they are; the rep reads the linked conversation on the lead's page."""
    link = session.scalars(select(LinkedConversation).where(
        LinkedConversation.lead_id == lead.id, LinkedConversation.conversation_id == s.conversation_id)).first()
    if link is None:
        link = LinkedConversation(lead_id=lead.id, conversation_id=s.conversation_id, transcript=[],
                                  created_at=now, human_requested=False)
        session.add(link)
        lead.updated_at = now  # new for the rep to see
    q = s.qualification
    link.channel = s.channel
    link.answers = {
        "need": q.need.to_dict() if q.need else None,
        "budget": q.budget.to_dict() if q.budget else None,
        "authority": q.authority.to_dict() if q.authority else None,
        "timeline": q.timeline.to_dict() if q.timeline else None,
        "contact": q.contact.to_dict(),
    }
    link.score, link.status = s.score.score, s.score.status
    link.human_requested = bool(link.human_requested) or s.human_requested
    link.transcript = merged_transcript(link.transcript or [], s.transcript)
    link.updated_at = now
    return link


def is_stale(session: Session, submission: LeadSubmission) -> bool:
    """Whether `submission` is state from before its lead was erased: it names a lead that
    a tombstone of its own conversation names, and no lead of that id was stored from this
    conversation since (SQLite may give a new lead an erased lead's id)."""
    if submission.lead_id is None:
        return False
    erased_at = session.scalars(select(func.max(Tombstone.erased_at)).where(
        Tombstone.lead_id == submission.lead_id, Tombstone.kind == "conversation",
        Tombstone.key_sha256 == sha256_hex(submission.conversation_id))).first()
    if erased_at is None:
        return False
    live = session.get(Lead, submission.lead_id)
    return not (live is not None and live.conversation_id == submission.conversation_id
                and live.created_at >= erased_at)


def crm_view(lead: Lead) -> dict[str, Any]:
    """The lead as the export contract shows it, less `updated_at` (every save moves it):
    what a `lead.updated` event is worth writing for."""
    exported = lead_to_export(lead)
    exported.pop("updated_at", None)
    return exported


def _lead_by_email(session: Session, email: str) -> Lead | None:
    return session.scalars(select(Lead).where(Lead.email == email)).first()


def _lead_by_conversation(session: Session, conversation_id: str) -> Lead | None:
    query = (select(Lead).where(Lead.conversation_id == conversation_id)
             .order_by(Lead.updated_at.desc(), Lead.id.desc()).limit(1))
    return session.scalars(query).first()


def _apply_submission(lead: Lead, s: LeadSubmission, email: str | None, now: datetime) -> None:
    """The newest submission wins for answers and score (they must agree); contact details
    the visitor did not repeat, consent already recorded and a human request are kept."""
    q, score = s.qualification, s.score
    if email:
        lead.email = email
    lead.name = q.contact.name or lead.name
    lead.company = q.contact.company or lead.company
    lead.phone = q.contact.phone or lead.phone

    lead.status = score.status
    lead.score = score.score
    lead.grade = score.grade
    lead.score_breakdown = [asdict(d) for d in score.breakdown]
    lead.scoring_version = score.version
    lead.disqualified_by = score.disqualified_by

    lead.need = q.need.to_dict() if q.need else None
    lead.budget = q.budget.to_dict() if q.budget else None
    lead.authority = q.authority.to_dict() if q.authority else None
    lead.timeline = q.timeline.to_dict() if q.timeline else None
    lead.need_level = q.need.level if q.need else None
    lead.budget_min = q.budget.min if q.budget else None
    lead.budget_max = q.budget.max if q.budget else None
    lead.budget_currency = q.budget.currency if q.budget else None
    lead.budget_period = q.budget.period if q.budget else None
    target = q.timeline.target_date if q.timeline else None
    lead.timeline_target_date = datetime.fromisoformat(target).date() if target else None
    lead.authority_level = q.authority.level if q.authority else "unknown"
    lead.raw_answers = {
        "need": q.need.text if q.need else None,
        "budget": q.budget.text if q.budget else None,
        "authority": q.authority.text if q.authority else None,
        "timeline": q.timeline.text if q.timeline else None,
        "name": q.contact.name,
        "company": q.contact.company,
        "email": q.contact.email,
        "phone": q.contact.phone,
    }

    lead.channel = s.channel
    if s.experiment is not None and (lead.experiment, lead.variant) != s.experiment and (
            lead.experiment != s.experiment[0] or lead.variant is None):
        # a lead keeps the variant it first had in an experiment (the visitor's, bot/experiments)
        lead.experiment, lead.variant = s.experiment
    if s.language:  # the latest conversation's language: the one the visitor last spoke
        lead.language = s.language
    lead.conversation_id = s.conversation_id
    lead.conversation_date = s.conversation_date
    lead.human_requested = bool(lead.human_requested) or s.human_requested
    if s.handoff_state is not None and s.handoff_state != lead.handoff_state:
        lead.handoff_state, lead.handoff_at = s.handoff_state, now
    if s.consent_shown_at is not None:
        lead.consent_shown_at = s.consent_shown_at
        lead.consent_version = s.consent_version
    lead.source = {**(lead.source or {}), **{str(k): v for k, v in s.source.items()}}
    lead.transcript = merged_transcript(lead.transcript or [], s.transcript)
    lead.updated_at = now


def merged_transcript(stored: list[dict[str, Any]], lines: Iterable[TranscriptLine]) -> list[dict[str, Any]]:
    """The stored transcript plus every line it does not have yet, in order.

    A submission carries what the bot can see of the conversation now: after a session
    ends (an hour of silence, or the Rasa tracker store's bounded sessions) that is only
    the latest part, and a lead found again by e-mail brings another conversation.
    A line is its sender, text and time to the millisecond (a visitor who sends the same
    words twice does so milliseconds apart at least); lines stored before times had
    milliseconds match to the second.
    """
    merged = list(stored)
    have = Counter((line.get("sender"), line.get("text"), line.get("at")) for line in merged)
    for line in lines:
        row = {"sender": line.sender, "text": line.text,
               "at": line.at.astimezone(timezone.utc).isoformat(timespec="milliseconds")}
        key = (row["sender"], row["text"], row["at"])
        legacy = (row["sender"], row["text"], iso_utc(line.at))
        if have[key]:
            continue
        if have[legacy]:
            have[legacy] -= 1  # the same line, stored to the second
            continue
        have[key] += 1
        merged.append(row)
    return merged


def add_transcript_lines(session: Session, conversation_id: str, lines: Iterable[TranscriptLine], *,
                         now: datetime) -> int | None:
    """Merge a conversation's lines into its stored lead's transcript (nothing else changes).

    After the lead is stored, the bot keeps talking (questions, thanks, corrections it
    answers by rule): each message reaches the lead as it comes, so none depends on a
    later submission. The lead's id, or None when the conversation has no lead yet.
    """
    lead = _lead_by_conversation(session, conversation_id)
    if lead is None:
        lines = list(lines)
        for link in session.scalars(select(LinkedConversation).where(
                LinkedConversation.conversation_id == conversation_id)):
            link.transcript, link.updated_at = merged_transcript(link.transcript or [], lines), _require_aware(now)
        return None
    merged = merged_transcript(lead.transcript or [], lines)
    if len(merged) != len(lead.transcript or []):
        lead.transcript, lead.updated_at = merged, _require_aware(now)
    return lead.id


def _record_consent(session: Session, lead: Lead, s: LeadSubmission, now: datetime) -> None:
    """One consent event per conversation and notice shown (submissions repeat it)."""
    if s.consent_shown_at is None:
        return
    shown_at = s.consent_shown_at.astimezone(timezone.utc)
    for event in lead.consent_events:
        if (event.conversation_id == s.conversation_id and event.notice_version == s.consent_version
                and event.shown_at == shown_at):
            return
    lead.consent_events.append(ConsentEvent(
        conversation_id=s.conversation_id, shown_at=shown_at,
        notice_version=s.consent_version, recorded_at=now,
    ))


def _budget_value(s: LeadSubmission) -> tuple[float | None, str | None]:
    """The deal's value (`Budget.deal_value`), when it is an amount the store keeps."""
    budget = s.qualification.budget
    value = budget.deal_value() if budget is not None else None
    if value is None or not 0 <= value[0] <= MAX_MONEY:
        return None, None
    return value


def checked_money(value: float) -> float:
    """`value` when it is an amount the store keeps (0 to MAX_MONEY); else InvalidMoney. A
    1.7e308 deal would make every pipeline total infinite, which no page or JSON can show."""
    if not 0 <= value <= MAX_MONEY:  # NaN fails both comparisons
        raise InvalidMoney(f"a value must be a number from 0 to {MAX_MONEY:,}")
    return value


def _sync_deal(session: Session, lead: Lead, s: LeadSubmission, now: datetime,
               pipeline: PipelineSettings, *, same_conversation: bool) -> tuple[Deal, list[StageHistory]]:
    entry_stage = pipeline.entry_stage_for(lead.status)
    value, currency = _budget_value(s)
    deal = _open_deal(lead)
    if deal is None:
        closed = lead.current_deal()
        if closed is not None and same_conversation:
            # A rep already closed this conversation's deal; a late correction must not reopen it.
            return closed, []
        deal = Deal(lead=lead, stage=entry_stage, value=value, currency=currency, value_source="budget",
                    created_at=now, updated_at=now)
        session.add(deal)
        note = f"created from conversation {s.conversation_id} ({s.channel})"
        return deal, [record_stage(session, deal, None, entry_stage, now=now, by=BOT, note=note)]

    if deal.value_source == "budget" and (deal.value, deal.currency) != (value, currency):
        deal.value, deal.currency, deal.updated_at = value, currency, now
    if deal.stage not in pipeline.keys or pipeline.stage(deal.stage).closed:
        return deal, []  # a stage we cannot compare (removed from config) stays as it is
    if pipeline.sequence(entry_stage) <= pipeline.sequence(deal.stage):
        return deal, []  # never backwards automatically
    from_stage, deal.stage, deal.updated_at = deal.stage, entry_stage, now
    note = f"lead status {lead.status} (score {lead.score})"
    return deal, [record_stage(session, deal, from_stage, entry_stage, now=now, by=BOT, note=note)]


def _merge(session: Session, *, source: Lead, target: Lead, now: datetime, pipeline: PipelineSettings) -> None:
    """Fold an email-less conversation lead into the lead that owns the email.

    Deals move over with their history. If both have an open deal, the one further along
    stays open and the other is closed as merged (`merged_into_id`), so history and
    metrics keep every fact. The CRM gets a `lead.merged` event for the source lead.
    """
    source_open, target_open = _open_deal(source), _open_deal(target)
    if source_open is not None and target_open is not None:
        def rank(d: Deal) -> int:
            return pipeline.sequence(d.stage) if d.stage in pipeline.keys else -1
        keep, drop = (source_open, target_open) if rank(source_open) > rank(target_open) else (target_open, source_open)
        drop.closed_at, drop.merged_into_id, drop.updated_at = now, keep.id, now
        drop.days_to_close = stay_days(drop.created_at, now)
        session.flush()  # closed first: at most one open deal per lead, even mid-merge
    for deal in list(source.deals):
        deal.lead = target
    for event in list(source.consent_events):
        event.lead = target
    target.name = target.name or source.name
    target.company = target.company or source.company
    target.phone = target.phone or source.phone
    target.human_requested = bool(target.human_requested) or bool(source.human_requested)
    if target.followup_optin is None:
        target.followup_optin = source.followup_optin
    target.source = {**(source.source or {}), **(target.source or {})}
    target.created_at = min(target.created_at, source.created_at)
    session.flush()
    add_event(session, "lead.merged", source.id,
               {"lead_id": source.id, "merged_into": target.id, "merged_at": iso_utc(now)}, now)
    session.delete(source)
    session.flush()


# --- moving deals ----------------------------------------------------------------------


def move_stage(session: Session, deal_id: int, to_stage: str, *, now: datetime, by: str,
               note: str | None = None, value: float | None = None, currency: str | None = None,
               lost_reason: str | None = None, pipeline: PipelineSettings | None = None) -> Deal:
    """Move a deal to `to_stage` (any direction: this is a person's decision).

    Moving to the lost stage needs a configured `lost_reason`; won and lost close the deal;
    moving a closed deal to an open stage reopens it. A given `value` is set by hand from
    then on: the bot stops updating it from the budget.
    """
    now = _require_aware(now)
    pipeline = _pipeline(pipeline)
    value = checked_money(value) if value is not None else None
    deal = session.get(Deal, deal_id) if as_id(str(deal_id)) is not None else None
    if deal is None:
        raise DealNotFound(f"no deal with id {deal_id}; `leadbot leads show <lead>` shows a lead's deal id")
    target = pipeline.stage(to_stage)
    if deal.merged_into_id is not None:
        raise InvalidTransition(f"deal {deal_id} was merged into deal {deal.merged_into_id}; move that one")
    reason = pipeline.lost_reason(lost_reason).key if target.lost else None
    if lost_reason and not target.lost:
        raise InvalidTransition(
            f"a lost reason only applies when moving to the lost stage {pipeline.lost_stage.key!r}")
    if deal.stage == to_stage:
        raise InvalidTransition(f"deal {deal_id} is already in stage {to_stage!r}")
    if deal.closed_at is not None and not target.closed:
        other = _open_deal(deal.lead)
        if other is not None:
            raise InvalidTransition(
                f"lead {deal.lead_id} already has open deal {other.id}; close it before reopening deal {deal_id}")
    with session.begin_nested():
        from_stage = deal.stage
        deal.stage = target.key
        deal.updated_at = now
        deal.closed_at = now if target.closed else None
        deal.days_to_close = stay_days(deal.created_at, now) if target.closed else None
        deal.lost_reason = reason
        if value is not None:
            deal.value, deal.value_source = value, "manual"
        if currency is not None:
            deal.currency = currency.upper()
        entry = record_stage(session, deal, from_stage, target.key, now=now, by=by, note=note)
        session.flush()
        add_event(session, "deal.stage_changed", deal.lead_id, _stage_changed_payload(deal, entry, pipeline), now)
        session.flush()
    return deal


def add_note(session: Session, id_or_email: int | str, body: str, *, author: str, now: datetime) -> Note:
    """A rep's note on a lead; the CRM hears of it through a `note.added` event."""
    now = _require_aware(now)
    text = body.strip()
    if not text:
        raise InvalidNote("a note needs some text")
    if len(text) > MAX_NOTE_CHARS:
        raise InvalidNote(f"a note is at most {MAX_NOTE_CHARS} characters (this one has {len(text)})")
    with session.begin_nested():
        lead = get_lead(session, id_or_email)
        note = Note(lead_id=lead.id, author=author, body=text, created_at=now)
        session.add(note)
        lead.updated_at = now
        session.flush()
        add_event(session, "note.added", lead.id, {
            "lead_id": lead.id, "note_id": note.id, "author": author, "body": text,
            "created_at": iso_utc(now),
        }, now)
        session.flush()
    return note


def record_followup_optin(session: Session, conversation_id: str, opted_in: bool, *, now: datetime) -> int:
    """Record the visitor's yes/no to nurture follow-ups on the conversation's lead."""
    now = _require_aware(now)
    lead = _lead_by_conversation(session, conversation_id)
    if lead is None:
        raise LeadNotFound(f"no lead stored for conversation {conversation_id!r}")
    with session.begin_nested():
        lead.followup_optin, lead.updated_at = opted_in, now
        session.flush()
        add_event(session, "lead.updated", lead.id, lead_to_export(lead), now)
        session.flush()
    return lead.id


# --- reading ---------------------------------------------------------------------------


def get_lead(session: Session, id_or_email: int | str) -> Lead:
    """The lead with this id (a number) or email (any case); `LeadNotFound` otherwise."""
    key = str(id_or_email).strip()
    if key.isdigit():
        row_id = as_id(key)
        lead = session.get(Lead, row_id) if row_id is not None else None
        if lead is None:
            raise LeadNotFound(f"no lead with id {key}; `leadbot leads list` shows stored leads")
        return lead
    if "@" in key:
        lead = _lead_by_email(session, normalize_email(key) or "")
        if lead is None:
            raise LeadNotFound(f"no lead with email {key}; `leadbot leads list` shows stored leads")
        return lead
    raise LeadNotFound(f"{key!r} is neither a lead id (a number) nor an email address")


def list_leads(session: Session, status: str | None = None, limit: int = 50) -> list[Lead]:
    """Leads, most recently updated first, optionally of one status."""
    if status is not None and status not in LEAD_STATUSES:
        raise InvalidFilter(f"unknown status {status!r}; one of: {', '.join(LEAD_STATUSES)}")
    if limit < 1:
        raise InvalidFilter(f"limit must be at least 1, got {limit}")
    query = select(Lead).options(selectinload(Lead.deals)).order_by(Lead.updated_at.desc(), Lead.id.desc())
    if status is not None:
        query = query.where(Lead.status == status)
    return list(session.scalars(query.limit(limit)))


def pipeline_summary(session: Session, pipeline: PipelineSettings | None = None, *,
                     owner_rep_id: int | None = None, team_id: int | None = None,
                     leads: ColumnElement[bool] | None = None) -> list[StageSummary]:
    """Deals per stage and their value per currency, in pipeline order (empty stages too).

    Merged deals are not counted (their lead lives on in another deal). Stages found on
    deals but missing from pipeline.yml are listed last, so no deal silently disappears.
    `owner_rep_id` limits it to the leads one rep owns (a rep's own board), `team_id` to
    the leads owned by that team's reps, `leads` to the leads a condition lets through (the
    dashboard's search and owner filter).
    """
    pipeline = _pipeline(pipeline)
    query = (select(Deal.stage, Deal.currency, func.count(Deal.id), func.sum(Deal.value))
             .where(Deal.merged_into_id.is_(None)).group_by(Deal.stage, Deal.currency))
    if owner_rep_id is not None or team_id is not None:
        query = query.join(Lead, Lead.id == Deal.lead_id)
    if leads is not None:
        # the matching leads once, then the deals: a join looked each deal's lead up by its key
        # and tested the condition there (twice as slow at 100,000 leads, bench/README.md)
        query = query.where(Deal.lead_id.in_(select(Lead.id).where(leads)))
    if owner_rep_id is not None:
        query = query.where(Lead.owner_rep_id == owner_rep_id)
    if team_id is not None:
        query = query.join(Rep, Rep.id == Lead.owner_rep_id).where(Rep.team_id == team_id)
    rows = session.execute(query).all()
    counts: dict[str, int] = defaultdict(int)
    values: dict[str, dict[str | None, float]] = defaultdict(dict)
    for stage, currency, count, total in rows:
        counts[stage] += count
        if total is not None:
            values[stage][currency] = money(float(total))  # type: ignore[assignment]
    summary = [
        StageSummary(s.key, s.label, counts.get(s.key, 0), dict(values.get(s.key, {})), s.probability, s.closed)
        for s in pipeline.stages
    ]
    for stage in sorted(set(counts) - set(pipeline.keys)):
        summary.append(StageSummary(stage, stage, counts[stage], dict(values.get(stage, {})), None, False, False))
    return summary


def export_leads(session: Session) -> list[dict[str, Any]]:
    """Every lead in the export-contract form, oldest first."""
    query = select(Lead).options(selectinload(Lead.deals)).order_by(Lead.id)
    return [lead_to_export(lead) for lead in session.scalars(query)]


def export_person(session: Session, email: int | str) -> dict[str, Any]:
    """Everything stored about the person with this email, or the lead with this id (a
    conversation that never gave an email): a data-subject access request."""
    lead = get_lead(session, email)
    outbox = session.scalars(
        select(OutboxEvent).where(OutboxEvent.aggregate_type == "lead", OutboxEvent.aggregate_id == lead.id)
        .order_by(OutboxEvent.id)
    )
    return {
        "email": lead.email,
        "phone": lead.phone,
        "lead": lead_to_export(lead),
        "answers": {"need": lead.need, "budget": lead.budget, "authority": lead.authority,
                    "timeline": lead.timeline},
        "raw_answers": dict(lead.raw_answers or {}),
        "transcript": list(lead.transcript or []),
        "consent_events": [
            {"conversation_id": e.conversation_id, "shown_at": iso_utc(e.shown_at),
             "notice_version": e.notice_version, "recorded_at": iso_utc(e.recorded_at)}
            for e in lead.consent_events
        ],
        "deals": [
            {
                "id": d.id, "stage": d.stage, "value": money(d.value), "currency": d.currency,
                "lost_reason": d.lost_reason, "owner": d.owner, "merged_into_id": d.merged_into_id,
                "created_at": iso_utc(d.created_at), "updated_at": iso_utc(d.updated_at),
                "closed_at": iso_utc(d.closed_at),
                "history": [
                    {"from_stage": h.from_stage, "to_stage": h.to_stage, "changed_at": iso_utc(h.changed_at),
                     "changed_by": h.changed_by, "note": h.note}
                    for h in d.history
                ],
            }
            for d in lead.deals
        ],
        "notes": [
            {"author": n.author, "body": n.body, "created_at": iso_utc(n.created_at)} for n in lead.notes
        ],
        # Other conversations that gave this e-mail (kept beside the lead, not merged into it).
        "linked_conversations": [
            {"conversation_id": c.conversation_id, "channel": c.channel, "answers": c.answers, "score": c.score,
             "status": c.status, "human_requested": c.human_requested, "transcript": list(c.transcript or []),
             "created_at": iso_utc(c.created_at), "updated_at": iso_utc(c.updated_at)}
            for c in lead.linked_conversations
        ],
        # Who received (or will receive) the data: the CRM sync, event by event.
        "disclosures": [
            {"event_id": e.event_id, "event_type": e.event_type, "created_at": iso_utc(e.created_at),
             "status": e.status, "delivered_at": iso_utc(e.delivered_at)}
            for e in outbox
        ],
    }


# --- deleting --------------------------------------------------------------------------


def conversations_of(lead: Lead) -> tuple[str, ...]:
    """Every conversation a lead was built from: its own, those whose consent it recorded,
    the linked ones. What an export or an erasure must reach outside the store too."""
    return tuple(dict.fromkeys([lead.conversation_id, *(e.conversation_id for e in lead.consent_events),
                                *(c.conversation_id for c in lead.linked_conversations)]))


def delete_lead(session: Session, id_or_email: int | str, *, now: datetime) -> DeletionResult:
    """Erase a lead: the lead, its deals, their history, its consent records, its linked
    conversations, and the outbox events that carry its data. Leaves tombstones holding
    only hashes (`tombstones`: its conversations, e-mail and phone, so that no copy of it
    is stored again) and one `lead.deleted` outbox event with ids and the e-mail's hash,
    so the CRM sync deletes the CRM's copy too. What lies outside the store (the Rasa
    tracker store, the spool) is the caller's: `bot.erasure.erase_lead` does all of it."""
    now = _require_aware(now)
    with session.begin_nested():
        lead = get_lead(session, id_or_email)
        lead_id = lead.id
        deal_ids = tuple(d.id for d in lead.deals)
        conversations = conversations_of(lead)
        hashes = {"email": email_hash(lead.email) if lead.email else None,
                  "phone": sha256_hex(lead.phone) if lead.phone else None}
        for kind, key in [*(("conversation", sha256_hex(c)) for c in conversations), *hashes.items()]:
            if key:
                session.add(Tombstone(lead_id=lead_id, kind=kind, key_sha256=key, erased_at=now))
        payload = {
            "lead_id": lead_id,
            "deal_ids": list(deal_ids),
            "email_sha256": hashes["email"],
            "deleted_at": iso_utc(now),
        }
        session.execute(delete(OutboxEvent).where(
            OutboxEvent.aggregate_type == "lead", OutboxEvent.aggregate_id == lead_id))
        session.delete(lead)
        session.flush()
        tombstone = add_event(session, "lead.deleted", lead_id, payload, now)
        session.flush()
    return DeletionResult(lead_id, deal_ids, tombstone.event_id, conversations, hashes["email"], hashes["phone"])


def forget_conversation(session: Session, conversation_id: str, *, now: datetime) -> DeletionResult | None:
    """A visitor's erasure request from the chat: the lead this conversation owns is deleted
    (`delete_lead`), and what it left on other leads (linked conversations) goes too. The
    deletion, or None when the conversation owns no lead."""
    now = _require_aware(now)
    with session.begin_nested():
        session.execute(delete(LinkedConversation).where(LinkedConversation.conversation_id == conversation_id))
        lead = _lead_by_conversation(session, conversation_id)
        result = delete_lead(session, lead.id, now=now) if lead is not None else None
        session.flush()
    return result


__all__: Sequence[str] = (
    "SaveResult", "StageSummary", "DeletionResult", "normalize_email", "email_hash",
    "save_lead", "move_stage", "add_note", "record_followup_optin", "get_lead", "list_leads",
    "pipeline_summary", "export_leads", "export_person", "delete_lead", "forget_conversation",
    "conversations_of", "is_stale", "sha256_hex", "record_stage",
    "stay_days",
)
