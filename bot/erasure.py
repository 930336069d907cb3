"""Erasing a person everywhere leadbot keeps them, and exporting from the same places.

A lead lives in four places: the pipeline store (the lead, its deals, notes, consent
records, linked conversations, nurture enrollments and e-mails, outbox), the CRM (reached through the outbox's
`lead.deleted` event), the spool (a conversation's state kept while the store was down) and
Rasa's tracker store (every event of each of its conversations). `erase_lead` reaches each:
the copies outside the store first, so a failure there leaves the lead in place to try again,
then the store, whose tombstones make the store refuse any copy that was missed or written
meanwhile (`bot.store.repository.is_stale`). `export_person` reads the same places.
The CLI (`leadbot leads delete`), the dashboard and the chat itself (`actions/erasure.py`)
all call these. docs/security.md, "Deletion", tells the whole path.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.intake import Spool, submission_to_json
from bot.store.db import data_dir
from bot.store.repository import (
    DeletionResult,
    conversations_of,
    delete_lead,
    email_hash,
    forget_conversation,
    get_lead,
    sha256_hex,
)
from bot.store.repository import export_person as export_stored_person
from bot.trackers import conversation_events, erase_conversations, tracker_store_url

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Copies:
    """Where a lead's copies outside the store are: the spool and the tracker store (None
    when the caller is inside a Rasa turn, or Rasa keeps conversations in memory only)."""

    spool: Spool
    tracker_url: str | None

    @classmethod
    def from_environment(cls) -> "Copies":
        return cls(Spool(data_dir() / "spool"), tracker_store_url())


@dataclass(frozen=True)
class ErasureResult:
    """What `erase_lead` removed from the store, and how much outside it."""

    deletion: DeletionResult
    tracker_events: int
    spooled: int


@dataclass(frozen=True)
class Identity:
    """What recognises a person's copies without keeping their data: the lead's id, its
    conversations and the hashes of its e-mail and phone."""

    lead_id: int | None
    conversation_ids: tuple[str, ...]
    email_sha256: str | None = None
    phone_sha256: str | None = None


def erase_lead(session: Session, id_or_email: int | str, copies: Copies, *, now: datetime) -> ErasureResult:
    """Erase the lead with this id or e-mail from every place; the store's part in the
    caller's transaction (the caller commits)."""
    lead = get_lead(session, id_or_email)
    who = Identity(lead.id, conversations_of(lead), email_hash(lead.email) if lead.email else None,
                   sha256_hex(lead.phone) if lead.phone else None)
    events = erase_conversations(copies.tracker_url, who.conversation_ids) if copies.tracker_url else 0
    spooled = drop_spooled(copies.spool, who)
    deletion = delete_lead(session, lead.id, now=now)
    return ErasureResult(deletion, events, spooled)


def drop_spooled(spool: Spool, who: Identity) -> int:
    """Delete the spooled states of this person (waiting or being stored); how many."""
    if not spool.folder.exists():
        return 0
    dropped = 0
    for path in [*spool.folder.glob("*.json"), *spool.folder.glob("*.claimed")]:
        try:
            submission = spool.load(path)
        except (OSError, ValueError, KeyError) as exc:  # gone meanwhile, or not ours to judge
            log.debug("spool file %s not read: %s", path.name, exc)
            continue
        contact = submission.qualification.contact
        if (submission.conversation_id in who.conversation_ids
                or (who.lead_id is not None and submission.lead_id == who.lead_id)
                or (who.email_sha256 and contact.email and email_hash(contact.email) == who.email_sha256)
                or (who.phone_sha256 and contact.phone and sha256_hex(contact.phone) == who.phone_sha256)):
            path.unlink(missing_ok=True)
            dropped += 1
    return dropped


def export_person(session: Session, id_or_email: int | str, copies: Copies) -> dict[str, Any]:
    """Everything kept about this person: the store's record (`repository.export_person`),
    each of their conversations as Rasa's tracker store holds it, and their spooled states."""
    data = export_stored_person(session, id_or_email)
    lead = get_lead(session, id_or_email)
    conversations = conversations_of(lead)
    data["conversations"] = (conversation_events(copies.tracker_url, conversations)
                             if copies.tracker_url else {})
    spooled = [copies.spool.load(path) for path in copies.spool.pending()]
    data["pending"] = [submission_to_json(s) for s in spooled if s.conversation_id in conversations]
    data["nurture"] = _nurture_of(session, lead.id)
    return data


def _nurture_of(session: Session, lead_id: int) -> dict[str, Any] | None:
    """The lead's nurture sequence and the e-mails sent or queued (bot/nurture)."""
    from bot.nurture.sequence import enrollment_of

    enrollment = enrollment_of(session, lead_id)
    if enrollment is None:
        return None

    def at(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {"sequence": enrollment.sequence, "state": enrollment.state, "stop_reason": enrollment.stop_reason,
            "enrolled_at": at(enrollment.enrolled_at), "unsubscribed_at": at(enrollment.unsubscribed_at),
            "emails": [{"step": m.step + 1, "status": m.status, "sent_at": at(m.sent_at), "clicks": m.clicks}
                       for m in enrollment.messages]}


def erase_conversation(session: Session, conversation_id: str, copies: Copies, *, now: datetime) -> ErasureResult | None:
    """A visitor asked in the chat to delete their data: the lead this conversation owns
    (from every place, as `erase_lead`), what it left on other leads, and its spooled state.
    The conversation's own tracker is deleted by the tracker store once this turn is saved
    (`copies.tracker_url` is None here: Rasa would write the turn back)."""
    deletion = forget_conversation(session, conversation_id, now=now)
    if deletion is None:  # no lead of its own: only its spooled state
        drop_spooled(copies.spool, Identity(None, (conversation_id,)))
        return None
    who = Identity(deletion.lead_id, tuple(dict.fromkeys((conversation_id, *deletion.conversation_ids))),
                   deletion.email_sha256, deletion.phone_sha256)
    spooled = drop_spooled(copies.spool, who)
    others = tuple(c for c in who.conversation_ids if c != conversation_id)
    events = erase_conversations(copies.tracker_url, others) if copies.tracker_url else 0
    return ErasureResult(deletion, events, spooled)
