"""HubSpot's OAuth connection, against the fake HubSpot's token endpoint on 127.0.0.1 and a
real SQLite store, through the same machinery as Salesforce's (crm_sync/oauth.py): tokens
obtained with the refresh-token grant, refreshed before expiry and on a 401 mid-run (no
event lost or sent twice), kept encrypted; an uninstalled app is one alert while events
wait, and a new refresh token resumes them. Without `oauth`, the private-app token is used
(test_hubspot_sync.py)."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.store.repository import add_note
from bot.store.schema import CrmConnection
from crm_sync.settings import MissingSecret, load_crm_settings
from crm_sync.worker import make_target
from tests.crm_sync.fake_hubspot import FakeHubSpot
from tests.crm_sync.sync_helpers import cli, configure, seed, statuses, sync_until_idle, utcnow

CLIENT_ID, CLIENT_SECRET, REFRESH = "5f1c-client-id", "app-client-secret", "na1-refresh-first"
KEY = Fernet.generate_key().decode()


@pytest.fixture
def hubspot():
    with FakeHubSpot("unused") as fake:
        fake.oauth_app(CLIENT_ID, CLIENT_SECRET, REFRESH)
        yield fake


@pytest.fixture
def env(tmp_path: Path, hubspot: FakeHubSpot, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)  # OAuth needs no private-app token
    return configure(tmp_path, monkeypatch,
                     f"provider: hubspot\nhubspot: {{base_url: '{hubspot.url}', oauth: {{flow: refresh_token}}}}\n",
                     {"HUBSPOT_CLIENT_ID": CLIENT_ID, "HUBSPOT_CLIENT_SECRET": CLIENT_SECRET,
                      "HUBSPOT_REFRESH_TOKEN": REFRESH, "LEADBOT_CRM_TOKEN_KEY": KEY})


def connection(sessions) -> CrmConnection:
    with sessions() as s:
        row = s.scalar(select(CrmConnection).where(CrmConnection.crm == "hubspot"))
        s.expunge(row)
        return row


def test_a_token_that_expires_mid_run_is_refreshed_with_no_event_lost_or_duplicated(sessions, hubspot) -> None:
    seed(sessions, 4)
    hubspot.expire_after(5)  # the first token dies after five calls, in the middle of the run
    hubspot.token_seconds = 900
    sync_until_idle(sessions)
    assert statuses(sessions) == Counter({"delivered": 8})
    assert {k: len(v) for k, v in hubspot.objects.items()} == {"contacts": 4, "deals": 4, "notes": 4}
    assert hubspot.token_requests == ["refresh_token", "refresh_token"]  # the first token, then one on the 401
    row = connection(sessions)
    assert row.state == "connected" and hubspot.token not in (row.access_token or "")
    assert Fernet(KEY.encode()).decrypt(row.access_token.encode()).decode() == hubspot.token
    assert REFRESH not in row.refresh_token, "the refresh token is stored encrypted too"
    lifetime = row.expires_at - row.updated_at
    assert timedelta(seconds=899) < lifetime <= timedelta(seconds=900), "HubSpot's expires_in, not session_seconds"


def test_a_token_about_to_expire_is_refreshed_before_it_is_used(sessions, hubspot) -> None:
    seed(sessions, 1)
    sync_until_idle(sessions)
    with sessions.begin() as s:  # the stored token has 2 minutes left, less than the 5-minute margin
        s.scalar(select(CrmConnection)).expires_at = utcnow() + timedelta(minutes=2)
    first = hubspot.token
    with sessions.begin() as s:
        add_note(s, 1, "Follow up", author="alice", now=utcnow())
    sync_until_idle(sessions)
    assert hubspot.token != first and hubspot.token_requests == ["refresh_token"] * 2
    assert statuses(sessions) == Counter({"delivered": 3})


def test_an_uninstalled_app_is_one_alert_and_a_new_refresh_token_resumes(sessions, hubspot, monkeypatch) -> None:
    seed(sessions, 1)
    sync_until_idle(sessions)
    hubspot.revoke()
    with sessions.begin() as s:
        for text in ("one", "two", "three"):
            add_note(s, 1, text, author="alice", now=utcnow())
    cli("sync")
    calls = len(hubspot.requests)
    cli("sync")
    assert len(hubspot.requests) == calls, "paused: no call until the credentials change"
    assert statuses(sessions) == Counter({"delivered": 2, "pending": 3}), "no dead letters"
    status = cli("sync", "status").stdout
    assert status.count("CONNECTION REFUSED") == 1 and "BAD_REFRESH_TOKEN" in status and "No dead letters." in status

    monkeypatch.setenv("HUBSPOT_REFRESH_TOKEN", hubspot.issue_refresh_token())
    sync_until_idle(sessions)  # the events wait for their backoff, then go in order
    assert statuses(sessions) == Counter({"delivered": 5})
    assert len(hubspot.objects["notes"]) == 4
    assert "CONNECTION REFUSED" not in cli("sync", "status").stdout


def test_oauth_without_its_secrets_refuses_to_start(sessions, monkeypatch) -> None:
    monkeypatch.delenv("HUBSPOT_CLIENT_ID")
    with pytest.raises(MissingSecret, match="HUBSPOT_CLIENT_ID"):
        make_target(load_crm_settings())
