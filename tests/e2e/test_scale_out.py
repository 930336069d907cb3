"""The scaled-out deployment (docs/scaling.md): two Rasa processes, each with its own action
server, sharing a PostgreSQL tracker store, a Redis lock store and a PostgreSQL pipeline
store, with `deploy/scaled/endpoints.yml` as shipped.

Consecutive messages of a conversation go to alternating processes (the harshest load
balancer), so every turn depends on state another process wrote.
"""
from __future__ import annotations

import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import NOW
from tests.e2e.servers import ROOT, BotServers, RedisServer
from tests.e2e.test_conversations import asked, stored
from tests.rabbitmq import make_rabbitmq

pytestmark = [pytest.mark.rasa, pytest.mark.postgres]

SCRIPT = ["hi", "We need a chatbot that qualifies leads on our website", "in 8-10 weeks",
          "it's my call, I run IT", "around 20k a year", "Sam Ortiz", "Brightwell Dental"]


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory, pg_server, pg_admin):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (scripts/test-deps.sh installs it)")
    workdir: Path = tmp_path_factory.mktemp("scaled")
    names = {kind: f"{kind}_{uuid.uuid4().hex[:8]}" for kind in ("tracker", "pipeline")}
    with pg_admin.connect() as conn:
        for name in names.values():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    redis = RedisServer(workdir / "redis")
    rabbitmq = make_rabbitmq().start()  # the shipped endpoints stream events (tests/e2e/test_event_stream.py)
    shared = {
        "LEADBOT_NOW": NOW,
        "LEADBOT_TRACKER_URL": f"postgresql://leadbot@127.0.0.1:{pg_server.port}/{names['tracker']}",
        "LEADBOT_REDIS_HOST": "127.0.0.1",
        "LEADBOT_REDIS_PORT": str(redis.port),
        "LEADBOT_DATABASE_URL": pg_server.url(names["pipeline"]),
        "LEADBOT_RABBITMQ_URL": rabbitmq.url,
    }
    processes = [BotServers(workdir / f"p{i}", endpoints=ROOT / "deploy" / "scaled" / "endpoints.yml",
                            env_overrides={**shared, "LEADBOT_EVENT_SPOOL": str(workdir / f"spool{i}")})
                 for i in range(2)]
    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda p: p.start(), processes))
        yield processes, redis, pg_server.url(names["tracker"])
    finally:
        for p in processes:
            p.stop()
        redis.stop()
        rabbitmq.stop()
        shutil.rmtree(rabbitmq.root.parent, ignore_errors=True)


def converse(processes: list[BotServers], sender: str, email: str) -> list[list[str]]:
    """One qualification, turn k on process k % 2; what the bot asked after each turn."""
    questions = []
    for turn, message in enumerate([*SCRIPT, email]):
        questions.append(asked(processes[turn % 2].say(sender, message, timeout=120)))
    return questions


def test_conversations_move_between_processes_without_losing_a_step(scaled):
    processes, redis, tracker_url = scaled
    senders = [f"scaled-{uuid.uuid4().hex[:8]}" for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda s: converse(processes, s, f"{s}@brightwell.example"), senders))
    for questions in runs:
        assert questions == [["need"], ["timeline"], ["authority"], ["budget"], ["name"], ["company"], ["email"], []]

    for sender in senders:
        lead = stored(processes[0], f"{sender}@brightwell.example")
        assert lead["conversation_id"] == sender and lead["company"] == "Brightwell Dental"
        assert lead["budget"]["min"] == 20000 and lead["authority"]["level"] == "decision_maker"

    for sender in senders:
        kinds = tracker_events(tracker_url, sender)
        assert sum(kind == "user" for kind, _ in kinds) == len(SCRIPT) + 1, "every message in the shared store"
    assert int(redis.cli("info", "commandstats").split("cmdstat_set:calls=")[1].split(",")[0]) > 0, \
        "the Redis lock store was used"


def test_messages_of_one_sender_at_once_are_taken_one_after_the_other(scaled):
    processes, _, tracker_url = scaled
    sender = f"scaled-{uuid.uuid4().hex[:8]}"
    processes[0].say(sender, "hi")
    messages = ["We need a chatbot for our website leads", "how much does it cost?", "are you a bot?",
                "what do you do exactly?", "do you integrate with HubSpot?", "why do you ask?"]
    with ThreadPoolExecutor(len(messages)) as pool:
        replies = list(pool.map(lambda im: processes[im[0] % 2].say(sender, im[1], timeout=120),
                                enumerate(messages)))
    assert all(replies), "every message answered"
    kinds = tracker_events(tracker_url, sender)
    users = [i for i, (kind, _) in enumerate(kinds) if kind == "user"]
    assert len(users) == 1 + len(messages), "every message stored once"
    for start, end in zip(users, users[1:] + [len(kinds)]):
        assert ("action", "action_listen") in kinds[start:end], \
            "each turn finished before the next began (the Redis lock)"


def tracker_events(tracker_url: str, sender: str) -> list[tuple[str, str | None]]:
    engine = create_engine(tracker_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(
                "SELECT type_name, action_name FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender})]
    finally:
        engine.dispose()
