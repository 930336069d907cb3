"""A running leadbot (Rasa, the action server, a `leadbot sync --follow` worker and a webhook
CRM, tests/crm_sync/fake_receiver.py) through outages of its own processes: Rasa killed -9
in the middle of a visitor's turn and started again; PostgreSQL, the pipeline store, stopped
as if it crashed and started again mid-conversation. Each test asserts what the visitor saw,
what the store holds, and how many times the CRM received each event. (The action server
killed: test_action_server_down.py; the sync worker killed mid-delivery:
tests/crm_sync/test_leases.py, test_crm_guarantees.py.)"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, select, text

from bot.store.db import make_engine, session_factory
from bot.store.schema import Lead, OutboxEvent
from tests.conftest import NOW
from tests.crm_sync.fake_receiver import FakeReceiver
from tests.e2e.kill import kill, start_rasa
from tests.e2e.servers import ROOT, BotServers
from tests.e2e.test_conversations import texts
from tests.postgres import PgCluster

pytestmark = pytest.mark.rasa

SECRET = "outage-webhook-secret"
STORE_DOWN = "can't reach our system right now"  # utter_store_unavailable
CRM_YML = ("timeout_seconds: 2\nlease_seconds: 5\npoll_seconds: 0.1\n"
           "retry: {base_seconds: 0.1, max_seconds: 1, jitter: 0.2, max_attempts: 50}\n"
           "provider: webhook\nwebhook: {url: '%s'}\n")


@dataclass
class Instance:
    """The bot's servers, a sync worker and the CRM it delivers to."""

    bot: BotServers
    receiver: FakeReceiver
    worker: subprocess.Popen | None = None
    heard: dict[str, list[str]] = field(default_factory=dict)  # what each message got back

    def start_worker(self) -> None:
        log = (self.bot.workdir / "sync.log").open("a")
        self.worker = subprocess.Popen([sys.executable, "-m", "leadbot.cli", "sync", "--follow", "--worker-id", "w1"],
                                       cwd=ROOT, env=self.bot.env, stdout=log, stderr=subprocess.STDOUT)

    def say(self, sender: str, message: str) -> str:
        """The visitor's message; the bot's reply as the visitor saw it ("" for none, or the error)."""
        try:
            r = requests.post(f"{self.bot.rasa_url}/webhooks/rest/webhook",
                              json={"sender": sender, "message": message}, timeout=60)
            reply = texts(r.json()) if r.ok else f"HTTP {r.status_code}"
        except requests.RequestException as error:
            reply = f"failed: {type(error).__name__}"
        self.heard[message] = [*self.heard.get(message, []), reply]
        return reply

    def delivered(self, seconds: float = 60) -> Counter:
        """Wait until the outbox is delivered; its statuses."""
        engine = make_engine(self.bot.database_url)
        try:
            deadline = time.monotonic() + seconds
            while True:
                with session_factory(engine)() as s:
                    states = Counter(s.scalars(select(OutboxEvent.status)))
                if set(states) == {"delivered"} or time.monotonic() > deadline:
                    return states
                time.sleep(0.2)
        finally:
            engine.dispose()

    def leads(self, sender: str) -> list[Lead]:
        engine = make_engine(self.bot.database_url)
        try:
            with session_factory(engine)() as s:
                return list(s.scalars(select(Lead).where(Lead.conversation_id == sender)))
        finally:
            engine.dispose()

    def event_ids(self) -> set[str]:
        engine = make_engine(self.bot.database_url)
        try:
            with session_factory(engine)() as s:
                return set(s.scalars(select(OutboxEvent.event_id)))
        finally:
            engine.dispose()

    def received(self) -> Counter:
        """How many times the CRM received each event (faults included)."""
        return Counter(r["headers"].get("Idempotency-Key") for r in self.receiver.requests)


def _settings(workdir: Path, receiver: FakeReceiver) -> Path:
    settings = workdir / "settings"
    shutil.copytree(ROOT / "settings", settings)
    conversation = settings / "conversation.yml"
    conversation.write_text(conversation.read_text().replace("pending_retry_seconds: 30", "pending_retry_seconds: 0.5"))
    (settings / "crm.yml").write_text(CRM_YML % receiver.url)
    return settings


@pytest.fixture
def receiver() -> Iterator[FakeReceiver]:
    with FakeReceiver(SECRET) as r:
        yield r


def _instance(workdir: Path, receiver: FakeReceiver, **env: str) -> Iterator[Instance]:
    workdir.mkdir(parents=True)
    bot = BotServers(workdir, env_overrides={"LEADBOT_NOW": NOW, "LEADBOT_WEBHOOK_SECRET": SECRET,
                                             "LEADBOT_SETTINGS_DIR": str(_settings(workdir, receiver)), **env})
    instance = Instance(bot.start(), receiver)
    instance.start_worker()
    try:
        yield instance
    finally:
        if instance.worker is not None:
            instance.worker.terminate()
            instance.worker.wait(timeout=30)
        bot.stop()


@pytest.fixture
def instance(tmp_path: Path, receiver: FakeReceiver) -> Iterator[Instance]:
    yield from _instance(tmp_path / "bot", receiver)


@pytest.fixture
def pg_instance(tmp_path: Path, receiver: FakeReceiver, pg_cluster: PgCluster) -> Iterator[tuple[Instance, PgCluster]]:
    admin = create_engine(pg_cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text('CREATE DATABASE "leadbot"'))
    admin.dispose()
    for running in _instance(tmp_path / "bot", receiver, LEADBOT_DATABASE_URL=pg_cluster.url("leadbot")):
        yield running, pg_cluster


def _assert_each_event_accepted_once(instance: Instance) -> None:
    assert instance.delivered() == Counter({"delivered": len(instance.event_ids())})
    received = instance.received()
    assert set(received) == instance.event_ids(), "every event reached the CRM"
    assert set(received.values()) == {1}, f"each event received once: {received}"
    assert instance.worker is not None and instance.worker.poll() is None, "the sync worker is still running"


def test_rasa_killed_in_the_middle_of_a_turn_loses_nothing_and_stores_nothing_twice(instance):
    """The action server is held (SIGSTOP) so that Rasa is killed while the turn waits for it;
    the visitor's request fails, and they send the message again once Rasa is back."""
    sender = "outage-rasa"
    for message in ("hi, I'm Sam Ortiz, sam@brightwell.example", "a chatbot that books appointments for our clinics",
                    "within two months", "I decide", "about 20k", ):
        assert instance.say(sender, message), f"no answer to {message!r}"
    actions = instance.bot.process("actions")
    os.kill(actions.pid, signal.SIGSTOP)
    try:
        turn = threading.Thread(target=instance.say, args=(sender, "Brightwell Dental"))
        turn.start()
        time.sleep(2)  # Rasa reads the message and calls the (stopped) action server
        kill(instance.bot, "rasa")
        turn.join(timeout=30)
    finally:
        os.kill(actions.pid, signal.SIGCONT)
    assert instance.heard["Brightwell Dental"][0].startswith("failed:"), "the visitor's turn was cut off"
    start_rasa(instance.bot)

    assert instance.say(sender, "Brightwell Dental"), "sent again, answered"
    [lead] = instance.leads(sender)
    assert (lead.name, lead.company, lead.email) == ("Sam Ortiz", "Brightwell Dental", "sam@brightwell.example")
    assert (lead.budget_min, lead.authority_level) == (20000, "decision_maker") and lead.timeline_target_date
    assert all(replies[-1] and not replies[-1].startswith("failed") for replies in instance.heard.values()), \
        instance.heard
    _assert_each_event_accepted_once(instance)


@pytest.mark.postgres
def test_postgresql_stopped_mid_conversation_and_started_again_loses_nothing(pg_instance):
    """The visitor is told their details are kept; the action server stores them once the
    database is back (its spool retry), and the sync worker, which kept running, delivers."""
    instance, cluster = pg_instance
    sender = "outage-postgres"
    for message in ("hi, I'm Sam Ortiz, sam@brightwell.example", "a chatbot that books appointments for our clinics"):
        assert instance.say(sender, message)
    [before] = instance.leads(sender)
    assert before.need_level and before.timeline_target_date is None

    cluster.stop("immediate")  # as if the database server crashed
    # a lead-card sender (re)started during the outage waits for the store instead of exiting
    cards = subprocess.Popen([sys.executable, "-m", "leadbot.cli", "notifications", "send", "--follow"], cwd=ROOT,
                             env=instance.bot.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    card_log: list[str] = []
    reader = threading.Thread(target=lambda: card_log.extend(iter(cards.stderr.readline, "")), daemon=True)
    reader.start()
    for message in ("within two months", "I decide", "about 20k"):
        assert instance.say(sender, message), f"no answer to {message!r} while the store is down"
    time.sleep(1)  # the worker's rounds meet the outage too
    deadline = time.monotonic() + 120  # a hang guard: the sender's imports are slow on a loaded machine
    while not any("the store is unreachable" in line for line in card_log):
        assert cards.poll() is None, "the card sender waits for the store: " + "".join(card_log)
        assert time.monotonic() < deadline, "the card sender never met the outage: " + "".join(card_log)
        time.sleep(0.2)
    assert instance.worker.poll() is None, "the sync worker survives the outage"
    cluster.start()

    deadline = time.monotonic() + 60  # the action server's spool retry, with no message from the visitor
    while (lead := next(iter(instance.leads(sender)), None)) is None or lead.budget_min is None:
        assert time.monotonic() < deadline, "the answers given during the outage are stored once the database is back"
        time.sleep(0.2)
    assert (lead.budget_min, lead.authority_level) == (20000, "decision_maker") and lead.timeline_target_date, \
        "the answers given during the outage are stored once the database is back"

    replies = instance.say(sender, "Brightwell Dental")
    assert replies and not replies.startswith("failed")
    [lead] = instance.leads(sender)
    assert (lead.name, lead.company, lead.email) == ("Sam Ortiz", "Brightwell Dental", "sam@brightwell.example")
    assert all(replies[-1] and not replies[-1].startswith("failed") for replies in instance.heard.values()), \
        instance.heard
    _assert_each_event_accepted_once(instance)
    deadline = time.monotonic() + 120
    while not any("the store is reachable" in line for line in card_log):
        assert time.monotonic() < deadline, "the card sender never saw the store back: " + "".join(card_log)
        time.sleep(0.2)
    cards.send_signal(signal.SIGTERM)
    cards.wait(timeout=30)
    reader.join(timeout=10)
    assert cards.returncode == 0, "".join(card_log)
