"""The metrics page and `/api/metrics`: one `bot.metrics.report`, shown as charts and as JSON.

`/api/metrics` returns exactly `report(...).to_dict()`, which is also what
`leadbot pipeline report --json` prints, so page, API and CLI always agree. Filters:
`?period=` (one of `bot.metrics.PERIODS`), `?team=` and `?rep=` (ids). A rep account is
always limited to its own leads, whatever it asks for.
"""
from __future__ import annotations

from typing import Any

from starlette.responses import Response

from bot.assignment.reps import list_teams
from bot.language.codes import NAMES as LANGUAGE_NAMES
from bot.metrics import PERIODS, MetricsFilter, report
from bot.nurture.metrics import nurture_metrics
from web.charts import Bar, Series, bar_chart, line_chart
from web.format import money, money_map, percent
from web.forms import whole_number
from web.http import Ctx, json_response
from web.queries import active_reps

DEFAULT_PERIOD = "90d"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PERIOD_LABELS = {"7d": "last 7 days", "30d": "last 30 days", "90d": "last 90 days", "365d": "last 365 days",
                 "all": "all time"}


def _id(ctx: Ctx, name: str) -> int | None:
    chosen = ctx.request.query_params.get(name, "")
    return whole_number(chosen, name) if chosen else None


def requested_filter(ctx: Ctx) -> tuple[str, MetricsFilter]:
    period = ctx.request.query_params.get("period", DEFAULT_PERIOD)
    if ctx.viewer.is_manager:
        team_id, rep_id = _id(ctx, "team"), _id(ctx, "rep")
    else:
        team_id, rep_id = None, ctx.viewer.rep_id if ctx.viewer.rep_id is not None else -1
    return period, MetricsFilter.for_period(period, now=ctx.now(), team_id=team_id, rep_id=rep_id)


def _report(ctx: Ctx) -> tuple[str, MetricsFilter, dict[str, Any]]:
    period, f = requested_filter(ctx)
    return period, f, report(ctx.session, f, now=ctx.now(), pipeline=ctx.app.pipeline).to_dict()


def metrics_api(ctx: Ctx) -> Response:
    return json_response(_report(ctx)[2])


def _na(value: Any, fmt: str = "{:,.0f}") -> str:
    return "n/a" if value is None else fmt.format(value)


def _days(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.1f} d"


def _money(values: dict[str, float] | None) -> str:
    return money_map(values) if values else "n/a"


def _reported(d: dict[str, Any], key: str, per_currency: dict[str, float] | None, suffix: str = "") -> tuple[str, str]:
    """(one figure in the reporting currency, the amounts per currency it adds up) for a tile."""
    r = d["reporting"]
    value = r[key]
    figure = "n/a" if value is None else money(value, r["currency"]) + suffix
    several = per_currency and (len(per_currency) > 1 or set(per_currency) != {r["currency"]})
    return figure, (f"from {money_map(per_currency)}" if several else "")


def kpis(d: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(key, label, figure, sub-line) for the tiles at the top of the page; money in the
    reporting currency (settings/reporting.yml), with the amounts it was converted from."""
    o, v, fc, stuck = d["outcomes"], d["velocity"], d["forecast"], d["stuck"]
    won_value, won_from = _reported(d, "won_value", o["won_value"])
    size, _ = _reported(d, "avg_deal_size", o["avg_deal_size"])
    velocity, _ = _reported(d, "value_per_day", None, "/day")
    weighted, weighted_from = _reported(d, "weighted_total", fc["weighted_total"])
    tiles = [
        ("won", "Won", f"{o['won']:,}", won_value if o["won_value"] else ""),
        ("won_value", "Won value", won_value, won_from),
        ("lost", "Lost", f"{o['lost']:,}", ""),
        ("win_rate", "Win rate", percent(o["win_rate"]) if o["win_rate"] is not None else "n/a", "won / closed"),
        ("avg_deal_size", "Average deal size", size, "won deals"),
        ("time_to_close", "Time to close", _days(o["avg_days_to_close"]),
         f"median {_days(o['median_days_to_close'])}"),
        ("velocity", "Pipeline velocity", velocity, f"{v['open_deals']:,} open deals"),
        ("forecast", "Weighted forecast", weighted, weighted_from or "value × stage probability"),
        ("stuck", "Stuck deals", f"{stuck['total']:,}", "over their stage's limit"),
    ]
    if fc.get("learned_total") is not None:  # settings/win_model.yml forecast_with_model
        learned, _ = _reported(d, "learned_total", fc["learned_total"])
        tiles.append(("learned_forecast", "Learned forecast", learned,
                      f"value × win probability (model v{fc['learned_model_version']})"))
    return tiles


def charts(d: dict[str, Any]) -> dict[str, Any]:
    fc, flow, stuck, lost, funnel = d["forecast"], d["stage_flow"], d["stuck"], d["lost_reasons"], d["funnel"]
    code, by_stage = d["reporting"]["currency"], d["reporting"]["weighted_by_stage"]
    forecast = bar_chart([Bar(s["label"], by_stage.get(s["key"]) or 0,
                              money(by_stage[s["key"]], code) if by_stage.get(s["key"]) is not None else "0",
                              f"· {s['count']:,} deals × {s['probability']:.0%}")
                          for s in fc["stages"]], title=f"Weighted forecast by stage ({code})")
    conversion = bar_chart([Bar(s["label"], s["conversion"] or 0, percent(s["conversion"]) if s["conversion"] is not None else "n/a",
                                f"· {s['advanced']:,}/{s['entered']:,} · median {_days(s['median_days'])}")
                            for s in flow], title="Conversion and median time per stage")
    stuck_chart = bar_chart([Bar(s["label"], s["count"], f"{s['count']:,}", f"· over {s['max_days']} days", "warn")
                             for s in stuck["by_stage"]], title="Stuck deals by stage")
    lost_chart = bar_chart([Bar(r["label"], r["count"], f"{r['count']:,}",
                                f"· {percent(r['share'])}" if r["share"] is not None else "", "lost")
                            for r in lost["reasons"] if r["count"]], title="Why deals were lost")
    weeks = d["trend"]["weeks"]
    labels = [f"{int(w['week_start'][8:10])} {MONTHS[int(w['week_start'][5:7]) - 1]}" for w in weeks]
    trend = line_chart([Series("Leads", [w["leads"] for w in weeks]),
                        Series("Qualified", [w["qualified"] for w in weeks], "warn"),
                        Series("Won", [w["won"] for w in weeks], "won")], labels,
                       title="Leads, qualified and won per week")
    return {"trend": trend, "forecast": forecast, "conversion": conversion, "stuck": stuck_chart, "lost": lost_chart,
            "proactive": _proactive(d["proactive"]["triggers"]),
            "funnel": _funnel(funnel["steps"], "Bot funnel"),
            "channels": {c: _funnel(steps, f"Bot funnel: {c}") for c, steps in sorted(funnel["by_channel"].items())},
            "languages": {_language_name(code): _funnel(steps, f"Bot funnel: {_language_name(code)}")
                          for code, steps in sorted(funnel.get("by_language", {}).items())}}


def _proactive(rows: list[dict[str, Any]]) -> Any:
    """Leads per proactive trigger, beside those of chats the visitor opened; None when no
    lead in the period came from a teaser."""
    if not any(r["trigger"] for r in rows):
        return None
    return bar_chart([Bar(r["trigger"] or "opened by the visitor", r["leads"], f"{r['leads']:,}",
                          f"· {r['qualified']:,} qualified ({percent(r['qualified_rate'])})")
                      for r in rows], title="Leads per proactive trigger")


def _language_name(code: str) -> str:
    """"ru" -> "Russian"; "unknown" (conversations recorded before languages were) as it is."""
    return LANGUAGE_NAMES.get(code, code)


def _funnel(steps: list[dict[str, Any]], title: str) -> Any:
    return bar_chart([Bar(s["label"], s["count"], f"{s['count']:,}",
                          (f"· −{s['drop_off']:.0%} from previous step" if s["drop_off"] else "")
                          if s.get("drop_off") is not None else "")
                      for s in steps], title=title)


def nurture_chart(ctx: Ctx, f: MetricsFilter) -> Any:
    """Nurture e-mails for the leads enrolled in the period (a manager's view: nurture leads
    are mostly nobody's yet): `leadbot nurture status` counts the same."""
    n = nurture_metrics(ctx.session, since=f.period_start, until=f.period_end)
    bars = [("Enrolled", n.enrolled), ("E-mails sent", n.sent), ("Clicked", n.clicked), ("Re-engaged", n.reengaged),
            ("Qualified from nurture", n.qualified), ("Unsubscribed", n.unsubscribed), ("Dead e-mails", n.dead)]
    return bar_chart([Bar(label, count, f"{count:,}", "") for label, count in bars], title="Nurture e-mails")


def metrics_page(ctx: Ctx) -> Response:
    period, f, d = _report(ctx)
    return ctx.render("metrics.html", d=d, currency=d["reporting"]["currency"], kpis=kpis(d), charts=charts(d), period=period, periods=PERIODS,
                      nurture=nurture_chart(ctx, f) if ctx.viewer.is_manager else None,
                      period_labels=PERIOD_LABELS, filter=f,
                      reps=active_reps(ctx.session) if ctx.viewer.is_manager else [],
                      teams=list_teams(ctx.session) if ctx.viewer.is_manager else [])
