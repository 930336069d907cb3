"""Reps and teams, lead ownership, notes, rep notifications, CRM links, outbox leases.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Written out in full, like 0001. SQLite cannot add a foreign key or change a CHECK with
ALTER TABLE, so `leads` and `outbox` are changed in batch mode (Alembic copies the table).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)

OLD_EVENT_TYPES = "'lead.created', 'lead.updated', 'lead.merged', 'lead.deleted', 'deal.stage_changed'"
NEW_EVENT_TYPES = OLD_EVENT_TYPES + ", 'lead.assigned', 'note.added'"


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_teams"),
        sa.UniqueConstraint("name", name="uq_teams_name"),
    )
    op.create_table(
        "reps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("territories", JSONDoc, nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("working_hours", JSONDoc, nullable=False),
        sa.Column("notify", JSONDoc, nullable=False),
        sa.Column("last_assigned_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name="fk_reps_team_id_teams", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_reps"),
        sa.UniqueConstraint("email", name="uq_reps_email"),
    )
    op.create_index("ix_reps_team_id", "reps", ["team_id"])

    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("owner_rep_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("assignment_rule", sa.String(100), nullable=True))
        batch.add_column(sa.Column("assignment_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("assigned_at", TS, nullable=True))
        batch.create_foreign_key("fk_leads_owner_rep_id_reps", "reps", ["owner_rep_id"], ["id"], ondelete="SET NULL")
        batch.create_index("ix_leads_owner_rep_id", ["owner_rep_id"])

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_notes_lead_id_leads", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_notes"),
    )
    op.create_index("ix_notes_lead_id", "notes", ["lead_id"])

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("target", sa.String(500), nullable=False),
        sa.Column("reason", sa.String(50), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.CheckConstraint("status IN ('pending', 'sent', 'dead')", name="ck_notifications_status"),
        sa.CheckConstraint("channel IN ('slack', 'webhook', 'email')", name="ck_notifications_channel"),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_notifications_lead_id_leads", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["rep_id"], ["reps.id"], name="fk_notifications_rep_id_reps", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
    )
    op.create_index("ix_notifications_lead_id", "notifications", ["lead_id"])
    op.create_index("ix_notifications_status_next_attempt", "notifications", ["status", "next_attempt_at"])

    op.create_table(
        "crm_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("crm", sa.String(30), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("object_type", sa.String(30), nullable=False),
        sa.Column("external_id", sa.String(100), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_crm_links"),
    )
    op.create_index("uq_crm_links_crm_lead_object", "crm_links", ["crm", "lead_id", "object_type"], unique=True)
    op.create_index("ix_crm_links_lead_id", "crm_links", ["lead_id"])

    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(100), nullable=True))
        batch.add_column(sa.Column("claimed_until", TS, nullable=True))
        batch.drop_constraint("ck_outbox_event_type", type_="check")
        batch.create_check_constraint("ck_outbox_event_type", f"event_type IN ({NEW_EVENT_TYPES})")


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("ck_outbox_event_type", type_="check")
        batch.create_check_constraint("ck_outbox_event_type", f"event_type IN ({OLD_EVENT_TYPES})")
        batch.drop_column("claimed_until")
        batch.drop_column("claimed_by")
    op.drop_table("crm_links")
    op.drop_table("notifications")
    op.drop_table("notes")
    with op.batch_alter_table("leads") as batch:
        batch.drop_index("ix_leads_owner_rep_id")
        batch.drop_constraint("fk_leads_owner_rep_id_reps", type_="foreignkey")
        batch.drop_column("assigned_at")
        batch.drop_column("assignment_reason")
        batch.drop_column("assignment_rule")
        batch.drop_column("owner_rep_id")
    op.drop_table("reps")
    op.drop_table("teams")
