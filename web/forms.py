"""What the dashboard reads from a request: whole numbers, amounts, the lead a path names, the
inbox and the search a query string asks for.

The pages, the JSON API, the metrics and the rep API read their values here, so a bad value is
refused with the same 400 and message wherever it is sent.
"""
from __future__ import annotations

from bot.language.codes import SUPPORTED as SUPPORTED_LANGUAGES
from bot.store.schema import MAX_ID, Lead
from web.http import Ctx, HttpError
from web.queries import INBOX_STATUSES, MAX_SEARCH_CHARS, NOBODY, InboxPage, LeadSearch, inbox, visible_lead

# The largest id or page number a request may name (the store's largest id).
MAX_INT = MAX_ID


def whole_number(text: str, name: str, *, minimum: int = 1) -> int:
    """`text` as an id or page number, else a 400 that names the field."""
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise HttpError(400, f"{name} must be a whole number") from None
    if not minimum <= value <= MAX_INT:
        raise HttpError(400, f"{name} must be a whole number from {minimum} to {MAX_INT}")
    return value


def amount(text: str) -> float | None:
    """A typed amount; its bounds are the store's (`move_stage` refuses what it cannot keep)."""
    if not text:
        return None
    try:
        return float(text.replace(",", "").replace(" ", ""))
    except ValueError:
        raise HttpError(400, f"the value {text!r} is not a number (e.g. 12000 or 12000.50)") from None


def path_lead(ctx: Ctx) -> Lead:
    """The lead of the path's `{lead_id}`, if the viewer may see it (else a 404)."""
    return visible_lead(ctx.session, ctx.viewer, whole_number(ctx.request.path_params["lead_id"], "lead id"))


def deal_to_move(lead: Lead) -> int:
    """The id of the lead's current deal, the one a stage change moves."""
    deal = lead.current_deal()
    if deal is None:
        raise HttpError(400, f"lead {lead.id} has no deal to move")
    return deal.id


def requested_search(ctx: Ctx) -> LeadSearch:
    """?q= (words in the name, company or e-mail), ?language= (one of bot/language's codes) and,
    for a manager, ?owner= (a rep's id, or `none`): the inbox's and board's filters. A rep sees
    only their own leads anyway."""
    q = ctx.request.query_params
    text = " ".join(q.get("q", "").split())[:MAX_SEARCH_CHARS]
    language = q.get("language") or None
    if language is not None and language not in SUPPORTED_LANGUAGES:
        raise HttpError(400, f"unknown language {language!r}; one of: {', '.join(SUPPORTED_LANGUAGES)}")
    owner = q.get("owner", "")
    if not owner or not ctx.viewer.is_manager:
        return LeadSearch(text, language=language)
    return LeadSearch(text, NOBODY if owner == NOBODY else whole_number(owner, "owner"), language)


def requested_inbox(ctx: Ctx) -> InboxPage:
    """The inbox page the query string asks for (?status=, ?all=1, ?page=, ?q=, ?owner=); page and API share it."""
    q = ctx.request.query_params
    status = q.get("status", "qualified")
    if status not in INBOX_STATUSES:
        raise HttpError(400, f"unknown status {status!r}; one of: {', '.join(INBOX_STATUSES)}")
    return inbox(ctx.session, ctx.viewer, ctx.app.pipeline, status=status, only_new=q.get("all") != "1",
                 page=whole_number(q.get("page", "1"), "page"), size=ctx.app.settings.inbox_page_size,
                 search=requested_search(ctx))
