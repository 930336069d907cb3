"""The stuck-deals digest: a notification for an owner, not for one lead.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23

`notifications.lead_id` becomes optional (a digest lists several leads), `digest_date`
says which day a digest is for, and a unique index on (rep, channel, day) lets any number
of senders try to queue today's digest while only one row ever exists. Lead cards have no
digest date, and NULLs never collide in a unique index. Batch mode for SQLite.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.alter_column("lead_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("digest_date", sa.Date(), nullable=True))
        batch.create_index("uq_notifications_digest", ["rep_id", "channel", "digest_date"], unique=True)


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE lead_id IS NULL")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_index("uq_notifications_digest")
        batch.drop_column("digest_date")
        batch.alter_column("lead_id", existing_type=sa.Integer(), nullable=False)
