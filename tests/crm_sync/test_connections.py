"""CRM connections that stay connected, against the fake Salesforce's OAuth token endpoint on
127.0.0.1 and a real SQLite store: tokens obtained with the refresh-token and JWT bearer
grants, refreshed before expiry and on a 401 mid-run (no event lost or sent twice), kept
encrypted; a revoked grant is one alert (`leadbot sync status`, the dashboard banner) while
events wait, and a new credential resumes them. A static token the CRM refuses is the same
one alert."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from bot.store.repository import add_note
from bot.store.schema import CrmConnection
from tests.crm_sync.fake_hubspot import FakeHubSpot
from tests.crm_sync.fake_salesforce import FakeSalesforce
from tests.crm_sync.sync_helpers import cli, configure, seed, statuses, sync_until_idle, utcnow
from tests.crm_sync.webhook_server import WebhookServer
from tests.web.conftest import Client
from web.accounts import add_account

CLIENT_ID, CLIENT_SECRET, REFRESH = "3MVG9-consumer-key", "consumer-secret", "5Aep861-first"
KEY = Fernet.generate_key().decode()


@pytest.fixture
def salesforce():
    with FakeSalesforce("unused") as fake:
        yield fake


def oauth_yml(fake: FakeSalesforce, flow: str, extra: str = "") -> str:
    return (f"provider: salesforce\nsalesforce: {{instance_url: '{fake.url}', "
            f"oauth: {{flow: {flow}, login_url: '{fake.url}'{extra}}}}}\n")


@pytest.fixture
def env(tmp_path: Path, salesforce: FakeSalesforce, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    salesforce.connected_app(CLIENT_ID, CLIENT_SECRET, REFRESH)
    return configure(tmp_path, monkeypatch, oauth_yml(salesforce, "refresh_token"),
                     {"SALESFORCE_CLIENT_ID": CLIENT_ID, "SALESFORCE_CLIENT_SECRET": CLIENT_SECRET,
                      "SALESFORCE_REFRESH_TOKEN": REFRESH, "LEADBOT_CRM_TOKEN_KEY": KEY})


def connection(sessions) -> CrmConnection:
    with sessions() as s:
        row = s.scalar(select(CrmConnection).where(CrmConnection.crm == "salesforce"))
        s.expunge(row)
        return row


def test_a_token_that_expires_mid_run_is_refreshed_with_no_event_lost_or_duplicated(sessions, salesforce) -> None:
    seed(sessions, 4)
    salesforce.expire_after(3)  # the first token dies after three calls, in the middle of the run
    sync_until_idle(sessions)
    assert statuses(sessions) == Counter({"delivered": 8})
    assert len(salesforce.records["Lead"]) == 4 and len(salesforce.records["Task"]) == 4
    assert salesforce.token_requests == ["refresh_token", "refresh_token"]  # the first token, then one on the 401
    row = connection(sessions)
    assert row.state == "connected" and salesforce.token not in (row.access_token or "")
    assert Fernet(KEY.encode()).decrypt(row.access_token.encode()).decode() == salesforce.token
    assert REFRESH not in row.refresh_token, "the refresh token is stored encrypted too"


def test_a_token_about_to_expire_is_refreshed_before_it_is_used(sessions, salesforce) -> None:
    seed(sessions, 1)
    sync_until_idle(sessions)
    with sessions.begin() as s:  # the stored token has 2 minutes left, less than the 5-minute margin
        s.scalar(select(CrmConnection)).expires_at = utcnow() + timedelta(minutes=2)
    first = salesforce.token
    with sessions.begin() as s:
        add_note(s, 1, "Follow up", author="alice", now=utcnow())
    sync_until_idle(sessions)
    assert salesforce.token != first and salesforce.token_requests == ["refresh_token"] * 2
    assert statuses(sessions) == Counter({"delivered": 3})


def test_a_revoked_grant_is_one_alert_and_a_new_refresh_token_resumes(sessions, salesforce, env, monkeypatch) -> None:
    seed(sessions, 1)
    sync_until_idle(sessions)
    salesforce.revoke()
    with sessions.begin() as s:
        for text in ("one", "two", "three"):
            add_note(s, 1, text, author="alice", now=utcnow())
    cli("sync")
    calls = len(salesforce.requests)
    cli("sync")
    assert len(salesforce.requests) == calls, "paused: no call until the credentials change"
    assert statuses(sessions) == Counter({"delivered": 2, "pending": 3}), "no dead letters"
    status = cli("sync", "status").stdout
    assert status.count("CONNECTION REFUSED") == 1 and "invalid_grant" in status and "No dead letters." in status

    with WebhookServer(env["LEADBOT_DATABASE_URL"]) as server:  # the dashboard shows the banner
        with sessions.begin() as s:
            add_account(s, "maria@example.com", "manager password 1", role="manager", now=utcnow(), name="Maria")
        browser = Client(f"http://127.0.0.1:{server.port}")
        browser.sign_in("maria@example.com", "manager password 1")
        page = browser.page("/inbox").text
        assert page.count("<strong>CRM sync paused.</strong>") == 1 and "invalid_grant" in page  # one alert, beside any other banner

    monkeypatch.setenv("SALESFORCE_REFRESH_TOKEN", salesforce.issue_refresh_token())
    sync_until_idle(sessions)  # the events wait for their backoff, then go in order
    assert statuses(sessions) == Counter({"delivered": 5})
    assert len(salesforce.records["Task"]) == 4
    assert "CONNECTION REFUSED" not in cli("sync", "status").stdout


def test_the_jwt_bearer_flow_signs_in_without_a_refresh_token(sessions, salesforce, env, monkeypatch) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = private.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    salesforce.connected_app(CLIENT_ID, CLIENT_SECRET, "unused", public_key=public, username="sync@acme.example")
    (Path(env["LEADBOT_SETTINGS_DIR"]) / "crm.yml").write_text(
        (Path(env["LEADBOT_SETTINGS_DIR"]) / "crm.yml").read_text().replace(
            oauth_yml(salesforce, "refresh_token"), oauth_yml(salesforce, "jwt_bearer", ", username: sync@acme.example")))
    monkeypatch.setenv("SALESFORCE_PRIVATE_KEY", pem)
    seed(sessions, 2)
    salesforce.expire_after(2)
    sync_until_idle(sessions)
    assert statuses(sessions) == Counter({"delivered": 4}) and len(salesforce.records["Lead"]) == 2
    assert salesforce.token_requests == ["urn:ietf:params:oauth:grant-type:jwt-bearer"] * 2


def test_a_static_token_the_crm_refuses_is_one_alert_not_a_pile_of_dead_letters(tmp_path, monkeypatch) -> None:
    with FakeHubSpot("pat-right") as hubspot:
        env = configure(tmp_path, monkeypatch, f"provider: hubspot\nhubspot: {{base_url: '{hubspot.url}'}}\n",
                        {"HUBSPOT_ACCESS_TOKEN": "pat-revoked"})
        from bot.store.db import make_engine, session_factory

        sessions = session_factory(make_engine(env["LEADBOT_DATABASE_URL"]))
        seed(sessions, 3)
        cli("sync")
        cli("sync")
        assert statuses(sessions) == Counter({"pending": 6})
        assert len(hubspot.requests) == 1, "the first 401 paused the worker"
        status = cli("sync", "status").stdout
        assert status.count("CONNECTION REFUSED") == 1 and "Authentication credentials not found" in status
        monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "pat-right")  # a new token, and the worker restarted
        sync_until_idle(sessions)
        assert statuses(sessions) == Counter({"delivered": 6})
