"""Cards reach real receivers on 127.0.0.1 (aiosmtpd, HTTP), are retried through faults,
become visible dead letters when they cannot be sent, and are never sent by two senders."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.notify.settings import load_notify_settings
from bot.notify.worker import retry_dead, run_once
from bot.store.leases import claim
from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.schema import Lead, Notification
from tests.crm_sync.fake_receiver import Fault
from tests.notify.conftest import SECRET, add_rep, assign, only, realistic, save, seed, send_until_idle, statuses, utcnow, write_settings
from tests.notify.smtp_server import SmtpServer, free_port


def test_email_slack_and_signed_webhook_cards_arrive_once_each(sessions, smtp, slack, hook) -> None:
    ids = seed(sessions, 3, slack_webhook_env="SLACK_WEBHOOK_DANA", webhook_env="DANA_HOOK")
    send_until_idle(sessions)
    assert statuses(sessions) == Counter({"sent": 9})
    assert len(smtp.messages) == 3 and len(slack.requests) == 3 and len(hook.requests) == 3

    mail = smtp.messages[0]
    assert smtp.keep.recipients[0] == ["dana@seller.example"]
    assert mail["To"] == "dana@seller.example" and mail["From"] == "leadbot <bot@seller.example>"
    assert mail["Subject"] == "New qualified lead: Zoë Ørsted (Brightwell <Dental>) – score 82 A"
    assert mail["Date"] and mail["Auto-Submitted"] == "auto-generated"
    assert mail["Message-ID"].startswith("<leadbot-notification-") and mail.get_content_type() == "multipart/alternative"
    plain, page = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain.get_content_charset() == page.get_content_charset() == "utf-8"
    assert 'said: "around 2k a month"' in plain.get_content() and "<script>" in plain.get_content()
    assert "&lt;script&gt;" in page.get_content() and "<script>" not in page.get_content()
    assert sorted(int(m["X-Leadbot-Lead"]) for m in smtp.messages) == ids

    posted = json.loads(slack.requests[0]["body"])
    assert posted["text"].startswith("New qualified lead") and posted["blocks"][0]["type"] == "header"

    request = hook.requests[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Leadbot-Signature"] == expected
    assert request["headers"]["Idempotency-Key"].startswith("leadbot-notification-")
    card = json.loads(request["body"])
    assert card["type"] == "lead_card" and card["lead"]["email"] in {f"zoe{i}@brightwell{i}.example" for i in range(3)}
    assert card["link"] == f"https://crm.example/leads/{card['lead_id']}"
    with sessions() as s:
        assert all(n.sent_at and n.attempts == 1 and n.claimed_by is None for n in s.scalars(select(Notification)))


def test_http_faults_are_retried_until_the_card_arrives(sessions, slack) -> None:
    seed(sessions, 1, email=False, slack_webhook_env="SLACK_WEBHOOK_DANA")
    slack.inject(Fault("status", 500), Fault("sleep", seconds=1.0), Fault("status", 429, retry_after="1"),
                 Fault("reset"))
    send_until_idle(sessions)
    assert statuses(sessions) == Counter({"sent": 1})
    assert [r["fault"] for r in slack.requests] == ["status", "sleep", "status", "reset", None]
    # At least once: the receiver that answered too late (the sleep fault) did post the card;
    # Slack has no idempotency key, so a timed-out call can show the card twice.
    assert 1 <= len(slack.accepted) <= 2
    retry_after = slack.requests[3]["at"] - slack.requests[2]["at"]
    assert retry_after >= 0.95, "Retry-After honoured"
    assert only(sessions).attempts == 5 and only(sessions).last_error is None


def test_a_failure_is_kept_with_the_receivers_words_while_retrying(sessions, slack) -> None:
    seed(sessions, 1, email=False, slack_webhook_env="SLACK_WEBHOOK_DANA")
    slack.inject(Fault("status", 503, body={"message": "maintenance window"}))
    report = run_once(sessions, load_notify_settings(), now=utcnow, worker="w1")
    row = only(sessions)
    assert report.retrying == 1 and row.status == "pending" and row.attempts == 1
    assert "HTTP 503: maintenance window" in row.last_error
    assert "$SLACK_WEBHOOK_DANA" in row.last_error and "/hooks/leadbot" not in row.last_error, "the URL is a secret"


def test_a_refused_webhook_is_dead_at_once_and_never_shows_the_url(sessions, slack) -> None:
    seed(sessions, 1, email=False, slack_webhook_env="SLACK_WEBHOOK_DANA")
    slack.inject(Fault("status", 404, body={"message": "no_service"}))
    send_until_idle(sessions)
    row = only(sessions)
    assert row.status == "dead" and row.attempts == 1 and "HTTP 404: no_service" in row.last_error
    assert "/hooks/leadbot" not in row.last_error and "$SLACK_WEBHOOK_DANA" in row.last_error


def test_a_wrong_signing_secret_is_a_dead_letter(sessions, hook, monkeypatch) -> None:
    monkeypatch.setenv("CARD_SECRET", "not-the-receivers-secret")
    seed(sessions, 1, email=False, webhook_env="DANA_HOOK")
    send_until_idle(sessions)
    assert only(sessions).status == "dead" and "HTTP 401: bad signature" in only(sessions).last_error


def test_retries_end_in_a_dead_letter_after_max_attempts(sessions, slack) -> None:
    seed(sessions, 1, email=False, slack_webhook_env="SLACK_WEBHOOK_DANA")
    slack.inject(*[Fault("status", 502)] * 6)
    send_until_idle(sessions)
    row = only(sessions)
    assert row.status == "dead" and row.attempts == 6 and "HTTP 502" in row.last_error and len(slack.requests) == 6


@pytest.mark.parametrize("value, message", [
    (None, "set SLACK_WEBHOOK_NOBODY to the slack webhook URL for lead cards"),
    ("hooks.slack.com/services/T/B/X", "SLACK_WEBHOOK_NOBODY does not hold an http(s) URL"),
])
def test_an_unusable_webhook_variable_is_a_dead_letter(sessions, monkeypatch, value, message) -> None:
    if value is None:
        monkeypatch.delenv("SLACK_WEBHOOK_NOBODY", raising=False)
    else:
        monkeypatch.setenv("SLACK_WEBHOOK_NOBODY", value)
    seed(sessions, 1, email=False, slack_webhook_env="SLACK_WEBHOOK_NOBODY")
    report = run_once(sessions, load_notify_settings(), now=utcnow)
    assert report.dead == 1 and message in report.errors[0]
    assert only(sessions).status == "dead" and message in only(sessions).last_error


def test_smtp_down_then_up(sessions, env) -> None:
    port = free_port()
    path = Path(env["LEADBOT_SETTINGS_DIR"]) / "notifications.yml"
    path.write_text(path.read_text().replace(f"port: {load_notify_settings().smtp.port}", f"port: {port}"))
    seed(sessions, 1)
    run_once(sessions, load_notify_settings(), now=utcnow)
    row = only(sessions)
    assert row.status == "pending" and row.attempts == 1 and f"SMTP 127.0.0.1:{port}" in row.last_error
    with SmtpServer(port) as late:
        send_until_idle(sessions)
        assert len(late.messages) == 1
    assert statuses(sessions) == Counter({"sent": 1})


def test_a_temporary_smtp_refusal_is_retried(sessions, smtp) -> None:
    rep_id = add_rep(sessions, "Grey Rep", "grey@greylist.example")
    assign(sessions, save(sessions), rep_id)
    run_once(sessions, load_notify_settings(), now=utcnow)
    row = only(sessions)
    assert row.status == "pending" and "451" in row.last_error and "Greylisted" in row.last_error
    send_until_idle(sessions)
    assert only(sessions).status == "sent" and smtp.keep.recipients == [["grey@greylist.example"]]


def test_a_permanent_smtp_refusal_is_a_dead_letter_with_its_words(sessions, smtp) -> None:
    rep_id = add_rep(sessions, "Gone Rep", "nobody@refused.example")
    assign(sessions, save(sessions), rep_id)
    send_until_idle(sessions)
    row = only(sessions)
    assert row.status == "dead" and row.attempts == 1
    assert "nobody@refused.example refused: 550" in row.last_error and "User unknown" in row.last_error
    assert smtp.messages == []


def test_retry_dead_queues_the_card_again(sessions, monkeypatch, slack) -> None:
    seed(sessions, 1, email=False, slack_webhook_env="SLACK_WEBHOOK_LATER")
    send_until_idle(sessions)
    assert only(sessions).status == "dead"
    monkeypatch.setenv("SLACK_WEBHOOK_LATER", slack.url)
    with sessions.begin() as s:
        assert retry_dead(s, now=utcnow(), notification_id=only(sessions).id) == 1
    send_until_idle(sessions)
    assert only(sessions).status == "sent" and only(sessions).attempts == 1 and len(slack.accepted) == 1


def test_a_sender_that_dies_holding_a_card_leaves_it_to_the_next_once_the_lease_ends(sessions, smtp) -> None:
    seed(sessions, 1)
    settings = load_notify_settings()  # lease_seconds: 5
    at = utcnow()
    with sessions.begin() as s:  # claimed, then the sender dies
        assert claim(s, Notification, only(sessions).id, worker="dead-worker", now=at, lease=timedelta(seconds=5))
    assert run_once(sessions, settings, now=lambda: at + timedelta(seconds=1), worker="w2").handled == 0
    assert smtp.messages == []
    late = run_once(sessions, settings, now=lambda: at + timedelta(seconds=6), worker="w2")
    assert late.delivered == 1 and len(smtp.messages) == 1


def test_an_outcome_after_the_lease_ran_out_is_recorded_while_nobody_took_the_card(sessions, smtp) -> None:
    seed(sessions, 1)
    settings = load_notify_settings()
    at = utcnow()
    times = iter([at, at, at, at + timedelta(seconds=60)])  # digests, due, claim; the record long after
    report = run_once(sessions, settings, now=lambda: next(times), worker="slow")
    assert report.delivered == 1 and len(smtp.messages) == 1
    row = only(sessions)
    assert row.status == "sent" and row.attempts == 1 and row.claimed_by is None


def test_an_outcome_is_left_to_the_sender_that_took_the_card_over(sessions, smtp) -> None:
    seed(sessions, 1)
    settings = load_notify_settings()
    at = utcnow()

    def now_then_taken_over():  # digests, due, claim; while "slow" sends, its lease runs out and w2 claims
        yield at
        yield at
        yield at
        with sessions.begin() as s:
            assert claim(s, Notification, only(sessions).id, worker="w2", now=at + timedelta(seconds=60),
                         lease=timedelta(seconds=5))
        yield at + timedelta(seconds=61)

    times = now_then_taken_over()
    report = run_once(sessions, settings, now=lambda: next(times), worker="slow")
    assert report.lost_lease == 1 and report.delivered == 0
    row = only(sessions)
    assert row.status == "pending" and row.attempts == 0 and row.claimed_by == "w2"


def _two_senders(sessions, cards: int) -> None:
    settings = load_notify_settings()
    start = threading.Barrier(2)

    def sender(name: str) -> None:
        start.wait()
        for _ in range(8):
            run_once(sessions, settings, now=utcnow, worker=name)

    threads = [threading.Thread(target=sender, args=(f"sender-{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    send_until_idle(sessions)
    assert statuses(sessions) == Counter({"sent": cards})


def test_two_senders_never_send_one_card_twice(sessions, smtp, slack) -> None:
    seed(sessions, 8, slack_webhook_env="SLACK_WEBHOOK_DANA")
    slack.latency = 0.05
    _two_senders(sessions, 16)
    assert len(smtp.messages) == 8 and len(slack.requests) == 8
    assert len({m["Message-ID"] for m in smtp.messages}) == 8


def test_two_senders_and_a_slow_receiver_send_each_card_once_with_leases_shorter_than_a_round(
        sessions, env, smtp, slack) -> None:
    """A round of 10 Slack cards at 150 ms each takes 1.5 s; a lease is 1 s but covers one card."""
    write_settings(Path(env["LEADBOT_SETTINGS_DIR"]), smtp.port, lease_seconds="1")
    seed(sessions, 10, email=False, slack_webhook_env="SLACK_WEBHOOK_DANA")
    slack.latency = 0.15
    _two_senders(sessions, 10)
    assert len(slack.requests) == 10, "no card went twice"


@pytest.mark.postgres
def test_two_senders_never_send_one_card_twice_on_postgresql(env, pg_database, smtp, slack, monkeypatch) -> None:
    monkeypatch.setenv("LEADBOT_DATABASE_URL", pg_database)
    upgrade(pg_database)
    engine = make_engine(pg_database)
    try:
        sessions = session_factory(engine)
        seed(sessions, 6, slack_webhook_env="SLACK_WEBHOOK_DANA")
        slack.latency = 0.05
        _two_senders(sessions, 12)
        assert len(smtp.messages) == 6 and len(slack.requests) == 6
    finally:
        engine.dispose()


def test_cards_render_the_lead_as_it_is_when_sent(sessions, smtp) -> None:
    [lead_id] = seed(sessions, 1)
    with sessions.begin() as s:
        s.get(Lead, lead_id).company = "Brightwell Group"
    send_until_idle(sessions)
    assert "(Brightwell Group)" in smtp.messages[0]["Subject"]


def test_a_deleted_lead_takes_its_cards_with_it(sessions, smtp) -> None:
    [lead_id] = seed(sessions, 1)
    with sessions.begin() as s:
        s.delete(s.get(Lead, lead_id))
    assert run_once(sessions, load_notify_settings(), now=utcnow).handled == 0
    assert statuses(sessions) == Counter() and smtp.messages == []


def test_realistic_is_saved_with_its_transcript(sessions) -> None:  # guards the fixture itself
    lead_id = save(sessions, realistic(transcript=2))
    with sessions() as s:
        assert [t["text"] for t in s.get(Lead, lead_id).transcript] == ["message 0 <!channel> ✓",
                                                                        "message 1 <!channel> ✓"]


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # plain AUTH on loopback is fine
def test_smtp_login_with_the_password_from_the_environment(sessions, env, monkeypatch) -> None:
    with SmtpServer(login=("leadbot", "s3cret")) as server:
        path = Path(env["LEADBOT_SETTINGS_DIR"]) / "notifications.yml"
        settings = path.read_text().replace(f"port: {load_notify_settings().smtp.port}", f"port: {server.port}")
        path.write_text(settings.replace("timeout_seconds: 2,", "timeout_seconds: 2, username: leadbot,"))
        monkeypatch.delenv("LEADBOT_SMTP_PASSWORD", raising=False)
        seed(sessions, 1)
        send_until_idle(sessions)
        row = only(sessions)
        assert row.status == "dead" and "set LEADBOT_SMTP_PASSWORD to the SMTP password" in row.last_error
        monkeypatch.setenv("LEADBOT_SMTP_PASSWORD", "wrong")
        with sessions.begin() as s:
            retry_dead(s, now=utcnow())
        send_until_idle(sessions)
        assert "535" in only(sessions).last_error and only(sessions).status == "dead"
        monkeypatch.setenv("LEADBOT_SMTP_PASSWORD", "s3cret")
        with sessions.begin() as s:
            retry_dead(s, now=utcnow())
        send_until_idle(sessions)
        assert only(sessions).status == "sent" and server.logins == ["leadbot"] and len(server.messages) == 1


def _claimed_by(sessions, worker: str) -> bool:
    with sessions() as s:  # a transaction per look: SQLite's BEGIN IMMEDIATE would hold the senders up
        return s.scalar(select(Notification.id).where(Notification.claimed_by == worker)) is not None


def test_two_senders_and_a_receiver_slower_than_a_lease_send_each_card_once(sessions, env, smtp, slack) -> None:
    """Slack answers in 2 s, a lease is 1 s; the second sender starts while the first is still
    waiting for its first card's answer, past that card's first lease: the first renews its
    lease while it waits, so the second never sends that card again."""
    write_settings(Path(env["LEADBOT_SETTINGS_DIR"]), smtp.port, lease_seconds="1", timeout_seconds="10")
    seed(sessions, 3, email=False, slack_webhook_env="SLACK_WEBHOOK_DANA")
    slack.latency = 2.0
    settings = load_notify_settings()

    def sender(name: str, after: threading.Event | None) -> None:
        if after is not None:
            after.wait(20)
        for _ in range(4):
            run_once(sessions, settings, now=utcnow, worker=name)

    sending = threading.Event()
    threads = [threading.Thread(target=sender, args=("sender-0", None)),
               threading.Thread(target=sender, args=("sender-1", sending))]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while not _claimed_by(sessions, "sender-0"):
        assert time.monotonic() < deadline, "the first sender claimed nothing"
        time.sleep(0.01)
    time.sleep(1.2)  # past the first lease; Slack answers the first card at 2 s
    sending.set()
    for t in threads:
        t.join()
    send_until_idle(sessions)
    assert statuses(sessions) == Counter({"sent": 3})
    assert len(slack.requests) == 3, "no card went twice"
