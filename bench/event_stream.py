"""Event stream bench: what the broker costs a turn, and how fast events reach the analytics.

On a RabbitMQ node of its own (deploy/rabbitmq.sh, as the tests start it):

1. the spool: `Spool.add` per event, as Rasa calls it on every event of a turn (rasa venv);
2. a backlog drained: `--events` spooled while RabbitMQ was "away", then published by
   `SpooledPikaEventBroker` (publisher confirms) until the spool is empty: events/s (rasa venv);
3. the consumer: those events (Rasa-shaped, `--conversations` conversations, 12 % of them
   published twice) consumed by `leadbot events consume` (drain) into a SQLite file and into
   PostgreSQL (when installed): events/s stored, duplicates skipped.

    .venvs/app/bin/python bench/event_stream.py [--events 20000] [--conversations 1000]
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pika  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bot.event_stream import EXCHANGE  # noqa: E402
from bot.event_stream.consumer import Consumer, declare  # noqa: E402
from bot.store.db import make_engine, session_factory  # noqa: E402
from bot.store.migrate import upgrade  # noqa: E402
from bot.store.schema import ConversationEvent  # noqa: E402
from tests.rabbitmq import make_rabbitmq  # noqa: E402

RASA_PYTHON = ROOT / ".venvs" / "rasa" / "bin" / "python"

# Runs in the rasa venv: the spool's insert cost, then a spooled backlog published to RabbitMQ.
RASA_SIDE = r"""
import asyncio, json, sys, time
from rasa.utils.endpoints import EndpointConfig
from rasa_addons.event_broker import Spool, SpooledPikaEventBroker
url, spool_path, events_path = sys.argv[1:4]
events = [json.loads(line) for line in open(events_path)]
spool = Spool(spool_path)
started = time.perf_counter()
for event in events:
    spool.add(json.dumps(event))
add_ms = (time.perf_counter() - started) / len(events) * 1000
spool.close()

async def drain():
    broker = await SpooledPikaEventBroker.from_endpoint_config(EndpointConfig(url=url, spool=spool_path))
    started = time.perf_counter()
    while len(broker.spool):
        await asyncio.sleep(0.05)
    seconds = time.perf_counter() - started
    await broker.close()
    return seconds

seconds = asyncio.run(drain())
print(json.dumps({"spool_add_ms": add_ms, "drain_seconds": seconds}))
"""


def rasa_events(count: int, conversations: int, seed: int = 7) -> list[dict]:
    """Events shaped as Rasa's tracker store streams them: a turn is a user message, slots, a
    bot line and action_listen."""
    rng = random.Random(seed)
    events, t = [], 1_790_000_000.0
    slots = ["need", "timeline", "authority", "budget", "name", "company", "email", "requested_slot"]
    while len(events) < count:
        sender = f"bench-{rng.randrange(conversations)}"
        t += 0.01
        events.append({"sender_id": sender, "event": "user", "timestamp": t, "text": "about 20k a year",
                       "input_channel": "rest", "parse_data": {"intent": {"name": "inform", "confidence": 0.9}}})
        for slot in rng.sample(slots, 3):
            t += 0.001
            events.append({"sender_id": sender, "event": "slot", "timestamp": t, "name": slot, "value": "x"})
        events.append({"sender_id": sender, "event": "bot", "timestamp": t + 0.002, "text": "And your budget?",
                       "metadata": {"utter_action": "utter_ask_budget"}})
        events.append({"sender_id": sender, "event": "action", "timestamp": t + 0.003, "name": "action_listen"})
    return events[:count]


def consume(url: str, store: str) -> tuple[float, int]:
    upgrade(store)
    engine = make_engine(store)
    try:
        sessions = session_factory(engine)
        started = time.perf_counter()
        Consumer(url, sessions, lambda: datetime.now(timezone.utc)).run(lambda: False, drain=True)
        seconds = time.perf_counter() - started
        with sessions() as session:
            return seconds, session.scalar(select(func.count(ConversationEvent.id)))
    finally:
        engine.dispose()


def publish(url: str, bodies: list[str]) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    declare(channel)
    for body in bodies:
        channel.basic_publish(EXCHANGE, "", body.encode(), pika.BasicProperties(delivery_mode=2))
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--conversations", type=int, default=1000)
    args = parser.parse_args()
    node = make_rabbitmq().start()
    work = Path(tempfile.mkdtemp(prefix="leadbot-bench-events-"))
    try:
        events = rasa_events(args.events, args.conversations)
        (work / "events.jsonl").write_text("\n".join(map(json.dumps, events)))
        out = subprocess.run([str(RASA_PYTHON), "-c", RASA_SIDE, node.url, str(work / "spool.sqlite"),
                              str(work / "events.jsonl")], cwd=ROOT, capture_output=True, text=True, timeout=900)
        if out.returncode:
            raise SystemExit(out.stderr[-3000:])
        rasa = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"spool insert: {rasa['spool_add_ms']:.3f} ms per event")
        print(f"backlog of {len(events)} published from the spool: {rasa['drain_seconds']:.1f} s, "
              f"{len(events) / rasa['drain_seconds']:.0f} events/s")
        stores = {"sqlite": f"sqlite:///{work / 'leadbot.db'}"}
        try:
            from tests.postgres import make_cluster
            cluster = make_cluster()
            cluster.start()
            stores["postgresql"] = cluster.url()
        except BaseException as error:  # pytest.skip when PostgreSQL is not installed
            cluster = None
            print(f"PostgreSQL not measured: {error}")
        try:
            for name, store in stores.items():
                if name != "sqlite":  # the backlog went into the SQLite run; publish it again
                    publish(node.url, [json.dumps(e) for e in events])
                again = [json.dumps(e) for e in random.Random(1).sample(events, len(events) * 12 // 100)]
                publish(node.url, again)  # redeliveries
                seconds, stored = consume(node.url, store)
                total = len(events) + len(again)
                print(f"consumer into {name}: {total} messages in {seconds:.1f} s, {total / seconds:.0f} messages/s; "
                      f"{stored} events stored (of {len(events)}), {total - stored} duplicates skipped")
        finally:
            if cluster is not None:
                cluster.stop("immediate")
                shutil.rmtree(cluster.root, ignore_errors=True)
    finally:
        node.stop()
        shutil.rmtree(node.root.parent, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
