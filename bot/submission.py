"""The use case behind every store of a conversation's lead: score what was learned, build
the `LeadSubmission`, and hand it to the store, or to the spool when the store is late.

Plain Python: the Rasa actions (actions/submission.py) read the tracker into a
`Conversation` and say how the store call is run (in the action server, on its store pool
within `store_deadline_seconds`); the rest is decided here.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.answers import Qualification
from bot.clock import Clock, today
from bot.intake import IntakeResult, LeadIntake
from bot.leads import LeadSubmission, TranscriptLine
from bot.scoring import ScoringSettings, score_lead
from bot.scoring.result import ScoreResult

# How the store call is made: `run(store, spool)` returns `store()`'s result, or `spool()`'s
# when the store is too late (the late store call then finishes on its own).
StoreRun = Callable[[Callable[[], IntakeResult], Callable[[], IntakeResult]], IntakeResult]


@dataclass(frozen=True)
class Conversation:
    """What one conversation has told us so far, as its channel knows it."""

    conversation_id: str
    channel: str
    qualification: Qualification
    transcript: tuple[TranscriptLine, ...] = ()
    source: Mapping[str, str] = field(default_factory=dict)  # the widget's page, campaign, language
    country: str | None = None  # where the visitor said they are (bot/places.py)
    consent_shown_at: datetime | None = None
    human_requested: bool = False
    handoff_state: str | None = None
    lead_id: int | None = None  # the lead it was stored as, as the conversation remembers it
    experiment: tuple[str, str] | None = None  # (experiment, variant) of its script (bot/experiments)
    language: str | None = None  # the conversation's language (bot/language)


def at_once(store: Callable[[], IntakeResult], spool: Callable[[], IntakeResult]) -> IntakeResult:
    """Wait for the store however long it takes (the CLI, tests)."""
    return store()


def submit_lead(conversation: Conversation, *, intake: LeadIntake, scoring: ScoringSettings, clock: Clock,
                consent_version: str, run: StoreRun = at_once) -> tuple[ScoreResult, IntakeResult]:
    """Score the conversation's answers and store the lead (or spool it)."""
    score = score_lead(conversation.qualification, scoring)
    now = clock.now()
    submission = lead_submission(conversation, score, clock=clock, consent_version=consent_version)

    def spooled() -> IntakeResult:
        intake.spool.put(submission)
        return IntakeResult(stored=False, lead_id=submission.lead_id)
    return score, run(lambda: intake.submit(submission, now=now), spooled)


def lead_submission(conversation: Conversation, score: ScoreResult, *, clock: Clock,
                    consent_version: str) -> LeadSubmission:
    """The conversation as the store takes it; answers resolved against the clock's today."""
    c = conversation
    return LeadSubmission(
        conversation_id=c.conversation_id,
        channel=c.channel,
        qualification=c.qualification,
        score=score,
        conversation_date=today(clock),
        consent_shown_at=c.consent_shown_at,
        consent_version=consent_version if c.consent_shown_at else None,
        human_requested=c.human_requested,
        transcript=c.transcript,
        source=with_country(c.source, c.country),
        handoff_state=c.handoff_state,
        lead_id=c.lead_id,
        experiment=c.experiment,
        language=c.language,
    )


def with_country(source: Mapping[str, str], said: str | None) -> Mapping[str, str]:
    """The page's own country wins; else where the visitor said they are (territory routing)."""
    return source if source.get("country") or not said else {**source, "country": said}
