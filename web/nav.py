"""What every dashboard page's navigation shows besides its links, read by `Ctx.render`.

It sits below `web/http.py` (which every view imports) so the page plumbing needs no view:
the waiting visitors' badge of the hand-off queue (`web/handoff_views.py`), the rep's
available / away switch, and the banner of a CRM that refused our credentials.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.handoff import waiting_count
from bot.store.schema import Rep
from crm_sync.connection import alerts
from web.viewer import Viewer


def nav_context(session: Session, viewer: Viewer | None) -> dict[str, Any]:
    """The waiting count, whether the viewer (a rep) is at their desk (None for an account
    without a rep) and the CRM alerts; nothing for a page seen signed out."""
    if viewer is None:
        return {"crm_alerts": []}
    rep = session.get(Rep, viewer.rep_id) if viewer.rep_id is not None else None
    return {"handoff_waiting": waiting_count(session, among=viewer.answer_filter()),
            "desk_available": rep.available if rep is not None else None,
            "crm_alerts": alerts(session)}
