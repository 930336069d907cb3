"""The metrics page and `/api/metrics`: one computation, shown as charts and as JSON.

The pipeline snapshot (deals and value per stage, won and lost) comes from the store's
`pipeline_summary`, the same function as `leadbot pipeline`. A rep sees their own
pipeline; a manager sees everyone's or picks a team or a rep.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from bot.export import money
from bot.store.repository import StageSummary, pipeline_summary
from web.charts import Bar, bar_chart
from web.format import money_map, number
from web.http import Ctx, HttpError, json_response
from bot.assignment.reps import list_teams
from web.queries import active_reps


@dataclass(frozen=True)
class Snapshot:
    """The pipeline as it stands, for one scope (everyone, or one rep's leads)."""

    rep_id: int | None
    team_id: int | None
    stages: list[StageSummary]

    @property
    def open(self) -> list[StageSummary]:
        return [s for s in self.stages if not s.closed]

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": {"rep_id": self.rep_id, "team_id": self.team_id},
            "open_deals": sum(s.count for s in self.open),
            "stages": [{"stage": s.stage, "label": s.label, "count": s.count, "probability": s.probability,
                        "closed": s.closed,
                        "value": [{"currency": c, "value": money(v)} for c, v in sorted(s.value.items(), key=lambda kv: kv[0] or "")]}
                       for s in self.stages],
        }


def _id(ctx: Ctx, name: str) -> int | None:
    chosen = ctx.request.query_params.get(name, "")
    if not chosen:
        return None
    if not chosen.isdigit():
        raise HttpError(400, f"{name} must be an id (a number), not {chosen!r}")
    return int(chosen)


def snapshot(ctx: Ctx) -> Snapshot:
    """A rep always sees their own pipeline; a manager everyone's, one team's (?team=) or one rep's (?rep=)."""
    if ctx.viewer.is_manager:
        rep_id, team_id = _id(ctx, "rep"), _id(ctx, "team")
    else:
        rep_id, team_id = (ctx.viewer.rep_id if ctx.viewer.rep_id is not None else -1), None
    return Snapshot(rep_id, team_id, pipeline_summary(ctx.session, ctx.app.pipeline, owner_rep_id=rep_id,
                                                      team_id=team_id))


def metrics_api(ctx: Ctx) -> Response:
    return json_response(snapshot(ctx).to_dict())


def metrics_page(ctx: Ctx) -> Response:
    snap = snapshot(ctx)
    pipeline = ctx.app.pipeline
    won = next((s for s in snap.stages if s.stage == pipeline.won_stage.key), None)
    lost = next((s for s in snap.stages if s.stage == pipeline.lost_stage.key), None)
    kpis = [
        ("open", "Open deals", number(sum(s.count for s in snap.open)), ""),
        ("won", "Won", number(won.count if won else 0), money_map(won.value) if won else ""),
        ("lost", "Lost", number(lost.count if lost else 0), ""),
    ]
    by_stage = bar_chart([Bar(s.label, s.count, f"{s.count:,} deal{'' if s.count == 1 else 's'}",
                              f"· {money_map(s.value)}" if s.value else "",
                              "won" if s.stage == pipeline.won_stage.key else "lost" if s.stage == pipeline.lost_stage.key else "")
                          for s in snap.stages], title="Deals per stage")
    return ctx.render("metrics.html", kpis=kpis, by_stage=by_stage, snapshot=snap,
                      reps=active_reps(ctx.session) if ctx.viewer.is_manager else [],
                      teams=list_teams(ctx.session) if ctx.viewer.is_manager else [])
