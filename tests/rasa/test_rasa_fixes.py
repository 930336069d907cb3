"""rasa_addons speed fixes: each gives Rasa's own answers (action results, event types, endpoint sessions).

Runs inside the Rasa environment (a subprocess), where the code runs in production.
"""
from __future__ import annotations

import json
import os
import subprocess

from tests.e2e.servers import ROOT

RASA_PYTHON = ROOT / ".venvs" / "rasa" / "bin" / "python"

# Responses an action server could send: valid ones and every kind of malformed one.
# Valid events of every kind (the fast path takes them), then events each wrong in one way.
VALID = [
    {"events": [], "responses": []},
    {},
    {"events": [{"event": "slot", "name": "need", "value": "lead qualification"}]},
    {"events": [{"event": "slot", "name": "budget", "value": {"amount": 50000, "currency": "EUR"}}],
     "responses": [{"response": "utter_ask_budget"}, {"text": "Hello <b>ü</b> 👋"}]},
    {"events": [{"event": "active_loop", "name": None}, {"event": "pause"}, {"event": "resume"}]},
    {"events": [{"event": "followup", "name": "action_listen"}]},
    {"events": [{"event": "user", "text": "hi", "timestamp": 1.5, "metadata": {"a": 1}, "input_channel": None,
                 "parse_data": {"intent": {"name": "greet", "confidence": 0.9},
                                "intent_ranking": [{"name": "greet", "confidence": 0.9}],
                                "entities": [{"entity": "e", "value": 1, "start": 0, "end": 2, "role": None}]}},
                {"event": "action", "name": "action_listen", "policy": None, "confidence": 1, "hide_rule_turn": False},
                {"event": "bot", "text": "hello", "data": {"buttons": []}},
                {"event": "entities", "entities": []},
                {"event": "session_started", "timestamp": None},
                {"event": "reset_slots"}, {"event": "restart"}, {"event": "undo"}, {"event": "rewind"},
                {"event": "user_featurization", "use_text_for_featurization": False},
                {"event": "reminder", "intent": "x"}, {"event": "cancel_reminder"},
                {"event": "action_execution_rejected", "name": "a"}, {"event": "form_validation", "validate": True},
                {"event": "loop_interrupted", "is_interrupted": True}, {"event": "form", "name": None},
                {"event": "export"}, {"event": "agent", "text": "x"}, {"event": "slot", "name": "n", "value": None}]},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"no_event_key": 1}]},
    {"events": [{"event": "slot", "name": 3}]},
    {"responses": "text"},
    {"responses": [1, 2]},
    [],
    "a string",
    {"events": [{"event": "no_such_event"}]},
    {"events": None},
    {"events": [{"event": "slot", "name": "need", "value": 1}, "not an event"]},
    {"events": [{"event": 5}]},
    {"events": [{"event": "user", "text": 3}]},
    {"events": [{"event": "user", "parse_data": {"intent": {"name": 1}}}]},
    {"events": [{"event": "user", "parse_data": {"entities": [{"entity": "e"}]}}]},
    {"events": [{"event": "action", "name": "a", "hide_rule_turn": "no"}]},
    {"events": [{"event": "slot", "name": "need", "value": 1, "timestamp": "noon"}]},
    {"events": [{"event": "pause", "metadata": []}]},
    {"events": [{"event": "entities"}]},
    {"events": [{"event": "slot", "value": 1}]},
]
RESPONSES = VALID + INVALID

SCRIPT = r"""
import json, sys
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

stock = RemoteAction._validate_action_result
import rasa_addons  # installs the fix
from rasa_addons.action_results import plainly_valid, validate_action_result
assert RemoteAction._validate_action_result is validate_action_result, "fix not installed"

def verdict(fn, response):
    try:
        return {"ok": fn(RemoteAction("a", None), response)}
    except ValidationError as e:
        return {"ok": False, "message": e.message, "path": list(e.path)}

out = []
for response in json.loads(sys.stdin.read()):
    out.append([verdict(stock, response), verdict(validate_action_result, response), plainly_valid(response)])
print(json.dumps(out))
"""


def test_fixed_validation_gives_rasas_verdicts_and_messages():
    done = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT], cwd=ROOT, input=json.dumps(RESPONSES),
                          capture_output=True, text=True, timeout=120, check=True)
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(results) == len(RESPONSES)
    for response, (stock, ours, _) in zip(RESPONSES, results):
        assert ours == stock, response
    oks = [stock["ok"] for stock, _, _ in results]
    assert oks == [True] * len(VALID) + [False] * len(INVALID)
    assert all("Failed to validate Action server response" in s["message"] for s, _, _ in results[len(VALID):])
    # every valid response took the fast path (one kind's schema per event), no invalid one did
    assert [fast for _, _, fast in results] == oks


EVENT_TYPES_SCRIPT = r"""
import json
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses
stock = Event.resolve_by_type
import rasa_addons  # installs the fix
assert Event.resolve_by_type is not stock, "fix not installed"

def outcome(fn, name, default=None):
    try:
        cls = fn(name, default)
        return cls.__name__ if cls else None
    except ValueError as e:
        return "ValueError: " + str(e)

names = sorted({c.type_name for c in all_subclasses(Event)}) + ["topic", "no_such_event", ""]
print(json.dumps([[n, outcome(stock, n), outcome(Event.resolve_by_type, n),
                   outcome(Event.resolve_by_type, n, Event)] for n in names]))
"""


def test_event_lookup_table_gives_rasas_classes_and_errors():
    done = subprocess.run([str(RASA_PYTHON), "-c", EVENT_TYPES_SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    rows = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(rows) > 20
    for name, stock, ours, _ in rows:
        assert ours == stock, name
    by_name = {name: (ours, with_default) for name, _, ours, with_default in rows}
    assert by_name["slot"][0] == "SlotSet" and by_name["user"][0] == "UserUttered"
    assert by_name["no_such_event"] == ("ValueError: Unknown event name 'no_such_event'.", "Event")
    assert by_name["topic"][0] is None


SESSIONS_SCRIPT = r"""
import asyncio, json
from aiohttp import web
import rasa_addons  # installs the fix
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

seen = []

async def handle(request):
    seen.append({"peer": request.transport.get_extra_info("peername")[1],
                 "auth": request.headers.get("Authorization"), "x": request.headers.get("X-Leadbot"),
                 "token": request.query.get("token")})
    if request.path == "/fail":
        return web.json_response({"error": "nope"}, status=500)
    return web.json_response({"echo": await request.json()})

async def main():
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook", headers={"X-Leadbot": "1"},
                              basic_auth={"username": "u", "password": "p"}, token="t0k")
    answers = [await endpoint.request(json={"n": i}, method="post") for i in range(5)]
    try:
        await endpoint.request(json={}, method="post", subpath="../fail")
        failed = None
    except ClientResponseError as e:
        failed = e.status
    other = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
    await other.request(json={"n": 9}, method="post")
    await runner.cleanup()
    print(json.dumps({"answers": answers, "failed": failed, "seen": seen}))

asyncio.run(main())
"""


def test_endpoint_calls_reuse_one_connection_with_rasas_settings():
    done = subprocess.run([str(RASA_PYTHON), "-c", SESSIONS_SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["answers"] == [{"echo": {"n": i}} for i in range(5)]
    assert out["failed"] == 500, "an error status still raises as in Rasa"
    mine, other = out["seen"][:6], out["seen"][6]
    assert len({r["peer"] for r in mine}) == 1, "one kept-alive connection for the endpoint"
    assert all(r["auth"] == "Basic dTpw" and r["x"] == "1" and r["token"] == "t0k" for r in mine)
    assert other["auth"] is None and other["x"] is None, "each endpoint keeps its own settings"


LOCK_SCRIPT = r"""
import asyncio, json, sys
from multiprocessing import Barrier, Process, Queue
import redis
from rasa_addons.lock_store import AtomicRedisLockStore

PORT = int(sys.argv[1])

def take_tickets(barrier, out):
    store = AtomicRedisLockStore(host="127.0.0.1", port=PORT, db=0)
    barrier.wait()
    out.put([store.issue_ticket("tickets") for _ in range(25)])

async def add_one_under_lock(store, red):
    async with store.lock("counter", wait_time_in_seconds=0.01):
        value = int(red.get("count") or 0)   # read, wait, write: only safe under the lock
        await asyncio.sleep(0.005)
        red.set("count", value + 1)

def increments(barrier):
    store = AtomicRedisLockStore(host="127.0.0.1", port=PORT, db=0)
    red = redis.StrictRedis(host="127.0.0.1", port=PORT, db=0)
    barrier.wait()
    async def run():
        await asyncio.gather(*(add_one_under_lock(store, red) for _ in range(10)))
    asyncio.run(run())

if __name__ == "__main__":
    out, barrier = Queue(), Barrier(6)
    procs = [Process(target=take_tickets, args=(barrier, out)) for _ in range(6)]
    for p in procs: p.start()
    tickets = [t for _ in procs for t in out.get()]
    for p in procs: p.join()
    barrier = Barrier(4)
    procs = [Process(target=increments, args=(barrier,)) for _ in range(4)]
    for p in procs: p.start()
    for p in procs: p.join()
    red = redis.StrictRedis(host="127.0.0.1", port=PORT, db=0)
    print(json.dumps({"tickets": tickets, "count": int(red.get("count")),
                      "lock_left": red.exists("lock:counter")}))
"""


def test_redis_lock_store_gives_every_process_its_own_ticket_and_turn(tmp_path):
    import shutil

    import pytest

    from tests.e2e.servers import RedisServer
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (scripts/test-deps.sh installs it)")
    redis_server = RedisServer(tmp_path / "redis")
    try:
        script = tmp_path / "locks.py"
        script.write_text(LOCK_SCRIPT)
        done = subprocess.run([str(RASA_PYTHON), str(script), str(redis_server.port)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == 0, done.stderr[-3000:]
        out = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        redis_server.stop()
    assert sorted(out["tickets"]) == list(range(150)), "6 processes x 25 tickets, none given twice"
    assert out["count"] == 40, "4 processes x 10 increments under the lock, none lost"
    assert out["lock_left"] == 0, "the lock is deleted when nobody waits"


DEAD_HOLDER_SCRIPT = r"""
import asyncio, json, os, signal, sys, time
from multiprocessing import Process
import redis
from rasa_addons.lock_store import AtomicRedisLockStore

PORT = int(sys.argv[1])
STORE = dict(host="127.0.0.1", port=PORT, db=0, alive_seconds=1)

def holder_that_dies():
    store = AtomicRedisLockStore(**STORE)
    store.issue_ticket("dead-holder", lock_lifetime=600)   # takes the lock, never gives it back
    os.kill(os.getpid(), signal.SIGKILL)                   # as the OOM killer would

def holder_that_lives():
    store = AtomicRedisLockStore(**STORE)
    red = redis.StrictRedis(host="127.0.0.1", port=PORT, db=0)
    async def hold():
        async with store.lock("live-holder", lock_lifetime=600):
            red.set("holding", 1)
            await asyncio.sleep(3 * store.alive_seconds)   # alive and busy, longer than `alive_seconds`
            red.set("released", 1)
    asyncio.run(hold())

async def waiter(conversation):
    store = AtomicRedisLockStore(**STORE)
    async with store.lock(conversation, lock_lifetime=600, wait_time_in_seconds=0.1):
        return True

if __name__ == "__main__":
    red = redis.StrictRedis(host="127.0.0.1", port=PORT, db=0)
    dies = Process(target=holder_that_dies); dies.start(); dies.join()
    got_dead = asyncio.run(asyncio.wait_for(waiter("dead-holder"), 60))   # the ticket's own life is 600 s
    lives = Process(target=holder_that_lives); lives.start()
    while not red.exists("holding"):
        time.sleep(0.01)
    asyncio.run(asyncio.wait_for(waiter("live-holder"), 60))
    released_first = bool(red.exists("released"))
    lives.join()
    print(json.dumps({"got_dead": got_dead, "released_first": released_first,
                      "left": sorted(k.decode() for k in red.keys("lock:*"))}))
"""


def test_a_process_that_dies_holding_a_lock_does_not_hold_its_conversation_until_the_ticket_expires(tmp_path):
    """Behind a balancer, a message whose process was killed mid-turn is sent to another
    process; it must not wait out the dead process's ticket (bench/README.md, scale.py)."""
    import shutil

    import pytest

    from tests.e2e.servers import RedisServer
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (scripts/test-deps.sh installs it)")
    redis_server = RedisServer(tmp_path / "redis")
    try:
        script = tmp_path / "dead_holder.py"
        script.write_text(DEAD_HOLDER_SCRIPT)
        done = subprocess.run([str(RASA_PYTHON), str(script), str(redis_server.port)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == 0, done.stderr[-3000:]
        out = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        redis_server.stop()
    assert out["got_dead"], "the dead process's ticket was dropped long before its 600 s ran out"
    assert out["released_first"], "a live process keeps its lock however long its turn takes"
    assert out["left"] == [], "no lock left behind"
