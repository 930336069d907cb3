"""Lead cards reach reps: rendered faithfully, sent over real SMTP and HTTP on 127.0.0.1,
retried through faults, and never silent when they cannot be sent."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.answers import Authority, Budget, Contact, Need, Qualification, Timeline
from bot.assignment.assign import assign_if_due
from bot.assignment.reps import RepChanges, add_rep
from bot.leads import TranscriptLine
from bot.notify.card import build_card, render_html, render_slack, render_text
from bot.notify.settings import load_notify_settings
from bot.notify.worker import run_once
from bot.settings import PROJECT_ROOT
from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.repository import save_lead
from bot.store.schema import Lead, Notification
from tests.crm_sync.fake_receiver import Fault, FakeReceiver
from tests.notify.smtp_server import SmtpServer, free_port
from tests.store.builders import NOW, submission

SCRIPT = Path(sys.executable).with_name("leadbot")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def slack():
    with FakeReceiver(None) as receiver:
        yield receiver


@pytest.fixture
def env(tmp_path: Path, smtp: SmtpServer, slack: FakeReceiver, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "notifications.yml").write_text(
        f"lead_url: 'https://crm.example/leads/{{lead_id}}'\ntranscript_lines: 5\ntimeout_seconds: 0.5\n"
        f"lease_seconds: 1\npoll_seconds: 0.1\nsmtp: {{host: 127.0.0.1, port: {smtp.port}, timeout_seconds: 2,"
        f" sender: 'leadbot <bot@seller.example>'}}\n"
        f"retry: {{base_seconds: 0.05, max_seconds: 0.2, jitter: 0.2, max_attempts: 6}}\n")
    values = {"LEADBOT_SETTINGS_DIR": str(settings), "SLACK_WEBHOOK_DANA": slack.url,
              "LEADBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'leadbot.db'}",
              "LEADBOT_DATA_DIR": str(tmp_path / "data")}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("LEADBOT_NOW", raising=False)
    upgrade(values["LEADBOT_DATABASE_URL"])
    return values


@pytest.fixture
def sessions(env):
    engine = make_engine(env["LEADBOT_DATABASE_URL"])
    yield session_factory(engine)
    engine.dispose()


def realistic(conversation_id: str = "conv-1", email: str = "zoe@brightwell.example", transcript: int = 3):
    q = Qualification(
        need=Need("We need a chatbot to <b>book</b> consultations & follow-ups", "specific", "booking"),
        budget=Budget("stated", "around 2k a month", 2000, 2000, "EUR", "monthly"),
        authority=Authority("shared", "me and our CFO <script>alert(1)</script>", "Head of Ops"),
        timeline=Timeline("stated", "next quarter", "2027-03-31", 4.3),
        contact=Contact("Zoë Ørsted", email, "Brightwell <Dental>"),
    )
    sub = submission(conversation_id, qualification=q)
    lines = tuple(TranscriptLine("user" if i % 2 else "bot", f"message {i} <!channel> ✓", NOW - timedelta(minutes=60 - i))
                  for i in range(transcript))
    return type(sub)(**{**sub.__dict__, "transcript": lines})


def seed(sessions, count: int = 1, *, slack_env: str | None = "SLACK_WEBHOOK_DANA", email: bool = True) -> list[int]:
    with sessions.begin() as s:
        add_rep(s, "Dana Ruiz", "dana@seller.example", now=NOW,
                changes=RepChanges(notify={"email": email, "slack_webhook_env": slack_env}))
    ids = []
    for i in range(count):
        with sessions.begin() as s:
            lead_id = save_lead(s, realistic(f"conv-{i}", f"zoe{i}@brightwell{i}.example"), now=NOW).lead_id
            assign_if_due(s, lead_id, now=utcnow())
            ids.append(lead_id)
    return ids


def send_until_idle(sessions, rounds: int = 80) -> None:
    settings = load_notify_settings()
    for _ in range(rounds):
        run_once(sessions, settings, now=utcnow)
        with sessions() as s:
            if not s.scalars(select(Notification).where(Notification.status == "pending")).first():
                return
        time.sleep(0.05)
    raise AssertionError("cards still pending")


def statuses(sessions) -> Counter:
    with sessions() as s:
        return Counter(s.scalars(select(Notification.status)))


def leadbot(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot.cli"]
    return subprocess.run([*command, *args], env={**os.environ, **env}, cwd=PROJECT_ROOT, capture_output=True,
                          text=True, encoding="utf-8", timeout=60)


# --- the card ----------------------------------------------------------------------------


def test_the_card_has_everything_a_rep_needs(sessions) -> None:
    [lead_id] = seed(sessions)
    settings = load_notify_settings()
    with sessions() as s:
        card = build_card(s.get(Lead, lead_id), reason="qualified", link=settings.link(lead_id), transcript_lines=5)
    text = render_text(card)
    assert text.startswith("New qualified lead: Zoë Ørsted (Brightwell <Dental>) – score 82 A")
    for expected in ("zoe0@brightwell0.example", f"https://crm.example/leads/{lead_id}",
                     '2,000 EUR a month (said: "around 2k a month")',
                     'shares the decision, Head of Ops (said: "me and our CFO <script>alert(1)</script>")',
                     'by 2027-03-31, in about 4.2 months (said: "next quarter")',
                     "book</b> consultations", "need: 20/20", "Why you: Rule round_robin", "Visitor: message 1"):
        assert expected in text, expected


def test_html_and_slack_show_what_visitors_typed_as_text(sessions) -> None:
    [lead_id] = seed(sessions)
    with sessions() as s:
        card = build_card(s.get(Lead, lead_id), reason="human_requested", link="https://x/1", transcript_lines=5)
    page = render_html(card)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Brightwell &lt;Dental&gt;" in page and "<b>book</b>" not in page
    slack = json.dumps(render_slack(card))
    assert "<!channel>" not in slack and "&lt;!channel&gt;" in slack
    assert render_slack(card)["text"].startswith("Wants to talk to a person")


def test_long_conversations_are_cut_with_a_note_and_within_slack_limits(sessions) -> None:
    with sessions.begin() as s:
        lead_id = save_lead(s, realistic(transcript=400), now=NOW).lead_id
    with sessions() as s:
        lead = s.get(Lead, lead_id)
        short = build_card(lead, reason="qualified", link="https://x/1", transcript_lines=5)
        long = build_card(lead, reason="qualified", link="https://x/1", transcript_lines=400)
    assert len(short.transcript) == 5 and short.transcript_note == "first 395 lines not shown"
    assert "message 399" in render_text(short) and "message 394" not in render_text(short)
    payload = render_slack(long)
    assert len(payload["blocks"]) <= 50
    for block in payload["blocks"]:
        if "text" in block and block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000


# --- delivery ----------------------------------------------------------------------------


def test_email_and_slack_cards_arrive_once_each(sessions, smtp: SmtpServer, slack: FakeReceiver) -> None:
    ids = seed(sessions, 3)
    send_until_idle(sessions)
    assert statuses(sessions) == Counter({"sent": 6})
    assert len(smtp.messages) == 3 and len(slack.accepted) == 3
    mail = smtp.messages[0]
    assert mail["To"] == "dana@seller.example" and mail["From"] == "leadbot <bot@seller.example>"
    assert mail["Subject"].startswith("New qualified lead: Zoë Ørsted")
    plain = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "around 2k a month" in plain and "&lt;script&gt;" in html
    assert sorted(int(m["X-Leadbot-Lead"]) for m in smtp.messages) == ids
    body = next(iter(slack.accepted.values()))
    assert body["text"].startswith("New qualified lead") and body["blocks"][0]["type"] == "header"


def test_http_faults_are_retried_until_the_card_arrives(sessions, slack: FakeReceiver) -> None:
    seed(sessions, 1, email=False)
    slack.inject(Fault("status", 500), Fault("sleep", seconds=1.0), Fault("status", 429, retry_after="1"),
                 Fault("reset"))
    started = time.monotonic()
    send_until_idle(sessions)
    assert statuses(sessions) == Counter({"sent": 1})
    assert len(slack.requests) == 5, "each fault cost exactly one more try"
    # At least once: the receiver that answered too late (the sleep fault) did post the card;
    # Slack has no idempotency key, so a timed-out call can show the card twice.
    assert 1 <= len(slack.accepted) <= 2
    assert time.monotonic() - started >= 1.0, "Retry-After honoured"
    with sessions() as s:
        assert s.scalars(select(Notification.attempts)).one() == 5


def test_smtp_down_then_up(sessions, env, monkeypatch) -> None:
    port = free_port()
    settings_file = Path(env["LEADBOT_SETTINGS_DIR"]) / "notifications.yml"
    settings_file.write_text(settings_file.read_text().replace(str(load_notify_settings().smtp.port), str(port)))
    seed(sessions, 1, slack_env=None)
    run_once(sessions, load_notify_settings(), now=utcnow)
    with sessions() as s:
        row = s.scalars(select(Notification)).one()
        assert row.status == "pending" and row.attempts == 1 and "SMTP 127.0.0.1" in row.last_error
    with SmtpServer(port) as late:
        send_until_idle(sessions)
        assert len(late.messages) == 1
    assert statuses(sessions) == Counter({"sent": 1})


def test_an_unset_webhook_variable_is_a_visible_dead_letter(sessions, env, slack, monkeypatch) -> None:
    seed(sessions, 1, slack_env="SLACK_WEBHOOK_NOBODY_SET", email=False)
    send_until_idle(sessions)
    assert statuses(sessions) == Counter({"dead": 1})
    listed = leadbot(env, "notifications", "list", "--status", "dead")
    assert listed.returncode == 0 and "set SLACK_WEBHOOK_NOBODY_SET" in listed.stdout
    retried = leadbot({**env, "SLACK_WEBHOOK_NOBODY_SET": slack.url}, "notifications", "retry", "--all-dead")
    assert retried.returncode == 0 and "Queued 1" in retried.stdout
    sent = leadbot({**env, "SLACK_WEBHOOK_NOBODY_SET": slack.url}, "notifications", "send")
    assert sent.returncode == 0 and "Sent 1" in sent.stdout
    assert statuses(sessions) == Counter({"sent": 1}) and len(slack.accepted) == 1


def test_a_refusing_mail_server_makes_a_dead_letter_with_its_words(sessions, smtp) -> None:
    seed(sessions, 1, slack_env=None)
    with sessions.begin() as s:
        s.scalars(select(Notification)).one().target = "nobody@refused.example"
    send_until_idle(sessions)
    with sessions() as s:
        row = s.scalars(select(Notification)).one()
    assert row.status == "dead" and row.attempts == 1
    assert "nobody@refused.example refused: 550" in row.last_error and "User unknown" in row.last_error


def test_two_workers_never_send_one_card_twice(sessions, smtp, slack) -> None:
    seed(sessions, 8)
    slack.latency = 0.05
    settings = load_notify_settings()
    threads = [threading.Thread(target=lambda: [run_once(sessions, settings, now=utcnow) for _ in range(6)])
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    send_until_idle(sessions)
    assert statuses(sessions) == Counter({"sent": 16})
    assert len(smtp.messages) == 8 and len(slack.requests) == 8


def test_preview_prints_the_card(sessions, env) -> None:
    [lead_id] = seed(sessions)
    shown = leadbot(env, "notifications", "preview", str(lead_id))
    assert shown.returncode == 0 and "Zoë Ørsted" in shown.stdout and "around 2k a month" in shown.stdout
    slack_json = leadbot(env, "notifications", "preview", str(lead_id), "--channel", "slack")
    assert json.loads(slack_json.stdout)["blocks"]
