"""What scoring returns: a number a rep can trust because every point has a reason."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

LeadStatus = Literal["qualified", "nurture", "disqualified"]
LEAD_STATUSES: tuple[str, ...] = ("qualified", "nurture", "disqualified")


@dataclass(frozen=True)
class DimensionScore:
    """Points earned on one dimension (need, budget, authority, timeline, contact, ...)."""

    dimension: str
    points: float
    max_points: float
    known: bool  # False when the visitor did not (or could not) answer
    reason: str  # one sentence a rep can read: why these points


@dataclass(frozen=True)
class ScoreResult:
    """Score 0-100, letter grade, pipeline status, and the per-dimension breakdown."""

    score: int
    grade: str
    status: LeadStatus
    breakdown: tuple[DimensionScore, ...]
    version: str  # the scoring settings' version, stored with every lead
    disqualified_by: str | None = None  # name of the disqualification rule that fired

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["breakdown"] = [asdict(d) for d in self.breakdown]
        return data
