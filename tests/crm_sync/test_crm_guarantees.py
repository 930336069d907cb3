"""What every CRM target owes, run against the fake HubSpot, Pipedrive and Salesforce on
127.0.0.1 through the real worker and the real `leadbot sync`: no duplicate when a worker
dies after the CRM answered or when two workers run at once (on SQLite and PostgreSQL),
dead letters that show and can be retried, merged leads, and owners from the rep map."""
from __future__ import annotations

import signal
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

import bot.store.repository as repository
from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.pipeline import load_pipeline_settings
from bot.store.repository import add_event, delete_lead, save_lead
from bot.store.schema import CrmLink, Lead
from tests.crm_sync.crms import CASES, HUBSPOT, REP, CrmCase
from tests.crm_sync.fake_receiver import Fault
from tests.crm_sync.sync_helpers import cli, configure, for_a_crash, leadbot, seed, statuses, sync_until_idle, utcnow
from tests.store.builders import submission


@pytest.fixture(params=CASES, ids=str)
def case(request: pytest.FixtureRequest) -> CrmCase:
    return request.param


@pytest.fixture
def crm(case: CrmCase):
    with case.start() as fake:
        yield fake


@pytest.fixture
def env(tmp_path: Path, case: CrmCase, crm, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    return configure(tmp_path, monkeypatch, case.crm_yml(crm.url), case.secrets)


def links(sessions) -> list[tuple[int, str]]:
    with sessions() as s:
        return sorted(s.execute(select(CrmLink.lead_id, CrmLink.object_type)).tuples())


def test_a_worker_killed_after_the_crm_answered_creates_nothing_twice(case, crm, env, sessions) -> None:
    for_a_crash(env)
    seed(sessions, 1)
    crm.inject(*case.first_create)  # the CRM creates the object; its answer never reaches us
    worker = leadbot(env, "sync", wait=False)
    try:
        deadline = time.monotonic() + 60  # a hang guard, not a speed target
        while not case.created(crm) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert case.created(crm), "the worker created the first object"
        worker.kill()
    finally:
        worker.wait(10)
    assert links(sessions) == [], "the CRM has the object; our link to it was never written"
    crm.faults.clear()
    sync_until_idle(sessions)  # once the dead worker's lease has run out
    assert statuses(sessions) == Counter({"delivered": 2})
    assert len(case.records(crm)) == 1, "found again by its search (or external id), not created twice"


@pytest.mark.parametrize("case, backend", [*((c, "sqlite") for c in CASES),
                                           pytest.param(HUBSPOT, "postgresql", marks=pytest.mark.postgres)],
                         ids=lambda v: str(v))
def test_two_follow_workers_create_each_object_once(case, backend, crm, env, request) -> None:
    """On the test's SQLite file, and on PostgreSQL (with HubSpot: what PostgreSQL changes
    is the store's locking, not the CRM)."""
    database = env["LEADBOT_DATABASE_URL"]
    if backend == "postgresql":
        database = request.getfixturevalue("pg_database")
        upgrade(database)
    engine = make_engine(database)
    try:
        sessions = session_factory(engine)
        seed(sessions, 8)
        crm.inject(Fault("status", 503), Fault("apply_then_sleep", seconds=0.7), Fault("reset"))
        workers = [leadbot({**env, "LEADBOT_DATABASE_URL": database}, "sync", "--follow", "--worker-id", f"w{i}",
                           wait=False) for i in range(2)]
        try:
            deadline = time.monotonic() + 120  # a hang guard, not a speed target
            while statuses(sessions) != Counter({"delivered": 16}) and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            outputs = [worker.communicate(timeout=20) for worker in workers]
        assert [w.returncode for w in workers] == [0, 0], outputs
        assert statuses(sessions) == Counter({"delivered": 16})
        assert len(case.records(crm)) == 8
        assert sorted(case.lead_id(r) for r in case.records(crm).values()) == sorted(
            str(i) for i in {lead_id for lead_id, _ in links(sessions)})
    finally:
        engine.dispose()


def merge(sessions, source: int, target: int) -> None:
    """Fold lead `source` into `target` as the store did when a conversation without an e-mail
    gave another lead's (it now links them instead); a queue may still hold such `lead.merged`
    events, and a CRM must handle them."""
    with sessions.begin() as s:
        repository._merge(s, source=s.get(Lead, source), target=s.get(Lead, target), now=utcnow(),
                          pipeline=load_pipeline_settings())


def test_a_merged_lead_closes_its_record_and_erasure_reaches_it(case, crm, sessions) -> None:
    with sessions.begin() as s:
        anonymous = save_lead(s, submission("conv-m", email=None), now=utcnow()).lead_id
    with sessions.begin() as s:
        known = save_lead(s, submission("conv-b", email="sam@brightwell.example"), now=utcnow()).lead_id
    sync_until_idle(sessions)
    merge(sessions, anonymous, known)
    sync_until_idle(sessions)
    records = {case.lead_id(r): r for r in case.records(crm).values()}
    assert set(records) == {str(anonymous), str(known)}
    assert case.closed_as_merged(records[str(anonymous)]) and not case.closed_as_merged(records[str(known)])
    assert {lead_id for lead_id, _ in links(sessions)} == {known}, "the survivor holds every link"

    with sessions.begin() as s:
        delete_lead(s, known, now=utcnow())
    sync_until_idle(sessions)
    assert case.records(crm) == {}, "erasing the survivor erased what was merged into it"
    assert links(sessions) == []


def test_dead_letters_show_are_retried_and_a_merge_hands_the_record_over(case, crm, sessions) -> None:
    with sessions.begin() as s:
        anonymous = save_lead(s, submission("conv-m", email=None), now=utcnow()).lead_id
    sync_until_idle(sessions)
    crm.inject(Fault("status", 400, body={"message": "Property values were not valid: amount"}))
    with sessions.begin() as s:
        known = save_lead(s, submission("conv-b", email="sam@brightwell.example"), now=utcnow()).lead_id
    sync_until_idle(sessions)
    assert statuses(sessions)["dead"] == 1, "the known lead's creation was refused"
    assert statuses(sessions)["pending"] == 1, "its stage change waits for it"
    status = cli("sync", "status")
    assert "Property values were not valid: amount" in status.stdout

    merge(sessions, anonymous, known)  # while the known lead has nothing in the CRM
    sync_until_idle(sessions)
    assert "Queued 1 event(s) again." in cli("sync", "retry", "--all-dead").stdout
    sync_until_idle(sessions)
    assert set(statuses(sessions)) == {"delivered"}
    [record] = case.records(crm).values()
    assert case.lead_id(record) == str(known) and not case.closed_as_merged(record), "handed over, not duplicated"
    assert anonymous not in {lead_id for lead_id, _ in links(sessions)}


def test_owners_come_from_the_rep_map_and_unmapped_reps_are_skipped(case, crm, sessions) -> None:
    mapped, unmapped = seed(sessions, 2)
    sync_until_idle(sessions)
    with sessions.begin() as s:
        for lead_id, rep in ((mapped, REP), (unmapped, "new.rep@seller.example")):
            add_event(s, "lead.assigned", lead_id, {"rep_id": 1, "rep_email": rep, "rep_name": "Dana",
                                                    "rule": "round_robin", "reason": "next in turn"}, utcnow())
    sync_until_idle(sessions)
    assert set(statuses(sessions)) == {"delivered"}
    owners = {case.lead_id(r): case.owner(r) for r in case.records(crm).values()}
    assert owners == {str(mapped): case.owner_id, str(unmapped): None}
