"""Wider `crm_links.object_type`: a note or task link is named after its event
(`note:<event uuid>`, 41 characters), which did not fit in 30.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crm_links") as batch:
        batch.alter_column("object_type", type_=sa.String(64), existing_type=sa.String(30), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("crm_links") as batch:
        batch.alter_column("object_type", type_=sa.String(30), existing_type=sa.String(64), existing_nullable=False)
