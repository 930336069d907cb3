"""Notification leases: `claimed_by` / `claimed_until` on `notifications`, as on `outbox`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

A sender claims a lead card before sending it, so two senders never send one card; the
claim names the worker and runs out, so a sender that dies mid-send does not strand it.
Batch mode, because SQLite rebuilds the table for anything but a plain ADD COLUMN.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(100), nullable=True))
        batch.add_column(sa.Column("claimed_until", TS, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("claimed_until")
        batch.drop_column("claimed_by")
