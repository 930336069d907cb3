"""What a finished (or updated) conversation hands to the pipeline store.

A `LeadSubmission` is the whole state of one conversation at one moment: the answers,
their score, and the facts a sales rep or a data-protection request needs later (which
channel, which day the answers were resolved against, when the consent notice was shown
and in which version, the transcript). It is a plain value so that it can be spooled to
disk while the store is down (`bot/intake.py`) and replayed later unchanged.

Submissions are cumulative: a later submission for the same conversation carries
everything the earlier one did, so the store simply takes the newest one.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from bot.answers import Qualification
from bot.scoring.result import ScoreResult

Sender = Literal["user", "bot", "rep"]  # "rep": a person answering after a hand-off
SENDERS: tuple[str, ...] = ("user", "bot", "rep")


def _require_aware(name: str, value: datetime | None) -> None:
    """Naive datetimes are ambiguous once stored; refuse them at the boundary."""
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


@dataclass(frozen=True)
class TranscriptLine:
    """One message of the conversation, as the visitor or the bot sent it."""

    sender: Sender
    text: str
    at: datetime  # aware

    def __post_init__(self) -> None:
        if self.sender not in SENDERS:
            raise ValueError(f"sender must be one of {SENDERS}, got {self.sender!r}")
        _require_aware("TranscriptLine.at", self.at)


@dataclass(frozen=True)
class LeadSubmission:
    """One conversation's answers and score, ready for `bot.store.repository.save_lead`."""

    conversation_id: str
    channel: str  # "rest", "socketio", "telegram", ...
    qualification: Qualification
    score: ScoreResult
    conversation_date: date  # the date relative answers ("next quarter") were resolved against
    consent_shown_at: datetime | None  # when the consent notice was shown (aware)
    consent_version: str | None  # version id of the notice text
    human_requested: bool = False
    transcript: tuple[TranscriptLine, ...] = ()
    source: Mapping[str, str] = field(default_factory=dict)  # page url, utm_* (web widget)
    handoff_state: str | None = None  # bot.handoff: waiting, with_rep, returned; None = never asked
    # The lead this conversation was stored as, as the conversation remembers it: the store
    # refuses a submission naming an erased lead (a spooled copy, state saved before the
    # deletion reached the conversation), so nothing erased comes back.
    lead_id: int | None = None
    # The A/B test of the script this conversation is in: (experiment key, variant), or None.
    experiment: tuple[str, str] | None = None
    # The conversation's language (bot/language: our ISO 639-1 code), or None when not known.
    language: str | None = None

    def __post_init__(self) -> None:
        if not self.conversation_id:
            raise ValueError("conversation_id must not be empty")
        _require_aware("consent_shown_at", self.consent_shown_at)
