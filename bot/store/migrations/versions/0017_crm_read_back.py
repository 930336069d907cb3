"""CRM read-back: what leadbot and the CRM last agreed per field, the changes read back
(append-only), polling cursors, and the CRM connection (encrypted OAuth tokens, a refused
credential's alert).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "crm_field_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crm", sa.String(30), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(30), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("agreed_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_crm_field_states_lead_id_leads",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_crm_field_states"),
    )
    op.create_index("uq_crm_field_states_crm_lead_field", "crm_field_states", ["crm", "lead_id", "field"],
                    unique=True)
    op.create_index("ix_crm_field_states_lead_id", "crm_field_states", ["lead_id"])
    op.create_table(
        "crm_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crm", sa.String(30), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.String(100), nullable=False),
        sa.Column("field", sa.String(30), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("other_value", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(30), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("via", sa.String(10), nullable=False),
        sa.Column("change_key", sa.String(200), nullable=True),
        sa.Column("crm_changed_at", TS, nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.CheckConstraint("outcome IN ('applied', 'conflict_crm_won', 'conflict_leadbot_won', 'stale', 'ignored')",
                           name="ck_crm_changes_outcome"),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_crm_changes_lead_id_leads", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_crm_changes"),
    )
    op.create_index("ix_crm_changes_lead_id", "crm_changes", ["lead_id", "id"])
    op.create_index("uq_crm_changes_crm_key", "crm_changes", ["crm", "change_key"], unique=True)
    op.create_table(
        "crm_cursors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crm", sa.String(30), nullable=False),
        sa.Column("stream", sa.String(30), nullable=False),
        sa.Column("position", sa.String(100), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_crm_cursors"),
    )
    op.create_index("uq_crm_cursors_crm_stream", "crm_cursors", ["crm", "stream"], unique=True)
    op.create_table(
        "crm_connections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crm", sa.String(30), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("credential_sha256", sa.String(64), nullable=True),
        sa.Column("access_token", sa.Text(), nullable=True),
        sa.Column("refresh_token", sa.Text(), nullable=True),
        sa.Column("expires_at", TS, nullable=True),
        sa.Column("instance_url", sa.String(500), nullable=True),
        sa.Column("refused_at", TS, nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("state IN ('connected', 'refused')", name="ck_crm_connections_state"),
        sa.PrimaryKeyConstraint("id", name="pk_crm_connections"),
        sa.UniqueConstraint("crm", name="uq_crm_connections_crm"),
    )


def downgrade() -> None:
    op.drop_table("crm_connections")
    op.drop_index("uq_crm_cursors_crm_stream", table_name="crm_cursors")
    op.drop_table("crm_cursors")
    op.drop_index("uq_crm_changes_crm_key", table_name="crm_changes")
    op.drop_index("ix_crm_changes_lead_id", table_name="crm_changes")
    op.drop_table("crm_changes")
    op.drop_index("ix_crm_field_states_lead_id", table_name="crm_field_states")
    op.drop_index("uq_crm_field_states_crm_lead_field", table_name="crm_field_states")
    op.drop_table("crm_field_states")
