"""One call computing every pipeline metric for a filter: what the dashboard's metrics page,
its JSON API and `leadbot pipeline report --json` all show (`PipelineReport.to_dict()`), so
the three always agree."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.metrics.forecast import Forecast, forecast
from bot.metrics.funnel import Funnel, funnel
from bot.metrics.lost_reasons import LostReasons, lost_reasons
from bot.metrics.outcomes import Outcomes, outcomes
from bot.metrics.period import MetricsFilter
from bot.metrics.proactive import ProactiveLeads, proactive_leads
from bot.metrics.reporting import Converter, Reporting, load_converter, reporting
from bot.metrics.stage_flow import StageFlow, stage_flow
from bot.metrics.stuck import Stuck, stuck
from bot.metrics.trend import Trend, trend
from bot.metrics.velocity import Velocity, velocity
from bot.store.errors import InvalidFilter
from bot.store.pipeline import PipelineSettings, load_pipeline_settings
from bot.metrics.learned_forecast import learned_forecast


@dataclass(frozen=True)
class PipelineReport:
    filter: MetricsFilter
    now: datetime
    outcomes: Outcomes
    velocity: Velocity
    forecast: Forecast
    stage_flow: tuple[StageFlow, ...]
    stuck: Stuck
    lost_reasons: LostReasons
    funnel: Funnel
    trend: Trend
    proactive: ProactiveLeads
    reporting: Reporting

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; money per currency (and in one reporting currency), ratios 0-1, None where a number is undefined."""
        return {
            "filter": self.filter.to_dict(self.now),
            "outcomes": self.outcomes.to_dict(),
            "velocity": self.velocity.to_dict(),
            "forecast": self.forecast.to_dict(),
            "stage_flow": [s.to_dict() for s in self.stage_flow],
            "stuck": self.stuck.to_dict(),
            "lost_reasons": self.lost_reasons.to_dict(),
            "funnel": self.funnel.to_dict(),
            "trend": self.trend.to_dict(),
            "proactive": self.proactive.to_dict(),
            "reporting": self.reporting.to_dict(),
        }


def report(session: Session, f: MetricsFilter, *, now: datetime,
           pipeline: PipelineSettings | None = None, converter: Converter | None = None) -> PipelineReport:
    """Every metric for `f`, with the open pipeline and stuck deals as they stand at `now`;
    money per currency and, through `converter`, in the reporting currency."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidFilter(f"now must be an aware datetime, got {now!r}")
    pipeline = pipeline or load_pipeline_settings()
    converter = converter or load_converter()
    done = outcomes(session, f, pipeline)
    now_open = forecast(session, f, pipeline)
    learned = learned_forecast(session, f)
    if learned is not None:
        now_open = replace(now_open, learned_model_version=learned[0], learned_total=learned[1])
    return PipelineReport(
        f, now, done, velocity(done, now_open), now_open, stage_flow(session, f, pipeline),
        stuck(session, f, pipeline, now), lost_reasons(session, f, pipeline), funnel(session, f),
        trend(session, f, pipeline, now), proactive_leads(session, f), reporting(done, now_open, converter),
    )
