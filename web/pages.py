"""The dashboard's HTML pages and form actions.

Every action calls the function the CLI calls (`move_stage`, `add_note`, `assign_to`,
`reassign_by_rules`, `export_person`, `erase_lead`), so stage history and outbox events
are written exactly as `leadbot deals move` / `leads note` / `leads assign` /
`leads delete` write them. After a successful POST the browser is redirected (303), so a
reload never repeats an action.
"""
from __future__ import annotations

import json
from typing import Any

from starlette.responses import RedirectResponse, Response

from bot.assignment.assign import assign_to, reassign_by_rules
from bot.assignment.reps import get_rep
from bot.erasure import Copies, erase_lead, export_person
from bot.meetings.booking import meetings_of_lead
from bot.nurture.sequence import enrollment_of, pause, resume
from bot.scoring import load_scoring_settings
from bot.store.export import lead_to_export
from bot.winprob.model import load as load_win_model
from bot.winprob.predict import lead_probability, probabilities
from bot.winprob.settings import load_win_model_settings
from bot.store.repository import add_note, move_stage
from bot.store.schema import Lead
from web.forms import amount, deal_to_move, path_lead, requested_inbox, requested_search, whole_number
from web.http import Ctx, HttpError, see_other
from web.queries import INBOX_STATUSES, NOBODY, active_reps, board, sync_status, visible_lead

# Messages shown after an action; the redirect carries only the key, never free text.
DONE = {
    "moved": "Stage changed.", "won": "Marked as won.", "lost": "Marked as lost.",
    "note": "Note added.", "assigned": "Owner changed.",
    "replied": "Your message is in the visitor's chat.", "handed_back": "The bot is answering the visitor again.",
    "nurture_paused": "Nurture e-mails paused.", "nurture_resumed": "Nurture e-mails resumed.",
}


def home(ctx: Ctx) -> Response:
    return see_other("/inbox")


def inbox_page(ctx: Ctx) -> Response:
    page = requested_inbox(ctx)
    model = load_win_model()  # the learned win probability beside each score, once a model is trained
    win = probabilities(ctx.session, [r.lead_id for r in page.rows], model, load_scoring_settings())
    return ctx.render("inbox.html", inbox=page, statuses=INBOX_STATUSES, pipeline=ctx.app.pipeline, win=win,
                      win_model=model, search=page.search, owners=active_reps(ctx.session), nobody=NOBODY)


def _lead_context(ctx: Ctx, lead: Lead) -> dict[str, Any]:
    history = sorted(((h, d.id) for d in lead.deals for h in d.history), key=lambda x: (x[0].changed_at, x[0].id))
    return {
        "lead": lead, "data": lead_to_export(lead), "deal": lead.current_deal(), "history": history,
        "sync": sync_status(ctx.session, lead.id), "pipeline": ctx.app.pipeline,
        "reps": active_reps(ctx.session), "done": DONE.get(ctx.request.query_params.get("done", "")),
        "raw": dict(lead.raw_answers or {}), "transcript": list(lead.transcript or []),
        "nurture": enrollment_of(ctx.session, lead.id), "meetings": meetings_of_lead(ctx.session, lead.id),
        "win": lead_probability(lead, load_win_model(), load_scoring_settings(), load_win_model_settings()),
    }


def nurture_action(ctx: Ctx) -> Response:
    """Pause or resume the lead's nurture sequence (bot/nurture/sequence.py)."""
    lead = path_lead(ctx)
    if ctx.field("action") == "pause":
        pause(ctx.session, lead.id, by=ctx.viewer.actor, now=ctx.now())
        return _back(lead.id, "nurture_paused")
    if ctx.field("action") == "resume":
        resume(ctx.session, lead.id, now=ctx.now())
        return _back(lead.id, "nurture_resumed")
    raise HttpError(400, "action must be pause or resume")


def lead_page(ctx: Ctx) -> Response:
    lead = path_lead(ctx)
    return ctx.render("lead.html", **_lead_context(ctx, lead))


def _back(lead_id: int, done: str) -> RedirectResponse:
    return see_other(f"/leads/{lead_id}?done={done}")


def move_action(ctx: Ctx) -> Response:
    lead = path_lead(ctx)
    stage = ctx.field("stage")
    if stage == ctx.app.pipeline.lost_stage.key and not ctx.field("lost_reason"):
        return see_other(f"/leads/{lead.id}?lose=1#close")
    move_stage(ctx.session, deal_to_move(lead), stage, now=ctx.now(), by=ctx.viewer.actor,
               note=ctx.field("note") or None, lost_reason=ctx.field("lost_reason") or None,
               pipeline=ctx.app.pipeline)
    return _back(lead.id, "moved")


def won_action(ctx: Ctx) -> Response:
    lead = path_lead(ctx)
    currency = ctx.field("currency").upper() or None
    if currency is not None and (len(currency) != 3 or not currency.isalpha()):
        raise HttpError(400, f"currency {currency!r} is not a three-letter code such as EUR or USD")
    move_stage(ctx.session, deal_to_move(lead), ctx.app.pipeline.won_stage.key, now=ctx.now(), by=ctx.viewer.actor,
               note=ctx.field("note") or None, value=amount(ctx.field("value")), currency=currency,
               pipeline=ctx.app.pipeline)
    return _back(lead.id, "won")


def lost_action(ctx: Ctx) -> Response:
    lead = path_lead(ctx)
    move_stage(ctx.session, deal_to_move(lead), ctx.app.pipeline.lost_stage.key, now=ctx.now(), by=ctx.viewer.actor,
               note=ctx.field("note") or None, lost_reason=ctx.field("lost_reason") or None,
               pipeline=ctx.app.pipeline)
    return _back(lead.id, "lost")


def note_action(ctx: Ctx) -> Response:
    lead = path_lead(ctx)
    add_note(ctx.session, lead.id, ctx.field("body"), author=ctx.viewer.actor, now=ctx.now())
    return _back(lead.id, "note")


def reassign_action(ctx: Ctx) -> Response:
    lead = path_lead(ctx)
    choice = ctx.field("rep")
    if choice == "rules":
        result = reassign_by_rules(ctx.session, lead.id, now=ctx.now())
        if result.rep_id is None:
            raise HttpError(400, f"nobody is available for lead {lead.id}: {result.reason}")
    else:
        assign_to(ctx.session, lead.id, get_rep(ctx.session, whole_number(choice, "rep")), now=ctx.now(),
                  by=ctx.viewer.actor)
    ctx.session.flush()
    if not ctx.viewer.can_see(lead):  # a rep who hands a lead on no longer sees it
        return see_other("/inbox")
    return _back(lead.id, "assigned")


def export_action(ctx: Ctx) -> Response:
    lead = path_lead(ctx)
    data = export_person(ctx.session, lead.id, Copies.from_environment())
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="lead-{lead.id}-personal-data.json"',
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


def delete_confirm(ctx: Ctx) -> Response:
    lead = path_lead(ctx)
    return ctx.render("delete.html", lead=lead, error=None)


def delete_action(ctx: Ctx) -> Response:
    lead = path_lead(ctx)
    if ctx.field("confirm") != str(lead.id):
        return ctx.render("delete.html", 400, lead=lead,
                          error=f"Type the lead number {lead.id} to confirm: the deletion cannot be undone.")
    erased = erase_lead(ctx.session, lead.id, Copies.from_environment(), now=ctx.now())
    return ctx.render("deleted.html", result=erased.deletion, erased=erased)


def board_page(ctx: Ctx) -> Response:
    search = requested_search(ctx)
    columns = board(ctx.session, ctx.viewer, ctx.app.pipeline, cards_per_stage=ctx.app.settings.board_cards_per_stage,
                    search=search)
    return ctx.render("board.html", columns=columns, pipeline=ctx.app.pipeline, search=search,
                      owners=active_reps(ctx.session), nobody=NOBODY)


def board_move(ctx: Ctx) -> Response:
    """A card moved on the board (drag and drop, or its little form without JavaScript)."""
    lead = visible_lead(ctx.session, ctx.viewer, whole_number(ctx.field("lead_id"), "lead id"))
    stage = ctx.field("stage")
    if stage == ctx.app.pipeline.lost_stage.key:
        return see_other(f"/leads/{lead.id}?lose=1#close")  # a lost deal needs its reason
    move_stage(ctx.session, deal_to_move(lead), stage, now=ctx.now(), by=ctx.viewer.actor, pipeline=ctx.app.pipeline)
    return see_other("/board")
