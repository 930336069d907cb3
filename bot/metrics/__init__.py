"""Pipeline metrics (issue 5): plain SQLAlchemy 2 queries that aggregate in the database.

One module per concept: period (the filter), outcomes (win rate, deal size, time to
close), velocity, forecast, learned_forecast (with the win model of `bot/winprob`),
stage_flow (conversion and median time per stage), stuck, lost_reasons, trend, funnel (the
bot's conversations); indexes names the index each query reads.
`report()` computes them all; its `to_dict()` is the one JSON shape shown by the dashboard,
its API and the CLI.
Definitions: docs/metrics.md.
"""
from bot.metrics.period import PERIODS, MetricsFilter
from bot.metrics.report import PipelineReport, report

__all__ = ["PERIODS", "MetricsFilter", "PipelineReport", "report"]
