"""Schema for the messaging-app channels (issue 4).

Revision slot reserved while that work is under way in parallel, so the chain
0004 -> 0005 -> 0006 -> 0007 -> 0008 stays linear; it changes nothing until
that work fills it in.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""
from __future__ import annotations

from collections.abc import Sequence

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
