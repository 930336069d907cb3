"""OAuth 2.0 access tokens that stay valid: obtained, refreshed before they expire and on a
401, kept encrypted in the store (`crm_connections`, `crm_sync/tokens.py`).

Grants (RFC 6749 and RFC 7523): `refresh_token` (Salesforce's and HubSpot's: the app's client
id and secret and a refresh token, as form fields) and `jwt_bearer` (Salesforce only: an
assertion signed with the Connected App's certificate key, RS256 via PyJWT). `BearerAuth` is a `requests` auth: it puts the current token on every
call, and when the CRM answers 401 it refreshes once and sends the same request again, so
a token that expires mid-run costs one extra call and loses or repeats nothing. When the
token endpoint refuses the grant for good (`invalid_grant`, HubSpot's `BAD_REFRESH_TOKEN`:
revoked, expired, user deactivated, app uninstalled) the connection is marked refused (`crm_sync/connection.py`): one alert.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import jwt
import requests
from sqlalchemy.orm import Session, sessionmaker

from crm_sync import connection
from crm_sync.settings import OAuthSettings, SalesforceOAuth
from crm_sync.tokens import TokenBox


# Token endpoint errors that no retry cures: RFC 6749's (Salesforce) and HubSpot's `status`.
_REFUSED = frozenset({"invalid_grant", "invalid_client", "unauthorized_client", "inactive_user",
                      "BAD_REFRESH_TOKEN", "BAD_CLIENT_ID"})


class CredentialsRefused(requests.exceptions.ConnectionError):
    """The token endpoint refused our grant for good; a `requests` error, so a call in flight
    ends as a retryable outcome and its event waits (the connection alert pauses the rest)."""


class TokenManager:
    """One CRM's access token: from the store while it is valid, else from the token endpoint."""

    def __init__(self, crm: str, cfg: OAuthSettings, sessions: sessionmaker[Session], *, token_url: str,
                 now: Callable[[], datetime], timeout: float, http: requests.Session | None = None) -> None:
        self.crm, self.cfg, self.sessions, self.now, self.timeout = crm, cfg, sessions, now, timeout
        self.token_url = token_url
        self.http = http or requests.Session()
        self.box = TokenBox()
        self.lock = threading.Lock()
        self.client_id = cfg.secret("client_id_env")
        if cfg.flow == "refresh_token":
            self.client_secret, self.given_refresh = cfg.secret("client_secret_env"), cfg.secret("refresh_token_env")
            self.credential = connection.fingerprint(f"{self.client_id}:{self.given_refresh}")
        else:  # jwt_bearer, Salesforce's alone (crm_sync/settings.py)
            assert isinstance(cfg, SalesforceOAuth)
            self.private_key = cfg.secret("private_key_env").replace("\\n", "\n")
            self.credential = connection.fingerprint(f"{self.client_id}:{cfg.username}:{self.private_key}")
        self.refreshes = 0
        self._adopt_new_credential()

    def _adopt_new_credential(self) -> None:
        """A credential we have not stored yet (first start, or the operator gave a new one):
        forget the tokens of the old one."""
        with self.sessions.begin() as session:
            row = connection.row(session, self.crm, now=self.now())
            if row.credential_sha256 != self.credential:
                row.credential_sha256, row.state, row.error = self.credential, "connected", None
                row.access_token, row.expires_at = None, None
                row.refresh_token = self.box.seal(self.given_refresh) if self.cfg.flow == "refresh_token" else None
                row.updated_at = self.now()

    def token(self) -> str:
        """A token valid for at least `refresh_margin_seconds` more."""
        with self.lock:
            with self.sessions() as session:
                row = connection.row(session, self.crm, now=self.now())
                token, expires = self.box.open(row.access_token), row.expires_at
            margin = timedelta(seconds=self.cfg.refresh_margin_seconds)
            if token and expires and expires - margin > self.now():
                return token
            return self._refresh()

    def refresh(self, stale: str) -> str:
        """After a 401 with `stale`: a new token (another thread may have got one already)."""
        with self.lock:
            with self.sessions() as session:
                current = self.box.open(connection.row(session, self.crm, now=self.now()).access_token)
            return current if current and current != stale else self._refresh()

    def _refresh(self) -> str:
        form = self._grant()
        try:
            answer = self.http.post(self.token_url, data=form, timeout=self.timeout)
        except requests.RequestException as exc:
            raise requests.exceptions.ConnectionError(f"token endpoint unreachable: {exc}") from exc
        body = _json(answer)
        error = body.get("error") or body.get("status")  # RFC 6749's field, or HubSpot's
        if answer.status_code in (400, 401) and error in _REFUSED:
            message = f"{error}: {body.get('error_description') or body.get('message') or ''}".strip(": ")
            connection.refuse(self.sessions, self.crm, f"the token endpoint refused the grant ({message})",
                              self.credential, now=self.now)
            raise CredentialsRefused(f"{self.crm} refused the OAuth grant: {message}")
        if not answer.ok or not body.get("access_token"):
            raise requests.exceptions.ConnectionError(f"token endpoint answered HTTP {answer.status_code}: {body}")
        self.refreshes += 1
        lifetime = float(body.get("expires_in") or self.cfg.session_seconds)
        with self.sessions.begin() as session:
            row = connection.row(session, self.crm, now=self.now())
            row.access_token = self.box.seal(body["access_token"])
            row.expires_at = self.now() + timedelta(seconds=lifetime)
            if body.get("refresh_token"):  # a rotated refresh token replaces ours
                row.refresh_token = self.box.seal(body["refresh_token"])
            row.instance_url = body.get("instance_url") or row.instance_url
            row.state, row.error, row.updated_at = "connected", None, self.now()
        return str(body["access_token"])

    def _grant(self) -> dict[str, str]:
        if isinstance(self.cfg, SalesforceOAuth) and self.cfg.flow == "jwt_bearer":
            claims = {"iss": self.client_id, "sub": self.cfg.username, "aud": self.cfg.login_url,
                      "exp": int(time.time()) + 180}
            assertion = jwt.encode(claims, self.private_key, algorithm="RS256")
            return {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion}
        with self.sessions() as session:
            stored = self.box.open(connection.row(session, self.crm, now=self.now()).refresh_token)
        return {"grant_type": "refresh_token", "client_id": self.client_id, "client_secret": self.client_secret,
                "refresh_token": stored or self.given_refresh}


class BearerAuth(requests.auth.AuthBase):
    """`Authorization: Bearer` from the manager; on a 401, one refresh and one resend."""

    def __init__(self, manager: TokenManager) -> None:
        self.manager = manager

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        token = self.manager.token()
        request.headers["Authorization"] = f"Bearer {token}"
        request.register_hook("response", self._on_401(token))
        return request

    def _on_401(self, token: str) -> Callable[..., requests.Response]:
        def hook(response: requests.Response, **kwargs: Any) -> requests.Response:
            if response.status_code != 401 or getattr(response.request, "_leadbot_retried", False):
                return response
            fresh = self.manager.refresh(token)
            retry = response.request.copy()
            retry.headers["Authorization"] = f"Bearer {fresh}"
            retry._leadbot_retried = True  # type: ignore[attr-defined]
            response.content  # noqa: B018 (read the body: the connection goes back to the pool)
            response.raw.release_conn()
            again = response.connection.send(retry, **kwargs)
            again.history.append(response)
            again.request = retry
            return again
        return hook


def _json(answer: requests.Response) -> dict[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        return {"error_description": answer.text[:500]}
    return body if isinstance(body, dict) else {"error_description": str(body)[:500]}
