"""Nurture sequences: each nurture lead's enrollment, and one queued e-mail per step.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "nurture_enrollments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.String(100), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("stop_reason", sa.String(30), nullable=True),
        sa.Column("next_step", sa.Integer(), nullable=False),
        sa.Column("next_due_at", TS, nullable=True),
        sa.Column("language", sa.String(20), nullable=True),
        sa.Column("category", sa.String(100), nullable=True),
        sa.Column("transcript_lines", sa.Integer(), nullable=True),
        sa.Column("paused_by", sa.String(200), nullable=True),
        sa.Column("enrolled_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("stopped_at", TS, nullable=True),
        sa.Column("clicked_at", TS, nullable=True),
        sa.Column("reengaged_at", TS, nullable=True),
        sa.Column("qualified_at", TS, nullable=True),
        sa.Column("unsubscribed_at", TS, nullable=True),
        sa.CheckConstraint("state IN ('active', 'paused', 'stopped', 'completed')",
                           name="ck_nurture_enrollments_state"),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_nurture_enrollments_lead_id_leads",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_nurture_enrollments"),
        sa.UniqueConstraint("lead_id", name="uq_nurture_enrollments_lead_id"),
    )
    op.create_index("ix_nurture_enrollments_state_due", "nurture_enrollments", ["state", "next_due_at"])
    op.create_table(
        "nurture_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrollment_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.Column("claimed_by", sa.String(100), nullable=True),
        sa.Column("claimed_until", TS, nullable=True),
        sa.Column("clicks", sa.Integer(), nullable=False),
        sa.Column("first_clicked_at", TS, nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sent', 'dead', 'cancelled')", name="ck_nurture_messages_status"),
        sa.ForeignKeyConstraint(["enrollment_id"], ["nurture_enrollments.id"],
                                name="fk_nurture_messages_enrollment_id_nurture_enrollments", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_nurture_messages_lead_id_leads",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_nurture_messages"),
    )
    op.create_index("uq_nurture_messages_enrollment_step", "nurture_messages", ["enrollment_id", "step"], unique=True)
    op.create_index("ix_nurture_messages_status_next_attempt", "nurture_messages", ["status", "next_attempt_at"])
    op.create_index("ix_nurture_messages_lead_id", "nurture_messages", ["lead_id"])


def downgrade() -> None:
    op.drop_table("nurture_messages")
    op.drop_table("nurture_enrollments")
