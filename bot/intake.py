"""Hand a finished (or updated) conversation to the pipeline store, and never lose it.

The visitor's own submission comes first: it is stored, or, on any failure, spooled: one
JSON file per conversation in a local folder (the newest state of that conversation wins).
Only then is what is spooled retried (after every stored submission, by the action
server's background retry, and by `leadbot leads flush-pending`), and no failure of that
retry reaches the visitor. A flusher claims each file by renaming it (`Spool.claim`), so
two flushers running at once never store one file twice; a claim left by a flusher that
died goes back to the spool.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.answers import Authority, Budget, Contact, Need, Qualification, Timeline
from bot.assignment.assign import assign_if_due, assign_waiting
from bot.experiments.assignment import Assignment
from bot.experiments.registry import assign as assign_variant
from bot.experiments.settings import ExperimentSettings
from bot.funnel import record_progress
from bot.handoff import rep_line
from bot.leads import LeadSubmission, TranscriptLine
from bot.scoring.result import DimensionScore, ScoreResult
from bot.store.db import data_dir, database_url, make_engine, session_factory
from bot.store.errors import LeadErased, LeadNotFound
from bot.store.migrate import upgrade
from bot.store.schema import Lead
from bot.store.repository import SaveResult, add_transcript_lines, record_followup_optin, save_lead

log = logging.getLogger(__name__)
PRIVATE_FILE_MODE = 0o600
_MIGRATING = threading.Lock()


@dataclass(frozen=True)
class IntakeResult:
    """What happened to a submission: stored (with the lead id) or spooled for later."""

    stored: bool
    lead_id: int | None = None
    created: bool = False
    stage: str | None = None
    flushed: int = 0  # spooled submissions stored on the way
    erased: bool = False  # dropped: the conversation's lead was erased (repository.is_stale)


class Spool:
    """A folder of submissions waiting for the store; one file per conversation.

    `<key>.json` waits; `<key>.<pid>-<nonce>.claimed` is being stored by process `pid`.
    Renames within one folder are atomic, so exactly one flusher wins each claim.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def put(self, submission: LeadSubmission) -> Path:
        """Spool the conversation's newest state, readable by this user only (mode 0600 given
        to `open`, so a permissive umask cannot widen it: it holds a person's details)."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self._path(submission.conversation_id)
        tmp = self.folder / f"{path.stem}.{uuid.uuid4().hex}.tmp"  # one per writer: puts never collide
        data = json.dumps(submission_to_json(submission), ensure_ascii=False).encode("utf-8")
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE), "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)  # atomic: a crash never leaves half a file
        return path

    def pending(self) -> list[Path]:
        """Files waiting to be stored (claims of flushers that died are given back first)."""
        if not self.folder.exists():
            return []
        for claimed in self.folder.glob("*.claimed"):
            if not _alive(_claimer(claimed)):
                self.give_back(claimed)
        return sorted(self.folder.glob("*.json"))

    def claim(self, path: Path) -> Path | None:
        """Take `path` for this process to store; None if another flusher took it first."""
        claimed = path.with_name(f"{path.stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}.claimed")
        try:
            os.rename(path, claimed)
        except FileNotFoundError:
            return None
        return claimed

    def give_back(self, claimed: Path) -> None:
        """Return a claimed file to the spool, unless a newer state of its conversation was
        spooled meanwhile (that one wins)."""
        try:
            os.link(claimed, self.folder / f"{claimed.name.split('.')[0]}.json")
        except FileExistsError:
            pass
        except FileNotFoundError:
            return  # another process gave it back already
        claimed.unlink(missing_ok=True)

    def discard(self, conversation_id: str) -> None:
        """Forget the conversation's spooled state: a newer one was just stored."""
        self._path(conversation_id).unlink(missing_ok=True)

    def load(self, path: Path) -> LeadSubmission:
        return submission_from_json(json.loads(path.read_text("utf-8")))

    def _path(self, conversation_id: str) -> Path:
        return self.folder / f"{_file_key(conversation_id)}.json"


def _claimer(claimed: Path) -> int:
    return int(claimed.name.split(".")[1].split("-")[0])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


class LeadIntake:
    """Stores submissions, spooling them while the store is unavailable."""

    def __init__(self, sessions: sessionmaker[Session], spool: Spool, url: str = "") -> None:
        self.sessions = sessions
        self.spool = spool
        self.url = url
        self._migrated = False

    @classmethod
    def from_environment(cls) -> "LeadIntake":
        url = database_url()
        return cls(session_factory(make_engine(url)), Spool(data_dir() / "spool"), url)

    def submit(self, submission: LeadSubmission, *, now: datetime) -> IntakeResult:
        """Store this submission, then what is spooled; if it cannot be stored for any
        reason, spool it (the visitor is told, and it is stored later). Nothing raised
        by the spooled ones reaches the visitor."""
        try:
            self._ensure_schema()
            result = self._save(submission, now)
        except LeadErased:
            log.info("a conversation's state from before its lead was erased was dropped")
            return IntakeResult(stored=False, erased=True)
        except (OperationalError, InterfaceError) as exc:  # unreachable, locked, down
            log.error("pipeline store unavailable, spooling %s: %s", submission.conversation_id, exc)
            self.spool.put(submission)
            return IntakeResult(stored=False, lead_id=submission.lead_id)
        except Exception:  # noqa: BLE001 (kept and logged with its traceback; never lost)
            log.exception("could not store %s; spooled for a later retry", submission.conversation_id)
            self.spool.put(submission)
            return IntakeResult(stored=False, lead_id=submission.lead_id)
        self.spool.discard(submission.conversation_id)  # an older state of this conversation
        flushed = self.retry_pending(now=now)
        return IntakeResult(True, result.lead_id, result.created, result.stage, flushed)

    def flush(self, *, now: datetime) -> int:
        """Store every spooled submission this process can claim; how many were stored.
        Raises if the store is down (the files stay); a file that fails for another
        reason is logged and stays for the next flush, the others are stored."""
        self._ensure_schema()
        stored = 0
        for path in self.spool.pending():
            claimed = self.spool.claim(path)
            if claimed is None:
                continue  # another flusher has it
            try:
                self._save(self.spool.load(claimed), now)
            except LeadErased:
                log.info("spooled state of an erased lead dropped (%s)", path.name)
                claimed.unlink(missing_ok=True)
                continue
            except (OperationalError, InterfaceError):
                self.spool.give_back(claimed)
                raise
            except Exception:  # noqa: BLE001 (one bad file must not keep the others out)
                log.exception("spooled submission %s not stored; kept for the next flush", path.name)
                self.spool.give_back(claimed)
                continue
            claimed.unlink()
            stored += 1
        return stored

    def retry_pending(self, *, now: datetime) -> int:
        """Store what is spooled, if anything; 0 while the store is still down. Never raises."""
        if not self.spool.pending():
            return 0
        try:
            return self.flush(now=now)
        except (OperationalError, InterfaceError) as exc:
            log.warning("pipeline store still unavailable, %d lead(s) kept: %s", len(self.spool.pending()), exc)
        except Exception:  # noqa: BLE001 (a retry in the background must never fail a conversation)
            log.exception("retrying spooled submissions failed; they are kept")
        return 0

    def assign_waiting(self, *, now: datetime) -> int:
        """Give an owner to due leads still without one (no rep was available, or the
        assignment failed); the number assigned, 0 while the store is down."""
        try:
            self._ensure_schema()
            with self.sessions.begin() as session:
                return sum(1 for r in assign_waiting(session, now=now) if r.rep_id is not None)
        except (OperationalError, InterfaceError) as exc:
            log.warning("pipeline store unavailable, waiting leads not assigned: %s", exc)
            return 0

    def record_followup_optin(self, conversation_id: str, opted_in: bool, *, now: datetime) -> bool:
        """Record the nurture follow-up answer; False if the store is down (the visitor's
        answer stays in the conversation and is asked again next time)."""
        try:
            self._ensure_schema()
            with self.sessions.begin() as session:
                record_followup_optin(session, conversation_id, opted_in, now=now)
        except (OperationalError, InterfaceError, LeadNotFound) as exc:
            log.error("follow-up opt-in not recorded for %s: %s", conversation_id, exc)
            return False
        return True

    def record_funnel(self, conversation_id: str, channel: str, reached: Iterable[str], *, now: datetime,
                      lead_id: int | None = None, variant: tuple[str, str] | None = None,
                      language: str | None = None) -> bool:
        """Record how far the conversation got (bot/funnel.py); False if the store is down.
        A statistic must never break a conversation: the failure is logged, and the next
        write carries every step reached so far, so it catches up."""
        try:
            self._ensure_schema()
            with self.sessions.begin() as session:
                record_progress(session, conversation_id, channel, reached, now=now, lead_id=lead_id,
                                variant=variant, language=language)
        except SQLAlchemyError as exc:
            log.warning("funnel not recorded for this conversation (kept for its next message): %s", exc)
            return False
        return True

    def assign_variant(self, conversation_id: str, settings: ExperimentSettings) -> Assignment | None:
        """The script variants of a conversation starting now (bot/experiments/registry.py);
        None if the store is down (logged): the conversation then gets the shipped script."""
        try:
            self._ensure_schema()
            with self.sessions() as session:
                return assign_variant(session, settings, conversation_id)
        except SQLAlchemyError as exc:
            log.warning("no experiment variant for this conversation (the store is unavailable): %s", exc)
            return None

    def add_transcript_lines(self, conversation_id: str, lines: Sequence[TranscriptLine], *,
                             now: datetime) -> bool:
        """Add what was said since the last write to the conversation's stored lead; False
        if the store is down (logged; the next message's write carries the same lines)."""
        try:
            self._ensure_schema()
            with self.sessions.begin() as session:
                add_transcript_lines(session, conversation_id, lines, now=now)
        except SQLAlchemyError as exc:
            log.warning("transcript not updated for this conversation (kept for its next message): %s", exc)
            return False
        return True

    def owner_line(self, lead_id: int, *, now: datetime) -> str | None:
        """The phone line of the rep who owns the lead, if a call can go to them now
        (bot/handoff.rep_line); None without an owner, a line, or a store."""
        try:
            self._ensure_schema()
            with self.sessions() as session:
                lead = session.get(Lead, lead_id)
                return rep_line(lead.owner if lead is not None else None, now)
        except SQLAlchemyError as exc:
            log.warning("the lead's owner could not be read for a call transfer: %s", exc)
            return None

    def ensure_schema(self) -> None:
        """Migrate the store to the latest schema, once per process (lazily: the action
        server starts while the store may still be down)."""
        self._ensure_schema()

    def _save(self, submission: LeadSubmission, now: datetime) -> SaveResult:
        """Store the lead and, in the same transaction, give it an owner if it is due."""
        with self.sessions.begin() as session:
            result = save_lead(session, submission, now=now)
            self._assign(session, result.lead_id, now)
            return result

    def _assign(self, session: Session, lead_id: int, now: datetime) -> None:
        """Assignment must never cost us the lead: if it fails for any reason but the
        database itself, the lead is stored without an owner (`leadbot leads assign
        --waiting` picks it up) and the error is logged."""
        try:
            with session.begin_nested():
                assign_if_due(session, lead_id, now=now)
        except (OperationalError, InterfaceError):
            raise
        except Exception:  # noqa: BLE001 (logged with its traceback; the lead is kept)
            log.exception("assignment failed for lead %s; stored without an owner", lead_id)

    def _ensure_schema(self) -> None:
        if self._migrated or not self.url:
            return
        with _MIGRATING:  # Alembic's context is process-global: one migration at a time
            if not self._migrated:
                upgrade(self.url)
                self._migrated = True


def _file_key(conversation_id: str) -> str:
    return hashlib.sha256(conversation_id.encode("utf-8")).hexdigest()[:32]


def submission_to_json(s: LeadSubmission) -> dict[str, Any]:
    q = s.qualification
    return {
        "conversation_id": s.conversation_id,
        "channel": s.channel,
        "qualification": {
            "need": q.need.to_dict() if q.need else None,
            "budget": q.budget.to_dict() if q.budget else None,
            "authority": q.authority.to_dict() if q.authority else None,
            "timeline": q.timeline.to_dict() if q.timeline else None,
            "contact": q.contact.to_dict(),
        },
        "score": s.score.to_dict(),
        "conversation_date": s.conversation_date.isoformat(),
        "consent_shown_at": s.consent_shown_at.isoformat() if s.consent_shown_at else None,
        "consent_version": s.consent_version,
        "human_requested": s.human_requested,
        "transcript": [
            {"sender": t.sender, "text": t.text, "at": t.at.isoformat()} for t in s.transcript
        ],
        "source": dict(s.source),
        "handoff_state": s.handoff_state,
        "lead_id": s.lead_id,
        "experiment": list(s.experiment) if s.experiment else None,
        "language": s.language,
    }


def submission_from_json(d: dict[str, Any]) -> LeadSubmission:
    q = d["qualification"]
    score = dict(d["score"])
    score["breakdown"] = tuple(DimensionScore(**b) for b in score["breakdown"])
    return LeadSubmission(
        conversation_id=d["conversation_id"],
        channel=d["channel"],
        qualification=Qualification(
            need=Need.from_dict(q["need"]),
            budget=Budget.from_dict(q["budget"]),
            authority=Authority.from_dict(q["authority"]),
            timeline=Timeline.from_dict(q["timeline"]),
            contact=Contact.from_dict(q["contact"]) or Contact(),
        ),
        score=ScoreResult(**score),
        conversation_date=date.fromisoformat(d["conversation_date"]),
        consent_shown_at=datetime.fromisoformat(d["consent_shown_at"]) if d["consent_shown_at"] else None,
        consent_version=d["consent_version"],
        human_requested=d["human_requested"],
        transcript=tuple(
            TranscriptLine(t["sender"], t["text"], datetime.fromisoformat(t["at"]))
            for t in d["transcript"]
        ),
        source=d.get("source") or {},
        handoff_state=d.get("handoff_state"),
        lead_id=d.get("lead_id"),
        experiment=tuple(d["experiment"]) if d.get("experiment") else None,  # type: ignore[arg-type]
        language=d.get("language"),
    )
