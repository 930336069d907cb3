"""`scripts/run-scaled.sh 2` (`make run-scaled N=2`) as a user starts it: two Rasa processes and
two action servers behind HAProxy, PostgreSQL, Redis, RabbitMQ and two event consumers, two sync
workers, two card senders and the dashboard, under supervisord. A Rasa process is killed
(SIGKILL) mid-conversation, once under a REST visitor and once under a socket.io one on a
WebSocket; each conversation goes on through the other process with nothing lost or answered
twice, and its events reach the funnel and the analytics through RabbitMQ, each once.

The real script, the real trained model, real processes really killed.
"""
from __future__ import annotations

import json
import queue
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
import requests
import socketio
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from bot.funnel import conversation_key
from bot.store.schema import ConversationEvent, ConversationFunnel

from tests.conftest import NOW
from tests.e2e.scaled import Stack, kill, running_stack, scrape, user_messages
from tests.e2e.servers import ROOT, wait_until
from tests.e2e.test_conversations import ASKS, asked, stored
from tests.e2e.test_scale_out import SCRIPT

pytestmark = [pytest.mark.rasa, pytest.mark.postgres, pytest.mark.slow]  # about two minutes
SCALE = 2


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(SCALE, tmp_path_factory.mktemp("scaled"), {"LEADBOT_NOW": NOW}) as running:
        yield running


def test_a_rasa_process_killed_mid_conversation_the_other_carries_it_on(stack: Stack):
    sender, email = f"failover-{uuid.uuid4().hex[:8]}", "sam.ortiz@brightwell.example"
    script = [*SCRIPT, email]
    before = stack.served()
    questions = [asked(stack.say(sender, message)) for message in script[:4]]
    middle = stack.served()
    # the process that answered this conversation is killed (round robin normally used both; a
    # health check that missed a beat on a loaded machine may have left one out for a moment)
    used = [f"rasa-{i}" for i in (1, 2) if middle.get(f"rasa-{i}", 0) > before.get(f"rasa-{i}", 0)]
    assert used, "the balancer answered the conversation"
    victim = used[0]
    survivor = "rasa-2" if victim == "rasa-1" else "rasa-1"

    killed = kill(stack, victim)
    questions += [asked(stack.say(sender, message)) for message in script[4:]]
    after = stack.served()

    assert questions == [["need"], ["timeline"], ["authority"], ["budget"], ["name"], ["company"], ["email"], []]
    assert after[survivor] - middle.get(survivor, 0) >= 1, "the living process carried the conversation on"
    assert user_messages(stack, sender) == script, "every message stored once, in order"
    lead = stored(SimpleNamespace(database_url=stack.database_url), email)
    assert lead["conversation_id"] == sender and lead["company"] == "Brightwell Dental"
    assert lead["budget"]["min"] == 20000 and lead["authority"]["level"] == "decision_maker"
    wait_until(lambda: stack.pid(f"leadbot:{victim}") not in (0, killed) and stack.both_up(), 180,
               f"{victim} started again by supervisord", stack.proc, stack.log)
    # Its events reached the funnel and the analytics through RabbitMQ and the two consumers, each
    # once, those the killed process had spooled too (sent when supervisord started it again).
    expected = Counter(tracker_events(stack, sender))
    wait_until(lambda: len(analytics(stack, sender)) >= sum(expected.values()), 60, "the streamed events")
    assert Counter(analytics(stack, sender)) == expected
    funnel = stack_funnel(stack, sender)
    assert funnel is not None and funnel.qualified_at is not None and funnel.lead_id == lead["id"]
    consumed = [scrape(stack.base + 90 + i) for i in (1, 2)]
    assert sum(v for page in consumed for (name, _), v in page.items() if name == "leadbot_events_consumed_total") \
        >= sum(expected.values())


def tracker_events(stack: Stack, sender: str) -> list[tuple[str, datetime]]:
    engine = create_engine(stack.database_url.rsplit("/", 1)[0] + "/rasa_tracker")
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT type_name, timestamp FROM events WHERE sender_id = :s"), {"s": sender})
            return [(kind, datetime.fromtimestamp(at, tz=timezone.utc)) for kind, at in rows]
    finally:
        engine.dispose()


def _rows(stack: Stack, model, sender: str) -> list:
    engine = create_engine(stack.database_url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(model).where(model.conversation_key == conversation_key(sender))))
    finally:
        engine.dispose()


def analytics(stack: Stack, sender: str) -> list[tuple[str, datetime]]:
    return [(row.kind, row.at) for row in _rows(stack, ConversationEvent, sender)]


def stack_funnel(stack: Stack, sender: str) -> ConversationFunnel | None:
    rows = _rows(stack, ConversationFunnel, sender)
    return rows[0] if rows else None


def _socket(stack: Stack, cookie: str | None, replies: queue.Queue) -> tuple[socketio.Client, str]:
    client = socketio.Client(reconnection=False, http_session=requests.Session())
    if cookie:
        client.eio.http.cookies.set("leadbot_rasa", cookie)
    confirmed: queue.Queue = queue.Queue()
    client.on("bot_uttered", lambda data: replies.put(data))
    client.on("session_confirm", lambda data: confirmed.put(data))
    # polling first, then the upgrade to a WebSocket: every request of the session on one process
    client.connect(stack.url, socketio_path="/socket.io", transports=["polling", "websocket"], wait_timeout=20)
    return client, confirmed  # type: ignore[return-value]


def _pinned(client: socketio.Client) -> set[str]:
    """The processes the client's balancer cookies name."""
    return {cookie.value for cookie in client.eio.http.cookies if cookie.name == "leadbot_rasa"}


def _until_asked(replies: queue.Queue, question: str) -> list[str]:
    texts = []
    while not any(ASKS[question] in t for t in texts):
        texts.append(replies.get(timeout=60).get("text", ""))
    return texts


def test_a_socketio_visitor_on_a_websocket_moves_to_the_other_process_when_its_own_dies(stack: Stack):
    wait_until(stack.both_up, 180, "both Rasa processes", stack.proc, stack.log)
    replies: queue.Queue = queue.Queue()
    client, confirmed = _socket(stack, None, replies)
    try:
        client.emit("session_request", {})
        session_id = confirmed.get(timeout=20)
        wait_until(lambda: client.transport() == "websocket", 20, "the WebSocket upgrade")
        [process] = _pinned(client)
        assert process in {f"rasa-{i}" for i in range(1, SCALE + 1)}, "HAProxy pinned the session by cookie"
        client.emit("user_uttered", {"message": "hi", "session_id": session_id})
        _until_asked(replies, "need")
        client.emit("user_uttered", {"message": SCRIPT[1], "session_id": session_id})
        _until_asked(replies, "timeline")
    finally:
        client.disconnect()

    kill(stack, process)  # the process the session was pinned to
    replies = queue.Queue()
    client, confirmed = _socket(stack, process, replies)  # the browser still has the cookie
    try:
        client.emit("session_request", {"session_id": session_id})  # the widget keeps its session id
        assert confirmed.get(timeout=20) == session_id
        assert _pinned(client) - {process}, "HAProxy moved the session to a living process"
        client.emit("user_uttered", {"message": SCRIPT[2], "session_id": session_id})
        texts = _until_asked(replies, "authority")
        assert not any(ASKS["timeline"] in t for t in texts), "the answered question is not asked again"
    finally:
        client.disconnect()
    assert user_messages(stack, session_id) == ["hi", SCRIPT[1], SCRIPT[2]]


def test_every_process_serves_metrics_and_the_grafana_dashboard_reads_only_those(stack: Stack):
    base = stack.base
    endpoints = {"actions": [base + 20 + i for i in range(1, SCALE + 1)], "sync": [base + 61, base + 62],
                 "notify": [base + 71, base + 72], "nurture": [base + 81, base + 82],
                 "events": [base + 91, base + 92], "dashboard": [base + 51], "haproxy": [base + 50]}
    served: set[str] = set()
    for kind, ports in endpoints.items():
        for port in ports:
            page = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
            family = {"actions": "leadbot_action_seconds", "haproxy": "haproxy_server_status"}.get(
                kind, "leadbot_queue_pending")
            assert f"# TYPE {family} " in page, f"{kind} on {port}"
            served |= _names(page)
    assert scrape(base + 51)[("leadbot_store_up", ())] == 1

    dashboard = json.loads((ROOT / "deploy" / "grafana" / "leadbot.json").read_text())
    used = {name for panel in dashboard["panels"] for target in panel["targets"]
            for name in re.findall(r"\b(?:leadbot|haproxy)_[a-z_]+", target["expr"])}
    assert used and used <= served, f"not served: {sorted(used - served)}"


def _names(page: str) -> set[str]:
    """Every series name a page can have: each family's, with its type's suffixes."""
    names = set()
    for line in page.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split()[:4]
            suffixes = {"counter": ["_total"], "histogram": ["_bucket", "_count", "_sum"]}.get(kind, [""])
            names |= {name + suffix for suffix in suffixes} | {name}
    return names
