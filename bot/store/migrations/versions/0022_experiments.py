"""A/B tests of the bot's script: the experiments started and stopped (with their winner),
and the variant each conversation and each lead was given.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "experiments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("variants", sa.JSON(), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("started_by", sa.String(200), nullable=False),
        sa.Column("stopped_at", TS, nullable=True),
        sa.Column("stopped_by", sa.String(200), nullable=True),
        sa.Column("winner", sa.String(64), nullable=True),
        sa.CheckConstraint("winner IS NULL OR stopped_at IS NOT NULL", name="ck_experiments_winner_when_stopped"),
        sa.PrimaryKeyConstraint("id", name="pk_experiments"),
        sa.UniqueConstraint("key", name="uq_experiments_key"),
    )
    # Plain ADD COLUMNs: a batch copy on SQLite would drop the tables' owner triggers.
    op.add_column("conversation_funnel", sa.Column("experiment", sa.String(64), nullable=True))
    op.add_column("conversation_funnel", sa.Column("variant", sa.String(64), nullable=True))
    op.create_index("ix_conversation_funnel_experiment", "conversation_funnel", ["experiment", "variant", "depth"])
    op.add_column("leads", sa.Column("experiment", sa.String(64), nullable=True))
    op.add_column("leads", sa.Column("variant", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("leads", "variant")
    op.drop_column("leads", "experiment")
    op.drop_index("ix_conversation_funnel_experiment", "conversation_funnel")
    op.drop_column("conversation_funnel", "variant")
    op.drop_column("conversation_funnel", "experiment")
    op.drop_table("experiments")
