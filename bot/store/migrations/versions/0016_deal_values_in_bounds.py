"""Deal values outside 0 to MAX_MONEY are cleared.

Before MAX_MONEY (10^12, bot/store/schema.py) a rep could set a deal's value to 1.7e308 (or
a negative one) on SQLite: every pipeline total was then infinite and `/api/pipeline`,
`/api/metrics` and the board failed for everyone. `move_stage` refuses such values now; this
clears the ones already stored (their value is NULL, as for a deal nobody priced), so an
upgraded store works again. PostgreSQL's NUMERIC(18, 2) never held them, but the same
statement runs there. Nothing to undo on downgrade.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_MONEY = 1_000_000_000_000  # as bot/store/schema.MAX_MONEY when this was written


def upgrade() -> None:
    op.execute(sa.text("UPDATE deals SET value = NULL WHERE value < 0 OR value > :most")
               .bindparams(most=MAX_MONEY))


def downgrade() -> None:
    pass
