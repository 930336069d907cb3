"""The bot funnel (one row per conversation, how far it got) and the metrics' indexes.

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-22

`conversation_funnel` is keyed by the SHA-256 of the conversation id, so it holds no personal
data and the funnel survives a lead's deletion (`lead_id` is set to NULL). The indexes serve
bot/metrics at 100k leads: deals closed in a period, stage entries in a period.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
STEPS = ("need", "budget", "authority", "timeline", "contact", "qualified", "handed_to_rep")


def upgrade() -> None:
    op.create_table(
        "conversation_funnel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_key", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(50), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        *[sa.Column(f"{step}_at", TS, nullable=True) for step in STEPS],
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_conversation_funnel_lead_id_leads",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_conversation_funnel"),
        sa.UniqueConstraint("conversation_key", name="uq_conversation_funnel_conversation_key"),
    )
    op.create_index("ix_conversation_funnel_started_channel", "conversation_funnel", ["started_at", "channel"])
    op.create_index("ix_conversation_funnel_lead_id", "conversation_funnel", ["lead_id"])
    op.create_index("ix_deals_stage_closed_at", "deals", ["stage", "closed_at"])
    op.create_index("ix_stage_history_changed_at", "stage_history", ["changed_at"])


def downgrade() -> None:
    op.drop_index("ix_stage_history_changed_at", table_name="stage_history")
    op.drop_index("ix_deals_stage_closed_at", table_name="deals")
    op.drop_index("ix_conversation_funnel_lead_id", table_name="conversation_funnel")
    op.drop_index("ix_conversation_funnel_started_channel", table_name="conversation_funnel")
    op.drop_table("conversation_funnel")
