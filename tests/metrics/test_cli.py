"""`leadbot pipeline report` and `leadbot demo-data`, run as the real console script."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.metrics import MetricsFilter, report
from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.pipeline import PipelineSettings
from bot.store.schema import ConversationFunnel, Deal, Lead, StageHistory
from tests.metrics.fixtures import NOW, START, build

SCRIPT = Path(sys.executable).with_name("leadbot")


@pytest.fixture
def store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'leadbot.db'}"
    upgrade(url)
    engine = make_engine(url)
    with session_factory(engine).begin() as session:
        build(session)
    engine.dispose()
    return url


def leadbot(url: str, *args: str, data_dir: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LEADBOT_")}
    environment.update(LEADBOT_DATABASE_URL=url, LEADBOT_NOW=NOW.isoformat(),
                       LEADBOT_DATA_DIR=str(data_dir or Path(url.removeprefix("sqlite:///")).parent), **(env or {}))
    return subprocess.run([str(SCRIPT), *args], env=environment, capture_output=True, text=True, timeout=120)


def test_json_is_the_engine_s_to_dict(store: str) -> None:
    out = leadbot(store, "pipeline", "report", "--from", "2026-11-01", "--to", NOW.isoformat(), "--team", "T1", "--json")
    assert out.returncode == 0, out.stderr
    engine = make_engine(store)
    with session_factory(engine)() as session:
        expected = report(session, MetricsFilter(START, NOW, team_id=1), now=NOW, pipeline=PipelineSettings()).to_dict()
    engine.dispose()
    assert json.loads(out.stdout) == expected


def test_the_readable_report_splits_the_bot_funnel_by_language_once_recorded(store: str) -> None:
    out = leadbot(store, "pipeline", "report", "--from", "2026-11-01", "--to", NOW.isoformat())
    assert "BOT FUNNEL BY LANGUAGE" not in out.stdout, "no conversation has a language yet"
    engine = make_engine(store)
    with session_factory(engine).begin() as session:
        first = session.scalars(select(ConversationFunnel).order_by(ConversationFunnel.id)).first()
        first.language = "zh"
    engine.dispose()
    out = leadbot(store, "pipeline", "report", "--from", "2026-11-01", "--to", NOW.isoformat())
    assert out.returncode == 0, out.stderr
    header = next(line for line in out.stdout.splitlines() if line.startswith("BOT FUNNEL BY LANGUAGE"))
    assert header.split()[-2:] == ["UNKNOWN", "ZH"]
    started = next(line for line in out.stdout.splitlines()[out.stdout.splitlines().index(header):]
                   if line.startswith("Conversations started"))
    assert started.split()[-1] == "1"


def test_readable_report(store: str) -> None:
    out = leadbot(store, "pipeline", "report", "--from", "2026-11-01", "--to", NOW.isoformat())
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert any(line.split() == ["Win", "rate", "50.0%"] for line in lines)
    assert any(line.startswith("Pipeline velocity") and "300 USD" in line and "per day" in line for line in lines)
    assert any(line.startswith("Qualified") and "66.7%" in line for line in lines)
    assert any(line.startswith("Price above their budget") and "50.0%" in line for line in lines)
    assert any(line.startswith("Conversations started") for line in lines)
    empty = leadbot(store, "pipeline", "report", "--from", "2020-01-01", "--to", "2020-02-01")
    assert empty.returncode == 0 and any(line.split() == ["Win", "rate", "n/a"] for line in empty.stdout.splitlines())


def test_rep_by_email_and_named_period(store: str) -> None:
    out = leadbot(store, "pipeline", "report", "--rep", "rep1@fixture.example", "--period", "30d", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["filter"]["rep_id"] == 1 and data["filter"]["period_end"] == "2026-11-22T10:00:00+00:00"
    assert data["outcomes"]["won"] == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--team", "Nowhere"], "Nowhere"),
    (["--team", "99"], "no team with id 99"),
    (["--rep", "nobody@fixture.example"], "nobody@fixture.example"),
    (["--period", "30d", "--from", "2026-11-01"], "either --period or --from/--to"),
    (["--from", "2026-11-20", "--to", "2026-11-01"], "after it ends"),
])
def test_bad_filters_get_one_clear_line(store: str, args: list[str], message: str) -> None:
    out = leadbot(store, "pipeline", "report", *args)
    assert out.returncode == 1 and message in out.stderr and "Traceback" not in out.stderr


def test_bad_dates_are_usage_errors(store: str) -> None:
    out = leadbot(store, "pipeline", "report", "--from", "yesterday")
    assert out.returncode == 2 and "not a date" in out.stderr


def test_plain_pipeline_command_still_works(store: str) -> None:
    out = leadbot(store, "pipeline", "--stuck")
    assert out.returncode == 0 and "STAGE" in out.stdout and "DAYS IN STAGE" in out.stdout


def test_demo_data_refuses_real_leads_unless_forced(store: str) -> None:
    refused = leadbot(store, "demo-data", "--leads", "10")
    assert refused.returncode == 1 and "not demo data" in refused.stderr and "--force" in refused.stderr
    forced = leadbot(store, "demo-data", "--leads", "10", "--force")
    assert forced.returncode == 0, forced.stderr


def test_demo_data_fills_a_store_every_metric_can_read(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    out = leadbot(url, "demo-data", "--leads", "300", "--seed", "3")
    assert out.returncode == 0, out.stderr
    again = leadbot(url, "demo-data", "--leads", "50")  # demo data on demo data is fine
    assert again.returncode == 0, again.stderr
    engine = make_engine(url)
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count(Lead.id))) == 350
        assert session.scalar(select(func.count(Deal.id))) == 350
        stages = set(session.scalars(select(Deal.stage).distinct()))
        assert {"won", "lost", "qualified"} <= stages
        assert session.scalar(select(func.count(Deal.id)).where(Deal.stage == "lost", Deal.lost_reason.is_(None))) == 0
        assert session.scalar(select(func.count(StageHistory.id))) > 350
        conversations = session.scalar(select(func.count(ConversationFunnel.id)))
        assert conversations > 350  # some visitors never became leads
        assert len(set(session.scalars(select(ConversationFunnel.channel).distinct()))) >= 3
        data = report(session, MetricsFilter(), now=NOW.replace(year=2030), pipeline=PipelineSettings()).to_dict()
    engine.dispose()
    assert data["outcomes"]["won"] > 0 and data["outcomes"]["lost"] > 0
    assert data["funnel"]["steps"][0]["count"] == conversations
    text = leadbot(url, "pipeline", "report", "--period", "all")
    assert text.returncode == 0 and "Weighted forecast" in text.stdout


def test_demo_data_leaves_planner_statistics(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert leadbot(url, "demo-data", "--leads", "200").returncode == 0
    engine = make_engine(url)
    with engine.connect() as conn:
        analysed = set(conn.exec_driver_sql("SELECT DISTINCT tbl FROM sqlite_stat1").scalars())
    engine.dispose()
    assert {"leads", "deals", "stage_history", "conversation_funnel"} <= analysed


@pytest.mark.postgres
def test_demo_data_leaves_a_vacuumed_analysed_postgresql_store(pg_database: str, tmp_path: Path) -> None:
    """Index-only scans need the visibility map that VACUUM sets; the metrics read them."""
    out = leadbot(pg_database, "demo-data", "--leads", "200", data_dir=tmp_path)
    assert out.returncode == 0, out.stderr
    engine = make_engine(pg_database)
    with engine.connect() as conn:
        done = dict(conn.exec_driver_sql(
            "SELECT relname, last_vacuum IS NOT NULL AND last_analyze IS NOT NULL FROM pg_stat_user_tables"
            " WHERE relname IN ('leads', 'deals', 'stage_history', 'conversation_funnel')").all())
    engine.dispose()
    assert done == dict.fromkeys(("leads", "deals", "stage_history", "conversation_funnel"), True)
