"""What every dashboard page's navigation shows besides its links, read by `Ctx.render`.

It sits below `web/http.py` (which every view imports) so the page plumbing needs no view:
the waiting visitors' badge of the hand-off queue (`web/handoff_views.py`), the rep's
available / away switch, the banner of a CRM that refused our credentials, and, for a
manager, the banner of e-mail that is off because no SMTP server is configured.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.handoff import waiting_count
from bot.notify.settings import load_notify_settings
from bot.store.schema import Notification, Rep
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
            "crm_alerts": alerts(session),
            "email_off": _email_off(session) if viewer.is_manager else None}


def _email_off(session: Session) -> int | None:
    """None while an SMTP server is configured; else how many e-mail lead cards and digests
    could not be sent for want of one (settings are read per request: a fix shows at once)."""
    if load_notify_settings().smtp.configured:
        return None
    return session.scalar(select(func.count(Notification.id)).where(
        Notification.channel == "email", Notification.status == "dead")) or 0
