"""The Experiments page and `/api/experiments`: A/B tests of the bot's script per variant.

`/api/experiments?key=` returns exactly `bot.experiments.report.report(...).to_dict()`, which
is also what `leadbot experiments report --json` prints. Without `key`: the running
experiment, else the latest stopped one. Conversations are counted whoever owns their lead
(most never become one), so every signed-in viewer sees the same figures.
"""
from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.experiments.registry import ExperimentError, states
from bot.experiments.report import report
from bot.experiments.settings import load_experiment_settings
from web.charts import Bar, bar_chart
from web.format import percent
from web.http import Ctx, endpoint, json_response


def routes() -> list[BaseRoute]:
    return [
        Route("/experiments", endpoint(experiments_page)),
        Route("/api/experiments", endpoint(experiments_api, api=True)),
    ]


def _report(ctx: Ctx) -> dict[str, Any] | None:
    key = ctx.request.query_params.get("key") or None
    try:
        return report(ctx.session, load_experiment_settings(), key).to_dict()
    except ExperimentError:
        if key is not None:
            raise  # an unknown key is the caller's mistake: a 400 with the reason
        return None  # nothing started yet: the page says so


def experiments_api(ctx: Ctx) -> Response:
    result = _report(ctx)
    if result is None:
        raise ExperimentError("no experiment has been started yet (`leadbot experiments start KEY`)")
    return json_response(result)


def funnel_charts(r: dict[str, Any]) -> dict[str, Any]:
    """One bot-funnel chart per variant, each step with its share of the variant's conversations."""
    return {v["variant"]: bar_chart([Bar(s["label"], s["count"], f"{s['count']:,}",
                                         f"· {percent(s['share_of_started'])}" if s["share_of_started"] is not None
                                         else "") for s in v["funnel"]],
                                    title=f"Bot funnel: {v['variant']}")
            for v in r["variants"]}


def experiments_page(ctx: Ctx) -> Response:
    r = _report(ctx)
    return ctx.render("experiments.html", r=r, charts=funnel_charts(r) if r else {},
                      experiments=states(ctx.session, load_experiment_settings()))
