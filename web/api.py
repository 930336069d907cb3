"""The JSON API under /api/: every number the pages show, for scripts and other tools.

Authenticated like the pages (session cookie; a POST with the cookie must send the CSRF
token in `X-CSRF-Token`) or with a per-account bearer token (`leadbot users token EMAIL`).
The same access rule applies: a rep's token sees that rep's leads only.
"""
from __future__ import annotations

from typing import Any

from starlette.responses import Response

from bot.formats import iso_utc
from bot.store.export import lead_to_export
from bot.store.repository import add_note, move_stage
from web.forms import amount, deal_to_move, path_lead, requested_inbox, requested_search
from web.http import Ctx, json_response
from web.queries import board, sync_status


def me(ctx: Ctx) -> Response:
    v = ctx.viewer
    return json_response({"email": v.email, "name": v.name, "role": v.role, "rep_id": v.rep_id})


def leads(ctx: Ctx) -> Response:
    page = requested_inbox(ctx)
    return json_response({"status": page.status, "only_new": page.only_new, "page": page.page,
                          "has_next": page.has_next, "leads": [r.to_dict() for r in page.rows]})


def lead(ctx: Ctx) -> Response:
    found = path_lead(ctx)
    history = sorted((h for d in found.deals for h in d.history), key=lambda h: (h.changed_at, h.id))
    return json_response({
        "lead": lead_to_export(found),
        "raw_answers": dict(found.raw_answers or {}),
        "transcript": list(found.transcript or []),
        "stage_history": [{"deal_id": h.deal_id, "from_stage": h.from_stage, "to_stage": h.to_stage,
                           "changed_at": iso_utc(h.changed_at), "changed_by": h.changed_by, "note": h.note}
                          for h in history],
        "notes": [{"id": n.id, "author": n.author, "body": n.body, "created_at": iso_utc(n.created_at)}
                  for n in found.notes],
        "sync": sync_status(ctx.session, found.id).to_dict(),
    })


def pipeline(ctx: Ctx) -> Response:
    columns = board(ctx.session, ctx.viewer, ctx.app.pipeline, cards_per_stage=ctx.app.settings.board_cards_per_stage,
                    search=requested_search(ctx))
    return json_response({"stages": [_column(c) for c in columns]})


def _column(column: Any) -> dict[str, Any]:
    s = column.summary
    return {"stage": s.stage, "label": s.label, "count": s.count,
            "value": [{"currency": c, "value": v} for c, v in sorted(s.value.items(), key=lambda kv: kv[0] or "")],
            "probability": s.probability, "closed": s.closed,
            "cards": [{"deal_id": c.deal_id, "lead_id": c.lead_id, "name": c.name, "company": c.company,
                       "score": c.score, "value": c.value, "currency": c.currency,
                       "updated_at": iso_utc(c.updated_at)} for c in column.cards]}


def move(ctx: Ctx) -> Response:
    found = path_lead(ctx)
    value = ctx.form.get("value")
    deal = move_stage(ctx.session, deal_to_move(found), ctx.field("stage"), now=ctx.now(), by=ctx.viewer.actor,
                      note=ctx.field("note") or None, lost_reason=ctx.field("lost_reason") or None,
                      value=amount(str(value)) if value not in (None, "") else None,
                      currency=ctx.field("currency") or None, pipeline=ctx.app.pipeline)
    return json_response({"lead_id": found.id, "deal_id": deal.id, "stage": deal.stage,
                          "closed_at": iso_utc(deal.closed_at)})


def note(ctx: Ctx) -> Response:
    found = path_lead(ctx)
    added = add_note(ctx.session, found.id, ctx.field("body"), author=ctx.viewer.actor, now=ctx.now())
    return json_response({"lead_id": found.id, "note_id": added.id}, 201)
