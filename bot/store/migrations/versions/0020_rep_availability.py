"""Reps mark themselves available or away on the dashboard; hand-offs go to available reps first.

`reps.available` is what the rep last said (true for every existing rep, so nothing changes
until someone marks themself away), `reps.available_changed_at` when they said it (NULL until
they first do). Working hours still say when a rep is on duty; `available` says whether they
are at their desk now.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs on both backends (SQLite adds them in place, no table rebuild).
    op.add_column("reps", sa.Column("available", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.add_column("reps", sa.Column("available_changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("reps", "available_changed_at")
    op.drop_column("reps", "available")
