"""The event stream's consumer on real components: Rasa-shaped events through a real RabbitMQ
node into a migrated store (each backend for the writer). What Rasa itself publishes, end
to end: tests/e2e/test_event_stream.py."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pika
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot import telemetry
from bot.event_stream import EXCHANGE, QUEUE
from bot.event_stream.consumer import Consumer, declare
from bot.event_stream.record import MalformedEvent, StreamedEvent, record_events
from bot.funnel import conversation_key
from bot.store.schema import ConversationEvent, ConversationFunnel

T0 = 1_790_000_000.0
NOW = datetime(2026, 12, 6, tzinfo=timezone.utc)


def conversation(sender: str = "+44 7700 900123") -> list[dict]:
    """A short conversation as Rasa's tracker store streams it (`as_dict()` plus sender_id)."""
    def ev(offset: float, **data: object) -> dict:
        return {"sender_id": sender, "timestamp": T0 + offset, **data}
    return [
        ev(0, event="action", name="action_listen"),
        ev(1, event="user", text="we need a bot for our clinic site", input_channel="rest", message_id="m1",
           parse_data={"intent": {"name": "inform", "confidence": 0.9}}),
        ev(2, event="slot", name="need", value={"text": "a bot for our clinic site"}),
        ev(3, event="bot", text="When do you need it?", metadata={"utter_action": "utter_ask_timeline"}),
        ev(4, event="user", text="Priya, priya@northwind.example", input_channel="rest", message_id="m2",
           parse_data={"intent": {"name": "inform"}}),
        ev(5, event="slot", name="email", value="priya@northwind.example"),
        ev(6, event="slot", name="lead_status", value="nurture"),
        ev(7, event="slot", name="human_requested", value=True),
        ev(8, event="slot", name="experiment", value={"experiment": "opener", "variant": "b", "winners": []}),
    ]


def parsed(events: list[dict]) -> list[StreamedEvent]:
    return [StreamedEvent.parse(json.dumps(e)) for e in events]


def funnel(sessions: sessionmaker[Session], sender: str) -> ConversationFunnel:
    with sessions() as session:
        return session.scalars(select(ConversationFunnel)
                               .where(ConversationFunnel.conversation_key == conversation_key(sender))).one()


def at(offset: float) -> datetime:
    return datetime.fromtimestamp(T0 + offset, tz=timezone.utc)


def test_each_event_is_stored_once_with_names_only(sessions: sessionmaker[Session]) -> None:
    events = parsed(conversation())
    with sessions.begin() as session:
        assert len(record_events(session, events + events[:3], now=NOW)) == len(events)  # a batch with repeats
    with sessions.begin() as session:
        assert record_events(session, events, now=NOW) == []  # delivered again
    with sessions() as session:
        rows = session.scalars(select(ConversationEvent).order_by(ConversationEvent.at)).all()
    assert [(r.kind, r.name) for r in rows] == [
        ("action", "action_listen"), ("user", "inform"), ("slot", "need"), ("bot", "utter_ask_timeline"),
        ("user", "inform"), ("slot", "email"), ("slot", "lead_status"), ("slot", "human_requested"),
        ("slot", "experiment")]
    assert rows[1].channel == "rest" and rows[1].at == at(1)
    stored = json.dumps([[r.event_key, r.conversation_key, r.kind, r.name, r.channel] for r in rows])
    assert "clinic" not in stored and "priya" not in stored.lower() and "7700" not in stored


def test_a_payload_does_not_start_the_funnel_and_a_slot_takes_the_conversations_channel(
        sessions: sessionmaker[Session]) -> None:
    greet = {"sender_id": "w", "event": "user", "timestamp": T0, "text": "/greet", "input_channel": "socketio",
             "parse_data": {"intent": {"name": "greet"}}}
    with sessions.begin() as session:
        record_events(session, parsed([greet]), now=NOW)
    with sessions() as session:
        assert session.scalars(select(ConversationFunnel)).first() is None, "the widget's /greet is not a start"
    with sessions.begin() as session:  # a button's payload answered the need question
        record_events(session, parsed([{**greet, "text": "/inform", "timestamp": T0 + 1},
                                       {"sender_id": "w", "event": "slot", "timestamp": T0 + 2, "name": "need",
                                        "value": "chatbot"}]), now=NOW)
    row = funnel(sessions, "w")
    assert row.channel == "socketio" and row.need_at == at(2)


def test_the_funnel_is_read_from_the_slots_in_any_order(sessions: sessionmaker[Session]) -> None:
    events = parsed(conversation())
    with sessions.begin() as session:  # the later half first, as two spools flushed after an outage may
        record_events(session, events[5:], now=NOW)
    with sessions.begin() as session:
        record_events(session, events[:5], now=NOW)
    row = funnel(sessions, "+44 7700 900123")
    assert row.channel == "rest" and row.started_at == at(1)
    assert row.need_at == at(2) and row.contact_at == at(5) and row.handed_to_rep_at == at(7)
    assert row.qualified_at is None and row.budget_at is None and row.lead_id is None  # nurture; no such lead
    assert (row.experiment, row.variant) == ("opener", "b")


def test_the_funnel_row_takes_the_conversations_language(sessions: sessionmaker[Session]) -> None:
    """docs/languages.md: the bot funnel per language, read from the streamed `language` slot."""
    events = conversation("lang-stream")
    language = {"sender_id": "lang-stream", "timestamp": T0 + 1.5, "event": "slot", "name": "language", "value": "ru"}
    with sessions.begin() as session:
        record_events(session, parsed([*events[:2], language, *events[2:]]), now=NOW)
    assert funnel(sessions, "lang-stream").language == "ru"
    switched = {**language, "timestamp": T0 + 9, "value": "en"}  # asked for English later on
    with sessions.begin() as session:
        record_events(session, parsed([switched]), now=NOW)
    assert funnel(sessions, "lang-stream").language == "en"


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", json.dumps({"event": "user", "timestamp": T0}).encode(),
                                  json.dumps({"sender_id": "c", "event": "user"}).encode()])
def test_a_message_that_is_not_a_rasa_event_is_refused(body: bytes) -> None:
    with pytest.raises(MalformedEvent):
        StreamedEvent.parse(body)


def test_the_consumer_acknowledges_after_storing_and_counts_each_event_once(rabbitmq, tmp_path) -> None:
    from bot.store.db import make_engine, session_factory
    from bot.store.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'leadbot.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    connection = pika.BlockingConnection(pika.URLParameters(rabbitmq.url))
    channel = connection.channel()
    declare(channel)
    events = conversation("consumer-test")
    for body in [*map(json.dumps, events), "garbage", *map(json.dumps, events[:4])]:  # some delivered twice
        channel.basic_publish(EXCHANGE, "", body.encode(), pika.BasicProperties(delivery_mode=2))
    connection.close()
    before = telemetry.EVENTS_DUPLICATE._value.get()
    try:
        consumer = Consumer(rabbitmq.url, sessions, lambda: NOW, batch=5)  # several batches
        assert consumer.run(lambda: False, drain=True) == len(events)
        with sessions() as session:
            assert session.scalar(select(func.count(ConversationEvent.id))) == len(events)
        assert funnel(sessions, "consumer-test").need_at == at(2)
        assert telemetry.EVENTS_DUPLICATE._value.get() - before == 4
        assert rabbitmq.queued(QUEUE) == 0  # every message acknowledged, the malformed one too
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_with_the_store_down_nothing_is_acknowledged_and_everything_is_stored_once_it_is_back(rabbitmq, pg_cluster):
    import threading

    from bot.store.db import make_engine, session_factory
    from bot.store.migrate import upgrade
    from tests.e2e.servers import wait_until

    url = pg_cluster.url()
    upgrade(url)
    engine = make_engine(url)
    sessions = session_factory(engine)
    events = conversation("store-down")
    connection = pika.BlockingConnection(pika.URLParameters(rabbitmq.url))
    channel = connection.channel()
    declare(channel)
    for event in events:
        channel.basic_publish(EXCHANGE, "", json.dumps(event).encode(), pika.BasicProperties(delivery_mode=2))
    connection.close()
    pg_cluster.stop("immediate")
    store_errors = telemetry.EVENT_ERRORS.labels("store")
    before = store_errors._value.get()
    stop = threading.Event()
    held = threading.Thread(target=Consumer(rabbitmq.url, sessions, lambda: NOW).run, args=(stop.is_set,))
    held.start()
    try:
        wait_until(lambda: store_errors._value.get() > before, 60, "the consumer meeting the store down")
    finally:
        stop.set()
        held.join(timeout=30)
    assert rabbitmq.queued(QUEUE) == len(events), "nothing acknowledged: every event back in the queue"

    pg_cluster.start()
    try:
        assert Consumer(rabbitmq.url, sessions, lambda: NOW).run(lambda: False, drain=True) == len(events)
        assert rabbitmq.queued(QUEUE) == 0
        assert funnel(sessions, "store-down").contact_at == at(5)
    finally:
        engine.dispose()
