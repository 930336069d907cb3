"""The visitor's phone number on the lead.

`leads.phone` holds the number the visitor gave in the conversation, normalised to E.164
("+14155550132", bot/parsing/phone.py), or NULL. It is personal data like the e-mail: part of
the export contract (`phone`), of a data-subject export, and erased with the lead. Leads are
still deduplicated by e-mail, then by conversation, so the column has no unique index.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN on both backends: SQLite adds a nullable column in place, so the
    # leads table (and the owner-copy triggers of 0011/0012 that read it) is not rebuilt.
    op.add_column("leads", sa.Column("phone", sa.String(32), nullable=True))


def downgrade() -> None:
    # Also in place on SQLite (3.35+): a batch rebuild of leads would drop its triggers.
    op.drop_column("leads", "phone")
