"""Dashboard accounts (reps and managers) and their sign-in sessions; dashboard indexes.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22

Written out in full, like 0001. Passwords and tokens are stored only as hashes
(`web/passwords.py`, `web/sessions.py`). The indexes serve the dashboard at 100k leads:
the inbox (a rep's leads by status and score) and the board (newest deals of a stage; count
and value per stage and currency from the index alone).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("api_token_hash", sa.String(64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("last_login_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.CheckConstraint("role IN ('rep', 'manager')", name="ck_accounts_role"),
        sa.ForeignKeyConstraint(["rep_id"], ["reps.id"], name="fk_accounts_rep_id_reps", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        sa.UniqueConstraint("email", name="uq_accounts_email"),
        sa.UniqueConstraint("api_token_hash", name="uq_accounts_api_token_hash"),
    )
    op.create_index("ix_accounts_rep_id", "accounts", ["rep_id"])

    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_web_sessions_account_id_accounts",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_web_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_web_sessions_token_hash"),
    )
    op.create_index("ix_web_sessions_account_id", "web_sessions", ["account_id"])
    op.create_index("ix_web_sessions_expires_at", "web_sessions", ["expires_at"])

    op.create_index("ix_leads_owner_status_score", "leads", ["owner_rep_id", "status", "score"])
    op.create_index("ix_deals_stage_updated_at", "deals", ["stage", "updated_at"])
    op.create_index("ix_deals_stage_currency_value", "deals", ["stage", "currency", "merged_into_id", "value"])


def downgrade() -> None:
    op.drop_index("ix_deals_stage_currency_value", table_name="deals")
    op.drop_index("ix_deals_stage_updated_at", table_name="deals")
    op.drop_index("ix_leads_owner_status_score", table_name="leads")
    op.drop_table("web_sessions")
    op.drop_table("accounts")
