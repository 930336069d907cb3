"""Queue lead cards, in the transaction that assigned the lead (so none is ever skipped).

One pending `notifications` row per channel the rep wants (`RepNotify`), or, for a lead
nobody could take, per fallback recipient in settings/notifications.yml. A row names
its target (an address, or the NAME of the environment variable holding a webhook URL);
the worker renders the card from the lead as it is when sending.
"""
from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from bot.notify.preferences import RepNotify
from bot.notify.settings import NotifySettings, load_notify_settings
from bot.store.errors import InvalidRep
from bot.store.schema import Lead, Notification, Rep


REASONS = ("qualified", "human_requested", "reassigned", "assigned")


def enqueue_lead_card(session: Session, lead: Lead, rep: Rep | None, *, reason: str, now: datetime,
                      settings: NotifySettings | None = None) -> list[Notification]:
    """Queue the cards owed for `lead` to `rep` (None: nobody could take it, so to the
    fallback recipients), in the caller's transaction; returns the new pending rows
    (none when the rep wants no channel, or no fallback is configured)."""
    if reason not in REASONS:
        raise ValueError(f"unknown notification reason {reason!r}; one of {', '.join(REASONS)}")
    targets = rep_targets(rep) if rep is not None else _fallback_targets(settings or load_notify_settings())
    rows = [
        Notification(lead_id=lead.id, rep_id=rep.id if rep else None, channel=channel, target=target,
                     reason=reason, status="pending", attempts=0, next_attempt_at=now, created_at=now)
        for channel, target in targets
    ]
    session.add_all(rows)
    session.flush()
    return rows


def rep_targets(rep: Rep) -> list[tuple[str, str]]:
    try:
        wants = RepNotify.model_validate(rep.notify or {})
    except ValidationError as exc:
        raise InvalidRep(f"{rep.name}'s notification preferences are invalid ({exc.errors()[0]['msg']}); "
                         f"fix them with `leadbot reps update {rep.email}`") from exc
    targets = [("email", rep.email)] if wants.email and rep.email else []
    if wants.slack_webhook_env:
        targets.append(("slack", wants.slack_webhook_env))
    if wants.webhook_env:
        targets.append(("webhook", wants.webhook_env))
    return targets


def _fallback_targets(settings: NotifySettings) -> list[tuple[str, str]]:
    fallback = settings.fallback
    targets = [("email", address) for address in fallback.emails]
    if fallback.slack_webhook_env:
        targets.append(("slack", fallback.slack_webhook_env))
    if fallback.webhook_env:
        targets.append(("webhook", fallback.webhook_env))
    return targets
