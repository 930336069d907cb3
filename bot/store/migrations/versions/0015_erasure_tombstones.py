"""Erasure that sticks, and conversations that cannot take over a lead.

`tombstones` keeps, for every erased lead, the SHA-256 of its conversation ids, e-mail and
phone with the lead's id and the time: no personal data, but enough for the store to refuse
a spooled copy or a conversation's stale state that still names the erased lead.
`linked_conversations` holds another conversation that gave a stored lead's e-mail, beside the
lead (deleted with it) instead of over it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)
JSONDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "tombstones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key_sha256", sa.String(64), nullable=False),
        sa.Column("erased_at", TS, nullable=False),
        sa.CheckConstraint("kind IN ('conversation', 'email', 'phone')", name="ck_tombstones_kind"),
        sa.PrimaryKeyConstraint("id", name="pk_tombstones"),
    )
    op.create_index("ix_tombstones_lead_id", "tombstones", ["lead_id"])
    op.create_index("ix_tombstones_kind_key", "tombstones", ["kind", "key_sha256"])
    op.create_table(
        "linked_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(50), nullable=False),
        sa.Column("answers", JSONDoc, nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("human_requested", sa.Boolean(), nullable=False),
        sa.Column("transcript", JSONDoc, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_linked_conversations_lead_id_leads",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_linked_conversations"),
    )
    op.create_index("ix_linked_conversations_lead_conversation", "linked_conversations",
                    ["lead_id", "conversation_id"], unique=True)
    op.create_index("ix_linked_conversations_conversation_id", "linked_conversations", ["conversation_id"])


def downgrade() -> None:
    op.drop_index("ix_linked_conversations_conversation_id", table_name="linked_conversations")
    op.drop_index("ix_linked_conversations_lead_conversation", table_name="linked_conversations")
    op.drop_table("linked_conversations")
    op.drop_index("ix_tombstones_kind_key", table_name="tombstones")
    op.drop_index("ix_tombstones_lead_id", table_name="tombstones")
    op.drop_table("tombstones")
