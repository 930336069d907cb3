"""Leads per proactive trigger (bot/metrics/proactive.py) in the report, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.metrics import MetricsFilter, report
from bot.store.pipeline import PipelineSettings
from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.repository import save_lead
from tests.metrics.test_cli import leadbot
from tests.store.builders import NOW, submission

# (conversation, trigger, status, days before NOW)
LEADS = [
    ("p1", "pricing-page", "qualified", 1), ("p2", "pricing-page", "qualified", 2), ("p3", "pricing-page", "nurture", 3),
    ("l1", "leaving", "nurture", 1), ("l2", "leaving", "qualified", 4),
    ("v1", None, "qualified", 1), ("v2", None, "disqualified", 2),
    ("old", "pricing-page", "qualified", 40),  # before the period
]


def fill(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        for conversation, trigger, status, days in LEADS:
            source = {"page_url": "https://www.example.com/pricing"} | ({"proactive_trigger": trigger} if trigger else {})
            save_lead(session, submission(conversation, email=f"{conversation}@proactive.example", status=status,
                                          source=source), now=NOW - timedelta(days=days))


def test_leads_and_qualified_per_trigger_beside_the_visitors_own(sessions: sessionmaker[Session]) -> None:
    fill(sessions)
    with sessions() as session:
        got = report(session, MetricsFilter(NOW - timedelta(days=30), NOW + timedelta(seconds=1)), now=NOW,
                     pipeline=PipelineSettings()).to_dict()["proactive"]["triggers"]
        every = report(session, MetricsFilter(), now=NOW, pipeline=PipelineSettings()).to_dict()["proactive"]
    assert got == [
        {"trigger": "pricing-page", "leads": 3, "qualified": 2, "qualified_rate": 0.6667},
        {"trigger": "leaving", "leads": 2, "qualified": 1, "qualified_rate": 0.5},
        {"trigger": None, "leads": 2, "qualified": 1, "qualified_rate": 0.5},
    ]
    assert every["triggers"][0] == {"trigger": "pricing-page", "leads": 4, "qualified": 3, "qualified_rate": 0.75}


def test_no_lead_from_a_teaser(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        assert report(session, MetricsFilter(), now=NOW, pipeline=PipelineSettings()).to_dict()["proactive"] == {
            "triggers": []}


def test_the_readable_report_has_a_table_per_trigger(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'leadbot.db'}"
    upgrade(url)
    engine = make_engine(url)
    fill(session_factory(engine))
    engine.dispose()
    out = leadbot(url, "pipeline", "report", "--period", "30d")
    assert out.returncode == 0, out.stderr
    rows = [line.split() for line in out.stdout.split("PROACTIVE TRIGGER", 1)[1].splitlines()[1:5]]
    assert [r for r in rows if r and not set(r[0]) <= {"-"}] == [
        ["pricing-page", "3", "2", "66.7%"], ["leaving", "2", "1", "50.0%"],
        ["(opened", "by", "the", "visitor)", "2", "1", "50.0%"]]
