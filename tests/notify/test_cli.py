"""`leadbot notifications`, run for real in a subprocess against the test store and receivers."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from bot.settings import PROJECT_ROOT
from tests.notify.conftest import leadbot, leadbot_command, only, seed, statuses


def test_a_dead_card_is_listed_retried_and_sent(sessions, env, slack) -> None:
    [lead_id] = seed(sessions, 1, email=False, slack_webhook_env="SLACK_WEBHOOK_NOBODY_SET")
    sent = leadbot(env, "notifications", "send", "--worker-id", "cli-1")
    assert sent.returncode == 0, sent.stderr
    assert "Sent 0, retrying 0, dead 1." in sent.stdout and "set SLACK_WEBHOOK_NOBODY_SET" in sent.stdout

    listed = leadbot(env, "notifications", "list", "--status", "dead")
    assert listed.returncode == 0 and "set SLACK_WEBHOOK_NOBODY_SET" in listed.stdout
    assert "Dana Ruiz" in listed.stdout and "SLACK_WEBHOOK_NOBODY_SET" in listed.stdout
    assert leadbot(env, "notifications", "list", "--status", "pending").stdout.strip() == \
        "No lead cards with status pending."
    assert str(lead_id) in leadbot(env, "notifications", "list", "--lead", str(lead_id)).stdout

    fixed = {**env, "SLACK_WEBHOOK_NOBODY_SET": slack.url}
    retried = leadbot(fixed, "notifications", "retry", "--all-dead")
    assert retried.returncode == 0 and "Queued 1 lead card(s) again" in retried.stdout
    sent = leadbot(fixed, "notifications", "send")
    assert sent.returncode == 0 and "Sent 1, retrying 0, dead 0." in sent.stdout
    assert statuses(sessions) == {"sent": 1} and len(slack.accepted) == 1


def test_retry_of_a_card_that_is_not_dead_is_an_error(sessions, env) -> None:
    seed(sessions, 1)
    notification_id = only(sessions).id
    result = leadbot(env, "notifications", "retry", "--id", str(notification_id))
    assert result.returncode == 1
    assert f"notification {notification_id} is not dead" in result.stderr
    assert leadbot(env, "notifications", "retry").returncode == 2  # --id or --all-dead is required


def test_preview_prints_the_card_for_each_channel(sessions, env) -> None:
    [lead_id] = seed(sessions, 1)
    text = leadbot(env, "notifications", "preview", "zoe0@brightwell0.example")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("New qualified lead: Zoë Ørsted (Brightwell <Dental>) – score 82 A")
    assert 'said: "around 2k a month"' in text.stdout
    slack = json.loads(leadbot(env, "notifications", "preview", str(lead_id), "--channel", "slack").stdout)
    assert slack["blocks"][0]["type"] == "header"
    webhook = json.loads(leadbot(env, "notifications", "preview", str(lead_id), "--channel", "webhook").stdout)
    assert webhook["lead"]["id"] == lead_id
    missing = leadbot(env, "notifications", "preview", "nobody@nowhere.example")
    assert missing.returncode == 1 and "nobody@nowhere.example" in missing.stderr
    assert statuses(sessions) == {"pending": 1}, "a preview sends nothing"


def test_send_follow_delivers_cards_as_they_are_queued_and_stops_on_sigterm(sessions, env, smtp) -> None:
    command = leadbot_command("notifications", "send", "--follow", "--worker-id", "follower")
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        time.sleep(1.0)  # idle first: nothing queued yet
        seed(sessions, 2)
        deadline = time.monotonic() + 20
        while len(smtp.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(smtp.messages) == 2
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "sent 1" in err or "sent 2" in err
    assert statuses(sessions) == {"sent": 2}


def test_without_an_smtp_server_e_mail_is_reported_off_and_never_retried(sessions, env, smtp) -> None:
    """Out of the box no SMTP server is configured: the sender says so when it starts, each
    e-mail card is a dead letter naming the setting after one attempt, and once a server is
    set the dead cards are retried and arrive."""
    from bot.notify.settings import load_notify_settings
    from tests.notify.conftest import write_settings

    assert not load_notify_settings(PROJECT_ROOT / "settings").smtp.configured, "the shipped default"
    settings = os.path.join(env["LEADBOT_SETTINGS_DIR"], "notifications.yml")
    write_settings(Path(os.path.dirname(settings)), smtp.port, smtp="{port: 2525}")  # a port, but no host
    seed(sessions, 2)
    sent = leadbot(env, "notifications", "send")
    assert sent.returncode == 0, sent.stderr
    assert "warning: e-mail is off: no SMTP server is configured: set smtp.host" in sent.stderr
    assert "Sent 0, retrying 0, dead 2." in sent.stdout and "settings/notifications.yml" in sent.stdout
    again = leadbot(env, "notifications", "send")
    assert "Sent 0, retrying 0, dead 0." in again.stdout, "a dead letter is not retried"
    with sessions() as s:
        from bot.store.schema import Notification
        rows = s.query(Notification).all()
        assert all(r.status == "dead" and r.attempts == 1 and "no SMTP server is configured" in r.last_error
                   for r in rows)
    listed = leadbot(env, "notifications", "list", "--status", "dead")
    assert "no SMTP server is configured" in listed.stdout

    write_settings(Path(os.path.dirname(settings)), smtp.port)
    assert "Queued 2 lead card(s) again" in leadbot(env, "notifications", "retry", "--all-dead").stdout
    delivered = leadbot(env, "notifications", "send")
    assert "Sent 2, retrying 0, dead 0." in delivered.stdout and "warning" not in delivered.stderr
    assert len(smtp.messages) == 2 and statuses(sessions) == {"sent": 2}
