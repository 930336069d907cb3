"""Indexes for a year of the whole pipeline: closed deals by currency and time, stays by their pair of stages.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23

A year is most of the history, so its report reads most of these indexes; what is left to
save is reading them once, in order. Outcomes read the deals closed in the period per stage
and currency with their value and days to close in one pass (`ix_deals_closed`; the old
index put the period after the value, so it was searched once per distinct value). Stage
flow counts the stays that began in the period per pair of stages (`ix_stage_history_pairs`;
it tested every stay of a stage, and an expression per row, for the advancing ones).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLOSED = sa.text("closed_at IS NOT NULL")


def upgrade() -> None:
    op.create_index("ix_deals_closed", "deals", ["stage", "currency", "closed_at", "merged_into_id", "value",
                                                 "days_to_close"], sqlite_where=CLOSED, postgresql_where=CLOSED)
    op.create_index("ix_stage_history_pairs", "stage_history", ["from_stage", "to_stage", "from_entered_at"])
    op.execute("ANALYZE")


def downgrade() -> None:
    op.drop_index("ix_stage_history_pairs", table_name="stage_history")
    op.drop_index("ix_deals_closed", table_name="deals")
