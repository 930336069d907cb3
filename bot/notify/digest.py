"""The daily stuck-deals digest: each owner hears, once a day, which of their deals have sat
in a stage past its limit (`max_days` in settings/pipeline.yml).

Stuck means exactly what the metrics page and `leadbot pipeline --stuck` mean
(`bot.metrics.stuck`). The sender queues the digests (`queue_stuck_digests`) from
`stuck_digest_hour` (UTC) on, one `notifications` row per owner, channel and day: the
unique index on (rep, channel, digest_date) makes that true across any number of senders
and restarts. The card is built when sent, from the deals as they are then, and goes out
like a lead card (same channels, retries and dead letters), rendered by the functions here.
"""
from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.metrics.period import MetricsFilter
from bot.metrics.stuck import stuck, stuck_query
from bot.notify.card import channel_safe, chunks, cut, one_line, slack_escape, slack_section
from bot.notify.enqueue import rep_targets
from bot.notify.settings import NotifySettings
from bot.store.errors import InvalidRep
from bot.store.pipeline import PipelineSettings, load_pipeline_settings
from bot.store.schema import Lead, Notification, Rep

log = logging.getLogger(__name__)

REASON = "stuck_digest"
_LIST_LIMIT = 50  # deals listed; the count above the list is exact
_SLACK_TEXT_LIMIT = 3000


@dataclass(frozen=True)
class StuckLine:
    lead_id: int
    who: str  # "Dana Ruiz (Acme)", as typed by the visitor, cleaned of control characters
    stage: str
    days: int
    max_days: int
    value: str  # "12,000 USD" or "no value"
    link: str


@dataclass(frozen=True)
class DigestCard:
    rep_id: int
    rep_name: str
    day: str  # ISO date the digest is for
    total: int
    deals: tuple[StuckLine, ...]

    @property
    def subject(self) -> str:
        return one_line(f"Stuck deals: {self.total} of yours need a push ({self.day})")


def build_digest(session: Session, rep: Rep, *, now: datetime, settings: NotifySettings,
                 pipeline: PipelineSettings | None = None) -> DigestCard:
    """The rep's stuck deals now, oldest in their stage first."""
    pipeline = pipeline or load_pipeline_settings()
    found = stuck(session, MetricsFilter(rep_id=rep.id), pipeline, now, limit=_LIST_LIMIT)
    leads = {lead.id: lead for lead in session.scalars(select(Lead).where(Lead.id.in_([d.lead_id for d in found.deals])))}
    lines = []
    for deal in found.deals:
        lead = leads.get(deal.lead_id)
        current = lead.current_deal() if lead else None
        who = (lead.name or lead.email or lead.phone or f"Lead #{deal.lead_id}") if lead else f"Lead #{deal.lead_id}"
        company = f" ({lead.company})" if lead and lead.company else ""
        value = (f"{current.value:,.0f} {current.currency or '(no currency)'}"
                 if current is not None and current.value is not None else "no value")
        lines.append(StuckLine(deal.lead_id, channel_safe(one_line(f"{who}{company}")), pipeline.stage(deal.stage).label,
                               deal.days, deal.max_days, value, settings.link(deal.lead_id)))
    return DigestCard(rep.id, channel_safe(rep.name), now.date().isoformat(), found.total, tuple(lines))


def queue_stuck_digests(session: Session, *, now: datetime, settings: NotifySettings,
                        pipeline: PipelineSettings | None = None) -> int:
    """Queue today's digest for every active rep with stuck deals, on each channel they
    want, unless it is queued already (by this sender or another); returns how many rows.
    Does nothing before `stuck_digest_hour` or when it is null."""
    if settings.stuck_digest_hour is None or now.hour < settings.stuck_digest_hour:
        return 0
    query = stuck_query(MetricsFilter(), pipeline or load_pipeline_settings(), now)
    if query is None:  # no stage has a limit
        return 0
    owners = select(query.subquery().c.owner_rep_id).distinct()
    day, queued = now.date(), 0
    for rep in session.scalars(select(Rep).where(Rep.active.is_(True), Rep.id.in_(owners)).order_by(Rep.id)):
        try:
            targets = rep_targets(rep)
        except InvalidRep as exc:
            log.warning("no stuck-deals digest for %s: %s", rep.email, exc)
            continue
        for channel, target in targets:
            if _queued(session, rep.id, channel, day):
                continue
            try:
                with session.begin_nested():
                    session.add(Notification(
                        lead_id=None, rep_id=rep.id, channel=channel, target=target, reason=REASON,
                        status="pending", attempts=0, next_attempt_at=now, created_at=now, digest_date=day))
                    session.flush()
                queued += 1
            except IntegrityError:  # another sender queued it between our check and insert
                continue
    return queued


def _queued(session: Session, rep_id: int, channel: str, day: Any) -> bool:
    query = select(Notification.id).where(Notification.rep_id == rep_id, Notification.channel == channel,
                                          Notification.digest_date == day).limit(1)
    return session.scalars(query).first() is not None


# --- renderers ---------------------------------------------------------------------------


def _describe(line: StuckLine) -> str:
    return f"{line.who}: {line.stage} for {line.days} days (limit {line.max_days}), {line.value}"


def _hidden(card: DigestCard) -> int:
    return card.total - len(card.deals)


def render_digest_text(card: DigestCard) -> str:
    out = [card.subject, "", f"Hello {card.rep_name}, these deals have been in their stage longer than its limit:", ""]
    for line in card.deals:
        out += [f"- {_describe(line)}", f"  {line.link}"]
    if not card.deals:
        out.append("None any more: they have moved since this digest was queued.")
    if _hidden(card):
        out += ["", f"... and {_hidden(card)} more (the dashboard's metrics page lists them all)."]
    return "\n".join(out) + "\n"


def render_digest_html(card: DigestCard) -> str:
    e = html.escape
    items = "".join(f"<li><a href=\"{e(line.link, quote=True)}\">{e(line.who)}</a>: {e(line.stage)} for "
                    f"{line.days} days (limit {line.max_days}), {e(line.value)}</li>" for line in card.deals)
    body = f"<ul>{items}</ul>" if card.deals else "<p>None any more: they have moved since this digest was queued.</p>"
    more = f"<p>... and {_hidden(card)} more (the dashboard's metrics page lists them all).</p>" if _hidden(card) else ""
    return ("<!doctype html><html><head><meta charset=\"utf-8\"></head><body>"
            f"<h2>{e(card.subject)}</h2><p>Hello {e(card.rep_name)}, these deals have been in their stage "
            f"longer than its limit:</p>{body}{more}</body></html>\n")


def render_digest_slack(card: DigestCard) -> dict[str, Any]:
    s = slack_escape
    lines = [f"<{line.link}|{s(line.who)}>: {s(line.stage)} for {line.days} days (limit {line.max_days}), {s(line.value)}"
             for line in card.deals] or ["None any more: they have moved since this digest was queued."]
    if _hidden(card):
        lines.append(f"... and {_hidden(card)} more (the dashboard's metrics page lists them all).")
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": cut(card.subject, 150)}}]
    blocks += [slack_section(text) for text in chunks(lines, _SLACK_TEXT_LIMIT)][:49]
    return {"text": cut(card.subject, _SLACK_TEXT_LIMIT), "blocks": blocks}


def render_digest_json(card: DigestCard) -> dict[str, Any]:
    return {"type": "stuck_digest", "rep_id": card.rep_id, "rep_name": card.rep_name, "day": card.day,
            "subject": card.subject, "total": card.total,
            "deals": [{"lead_id": d.lead_id, "who": d.who, "stage": d.stage, "days": d.days,
                       "max_days": d.max_days, "value": d.value, "link": d.link} for d in card.deals]}
