"""Which index each metric query reads, for the whole pipeline and for one team's or rep's rows.

Left alone, SQLite's planner chose indexes that made it fetch table rows: it takes
`owner_rep_id IN (the team's reps)` for an unselective term and reads the whole pipeline's
index instead of the owner-led one, and with no period it prefers a wider, non-covering
index for closed deals (a year of one team: 0.4 s instead of 0.05 s). So each query names
its index to SQLite (`INDEXED BY`, which bot.store.db writes), one for the whole pipeline
and one led by the owner, both defined in bot/store/schema.py. PostgreSQL plans on its
own. tests/metrics checks that each query reads the index named here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select

from bot.metrics.period import MetricsFilter
from bot.store.schema import ConversationFunnel, Deal, StageHistory


@dataclass(frozen=True)
class Reads:
    model: Any
    whole: str  # the whole pipeline
    owned: str  # one team's or rep's rows: led by owner_rep_id

    def reader(self, f: MetricsFilter) -> Callable[[Select], Select]:
        """Names the index for `f` to SQLite in a query on `model`."""
        index = self.owned if f.by_owner else self.whole
        return lambda query: query.with_hint(self.model, f"INDEXED BY {index}", "sqlite")


CLOSED_DEALS = Reads(Deal, "ix_deals_closed", "ix_deals_owner_closed")
DAYS_TO_CLOSE = Reads(Deal, "ix_deals_days_to_close", "ix_deals_owner_closed")
LOST_REASONS = Reads(Deal, "ix_deals_lost_reasons", "ix_deals_owner_closed")
OPEN_DEALS = Reads(Deal, "ix_deals_open", "ix_deals_owner_open")  # by stage and time in it
OPEN_PIPELINE = Reads(Deal, "ix_deals_stage_currency_value", "ix_deals_owner_open")  # by stage and currency
STAGE_ENTRIES = Reads(StageHistory, "ix_stage_history_entries", "ix_stage_history_owner_entries")
FINISHED_STAYS = Reads(StageHistory, "ix_stage_history_pairs", "ix_stage_history_owner_stays")
STAY_LENGTHS = Reads(StageHistory, "ix_stage_history_stays", "ix_stage_history_owner_stays")
CONVERSATIONS = Reads(ConversationFunnel, "ix_conversation_funnel_depth", "ix_conversation_funnel_owner")

ALL: tuple[Reads, ...] = (CLOSED_DEALS, DAYS_TO_CLOSE, LOST_REASONS, OPEN_DEALS, OPEN_PIPELINE, STAGE_ENTRIES,
                          FINISHED_STAYS, STAY_LENGTHS, CONVERSATIONS)
