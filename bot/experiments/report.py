"""One experiment's results per variant: conversations, the bot funnel step by step, the
qualified rate, meetings booked, time to qualify, and the Bayesian comparison (stats.py).

Counted from `conversation_funnel` (bot/funnel.py): one row per conversation, with the
variant it was given when it began, so conversations that never became leads count too.
The unit is the conversation; its steps are counted as in the bot funnel
(bot/metrics/funnel.py: a step counts with every step before it). What is compared is
the share of conversations that reached `metric` (settings: `qualified` by default).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.experiments.registry import ExperimentError
from bot.experiments.settings import ExperimentSettings
from bot.experiments.stats import Arm, ArmResult, Verdict, compare, verdict
from bot.funnel import CHAIN
from bot.metrics.common import median, ratio
from bot.metrics.funnel import STEPS, steps_of
from bot.store.schema import ConversationFunnel, Experiment


@dataclass(frozen=True)
class VariantResult:
    name: str
    conversations: int
    funnel: list[dict[str, Any]]
    qualified: int
    meetings_booked: int
    median_minutes_to_qualify: float | None
    comparison: ArmResult

    def to_dict(self) -> dict[str, Any]:
        c = self.comparison
        return {"variant": self.name, "conversations": self.conversations,
                "qualified": self.qualified, "qualified_rate": ratio(self.qualified, self.conversations),
                "meetings_booked": self.meetings_booked,
                "meeting_rate": ratio(self.meetings_booked, self.conversations),
                "median_minutes_to_qualify": self.median_minutes_to_qualify,
                "metric_successes": c.successes, "metric_rate": None if c.rate is None else round(c.rate, 4),
                "credible_interval": [round(c.interval[0], 4), round(c.interval[1], 4)],
                "probability_best": round(c.p_best, 4), "funnel": self.funnel}


@dataclass(frozen=True)
class ExperimentReport:
    key: str
    state: str  # running or stopped
    started_at: datetime
    stopped_at: datetime | None
    winner: str | None  # chosen when it was stopped
    metric: str
    credible_level: float
    min_conversations: int
    variants: list[VariantResult]
    verdict: Verdict

    def to_dict(self) -> dict[str, Any]:
        return {"experiment": self.key, "state": self.state, "started_at": self.started_at.isoformat(),
                "stopped_at": self.stopped_at.isoformat() if self.stopped_at else None, "winner": self.winner,
                "metric": self.metric, "credible_level": self.credible_level,
                "min_conversations": self.min_conversations,
                "verdict": {"status": self.verdict.status, "best": self.verdict.winner,
                            "message": self.verdict.message},
                "variants": [v.to_dict() for v in self.variants]}


def report(session: Session, settings: ExperimentSettings, key: str | None = None) -> ExperimentReport:
    """The report of experiment `key`, else of the running one, else of the latest stopped."""
    row = _experiment(session, key)
    c = ConversationFunnel
    metric_at = getattr(c, f"{settings.metric}_at")
    rows = session.execute(select(c.variant, c.depth, c.started_at, c.qualified_at, c.meeting_booked_at,
                                  c.handed_to_rep_at, metric_at).where(c.experiment == row.key))
    names = list(dict.fromkeys([*row.variants]))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STEPS, 0))
    successes: dict[str, int] = defaultdict(int)
    meetings: dict[str, int] = defaultdict(int)
    minutes: dict[str, list[float]] = defaultdict(list)
    for variant, depth, started, qualified, booked, handed, reached in rows:
        if variant not in names:
            names.append(variant)
        step = counts[variant]
        step["started"] += 1
        for name in CHAIN[:depth]:
            step[name] += 1
        step["handed_to_rep"] += handed is not None
        meetings[variant] += booked is not None
        successes[variant] += reached is not None
        if qualified is not None:
            minutes[variant].append(max((qualified - started).total_seconds(), 0.0) / 60)
    arms = [Arm(name, counts[name]["started"], successes[name]) for name in names]
    compared = compare(arms, level=settings.credible_level)
    variants = [VariantResult(name, counts[name]["started"], steps_of(counts[name]), len(minutes[name]),
                              meetings[name], median(minutes[name]), result)
                for name, result in zip(names, compared)]
    return ExperimentReport(row.key, "running" if row.stopped_at is None else "stopped", row.started_at,
                            row.stopped_at, row.winner, settings.metric, settings.credible_level,
                            settings.min_conversations, variants,
                            verdict(compared, min_trials=settings.min_conversations,
                                    decision_probability=settings.decision_probability))


def _experiment(session: Session, key: str | None) -> Experiment:
    query = select(Experiment)
    if key is not None:
        row = session.scalars(query.where(Experiment.key == key)).first()
        if row is None:
            raise ExperimentError(f"experiment {key!r} has not been started, so it has no results")
        return row
    row = session.scalars(query.order_by(Experiment.stopped_at.is_not(None), Experiment.started_at.desc(),
                                         Experiment.id.desc())).first()
    if row is None:
        raise ExperimentError("no experiment has been started yet (`leadbot experiments start KEY`)")
    return row
