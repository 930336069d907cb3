"""Initial pipeline store: leads, deals, stage history, outbox, consent events.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Written out in full (not imported from `bot.store.schema`) so that this migration keeps
meaning exactly what it meant when it shipped, whatever the models become later.
`tests/store/test_migrations.py` checks that models and migrations agree.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONDoc = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Money = sa.Numeric(18, 2, asdecimal=False)
TS = sa.DateTime(timezone=True)

SQLITE_APPEND_ONLY = """
CREATE TRIGGER stage_history_append_only BEFORE UPDATE ON stage_history
BEGIN
    SELECT RAISE(ABORT, 'stage_history is append-only: insert a new row instead');
END
"""
PG_APPEND_ONLY_FUNCTION = """
CREATE FUNCTION stage_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stage_history is append-only: insert a new row instead';
END
$$
"""
PG_APPEND_ONLY_TRIGGER = """
CREATE TRIGGER stage_history_append_only BEFORE UPDATE ON stage_history
FOR EACH ROW EXECUTE FUNCTION stage_history_append_only()
"""


def upgrade() -> None:
    op.create_table(
        "leads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("company", sa.String(200), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(8), nullable=False),
        sa.Column("score_breakdown", JSONDoc, nullable=False),
        sa.Column("scoring_version", sa.String(50), nullable=False),
        sa.Column("disqualified_by", sa.String(100), nullable=True),
        sa.Column("need", JSONDoc, nullable=True),
        sa.Column("budget", JSONDoc, nullable=True),
        sa.Column("authority", JSONDoc, nullable=True),
        sa.Column("timeline", JSONDoc, nullable=True),
        sa.Column("raw_answers", JSONDoc, nullable=False),
        sa.Column("need_level", sa.String(20), nullable=True),
        sa.Column("budget_min", Money, nullable=True),
        sa.Column("budget_max", Money, nullable=True),
        sa.Column("budget_currency", sa.String(3), nullable=True),
        sa.Column("budget_period", sa.String(20), nullable=True),
        sa.Column("timeline_target_date", sa.Date(), nullable=True),
        sa.Column("authority_level", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(50), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("conversation_date", sa.Date(), nullable=False),
        sa.Column("human_requested", sa.Boolean(), nullable=False),
        sa.Column("followup_optin", sa.Boolean(), nullable=True),
        sa.Column("consent_shown_at", TS, nullable=True),
        sa.Column("consent_version", sa.String(50), nullable=True),
        sa.Column("source", JSONDoc, nullable=False),
        sa.Column("transcript", JSONDoc, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint(
            "status IN ('qualified', 'nurture', 'disqualified')", name="ck_leads_status"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_leads"),
        sa.UniqueConstraint("email", name="uq_leads_email"),
    )
    op.create_index("ix_leads_conversation_id", "leads", ["conversation_id"])
    op.create_index("ix_leads_timeline_target_date", "leads", ["timeline_target_date"])
    op.create_index("ix_leads_status_score", "leads", ["status", "score"])
    op.create_index("ix_leads_created_at", "leads", ["created_at"])

    op.create_table(
        "deals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(50), nullable=False),
        sa.Column("value", Money, nullable=True),
        sa.Column("currency", sa.String(3), nullable=True),
        sa.Column("value_source", sa.String(10), nullable=False),
        sa.Column("lost_reason", sa.String(50), nullable=True),
        sa.Column("owner", sa.String(100), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.CheckConstraint("value_source IN ('budget', 'manual')", name="ck_deals_value_source"),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name="fk_deals_lead_id_leads", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["deals.id"], name="fk_deals_merged_into_id_deals", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_deals"),
    )
    op.create_index("ix_deals_lead_id", "deals", ["lead_id"])
    op.create_index("ix_deals_stage", "deals", ["stage"])
    op.create_index(
        "uq_deals_one_open_per_lead",
        "deals",
        ["lead_id"],
        unique=True,
        sqlite_where=sa.text("closed_at IS NULL"),
        postgresql_where=sa.text("closed_at IS NULL"),
    )

    op.create_table(
        "stage_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("from_stage", sa.String(50), nullable=True),
        sa.Column("to_stage", sa.String(50), nullable=False),
        sa.Column("changed_at", TS, nullable=False),
        sa.Column("changed_by", sa.String(100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["deal_id"], ["deals.id"], name="fk_stage_history_deal_id_deals", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_stage_history"),
    )
    op.create_index("ix_stage_history_deal_changed", "stage_history", ["deal_id", "changed_at"])

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.String(50), nullable=False),
        sa.Column("aggregate_type", sa.String(20), nullable=False),
        sa.Column("aggregate_id", sa.Integer(), nullable=False),
        sa.Column("payload", JSONDoc, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", TS, nullable=True),
        sa.CheckConstraint("status IN ('pending', 'delivered', 'dead')", name="ck_outbox_status"),
        sa.CheckConstraint(
            "event_type IN ('lead.created', 'lead.updated', 'lead.merged', 'lead.deleted', "
            "'deal.stage_changed')",
            name="ck_outbox_event_type",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
    )
    op.create_index("ix_outbox_status_next_attempt", "outbox", ["status", "next_attempt_at"])
    op.create_index("ix_outbox_aggregate", "outbox", ["aggregate_type", "aggregate_id"])

    op.create_table(
        "consent_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("shown_at", TS, nullable=False),
        sa.Column("notice_version", sa.String(50), nullable=True),
        sa.Column("recorded_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name="fk_consent_events_lead_id_leads", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_consent_events"),
    )
    op.create_index("ix_consent_events_lead_id", "consent_events", ["lead_id"])

    # Stage history is the source of every pipeline metric: make it append-only in the
    # database itself, not only by convention in the repository.
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        op.execute(SQLITE_APPEND_ONLY)
    elif dialect == "postgresql":
        op.execute(PG_APPEND_ONLY_FUNCTION)
        op.execute(PG_APPEND_ONLY_TRIGGER)


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS stage_history_append_only")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS stage_history_append_only ON stage_history")
        op.execute("DROP FUNCTION IF EXISTS stage_history_append_only()")
    op.drop_table("consent_events")
    op.drop_table("outbox")
    op.drop_table("stage_history")
    op.drop_table("deals")
    op.drop_table("leads")
