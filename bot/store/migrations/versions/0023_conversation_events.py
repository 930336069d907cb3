"""The conversation analytics' event log, fed by the event stream (bot/event_stream): one row
per Rasa event, names only, unique by the event's hash so a redelivery is stored once.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "conversation_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(64), nullable=False),
        sa.Column("conversation_key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("channel", sa.String(50), nullable=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("consumed_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_conversation_events"),
        sa.UniqueConstraint("event_key", name="uq_conversation_events_event_key"),
    )
    op.create_index("ix_conversation_events_conversation", "conversation_events", ["conversation_key", "at"])
    op.create_index("ix_conversation_events_kind", "conversation_events", ["kind", "at", "name"])


def downgrade() -> None:
    op.drop_index("ix_conversation_events_kind", "conversation_events")
    op.drop_index("ix_conversation_events_conversation", "conversation_events")
    op.drop_table("conversation_events")
