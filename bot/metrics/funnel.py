"""The bot funnel: how far conversations got, step by step, overall, per channel and per
language (the conversation's, bot/language; "unknown" for conversations recorded before it was).

Counted from `conversation_funnel` (one row per conversation, written as it goes, see
bot/funnel.py), over conversations started in the period, so conversations that never
became leads count too. Steps: started, need, budget, authority, timeline, contact
(name or e-mail given), qualified (scored qualified), meeting_booked (a meeting booked in
the chat, docs/meetings.md), handed_to_rep (the visitor asked for a person and the bot
handed over).
- count: conversations that reached the step and every step before it (the visitor can
  answer in any order, e.g. the bot asks the timeline before the budget, so a step counts
  only together with the earlier ones: the funnel never widens);
- handed_to_rep is not part of that chain (a visitor can ask for a person at any point):
  every conversation handed to a rep, with no drop-off (None);
- share_of_started = count / started;
- drop_off = 1 - count / previous step's count (None when the previous step is 0).
With a team or rep filter only conversations whose lead the team or rep owns are counted
(a conversation without a lead belongs to nobody).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.funnel import CHAIN
from bot.metrics.common import ratio
from bot.metrics.indexes import CONVERSATIONS
from bot.metrics.period import MetricsFilter
from bot.store.schema import FUNNEL_STEPS, ConversationFunnel

STEPS: tuple[str, ...] = ("started", *FUNNEL_STEPS)
LABELS = {"started": "Conversations started", "need": "Need", "budget": "Budget", "authority": "Authority",
          "timeline": "Timeline", "contact": "Contact given", "qualified": "Qualified",
          "meeting_booked": "Meeting booked", "handed_to_rep": "Handed to a rep"}


def steps_of(counts: dict[str, int]) -> list[dict[str, Any]]:
    """Each step of the funnel with its count, share of started and drop-off, from `counts`."""
    steps, previous = [], None
    for key in STEPS:
        count = counts.get(key, 0)
        drop = None
        if previous and key != "handed_to_rep":
            drop = round(1 - count / previous, 4)
        steps.append({"key": key, "label": LABELS[key], "count": count,
                      "share_of_started": ratio(count, counts.get("started", 0)), "drop_off": drop})
        previous = count
    return steps


@dataclass(frozen=True)
class Funnel:
    totals: dict[str, int] = field(default_factory=dict)
    per_channel: dict[str, dict[str, int]] = field(default_factory=dict)
    per_language: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"steps": steps_of(self.totals),
                "by_channel": {c: steps_of(counts) for c, counts in sorted(self.per_channel.items())},
                "by_language": {lang: steps_of(counts) for lang, counts in sorted(self.per_language.items())}}


def funnel(session: Session, f: MetricsFilter) -> Funnel:
    row = ConversationFunnel
    # One row per (channel, language, depth): a conversation counts for every chain step up to its depth.
    query = CONVERSATIONS.reader(f)(select(row.channel, row.language, row.depth, func.count(),
                                           func.count(row.handed_to_rep_at))
                                    .where(*f.in_period(row.started_at), *f.owned_by(row.owner_rep_id))
                                    .group_by(row.channel, row.language, row.depth))
    per_channel: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STEPS, 0))
    per_language: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STEPS, 0))
    for channel, language, depth, count, handed in session.execute(query):
        for counts in (per_channel[channel], per_language[language or "unknown"]):
            counts["started"] += count
            for step in CHAIN[:depth]:
                counts[step] += count
            counts["handed_to_rep"] += handed
    totals = {k: sum(c[k] for c in per_channel.values()) for k in STEPS}
    return Funnel(totals, dict(per_channel), dict(per_language))
