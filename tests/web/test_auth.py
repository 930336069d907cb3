"""Sign-in, sessions, CSRF, lockout and access, against the real server on 127.0.0.1."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import requests
from sqlalchemy import select, update

from bot.store.schema import Account, Deal, StageHistory, WebSession
from tests.web.conftest import CSRF, Client, client
from tests.web.server import ALICE, MANAGER, DashboardServer
from web.sessions import COOKIE


def test_pages_and_api_need_a_sign_in(server: DashboardServer, anonymous: Client) -> None:
    for path in ("/inbox", "/board", "/metrics", f"/leads/{server.seeded.alice[0]}"):
        response = anonymous.get(server.url + path, allow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")
    for path in ("/api/me", "/api/leads", "/api/pipeline", "/api/metrics", f"/api/leads/{server.seeded.alice[0]}"):
        assert anonymous.get(server.url + path).status_code == 401


def test_sign_in_sets_a_hardened_session_cookie_and_sign_out_ends_it(server: DashboardServer) -> None:
    c = Client(server.url)
    c.page("/login")
    response = c.submit("/login", {"email": MANAGER[0].upper(), "password": MANAGER[1]})
    assert response.url.endswith("/inbox") and "Maria Manager" in response.text
    cookie = response.history[0].headers["set-cookie"]
    assert f"{COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    token = c.cookies.get(COOKIE)
    c.page("/inbox")
    assert c.submit("/logout", {}).url.endswith("/login")
    stale = requests.get(server.url + "/api/me", cookies={COOKIE: token})
    assert stale.status_code == 401  # the session is gone on the server, not only in the browser


FAILED = "Wrong e-mail or password. After 5 wrong passwords in a row an account is locked for 15 minutes."


def _error_of(response: requests.Response) -> str:
    return response.text.split('class="error"', 1)[1].split(">", 1)[1].split("<", 1)[0].strip()


def test_wrong_password_and_unknown_account_get_the_same_answer(server: DashboardServer) -> None:
    for email, password in ((ALICE[0], "not the password"), ("nobody@example.com", "whatever it is")):
        c = Client(server.url)
        c.page("/login")
        response = c.submit("/login", {"email": email, "password": password})
        assert response.status_code == 401 and _error_of(response) == FAILED


def test_sign_in_form_without_its_csrf_token_is_refused(server: DashboardServer) -> None:
    c = Client(server.url)
    c.page("/login")
    response = c.submit("/login", {"email": MANAGER[0], "password": MANAGER[1]}, csrf=False)
    assert response.status_code == 403 and COOKIE not in c.cookies
    forged = requests.post(server.url + "/login", data={"email": MANAGER[0], "password": MANAGER[1],
                                                         "csrf_token": "0" * 64}, cookies={"leadbot_login_csrf": "abc"})
    assert forged.status_code == 403


def test_after_five_wrong_passwords_the_account_is_locked(server: DashboardServer) -> None:
    """Locked or unknown, the sixth attempt gets the very same answer: the form never tells
    which e-mails have accounts."""
    server.leadbot("users", "add", "locked@example.com", "--role", "manager",
                   env={"LEADBOT_USER_PASSWORD": "the right password"})
    answers = {}
    for email in ("locked@example.com", "unknown-locked@example.com"):
        c = Client(server.url)
        for _ in range(5):
            c.page("/login")
            assert c.submit("/login", {"email": email, "password": "wrong guess!"}).status_code == 401
        c.page("/login")
        response = c.submit("/login", {"email": email, "password": "the right password"})
        answers[email] = (response.status_code, _error_of(response))
    assert set(answers.values()) == {(401, FAILED)}
    c = Client(server.url)
    server.leadbot("users", "passwd", "locked@example.com", env={"LEADBOT_USER_PASSWORD": "a new password!"})
    c.page("/login")
    assert c.submit("/login", {"email": "locked@example.com", "password": "a new password!"}).url.endswith("/inbox")


def test_next_never_redirects_off_site(server: DashboardServer) -> None:
    c = Client(server.url)
    c.page("/login?next=//evil.example/x")
    response = c.post(server.url + "/login", data={"email": MANAGER[0], "password": MANAGER[1],
                                                   "csrf_token": c.csrf, "next": "//evil.example/x"},
                      allow_redirects=False)
    assert response.headers["location"] == "/inbox"


def test_a_post_without_the_csrf_token_changes_nothing(server: DashboardServer, manager: Client) -> None:
    lead_id = server.seeded.bob[1]
    before = _history_count(server, lead_id)
    for data in ({"stage": "meeting"}, {"stage": "meeting", "csrf_token": "forged"}):
        response = manager.post(f"{server.url}/leads/{lead_id}/stage", data=data)
        assert response.status_code == 403
    api = manager.post(f"{server.url}/api/leads/{lead_id}/stage", json={"stage": "meeting"})
    assert api.status_code == 403
    assert _history_count(server, lead_id) == before


def _history_count(server: DashboardServer, lead_id: int) -> int:
    sessions = server.sessions()
    with sessions() as s:
        return len(s.scalars(select(StageHistory).join(Deal).where(Deal.lead_id == lead_id)).all())


def test_an_expired_session_sends_the_browser_back_to_sign_in(server: DashboardServer) -> None:
    c = client(server, ALICE)
    assert c.get(server.url + "/api/me").status_code == 200
    sessions = server.sessions()
    with sessions.begin() as s:
        account = s.scalars(select(Account).where(Account.email == ALICE[0])).one()
        s.execute(update(WebSession).where(WebSession.account_id == account.id)
                  .values(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1)))
    response = c.get(server.url + "/inbox", allow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert c.get(server.url + "/api/me").status_code == 401


def test_idle_and_absolute_expiry() -> None:
    from web.sessions import _expiry
    from web.settings import DashboardSettings

    settings = DashboardSettings(session_hours=12, idle_minutes=120)
    start = datetime(2026, 11, 22, 8, tzinfo=timezone.utc)
    assert _expiry(start, start, settings) == start + timedelta(hours=2)
    assert _expiry(start, start + timedelta(hours=11), settings) == start + timedelta(hours=12)


def test_a_rep_sees_only_their_own_leads(server: DashboardServer, alice: Client) -> None:
    mine, theirs = server.seeded.alice[1], server.seeded.bob[0]
    assert alice.page(f"/leads/{mine}").status_code == 200
    assert alice.page(f"/leads/{theirs}").status_code == 404
    assert alice.get(f"{server.url}/api/leads/{theirs}").status_code == 404
    assert alice.get(f"{server.url}/leads/{theirs}/export").status_code == 404
    alice.page(f"/leads/{mine}")
    assert alice.submit(f"/leads/{theirs}/notes", {"body": "sneaky"}).status_code == 404
    listed = {row["lead_id"] for row in alice.get(f"{server.url}/api/leads?all=1").json()["leads"]}
    assert listed and listed <= set(server.seeded.alice)
    board = alice.get(f"{server.url}/api/pipeline").json()
    assert {c["lead_id"] for s in board["stages"] for c in s["cards"]} <= set(server.seeded.alice)


def test_api_tokens_work_without_cookies_and_keep_the_access_rule(server: DashboardServer) -> None:
    token = server.leadbot("users", "token", ALICE[0]).stdout.strip()
    auth = {"Authorization": f"Bearer {token}"}
    assert requests.get(server.url + "/api/me", headers=auth).json()["role"] == "rep"
    assert requests.get(f"{server.url}/api/leads/{server.seeded.bob[0]}", headers=auth).status_code == 404
    assert requests.get(server.url + "/api/me", headers={"Authorization": "Bearer lbt_wrong"}).status_code == 401
    note = requests.post(f"{server.url}/api/leads/{server.seeded.alice[2]}/notes", headers=auth,
                         json={"body": "called, no answer"})
    assert note.status_code == 201


def test_users_cli(server: DashboardServer) -> None:
    refused = server.leadbot("users", "add", "nobody-rep@example.com", "--role", "rep",
                             env={"LEADBOT_USER_PASSWORD": "long enough pw"}, check=False)
    assert refused.returncode == 1 and "leadbot reps add" in refused.stderr
    weak = server.leadbot("users", "add", "weak@example.com", "--role", "manager",
                          env={"LEADBOT_USER_PASSWORD": "short"}, check=False)
    assert weak.returncode == 1 and "at least 10 characters" in weak.stderr
    listed = server.leadbot("users", "list").stdout
    assert MANAGER[0] in listed and "Alice Ng" in listed and "scrypt" not in listed
    server.leadbot("users", "add", "temp@example.com", "--role", "manager", env={"LEADBOT_USER_PASSWORD": "temporary pw 1"})
    assert server.leadbot("users", "remove", "temp@example.com", check=False).returncode == 1
    server.leadbot("users", "remove", "temp@example.com", "--yes")
    assert "temp@example.com" not in server.leadbot("users", "list").stdout


def test_every_page_carries_a_csrf_token_and_security_headers(server: DashboardServer, manager: Client) -> None:
    for path in ("/inbox", "/board", f"/leads/{server.seeded.bob[2]}"):
        response = manager.page(path)
        assert response.status_code == 200
        forms = response.text.count('method="post"')
        assert forms and len(CSRF.findall(response.text)) == forms, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "https://" not in response.text.replace("https://example", "")  # no CDN


def test_first_manager_from_the_environment_on_an_empty_store(tmp_path) -> None:  # noqa: ANN001
    fresh = DashboardServer(tmp_path)
    env = {"LEADBOT_ADMIN_EMAIL": "first@example.com", "LEADBOT_ADMIN_PASSWORD": "first manager pw"}
    fresh.start(extra_env=env)
    try:
        c = client(fresh, ("first@example.com", "first manager pw"))
        assert c.get(fresh.url + "/api/me").json() == {"email": "first@example.com", "name": "first",
                                                       "role": "manager", "rep_id": None}
        log = (tmp_path / "dashboard.log").read_text()
        assert f"Dashboard on {fresh.url}/" in log and "Created the first manager account first@example.com" in log
    finally:
        fresh.stop()


def test_a_new_password_ends_the_api_token_and_every_session(server: DashboardServer) -> None:
    server.leadbot("users", "add", "rotated@example.com", "--role", "manager",
                   env={"LEADBOT_USER_PASSWORD": "the old password"})
    token = server.leadbot("users", "token", "rotated@example.com").stdout.strip()
    auth = {"Authorization": f"Bearer {token}"}
    browser = client(server, ("rotated@example.com", "the old password"))
    assert requests.get(server.url + "/api/me", headers=auth).status_code == 200
    assert browser.get(server.url + "/api/me").status_code == 200

    changed = server.leadbot("users", "passwd", "rotated@example.com", env={"LEADBOT_USER_PASSWORD": "a new password!"})
    assert "its sessions and API token have ended" in changed.stdout
    assert requests.get(server.url + "/api/me", headers=auth).status_code == 401
    assert browser.get(server.url + "/api/me").status_code == 401
    with server.sessions().begin() as s:
        account = s.scalars(select(Account).where(Account.email == "rotated@example.com")).one()
        assert account.api_token_hash is None
        assert s.scalars(select(WebSession).where(WebSession.account_id == account.id)).all() == []
    assert "rotated@example.com" in server.leadbot("users", "list").stdout
    fresh = server.leadbot("users", "token", "rotated@example.com").stdout.strip()
    assert requests.get(server.url + "/api/me", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200
