"""Metrics at 100k leads: stays written with the change that ends them, covering indexes.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23

- `stage_history.from_entered_at` / `stay_days`: a change also records when the stay it
  ends began and how long it lasted, so stage flow counts stays from an index instead of
  pairing every row with the deal's next one at read time.
- `deals.stage_entered_at`: since when the deal is in its stage (stuck deals), and
  `deals.days_to_close`, written when it closes (time to close).
- `conversation_funnel.depth`: how many steps of the chain need -> qualified were all
  reached, so the funnel counts rows per depth instead of testing six columns each.
- Indexes that answer each metric without reading the tables; they replace the 0007 ones.

Existing rows are filled in from the history itself. The history is append-only (a
trigger refuses UPDATE): the trigger is lifted for the backfill only, inside this
migration's transaction, and put back as 0001 defined it.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
STEPS = ("need", "budget", "authority", "timeline", "contact", "qualified", "handed_to_rep")
OPEN = sa.text("closed_at IS NULL")
CLOSED = sa.text("closed_at IS NOT NULL")

SQLITE_APPEND_ONLY = """
CREATE TRIGGER stage_history_append_only BEFORE UPDATE ON stage_history
BEGIN
    SELECT RAISE(ABORT, 'stage_history is append-only: insert a new row instead');
END
"""

# The previous change of the same deal (ids follow time within a deal).
PREVIOUS_CHANGE = """
UPDATE stage_history SET from_entered_at = (
    SELECT p.changed_at FROM stage_history p
    WHERE p.deal_id = stage_history.deal_id AND p.id < stage_history.id
    ORDER BY p.id DESC LIMIT 1)
WHERE from_stage IS NOT NULL
"""
STAGE_ENTERED = """
UPDATE deals SET stage_entered_at = COALESCE((
    SELECT max(h.changed_at) FROM stage_history h WHERE h.deal_id = deals.id AND h.to_stage = deals.stage),
    updated_at)
"""
FUNNEL_DEPTH = "UPDATE conversation_funnel SET depth = CASE " + " ".join(
    f"WHEN {step}_at IS NULL THEN {n}" for n, step in enumerate(STEPS[:-1])) + f" ELSE {len(STEPS) - 1} END"
DAYS = {  # days from start to end, never negative
    "sqlite": "max(julianday({end}) - julianday({start}), 0)",
    "postgresql": "GREATEST(EXTRACT(EPOCH FROM {end} - {start}) / 86400.0, 0)",
}


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    op.add_column("stage_history", sa.Column("from_entered_at", TS, nullable=True))
    op.add_column("stage_history", sa.Column("stay_days", sa.Float(), nullable=True))
    op.add_column("deals", sa.Column("stage_entered_at", TS, nullable=True))
    op.add_column("deals", sa.Column("days_to_close", sa.Float(), nullable=True))
    op.add_column("conversation_funnel", sa.Column("depth", sa.SmallInteger(), nullable=False,
                                                   server_default=sa.text("0")))

    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS stage_history_append_only")
    elif dialect == "postgresql":
        op.execute("ALTER TABLE stage_history DISABLE TRIGGER stage_history_append_only")
    op.execute(PREVIOUS_CHANGE)
    op.execute("UPDATE stage_history SET stay_days = " + DAYS[dialect if dialect in DAYS else "postgresql"]
               .format(start="from_entered_at", end="changed_at") + " WHERE from_entered_at IS NOT NULL")
    if dialect == "sqlite":
        op.execute(SQLITE_APPEND_ONLY)
    elif dialect == "postgresql":
        op.execute("ALTER TABLE stage_history ENABLE TRIGGER stage_history_append_only")
    op.execute(STAGE_ENTERED)
    op.execute("UPDATE deals SET days_to_close = " + DAYS[dialect if dialect in DAYS else "postgresql"]
               .format(start="created_at", end="closed_at") + " WHERE closed_at IS NOT NULL")
    op.execute(FUNNEL_DEPTH)

    op.drop_index("ix_stage_history_changed_at", table_name="stage_history")
    op.drop_index("ix_deals_stage_closed_at", table_name="deals")
    op.drop_index("ix_conversation_funnel_started_channel", table_name="conversation_funnel")
    op.create_index("ix_conversation_funnel_depth", "conversation_funnel",
                    ["channel", "depth", "started_at", "handed_to_rep_at", "lead_id"])
    op.drop_index("ix_deals_stage_currency_value", table_name="deals")
    op.create_index("ix_deals_stage_currency_value", "deals", ["stage", "currency", "merged_into_id", "value",
                                                               "closed_at", "created_at", "lead_id"])
    op.create_index("ix_deals_days_to_close", "deals", ["stage", "days_to_close", "closed_at", "merged_into_id", "lead_id"],
                    sqlite_where=CLOSED, postgresql_where=CLOSED)
    op.create_index("ix_deals_lost_reasons", "deals", ["stage", "lost_reason", "closed_at", "merged_into_id", "lead_id"],
                    sqlite_where=CLOSED, postgresql_where=CLOSED)
    op.create_index("ix_deals_open", "deals", ["stage", "stage_entered_at", "currency", "value", "lead_id"],
                    sqlite_where=OPEN, postgresql_where=OPEN)
    op.create_index("ix_deals_merged_into", "deals", ["merged_into_id"])
    op.create_index("ix_stage_history_entries", "stage_history", ["to_stage", "changed_at", "deal_id"])
    op.create_index("ix_stage_history_stays", "stage_history", ["from_stage", "stay_days", "from_entered_at", "to_stage"])
    op.execute("ANALYZE")  # planner statistics for the new indexes (both SQLite and PostgreSQL)


def downgrade() -> None:
    op.drop_index("ix_conversation_funnel_depth", table_name="conversation_funnel")
    op.drop_index("ix_stage_history_stays", table_name="stage_history")
    op.drop_index("ix_stage_history_entries", table_name="stage_history")
    op.drop_index("ix_deals_merged_into", table_name="deals")
    op.drop_index("ix_deals_open", table_name="deals")
    op.drop_index("ix_deals_lost_reasons", table_name="deals")
    op.drop_index("ix_deals_days_to_close", table_name="deals")
    op.drop_index("ix_deals_stage_currency_value", table_name="deals")
    op.create_index("ix_deals_stage_currency_value", "deals", ["stage", "currency", "merged_into_id", "value"])
    op.create_index("ix_conversation_funnel_started_channel", "conversation_funnel", ["started_at", "channel"])
    op.create_index("ix_deals_stage_closed_at", "deals", ["stage", "closed_at"])
    op.create_index("ix_stage_history_changed_at", "stage_history", ["changed_at"])
    # Plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): a batch rebuild would lose the trigger.
    for table, column in (("conversation_funnel", "depth"), ("deals", "stage_entered_at"), ("deals", "days_to_close"),
                          ("stage_history", "stay_days"),
                          ("stage_history", "from_entered_at")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
