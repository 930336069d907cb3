"""The lead's owner on its deals, kept equal by triggers, for team and rep metrics.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23

A team's metrics read a third of the deals; filtering them through the team's lead ids
probed tens of thousands of ids per query. (Also: the deal's history index now covers what
a team's stage flow reads.) `deals.owner_rep_id` copies `leads.owner_rep_id`
so those metrics read indexes led by the owner. Triggers keep the copy equal whatever
writes the owner (assignment, hand-off, the CLI, SQL by hand): when a lead's owner changes,
when a deal is created, and when a deal moves to another lead (a merge).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWNED = sa.text("owner_rep_id IS NOT NULL")
OWNED_OPEN = sa.text("owner_rep_id IS NOT NULL AND closed_at IS NULL")
OWNED_CLOSED = sa.text("owner_rep_id IS NOT NULL AND closed_at IS NOT NULL")
OWNER_OF_LEAD = "(SELECT owner_rep_id FROM leads WHERE leads.id = {lead})"

SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER deals_owner_on_insert AFTER INSERT ON deals BEGIN
        UPDATE deals SET owner_rep_id = {OWNER_OF_LEAD.format(lead="NEW.lead_id")} WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER deals_owner_on_move AFTER UPDATE OF lead_id ON deals BEGIN
        UPDATE deals SET owner_rep_id = {OWNER_OF_LEAD.format(lead="NEW.lead_id")} WHERE id = NEW.id; END""",
    """CREATE TRIGGER leads_owner_to_deals AFTER UPDATE OF owner_rep_id ON leads BEGIN
        UPDATE deals SET owner_rep_id = NEW.owner_rep_id WHERE lead_id = NEW.id; END""",
)
PG_TRIGGERS = (
    f"""CREATE FUNCTION deals_owner_from_lead() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.owner_rep_id := {OWNER_OF_LEAD.format(lead="NEW.lead_id")};
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER deals_owner_from_lead BEFORE INSERT OR UPDATE OF lead_id ON deals
       FOR EACH ROW EXECUTE FUNCTION deals_owner_from_lead()""",
    """CREATE FUNCTION leads_owner_to_deals() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE deals SET owner_rep_id = NEW.owner_rep_id WHERE lead_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER leads_owner_to_deals AFTER UPDATE OF owner_rep_id ON leads
       FOR EACH ROW EXECUTE FUNCTION leads_owner_to_deals()""",
)


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    # No foreign key of its own: the column mirrors leads.owner_rep_id, whose ON DELETE SET
    # NULL fires the lead trigger below, so a deleted rep leaves no owner on deals either.
    op.add_column("deals", sa.Column("owner_rep_id", sa.Integer(), nullable=True))
    op.execute(f"UPDATE deals SET owner_rep_id = {OWNER_OF_LEAD.format(lead='deals.lead_id')}")
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else PG_TRIGGERS if dialect == "postgresql" else ():
        op.execute(statement)
    op.create_index("ix_deals_owner_closed", "deals", ["owner_rep_id", "stage", "closed_at", "currency", "value",
                                                       "merged_into_id", "days_to_close", "lost_reason"],
                    sqlite_where=OWNED_CLOSED, postgresql_where=OWNED_CLOSED)
    op.create_index("ix_deals_owner_open", "deals", ["owner_rep_id", "stage", "stage_entered_at", "currency", "value",
                                                     "lead_id"], sqlite_where=OWNED_OPEN, postgresql_where=OWNED_OPEN)
    # Partial on an owner: the whole pipeline's queries never read them (no owner-by-owner skip-scan).
    op.create_index("ix_deals_owner", "deals", ["owner_rep_id", "merged_into_id"],
                    sqlite_where=OWNED, postgresql_where=OWNED)
    # A team's stage flow reads its deals' history rows from the index alone.
    op.drop_index("ix_stage_history_deal_changed", table_name="stage_history")
    op.create_index("ix_stage_history_deal", "stage_history",
                    ["deal_id", "changed_at", "to_stage", "from_stage", "from_entered_at", "stay_days"])
    op.execute("ANALYZE")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for name in ("deals_owner_on_insert", "deals_owner_on_move", "leads_owner_to_deals"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS deals_owner_from_lead ON deals")
        op.execute("DROP TRIGGER IF EXISTS leads_owner_to_deals ON leads")
        op.execute("DROP FUNCTION IF EXISTS deals_owner_from_lead()")
        op.execute("DROP FUNCTION IF EXISTS leads_owner_to_deals()")
    op.drop_index("ix_stage_history_deal", table_name="stage_history")
    op.create_index("ix_stage_history_deal_changed", "stage_history", ["deal_id", "changed_at"])
    for name in ("ix_deals_owner", "ix_deals_owner_open", "ix_deals_owner_closed"):
        op.drop_index(name, table_name="deals")
    op.execute("ALTER TABLE deals DROP COLUMN owner_rep_id")
