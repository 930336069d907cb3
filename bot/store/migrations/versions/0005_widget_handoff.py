"""Hand-off state on the lead (issue 4, website widget and human handoff).

`leads.handoff_state` says where a conversation whose visitor asked for a person stands
(`waiting` for a rep, `with_rep` once a rep answered, `returned` to the bot; NULL when
nobody was asked for), and `leads.handoff_at` when that last changed, so reps can list
the conversations waiting for them. The widget's page and campaign go into the existing
`leads.source` JSON, which needs no change.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("handoff_state", sa.String(20), nullable=True))
        batch.add_column(sa.Column("handoff_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("handoff_at")
        batch.drop_column("handoff_state")
