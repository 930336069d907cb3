"""The contract with assignment: one pending card per channel the rep wants, or per fallback
recipient; preferences and settings validated with messages an operator can act on."""
from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.notify.enqueue import enqueue_lead_card
from bot.notify.preferences import RepNotify
from bot.notify.settings import FallbackRecipients, NotifySettings, load_notify_settings
from bot.settings import PROJECT_ROOT
from bot.store.errors import InvalidRep
from bot.store.schema import Lead, Rep
from tests.notify.conftest import add_rep, save, utcnow


def enqueue(sessions, rep_id: int | None, *, reason: str = "qualified", settings: NotifySettings | None = None):
    lead_id = save(sessions)
    now = utcnow()
    with sessions.begin() as s:
        rows = enqueue_lead_card(s, s.get(Lead, lead_id), s.get(Rep, rep_id) if rep_id else None, reason=reason,
                                 now=now, settings=settings)
        return lead_id, now, [(n.id is not None, n.lead_id, n.rep_id, n.channel, n.target, n.reason, n.status,
                               n.attempts, n.next_attempt_at == now) for n in rows]


def test_a_card_per_channel_the_rep_wants(sessions) -> None:
    rep_id = add_rep(sessions, email=True, slack_webhook_env="SLACK_WEBHOOK_DANA", webhook_env="DANA_HOOK")
    lead_id, _, rows = enqueue(sessions, rep_id, reason="human_requested")
    assert rows == [
        (True, lead_id, rep_id, "email", "dana@seller.example", "human_requested", "pending", 0, True),
        (True, lead_id, rep_id, "slack", "SLACK_WEBHOOK_DANA", "human_requested", "pending", 0, True),
        (True, lead_id, rep_id, "webhook", "DANA_HOOK", "human_requested", "pending", 0, True),
    ]


def test_email_is_the_default_and_can_be_turned_off(sessions) -> None:
    assert [r[3:5] for r in enqueue(sessions, add_rep(sessions))[2]] == [("email", "dana@seller.example")]
    quiet = add_rep(sessions, "Quiet Rep", "quiet@seller.example", email=False)
    assert enqueue(sessions, quiet)[2] == []


def test_nobody_available_goes_to_the_fallback_recipients(sessions) -> None:
    settings = NotifySettings(fallback=FallbackRecipients(emails=["Sales-Lead@Seller.example"],
                                                          slack_webhook_env="SLACK_WEBHOOK_SALES"))
    lead_id, _, rows = enqueue(sessions, None, settings=settings)
    assert [r[1:6] for r in rows] == [(lead_id, None, "email", "sales-lead@seller.example", "qualified"),
                                      (lead_id, None, "slack", "SLACK_WEBHOOK_SALES", "qualified")]
    assert enqueue(sessions, None, settings=NotifySettings())[2] == []  # nobody configured: nothing queued


def test_the_fallback_comes_from_settings_when_not_given(sessions, env) -> None:
    path = Path(env["LEADBOT_SETTINGS_DIR"]) / "notifications.yml"
    path.write_text(path.read_text() + "fallback: {emails: [manager@seller.example]}\n")
    assert [r[3:5] for r in enqueue(sessions, None)[2]] == [("email", "manager@seller.example")]


def test_an_unknown_reason_is_refused(sessions) -> None:
    with pytest.raises(ValueError, match="unknown notification reason 'promoted'"):
        enqueue(sessions, add_rep(sessions), reason="promoted")


def test_invalid_stored_preferences_name_the_rep(sessions) -> None:
    rep_id = add_rep(sessions, slack_webhook_env="https://hooks.slack.com/services/T/B/X")
    with pytest.raises(InvalidRep, match="Dana Ruiz's notification preferences are invalid"):
        enqueue(sessions, rep_id)


@pytest.mark.parametrize("given, expected", [
    ({}, {"email": True, "slack_webhook_env": None, "webhook_env": None}),
    ({"email": False, "slack_webhook_env": " SLACK_WEBHOOK_ALICE "},
     {"email": False, "slack_webhook_env": "SLACK_WEBHOOK_ALICE", "webhook_env": None}),
    ({"webhook_env": ""}, {"email": True, "slack_webhook_env": None, "webhook_env": None}),
])
def test_rep_preferences(given: dict, expected: dict) -> None:
    assert RepNotify.model_validate(given).model_dump() == expected


@pytest.mark.parametrize("given, message", [
    ({"slack_webhook_env": "https://hooks.slack.com/services/T/B/X"}, "NAME of an environment variable"),
    ({"webhook_env": "MY-HOOK"}, "not an environment variable name"),
    ({"sms": True}, "Extra inputs are not permitted"),
])
def test_rep_preferences_refused(given: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        RepNotify.model_validate(given)


def test_the_shipped_settings_load_and_unknown_keys_are_refused(tmp_path: Path) -> None:
    shipped = load_notify_settings(PROJECT_ROOT / "settings")
    assert shipped.link(7) == "http://127.0.0.1:8080/leads/7" and shipped.smtp.security == "none"
    (tmp_path / "notifications.yml").write_text("lead_url: 'http://x/leads/{lead_id}'\nsmpt: {}\n")
    with pytest.raises(Exception, match="smpt"):
        load_notify_settings(tmp_path)
    (tmp_path / "notifications.yml").write_text("lead_url: 'http://x/leads'\n")
    with pytest.raises(Exception, match="lead_id"):
        load_notify_settings(tmp_path)
