"""An index for the dashboard's hand-off queue and its badge, counted on every page.

Only the few leads whose visitor waits for a person or talks to one are in it (a partial
index on both backends), in the order the queue shows them (the longest waiting first).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("handoff_state IN ('waiting', 'with_rep')")


def upgrade() -> None:
    op.create_index("ix_leads_open_handoffs", "leads", ["handoff_state", "handoff_at"],
                    sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index("ix_leads_open_handoffs", table_name="leads")
