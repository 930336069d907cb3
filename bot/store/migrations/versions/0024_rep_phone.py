"""A rep's phone line: where a phone call is put through when the caller asks for a person.

`reps.phone` is E.164 ("+14155550132") or NULL (no line: the call goes to the hand-off
settings' `call_transfer_to`, or a message is taken).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("reps", sa.Column("phone", sa.String(32), nullable=True))  # in place on both backends


def downgrade() -> None:
    op.drop_column("reps", "phone")
