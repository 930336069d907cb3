"""Ready-made submissions for store and CLI tests (scores built by hand: no scorer needed)."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone

from bot.answers import Authority, Budget, Contact, Need, Qualification, Timeline
from bot.leads import LeadSubmission, TranscriptLine
from bot.scoring.result import DimensionScore, ScoreResult

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 22)
EMAIL = "sam.ortiz@brightwell.example"


def score(status: str = "qualified", points: int = 82, grade: str = "A", known: bool = True) -> ScoreResult:
    breakdown = (
        DimensionScore("need", 20, 20, known, "A specific need that matches 'booking'."),
        DimensionScore("budget", 19 if known else 7.5, 25, known,
                       "12,000 USD a year is in the 10k-25k band." if known else "Budget not known yet."),
        DimensionScore("authority", 25, 25, known, "Decision maker."),
        DimensionScore("timeline", 16, 25, known, "Starting within 6 months."),
        DimensionScore("contact", 2, 5, True, "Email given."),
    )
    return ScoreResult(points, grade, status, breakdown, "2026.11-1",  # type: ignore[arg-type]
                       "no_budget_no_timeline" if status == "disqualified" else None)


def complete(email: str | None = EMAIL, *, budget: Budget | None = None, name: str | None = "Sam Ortiz",
             company: str | None = "Brightwell Dental", phone: str | None = None) -> Qualification:
    return Qualification(
        need=Need("We need a chatbot to book consultations", "specific", "booking"),
        budget=budget or Budget("stated", "$12k", 12000, 12000, "USD", "yearly"),
        authority=Authority("decision_maker", "it's my call, I run IT", "Head of IT"),
        timeline=Timeline("stated", "in 8-10 weeks", "2027-01-31", 2.3),
        contact=Contact(name, email, company, phone),
    )


def submission(
    conversation_id: str = "conv-1",
    *,
    email: str | None = EMAIL,
    status: str = "qualified",
    qualification: Qualification | None = None,
    budget: Budget | None = None,
    name: str | None = "Sam Ortiz",
    human_requested: bool = False,
    source: Mapping[str, str] | None = None,
    consent_at: datetime | None = NOW - timedelta(minutes=5),
    channel: str = "rest",
    points: int = 82,
    phone: str | None = None,
) -> LeadSubmission:
    q = qualification or complete(email, budget=budget, name=name, phone=phone)
    return LeadSubmission(
        conversation_id=conversation_id,
        channel=channel,
        qualification=q,
        score=score(status, points),
        conversation_date=TODAY,
        consent_shown_at=consent_at,
        consent_version="2026-11-v1" if consent_at else None,
        human_requested=human_requested,
        transcript=(
            TranscriptLine("bot", "Hi! This chat is recorded.", NOW - timedelta(minutes=5)),
            TranscriptLine("user", "We need a chatbot to book consultations", NOW - timedelta(minutes=4)),
        ),
        source=dict(source or {}),
    )


def empty(conversation_id: str = "conv-empty") -> LeadSubmission:
    """A visitor who left before answering anything."""
    return LeadSubmission(
        conversation_id=conversation_id,
        channel="socketio",
        qualification=Qualification(),
        score=score("nurture", 9, "D", known=False),
        conversation_date=TODAY,
        consent_shown_at=None,
        consent_version=None,
    )
