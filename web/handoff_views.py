"""The hand-off queue on the dashboard: visitors waiting for a person, and reps at their desk.

    GET  /handoffs                  the queue: who waits (and for how long), who talks to a rep
    POST /handoffs/{lead id}/take   a rep takes an unassigned hand-off (becomes its owner)
    POST /me/availability           `available=1` or `0`: the signed-in rep is at their desk or away

Every page's navigation shows how many visitors wait (`web/nav.py`, read by `Ctx.render`);
`static/queue.js` keeps that badge current from `/api/handoff/conversations` and, in the
browser of someone not marked away, raises a notification and a sound when a new visitor
starts waiting. Wait times come from the store's `handoff_at` and the dashboard's clock
(`bot.clock`). Answering happens on the lead page (webchat/rep_api.py).
"""
from __future__ import annotations

from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.assignment.assign import assign_to
from bot.assignment.reps import set_available
from bot.handoff import WAITING, open_handoffs, waited_seconds
from bot.store.schema import Lead, Rep
from web.auth_views import safe_next
from web.forms import whole_number
from web.http import Ctx, HttpError, endpoint, see_other


def queue_page(ctx: Ctx) -> Response:
    now = ctx.now()
    leads = open_handoffs(ctx.session, among=ctx.viewer.answer_filter())
    rows = [{"lead": lead, "waited": waited_seconds(lead, now), "waiting": lead.handoff_state == WAITING,
             "can_open": ctx.viewer.can_see(lead)} for lead in leads]
    return ctx.render("handoffs.html", rows=rows, notice=ctx.request.query_params.get("done", ""))


def take_action(ctx: Ctx) -> Response:
    """A rep takes a hand-off nobody owns yet: it becomes theirs, so its lead page (with the
    reply box) opens for them. A manager answers any conversation and takes none."""
    lead = ctx.session.get(Lead, whole_number(ctx.request.path_params["lead_id"], "lead id"))
    if lead is None or not ctx.viewer.can_answer(lead):
        raise HttpError(404, "no such hand-off that you can answer")
    if ctx.viewer.rep_id is None:
        raise HttpError(400, "only a rep can take a hand-off; a manager answers it from the lead page")
    if lead.owner_rep_id is not None and lead.owner_rep_id != ctx.viewer.rep_id:
        raise HttpError(409, "another rep has taken this hand-off")
    if lead.owner_rep_id is None:
        assign_to(ctx.session, lead.id, ctx.session.get(Rep, ctx.viewer.rep_id), now=ctx.now(),
                  by=ctx.viewer.actor)
    return see_other(f"/leads/{lead.id}#conversation")


def availability_action(ctx: Ctx) -> Response:
    if ctx.viewer.rep_id is None:
        raise HttpError(400, "only a rep's account is available or away (this account has no rep)")
    choice = ctx.field("available")
    if choice not in ("0", "1"):
        raise HttpError(400, "available must be 1 (at your desk) or 0 (away)")
    set_available(ctx.session, ctx.session.get(Rep, ctx.viewer.rep_id), choice == "1", now=ctx.now())
    return see_other(safe_next(ctx.field("next") or "/handoffs"))


def routes() -> list[BaseRoute]:
    return [
        Route("/handoffs", endpoint(queue_page)),
        Route("/handoffs/{lead_id}/take", endpoint(take_action), methods=["POST"]),
        Route("/me/availability", endpoint(availability_action), methods=["POST"]),
    ]
