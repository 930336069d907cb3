"""The daily stuck-deals digest (bot/notify/digest.py): queued by the sender from the
configured hour, once per owner, channel and day across senders, sent on every channel the
rep wants, with what the visitor typed escaped; through a real store and real receivers."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.notify.digest import REASON
from bot.notify.settings import load_notify_settings
from bot.notify.worker import run_once
from bot.store.db import make_engine, session_factory
from bot.store.schema import Notification, Rep
from tests.notify.conftest import add_rep, assign, leadbot, realistic, save, write_settings
from tests.store.builders import NOW

# Leads are saved at NOW in stage "qualified" (max_days 7 in settings/pipeline.yml).
LATER = datetime(NOW.year, NOW.month, NOW.day, 12, 0, tzinfo=timezone.utc) + timedelta(days=10)


def digests(sessions: sessionmaker[Session]) -> list[Notification]:
    with sessions() as s:
        return list(s.scalars(select(Notification).where(Notification.reason == REASON).order_by(Notification.id)))


def send_at(sessions: sessionmaker[Session], at: datetime, worker: str = "test", rounds: int = 20) -> None:
    settings = load_notify_settings()
    for _ in range(rounds):
        run_once(sessions, settings, now=lambda: at, worker=worker)
        with sessions() as s:
            if not s.scalars(select(Notification).where(Notification.status == "pending")).first():
                return
    raise AssertionError("digests still pending")


def owned_leads(sessions: sessionmaker[Session]) -> tuple[int, int]:
    """Dana (e-mail, Slack and webhook) owns a stuck lead; Eve owns none that is stuck."""
    dana = add_rep(sessions, email=True, slack_webhook_env="SLACK_WEBHOOK_DANA", webhook_env="DANA_HOOK")
    eve = add_rep(sessions, "Eve Stone", "eve@seller.example", email=True)
    stuck_lead = save(sessions, realistic("conv-stuck", "zoe@brightwell.example"))
    assign(sessions, stuck_lead, dana)
    return dana, eve


def test_each_owner_gets_their_stuck_deals_on_every_channel_escaped(env, sessions, smtp, slack, hook):
    dana, _ = owned_leads(sessions)
    send_at(sessions, LATER)

    rows = digests(sessions)
    assert sorted(r.channel for r in rows) == ["email", "slack", "webhook"], "Dana on each channel, Eve nothing"
    assert {r.rep_id for r in rows} == {dana} and all(r.status == "sent" for r in rows)
    assert all(r.lead_id is None and r.digest_date == LATER.date() for r in rows)

    mail = next(m for m in smtp.messages if m["X-Leadbot-Rep"])
    assert mail["To"] == "dana@seller.example" and mail["Subject"].startswith("Stuck deals: 1 of yours")
    text = mail.get_body(("plain",)).get_content()
    assert "Zoë Ørsted (Brightwell <Dental>): Qualified for 10 days (limit 7)" in text
    page = mail.get_body(("html",)).get_content()
    assert "Brightwell &lt;Dental&gt;" in page and "<Dental>" not in page

    blocks = next(json.dumps(b, ensure_ascii=False) for b in slack.accepted.values() if b["text"].startswith("Stuck"))
    assert "Brightwell &lt;Dental&gt;" in blocks and "<Dental>" not in blocks
    webhook = next(b for b in hook.accepted.values() if b["type"] == "stuck_digest")
    assert webhook["type"] == "stuck_digest" and webhook["total"] == 1
    assert webhook["deals"][0]["days"] == 10 and webhook["deals"][0]["stage"] == "Qualified"


def test_once_a_day_however_many_senders_then_again_the_next_day(env, sessions, smtp, slack, hook):
    owned_leads(sessions)
    other = make_engine(env["LEADBOT_DATABASE_URL"])
    try:
        second_sender = session_factory(other)
        send_at(sessions, LATER, worker="a")
        send_at(second_sender, LATER + timedelta(hours=2), worker="b")
        assert len(digests(sessions)) == 3, "one per channel for the day"
        send_at(second_sender, LATER + timedelta(days=1), worker="b")
        assert [r.digest_date for r in digests(sessions)].count(LATER.date() + timedelta(days=1)) == 3
    finally:
        other.dispose()


def test_nothing_before_the_hour_when_disabled_or_for_an_inactive_owner(env, sessions, tmp_path, smtp):
    dana, _ = owned_leads(sessions)
    send_at(sessions, LATER.replace(hour=6))
    assert digests(sessions) == [], "before stuck_digest_hour (8 UTC)"

    with sessions.begin() as s:
        s.get(Rep, dana).active = False
    send_at(sessions, LATER)
    assert digests(sessions) == [], "an inactive rep gets no digest"

    with sessions.begin() as s:
        s.get(Rep, dana).active = True
    write_settings(tmp_path / "settings", smtp.port, stuck_digest_hour="null")
    send_at(sessions, LATER + timedelta(days=1))
    assert digests(sessions) == [], "stuck_digest_hour: null turns the digest off"


def test_cli_previews_and_queues_now(env, sessions):
    owned_leads(sessions)
    preview = leadbot({**env, "LEADBOT_NOW": LATER.isoformat()}, "notifications", "digest", "--preview",
                      "dana@seller.example")
    assert preview.returncode == 0, preview.stderr
    assert "Zoë Ørsted (Brightwell <Dental>): Qualified for 10 days (limit 7)" in preview.stdout
    at = {**env, "LEADBOT_NOW": LATER.replace(hour=3).isoformat()}
    queued = leadbot(at, "notifications", "digest")
    assert queued.returncode == 0, queued.stderr
    assert "Queued 3 stuck-deals digest(s)" in queued.stdout, "now, whatever the hour"
    listed = leadbot(at, "notifications", "list")
    assert "(digest)" in listed.stdout and REASON in listed.stdout
