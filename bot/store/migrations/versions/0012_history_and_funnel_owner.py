"""The owner on stage history and funnel rows, kept equal by triggers, for team and rep metrics.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23

After 0011 a team's stage flow still joined a third of the deals to their history and
tallied 100k rows in Python (0.2 s for a year), and its bot funnel probed the team's lead
ids. `stage_history.owner_rep_id` copies the deal's owner (`deals.owner_rep_id`) and
`conversation_funnel.owner_rep_id` the lead's (`leads.owner_rep_id`), so a team's or rep's
figures are counts over index ranges led by the owner, as the whole pipeline's are.

Triggers keep the copies equal whatever writes the owner (0011 keeps the deal's equal to
its lead's): a new history or funnel row, a deal whose owner changes (reassignment, merge,
deleted rep), a funnel row linked to a lead, a lead's new owner. The history stays
append-only: its trigger now refuses an UPDATE of any column but the owner copy.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWNED = sa.text("owner_rep_id IS NOT NULL")
# Every column of a history row but the owner copy: the facts an UPDATE may not touch.
FACTS = "id, deal_id, from_stage, to_stage, changed_at, changed_by, note, from_entered_at, stay_days"
OWNER_OF_DEAL = "(SELECT owner_rep_id FROM deals WHERE deals.id = {deal})"
OWNER_OF_LEAD = "(SELECT owner_rep_id FROM leads WHERE leads.id = {lead})"
APPEND_ONLY_MESSAGE = "stage_history is append-only: insert a new row instead"

SQLITE_TRIGGERS = (
    "DROP TRIGGER IF EXISTS stage_history_append_only",
    f"""CREATE TRIGGER stage_history_append_only BEFORE UPDATE OF {FACTS} ON stage_history BEGIN
        SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END""",
    f"""CREATE TRIGGER stage_history_owner_on_insert AFTER INSERT ON stage_history BEGIN
        UPDATE stage_history SET owner_rep_id = {OWNER_OF_DEAL.format(deal="NEW.deal_id")} WHERE id = NEW.id; END""",
    """CREATE TRIGGER deals_owner_to_history AFTER UPDATE ON deals
        WHEN OLD.owner_rep_id IS NOT NEW.owner_rep_id BEGIN
        UPDATE stage_history SET owner_rep_id = NEW.owner_rep_id WHERE deal_id = NEW.id; END""",
    f"""CREATE TRIGGER funnel_owner_on_insert AFTER INSERT ON conversation_funnel WHEN NEW.lead_id IS NOT NULL BEGIN
        UPDATE conversation_funnel SET owner_rep_id = {OWNER_OF_LEAD.format(lead="NEW.lead_id")} WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER funnel_owner_on_link AFTER UPDATE OF lead_id ON conversation_funnel BEGIN
        UPDATE conversation_funnel SET owner_rep_id = {OWNER_OF_LEAD.format(lead="NEW.lead_id")} WHERE id = NEW.id; END""",
    """CREATE TRIGGER leads_owner_to_funnel AFTER UPDATE OF owner_rep_id ON leads BEGIN
        UPDATE conversation_funnel SET owner_rep_id = NEW.owner_rep_id WHERE lead_id = NEW.id; END""",
)
PG_TRIGGERS = (
    "DROP TRIGGER IF EXISTS stage_history_append_only ON stage_history",
    f"""CREATE TRIGGER stage_history_append_only BEFORE UPDATE OF {FACTS} ON stage_history
        FOR EACH ROW EXECUTE FUNCTION stage_history_append_only()""",
    f"""CREATE FUNCTION stage_history_owner_from_deal() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.owner_rep_id := {OWNER_OF_DEAL.format(deal="NEW.deal_id")};
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER stage_history_owner_from_deal BEFORE INSERT ON stage_history
       FOR EACH ROW EXECUTE FUNCTION stage_history_owner_from_deal()""",
    # Not `UPDATE OF owner_rep_id`: a merge changes the deal's owner in a BEFORE trigger
    # (0011), which column-specific triggers do not see.
    """CREATE FUNCTION deals_owner_to_history() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE stage_history SET owner_rep_id = NEW.owner_rep_id WHERE deal_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER deals_owner_to_history AFTER UPDATE ON deals
       FOR EACH ROW WHEN (OLD.owner_rep_id IS DISTINCT FROM NEW.owner_rep_id)
       EXECUTE FUNCTION deals_owner_to_history()""",
    f"""CREATE FUNCTION funnel_owner_from_lead() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.owner_rep_id := {OWNER_OF_LEAD.format(lead="NEW.lead_id")};
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER funnel_owner_from_lead BEFORE INSERT OR UPDATE OF lead_id ON conversation_funnel
       FOR EACH ROW EXECUTE FUNCTION funnel_owner_from_lead()""",
    """CREATE FUNCTION leads_owner_to_funnel() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE conversation_funnel SET owner_rep_id = NEW.owner_rep_id WHERE lead_id = NEW.id;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER leads_owner_to_funnel AFTER UPDATE OF owner_rep_id ON leads
       FOR EACH ROW EXECUTE FUNCTION leads_owner_to_funnel()""",
)


def upgrade() -> None:
    dialect = op.get_context().dialect.name
    # No foreign keys: copies of owners whose own ON DELETE SET NULL fires the triggers.
    op.add_column("stage_history", sa.Column("owner_rep_id", sa.Integer(), nullable=True))
    op.add_column("conversation_funnel", sa.Column("owner_rep_id", sa.Integer(), nullable=True))
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else PG_TRIGGERS if dialect == "postgresql" else ():
        op.execute(statement)
    # The append-only trigger lets the owner copy through: the backfill is an UPDATE of it alone.
    op.execute(f"UPDATE stage_history SET owner_rep_id = {OWNER_OF_DEAL.format(deal='stage_history.deal_id')}")
    op.execute(f"UPDATE conversation_funnel SET owner_rep_id = {OWNER_OF_LEAD.format(lead='conversation_funnel.lead_id')}"
               " WHERE lead_id IS NOT NULL")
    op.create_index("ix_stage_history_owner_entries", "stage_history", ["owner_rep_id", "to_stage", "changed_at"],
                    sqlite_where=OWNED, postgresql_where=OWNED)
    op.create_index("ix_stage_history_owner_stays", "stage_history",
                    ["owner_rep_id", "from_stage", "stay_days", "from_entered_at", "to_stage"],
                    sqlite_where=OWNED, postgresql_where=OWNED)
    op.create_index("ix_conversation_funnel_owner", "conversation_funnel",
                    ["owner_rep_id", "channel", "depth", "started_at", "handed_to_rep_at"],
                    sqlite_where=OWNED, postgresql_where=OWNED)
    # No team reads a deal's history through its deals any more: back to the lead page's index.
    op.drop_index("ix_stage_history_deal", table_name="stage_history")
    op.create_index("ix_stage_history_deal_changed", "stage_history", ["deal_id", "changed_at"])
    op.execute("ANALYZE")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for name in ("stage_history_owner_on_insert", "deals_owner_to_history", "funnel_owner_on_insert",
                     "funnel_owner_on_link", "leads_owner_to_funnel", "stage_history_append_only"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"""CREATE TRIGGER stage_history_append_only BEFORE UPDATE ON stage_history BEGIN
            SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END""")
    elif dialect == "postgresql":
        for trigger, table in (("stage_history_owner_from_deal", "stage_history"), ("deals_owner_to_history", "deals"),
                               ("funnel_owner_from_lead", "conversation_funnel"), ("leads_owner_to_funnel", "leads"),
                               ("stage_history_append_only", "stage_history")):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        for function in ("stage_history_owner_from_deal", "deals_owner_to_history", "funnel_owner_from_lead",
                         "leads_owner_to_funnel"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
        op.execute("""CREATE TRIGGER stage_history_append_only BEFORE UPDATE ON stage_history
            FOR EACH ROW EXECUTE FUNCTION stage_history_append_only()""")
    op.drop_index("ix_stage_history_deal_changed", table_name="stage_history")
    op.create_index("ix_stage_history_deal", "stage_history",
                    ["deal_id", "changed_at", "to_stage", "from_stage", "from_entered_at", "stay_days"])
    for index, table in (("ix_conversation_funnel_owner", "conversation_funnel"),
                         ("ix_stage_history_owner_stays", "stage_history"),
                         ("ix_stage_history_owner_entries", "stage_history")):
        op.drop_index(index, table_name=table)
    # Plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): a batch rebuild would lose the triggers.
    op.execute("ALTER TABLE conversation_funnel DROP COLUMN owner_rep_id")
    op.execute("ALTER TABLE stage_history DROP COLUMN owner_rep_id")
