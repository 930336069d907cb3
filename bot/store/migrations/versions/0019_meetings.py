"""Meetings booked in the chat: the meetings (one visitor per rep and slot), their invitation
e-mails, the reps' CalDAV calendars, and the funnel's meeting_booked step.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(100), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("start_at", TS, nullable=False),
        sa.Column("end_at", TS, nullable=False),
        sa.Column("visitor_timezone", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=True),
        sa.Column("channel", sa.String(50), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("cancelled_at", TS, nullable=True),
        sa.Column("cancelled_by", sa.String(200), nullable=True),
        sa.CheckConstraint("status IN ('booked', 'cancelled')", name="ck_meetings_status"),
        sa.CheckConstraint("end_at > start_at", name="ck_meetings_ends_after_start"),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_meetings_lead_id_leads", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["rep_id"], ["reps.id"], name="fk_meetings_rep_id_reps", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_meetings"),
        sa.UniqueConstraint("uid", name="uq_meetings_uid"),
    )
    op.create_index("ix_meetings_lead_id", "meetings", ["lead_id"])
    op.create_index("ix_meetings_rep_start", "meetings", ["rep_id", "start_at"])
    booked = sa.text("status = 'booked'")
    op.create_index("uq_meetings_rep_slot", "meetings", ["rep_id", "start_at"], unique=True,
                    sqlite_where=booked, postgresql_where=booked)
    op.create_table(
        "meeting_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(10), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.Column("claimed_by", sa.String(100), nullable=True),
        sa.Column("claimed_until", TS, nullable=True),
        sa.CheckConstraint("recipient IN ('visitor', 'rep')", name="ck_meeting_invitations_recipient"),
        sa.CheckConstraint("kind IN ('request', 'cancel')", name="ck_meeting_invitations_kind"),
        sa.CheckConstraint("status IN ('pending', 'sent', 'dead')", name="ck_meeting_invitations_status"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name="fk_meeting_invitations_meeting_id_meetings",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_invitations"),
    )
    op.create_index("ix_meeting_invitations_meeting_id", "meeting_invitations", ["meeting_id"])
    op.create_index("ix_meeting_invitations_status_next_attempt", "meeting_invitations",
                    ["status", "next_attempt_at"])
    op.create_table(
        "rep_calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("username", sa.String(200), nullable=True),
        sa.Column("password_env", sa.String(100), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["rep_id"], ["reps.id"], name="fk_rep_calendars_rep_id_reps", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_rep_calendars"),
        sa.UniqueConstraint("rep_id", name="uq_rep_calendars_rep_id"),
    )
    # A plain ADD COLUMN: a batch copy on SQLite would drop the table's owner triggers.
    op.add_column("conversation_funnel", sa.Column("meeting_booked_at", TS, nullable=True))


def downgrade() -> None:
    op.drop_column("conversation_funnel", "meeting_booked_at")
    op.drop_table("rep_calendars")
    op.drop_table("meeting_invitations")
    op.drop_table("meetings")
