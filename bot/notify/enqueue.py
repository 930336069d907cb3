"""Queue lead cards, in the transaction that assigned the lead (so none is ever skipped).

One pending `notifications` row per channel the rep wants (`RepNotify`), or, for a lead
nobody could take, per fallback recipient in settings/notifications.yml. A row names
its target (an address, or the NAME of the environment variable holding a webhook URL);
the worker renders the card from the lead as it is when sending.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.notify.preferences import RepNotify
from bot.notify.settings import NotifySettings, load_notify_settings
from bot.store.schema import Lead, Notification, Rep


def enqueue_lead_card(session: Session, lead: Lead, rep: Rep | None, *, reason: str, now: datetime,
                      settings: NotifySettings | None = None) -> list[Notification]:
    """Cards owed for `lead` to `rep` (None: to the fallback recipients)."""
    targets: list[tuple[str, str]] = []
    if rep is not None:
        wants = RepNotify.model_validate(rep.notify or {})
        if wants.email:
            targets.append(("email", rep.email))
        if wants.slack_webhook_env:
            targets.append(("slack", wants.slack_webhook_env))
        if wants.webhook_env:
            targets.append(("webhook", wants.webhook_env))
    else:
        fallback = (settings or load_notify_settings()).fallback
        targets += [("email", address) for address in fallback.emails]
        if fallback.slack_webhook_env:
            targets.append(("slack", fallback.slack_webhook_env))
        if fallback.webhook_env:
            targets.append(("webhook", fallback.webhook_env))
    rows = [
        Notification(lead_id=lead.id, rep_id=rep.id if rep else None, channel=channel, target=target,
                     reason=reason if rep is not None else "unassigned", status="pending", attempts=0,
                     next_attempt_at=now, created_at=now)
        for channel, target in targets
    ]
    session.add_all(rows)
    session.flush()
    return rows
