"""The conversation's language (bot/language): on the lead, and on each conversation's funnel
row, whose two indexes take it after the channel so the funnel per language is read from them.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OWNED = sa.text("owner_rep_id IS NOT NULL")


def upgrade() -> None:
    # Plain ADD COLUMNs: a batch copy on SQLite would drop the tables' owner triggers.
    op.add_column("leads", sa.Column("language", sa.String(8), nullable=True))
    op.create_index("ix_leads_language", "leads", ["language"])
    op.add_column("conversation_funnel", sa.Column("language", sa.String(8), nullable=True))
    _funnel_indexes(["channel", "language", "depth"])


def downgrade() -> None:
    _funnel_indexes(["channel", "depth"])
    op.drop_column("conversation_funnel", "language")
    op.drop_index("ix_leads_language", "leads")
    op.drop_column("leads", "language")


def _funnel_indexes(leading: list[str]) -> None:
    op.drop_index("ix_conversation_funnel_depth", "conversation_funnel")
    op.create_index("ix_conversation_funnel_depth", "conversation_funnel",
                    [*leading, "started_at", "handed_to_rep_at", "lead_id"])
    op.drop_index("ix_conversation_funnel_owner", "conversation_funnel")
    op.create_index("ix_conversation_funnel_owner", "conversation_funnel",
                    ["owner_rep_id", *leading, "started_at", "handed_to_rep_at"],
                    sqlite_where=_OWNED, postgresql_where=_OWNED)
