"""Conversation events streamed: the trained model on a real Rasa server with the real action
server, publishing through the shipped event broker (deploy/scaled/endpoints.yml's
`event_broker`, rasa_addons/event_broker.py) to a real RabbitMQ node, and `leadbot events
consume --follow` writing the funnel and the conversation analytics. The action server does
not write the funnel then; RabbitMQ stopped mid-conversation costs the visitor nothing, and
once it is back every event arrives, each exactly once."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests
import yaml
from sqlalchemy import select

from bot.event_stream import QUEUE
from bot.funnel import conversation_key
from bot.store.db import make_engine, session_factory
from bot.store.schema import ConversationEvent, ConversationFunnel
from tests.conftest import NOW
from tests.e2e.servers import ROOT, BotServers, free_port, wait_until
from tests.e2e.test_conversations import texts
from tests.rabbitmq import RabbitMQ, make_rabbitmq

pytestmark = pytest.mark.rasa

SCRIPT = ["good morning", "we want to qualify inbound website leads automatically", "within the next two months",
          "I sign off on purchases myself", "about 30000 dollars a year", "Priya Raman", "Northwind Physio"]
STEPS = ("need", "budget", "authority", "timeline", "contact", "qualified")


@dataclass
class Streamed:
    bot: BotServers
    node: RabbitMQ
    spool: Path
    metrics_port: int
    consumer: subprocess.Popen | None = None

    def start_consumer(self) -> None:
        env = {**self.bot.env, "LEADBOT_METRICS_PORT": str(self.metrics_port)}
        log = (self.bot.workdir / "consumer.log").open("a")
        self.consumer = subprocess.Popen([sys.executable, "-m", "leadbot.cli", "events", "consume", "--follow"],
                                         cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    def stop_consumer(self) -> None:
        if self.consumer is not None:
            self.consumer.terminate()
            self.consumer.wait(timeout=30)
            self.consumer = None

    def tracker_events(self, sender: str) -> list[tuple[str, datetime]]:
        """Every event Rasa stored for the conversation (its HTTP API, all sessions)."""
        r = requests.get(f"{self.bot.rasa_url}/conversations/{sender}/tracker",
                         params={"token": self.bot.auth_token, "include_events": "ALL"}, timeout=10)
        r.raise_for_status()
        return [(e["event"], datetime.fromtimestamp(e["timestamp"], tz=timezone.utc)) for e in r.json()["events"]]

    def analytics(self, sender: str) -> list[tuple[str, datetime]]:
        return [(row.kind, row.at) for row in self._rows(ConversationEvent, sender)]

    def funnel(self, sender: str) -> ConversationFunnel | None:
        rows = self._rows(ConversationFunnel, sender)
        return rows[0] if rows else None

    def _rows(self, model, sender: str) -> list:
        engine = make_engine(self.bot.database_url)
        try:
            with session_factory(engine)() as session:
                return list(session.scalars(select(model).where(model.conversation_key == conversation_key(sender))))
        finally:
            engine.dispose()

    def spooled(self) -> int:
        with sqlite3.connect(self.spool) as db:
            return db.execute("SELECT count(*) FROM events").fetchone()[0]

    def all_arrived(self, sender: str, timeout: float = 60) -> list[tuple[str, datetime]]:
        """Wait until the analytics hold as many of the conversation's events as Rasa stored."""
        expected = self.tracker_events(sender)
        wait_until(lambda: len(self.analytics(sender)) >= len(expected), timeout, "the streamed events",
                   self.consumer, self.bot.workdir / "consumer.log")
        return expected


def with_event_broker(workdir: Path) -> Path:
    """The bot's endpoints.yml plus the event broker exactly as deploy/scaled/endpoints.yml ships it."""
    scaled = yaml.safe_load((ROOT / "deploy" / "scaled" / "endpoints.yml").read_text())
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    endpoints["event_broker"] = scaled["event_broker"]
    path = workdir / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def streamed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Streamed]:
    node = make_rabbitmq().start()
    workdir = tmp_path_factory.mktemp("streamed")
    spool = workdir / "event-spool.sqlite"
    bot = BotServers(workdir, env_overrides={"LEADBOT_NOW": NOW, "LEADBOT_RABBITMQ_URL": node.url,
                                             "LEADBOT_EVENT_SPOOL": str(spool)},
                     endpoints=with_event_broker(workdir))
    stream = Streamed(bot, node, spool, free_port())
    try:
        bot.start()
        yield stream
    finally:
        stream.stop_consumer()
        bot.stop()
        node.stop()
        shutil.rmtree(node.root.parent, ignore_errors=True)


def test_a_conversation_reaches_the_funnel_and_the_analytics_through_the_consumer(streamed: Streamed, sender):
    for message in [*SCRIPT, f"{sender}@northwind-physio.example"]:
        assert texts(streamed.bot.say(sender, message)), "answered"
    expected = streamed.tracker_events(sender)
    wait_until(lambda: streamed.node.queued(QUEUE) >= len(expected), 30, "the events in RabbitMQ")
    assert streamed.funnel(sender) is None, "the action server left the funnel to the consumer"

    streamed.start_consumer()
    streamed.all_arrived(sender)
    assert Counter(streamed.analytics(sender)) == Counter(expected), "every event once"
    row = streamed.funnel(sender)
    assert row is not None and row.channel == "rest" and row.lead_id is not None
    assert [s for s in STEPS if getattr(row, f"{s}_at") is not None] == list(STEPS)
    assert row.handed_to_rep_at is None
    kinds = {kind for kind, _ in expected}
    assert {"user", "bot", "action", "slot"} <= kinds

    metrics = requests.get(f"http://127.0.0.1:{streamed.metrics_port}/metrics", timeout=5).text
    consumed = {line.split("{kind=\"")[1].split("\"")[0]: float(line.split()[-1])
                for line in metrics.splitlines() if line.startswith("leadbot_events_consumed_total{")}
    assert consumed["user"] >= len(SCRIPT) + 1 and consumed["slot"] > 0
    assert "leadbot_events_lag_seconds " in metrics and "leadbot_events_queued 0.0" in metrics


def test_rabbitmq_down_mid_conversation_loses_and_repeats_nothing(streamed: Streamed, sender):
    if streamed.consumer is None:
        streamed.start_consumer()
    for message in SCRIPT[:2]:
        assert texts(streamed.bot.say(sender, message))
    streamed.all_arrived(sender)

    streamed.node.stop()
    for message in SCRIPT[2:5]:  # the visitor notices nothing
        assert texts(streamed.bot.say(sender, message)), "answered while RabbitMQ is down"
    assert streamed.spooled() > 0, "the events wait in the Rasa process's spool"

    streamed.node.start()
    for message in [*SCRIPT[5:], f"{sender}@northwind-physio.example"]:
        assert texts(streamed.bot.say(sender, message))
    expected = streamed.all_arrived(sender)  # a repeat has the same key: the unique index refuses it
    assert Counter(streamed.analytics(sender)) == Counter(expected), "every event, each exactly once"
    row = streamed.funnel(sender)
    assert row is not None and [s for s in STEPS if getattr(row, f"{s}_at") is not None] == list(STEPS)
    wait_until(lambda: streamed.spooled() == 0, 10, "the spool emptied")
