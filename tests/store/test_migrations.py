"""Migrations: idempotent, and in step with the models, on every backend."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.store.db import make_engine
from bot.store.migrate import current_revision, head_revision, upgrade
from bot.store.schema import Base

TABLES = {
    "leads", "deals", "stage_history", "outbox", "consent_events", "alembic_version",
    "teams", "reps", "notes", "notifications", "crm_links", "accounts", "web_sessions",
    "conversation_funnel", "tombstones", "linked_conversations",
    "crm_field_states", "crm_changes", "crm_cursors", "crm_connections",
    "nurture_enrollments", "nurture_messages", "meetings", "meeting_invitations", "rep_calendars", "experiments",
    "conversation_events",
}


def test_upgrade_twice_is_idempotent(empty_db_url: str) -> None:
    assert current_revision(empty_db_url) is None
    assert upgrade(empty_db_url) == head_revision()
    assert upgrade(empty_db_url) == head_revision()  # second run: nothing to do, no error
    engine = make_engine(empty_db_url)
    try:
        assert set(inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()


def test_migrations_create_exactly_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"


def test_one_open_deal_per_lead_index_is_partial(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        indexes = {i["name"]: i for i in inspect(engine).get_indexes("deals")}
    finally:
        engine.dispose()
    assert indexes["uq_deals_one_open_per_lead"]["unique"]


def test_upgrading_a_0001_store_keeps_its_leads_and_adds_the_new_columns(empty_db_url: str) -> None:
    """A store created before reps and CRM sync existed upgrades in place, data intact."""
    from datetime import datetime, timezone

    from alembic import command

    from bot.store.db import session_factory
    from bot.store.migrate import alembic_config
    from bot.store.repository import get_lead, save_lead
    from bot.store.schema import Lead, OutboxEvent
    from tests.store.builders import submission

    assert upgrade(empty_db_url, "0001") == "0001"
    engine = make_engine(empty_db_url)
    try:
        with engine.begin() as conn:  # a lead as 0001 stored it, written with plain SQL
            assert "owner_rep_id" not in [c["name"] for c in inspect(conn).get_columns("leads")]
            conn.exec_driver_sql(
                "INSERT INTO leads (email, name, status, score, grade, score_breakdown, scoring_version,"
                " raw_answers, authority_level, channel, conversation_id, conversation_date,"
                " human_requested, source, transcript, created_at, updated_at) VALUES"
                " ('old@example.com', 'Old Lead', 'nurture', 40, 'C', '[]', 'v1', '{}', 'unknown',"
                " 'rest', 'old-conv', '2026-11-01', false, '{}', '[]',"
                " '2026-11-01 10:00:00+00:00', '2026-11-01 10:00:00+00:00')"
            )
        assert upgrade(empty_db_url) == head_revision()
        now = datetime(2026, 11, 22, 10, tzinfo=timezone.utc)
        with session_factory(engine).begin() as session:
            save_lead(session, submission(), now=now)
        with session_factory(engine)() as session:
            old = get_lead(session, "old@example.com")
            assert old.name == "Old Lead" and old.owner_rep_id is None and old.assignment_rule is None
            assert session.query(Lead).count() == 2
            assert all(e.claimed_by is None for e in session.query(OutboxEvent))
        command.downgrade(alembic_config(empty_db_url), "0001")  # and back, data kept
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM leads").scalar() == 2
            assert "reps" not in inspect(conn).get_table_names()
    finally:
        engine.dispose()


def test_the_chain_is_linear_without_the_retired_0006() -> None:
    from alembic.script import ScriptDirectory

    from bot.store.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    chain = [r.revision for r in script.walk_revisions("base", "heads")]
    assert chain == ["0025", "0024", "0023", "0022", "0021", "0020", "0019", "0018", "0017", "0016", "0015", "0014", "0013", "0012", "0011", "0010", "0009", "0008", "0007", "0005", "0004", "0003", "0002", "0001"]
    assert script.get_revision("0007").down_revision == "0005"


def _stamp(url: str, revision: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{revision}'")
    finally:
        engine.dispose()


def test_a_store_stamped_with_the_retired_0006_upgrades_to_head(empty_db_url: str) -> None:
    """0006 was an empty slot: a store stamped with it has the 0005 schema and upgrades from there."""
    assert upgrade(empty_db_url, "0005") == "0005"
    _stamp(empty_db_url, "0006")
    assert current_revision(empty_db_url) == "0006"
    assert upgrade(empty_db_url) == head_revision()
    assert inspect_tables(empty_db_url) == TABLES


def test_stores_at_0007_and_0008_upgrade_as_before(empty_db_url: str) -> None:
    assert upgrade(empty_db_url, "0007") == "0007"
    assert "accounts" not in inspect_tables(empty_db_url)
    assert upgrade(empty_db_url, "0008") == "0008"
    assert upgrade(empty_db_url) == head_revision() == "0025"
    assert upgrade(empty_db_url) == head_revision()
    assert inspect_tables(empty_db_url) == TABLES


def test_upgrading_to_0010_fills_in_stays_from_the_history_and_keeps_it_append_only(empty_db_url: str) -> None:
    """Deals moved before 0010: each change gets the start and length of the stay it ended,
    each deal the time it entered its stage; the history still refuses UPDATE afterwards."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    assert upgrade(empty_db_url, "0009") == "0009"
    engine = make_engine(empty_db_url)
    lead = ("INSERT INTO leads (id, status, score, grade, score_breakdown, scoring_version, raw_answers, channel, authority_level, "
            "conversation_id, conversation_date, human_requested, source, transcript, created_at, updated_at) "
            "VALUES (:id, 'qualified', 80, 'A', '[]', 'v1', '{}', 'rest', 'unknown', :conv, '2026-11-01', false, '{}', '[]', "
            "'2026-11-01 00:00:00+00', '2026-11-01 00:00:00+00')")
    deal = ("INSERT INTO deals (id, lead_id, stage, value_source, created_at, updated_at) "
            "VALUES (:id, :id, :stage, 'budget', '2026-11-01 00:00:00+00', '2026-11-10 00:00:00+00')")
    change = ("INSERT INTO stage_history (deal_id, from_stage, to_stage, changed_at, changed_by) "
              "VALUES (:deal, :from_stage, :to_stage, :at, 'test')")
    try:
        with engine.begin() as conn:
            for deal_id, stage in ((1, "meeting"), (2, "qualified")):
                conn.execute(text(lead), {"id": deal_id, "conv": f"c{deal_id}"})
                conn.execute(text(deal), {"id": deal_id, "stage": stage})
            for deal_id, from_stage, to_stage, at in (
                (1, None, "qualified", "2026-11-01 00:00:00+00"), (2, None, "qualified", "2026-11-02 00:00:00+00"),
                (1, "qualified", "meeting", "2026-11-04 12:00:00+00"),
                (2, "qualified", "meeting", "2026-11-05 00:00:00+00"), (2, "meeting", "qualified", "2026-11-06 06:00:00+00"),
            ):
                if engine.dialect.name == "sqlite":
                    at = at.removesuffix("+00")  # as UTCDateTime writes it there: naive UTC
                conn.execute(text(change), {"deal": deal_id, "from_stage": from_stage, "to_stage": to_stage, "at": at})
        assert upgrade(empty_db_url, "0010") == "0010"
        with engine.begin() as conn:
            rows = conn.execute(text("SELECT deal_id, to_stage, from_entered_at, stay_days FROM stage_history "
                                     "ORDER BY deal_id, id")).all()
            entered = dict(conn.execute(text("SELECT id, stage_entered_at FROM deals")).all())
        stays = [(d, to, str(start)[:16] if start else None, round(days, 3) if days is not None else None)
                 for d, to, start, days in rows]
        assert stays == [(1, "qualified", None, None), (1, "meeting", "2026-11-01 00:00", 3.5),
                         (2, "qualified", None, None), (2, "meeting", "2026-11-02 00:00", 3.0),
                         (2, "qualified", "2026-11-05 00:00", 1.25)]
        assert str(entered[1])[:16] == "2026-11-04 12:00" and str(entered[2])[:16] == "2026-11-06 06:00"
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("UPDATE stage_history SET to_stage = 'won'"))
    finally:
        engine.dispose()



def test_upgrading_to_0012_copies_owners_onto_history_and_funnel_rows(empty_db_url: str) -> None:
    """Rows written before 0012 get their owner copies; the history still refuses UPDATE of
    its facts, and later owner changes reach the old rows."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    assert upgrade(empty_db_url, "0011") == "0011"
    engine = make_engine(empty_db_url)
    at = "2026-11-01 00:00:00" + ("" if engine.dialect.name == "sqlite" else "+00")
    try:
        with engine.begin() as conn:
            for rep_id in (1, 2):
                conn.execute(text("INSERT INTO reps (id, name, email, active, territories, timezone, working_hours, "
                                  "notify, created_at, updated_at) VALUES (:id, :name, :email, true, '[]', 'UTC', "
                                  "'{}', '{}', :at, :at)"), {"id": rep_id, "name": f"Rep {rep_id}",
                                                              "email": f"rep{rep_id}@example.com", "at": at})
            for lead_id, owner in ((1, 1), (2, None)):
                conn.execute(text(
                    "INSERT INTO leads (id, status, score, grade, score_breakdown, scoring_version, raw_answers, "
                    "channel, authority_level, conversation_id, conversation_date, human_requested, source, "
                    "transcript, owner_rep_id, created_at, updated_at) VALUES (:id, 'qualified', 80, 'A', '[]', "
                    "'v1', '{}', 'rest', 'unknown', :conv, '2026-11-01', false, '{}', '[]', :owner, :at, :at)"),
                    {"id": lead_id, "conv": f"c{lead_id}", "owner": owner, "at": at})
                conn.execute(text("INSERT INTO deals (id, lead_id, stage, value_source, created_at, updated_at) "
                                  "VALUES (:id, :id, 'qualified', 'budget', :at, :at)"), {"id": lead_id, "at": at})
                conn.execute(text("INSERT INTO stage_history (deal_id, to_stage, changed_at, changed_by) "
                                  "VALUES (:id, 'qualified', :at, 'test')"), {"id": lead_id, "at": at})
                conn.execute(text("INSERT INTO conversation_funnel (conversation_key, channel, started_at, depth, "
                                  "lead_id, updated_at) VALUES (:key, 'rest', :at, 0, :id, :at)"),
                             {"key": f"k{lead_id}", "id": lead_id, "at": at})
            conn.execute(text("INSERT INTO conversation_funnel (conversation_key, channel, started_at, depth, "
                              "updated_at) VALUES ('k3', 'rest', :at, 0, :at)"), {"at": at})
        assert upgrade(empty_db_url) == head_revision()

        def owners() -> tuple[dict[int, int | None], dict[str, int | None]]:
            with engine.begin() as conn:
                return (dict(conn.execute(text("SELECT deal_id, owner_rep_id FROM stage_history")).all()),
                        dict(conn.execute(text("SELECT conversation_key, owner_rep_id FROM conversation_funnel")).all()))

        assert owners() == ({1: 1, 2: None}, {"k1": 1, "k2": None, "k3": None})
        with engine.begin() as conn:
            conn.execute(text("UPDATE leads SET owner_rep_id = 2 WHERE id = 2"))
        assert owners() == ({1: 1, 2: 2}, {"k1": 1, "k2": 2, "k3": None})
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("UPDATE stage_history SET changed_at = changed_at"))
    finally:
        engine.dispose()


def inspect_tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrading_to_0014_adds_the_phone_and_downgrading_keeps_the_leads_and_their_triggers(empty_db_url: str) -> None:
    """0014 adds `leads.phone` in place (no rebuild of leads, whose owner-copy trigger must
    survive both ways); old leads have no phone, new ones store it."""
    from datetime import datetime, timezone
    from sqlalchemy import text

    from alembic import command

    from bot.store.db import session_factory
    from bot.store.migrate import alembic_config
    from bot.store.repository import get_lead, save_lead
    from tests.store.builders import submission

    def lead_triggers(conn) -> set[str]:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'leads'")
        else:
            rows = conn.exec_driver_sql("SELECT tgname FROM pg_trigger WHERE tgrelid = 'leads'::regclass "
                                        "AND NOT tgisinternal")
        return {r[0] for r in rows}

    assert upgrade(empty_db_url, "0013") == "0013"
    engine = make_engine(empty_db_url)
    at = "2026-11-01 00:00:00" + ("" if engine.dialect.name == "sqlite" else "+00")
    try:
        with engine.begin() as conn:
            before = lead_triggers(conn)
            assert "leads_owner_to_deals" in before
            conn.execute(text(
                "INSERT INTO leads (email, status, score, grade, score_breakdown, scoring_version, raw_answers, "
                "channel, authority_level, conversation_id, conversation_date, human_requested, source, transcript, "
                "created_at, updated_at) VALUES ('old@example.com', 'nurture', 40, 'C', '[]', 'v1', '{}', 'rest', "
                "'unknown', 'old-conv', '2026-11-01', false, '{}', '[]', :at, :at)"), {"at": at})
        assert upgrade(empty_db_url) == head_revision()
        with engine.connect() as conn:
            assert "phone" in [c["name"] for c in inspect(conn).get_columns("leads")]
            assert lead_triggers(conn) == before
        sub = submission(phone="+14155550132")
        with session_factory(engine).begin() as session:
            save_lead(session, sub, now=datetime(2026, 11, 22, 10, tzinfo=timezone.utc))
        with session_factory(engine)() as session:
            assert get_lead(session, "old@example.com").phone is None
            assert get_lead(session, sub.qualification.contact.email).phone == "+14155550132"
        command.downgrade(alembic_config(empty_db_url), "0013")
        with engine.connect() as conn:
            assert "phone" not in [c["name"] for c in inspect(conn).get_columns("leads")]
            assert conn.exec_driver_sql("SELECT count(*) FROM leads").scalar() == 2
            assert lead_triggers(conn) == before
    finally:
        engine.dispose()


def test_upgrading_to_0016_clears_deal_values_past_the_maximum(empty_db_url: str) -> None:
    """A 1.7e308 (or negative) value stored before MAX_MONEY made every pipeline total
    infinite; after the upgrade the deal has no value and the pipeline adds up. (Rows are
    written in SQL: today's models have columns a store at 0015 has not.)"""
    from sqlalchemy import text

    from bot.store.db import session_factory
    from bot.store.pipeline import PipelineSettings
    from bot.store.repository import pipeline_summary
    from bot.store.schema import Deal

    assert upgrade(empty_db_url, "0015") == "0015"
    engine = make_engine(empty_db_url)
    lead = ("INSERT INTO leads (id, status, score, grade, score_breakdown, scoring_version, raw_answers, channel, "
            "authority_level, conversation_id, conversation_date, human_requested, source, transcript, created_at, "
            "updated_at) VALUES (:id, 'qualified', 80, 'A', '[]', 'v1', '{}', 'rest', 'unknown', :conv, '2026-11-01', "
            "false, '{}', '[]', '2026-11-01 00:00:00+00', '2026-11-01 00:00:00+00')")
    deal = ("INSERT INTO deals (id, lead_id, stage, value, currency, value_source, stage_entered_at, created_at, "
            "updated_at) VALUES (:id, :id, 'qualified', :value, 'USD', 'budget', '2026-11-01 00:00:00+00', "
            "'2026-11-01 00:00:00+00', '2026-11-01 00:00:00+00')")
    try:
        huge = 1.7e308 if engine.dialect.name == "sqlite" else 9e15  # NUMERIC(18, 2) holds no more
        if engine.dialect.name == "sqlite":  # as UTCDateTime writes it there: naive UTC
            lead, deal = lead.replace(":00+00'", ":00'"), deal.replace(":00+00'", ":00'")
        with engine.begin() as conn:
            for i, value in ((1, huge), (2, -50000), (3, 12000)):
                conn.execute(text(lead), {"id": i, "conv": f"c{i}"})
                conn.execute(text(deal), {"id": i, "value": value})
        assert upgrade(empty_db_url) == head_revision()
        with session_factory(engine)() as session:
            assert [session.get(Deal, i).value for i in (1, 2, 3)] == [None, None, 12000]
            assert pipeline_summary(session, PipelineSettings())[1].value == {"USD": 12000}
    finally:
        engine.dispose()
