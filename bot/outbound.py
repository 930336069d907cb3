"""One outbound HTTP call (to a CRM, a Slack or other webhook) and what its outcome means.

Shared by the CRM sync and rep notifications. Every call has a timeout. Timeouts, connection errors, 5xx and 429 are worth retrying
(429 and 503 say when through Retry-After); any other 4xx will never succeed as sent, so
the delivery becomes a dead letter carrying the receiver's own error message.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import requests


@dataclass(frozen=True)
class Outcome:
    """`delivered`, or not with `retryable` telling whether trying again can help."""

    delivered: bool
    retryable: bool = False
    error: str = ""
    retry_after: timedelta | None = None
    status: int | None = None
    body: Any = None


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex>`: the HMAC-SHA256 of the raw body, for `X-Leadbot-Signature`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def call(session: requests.Session, method: str, url: str, *, timeout: float, **kwargs: Any) -> Outcome:
    try:
        response = session.request(method, url, timeout=timeout, **kwargs)
    except requests.Timeout:
        return Outcome(False, retryable=True, error=f"{method} {url}: no answer within {timeout:g} s")
    except requests.ConnectionError as exc:
        return Outcome(False, retryable=True, error=f"{method} {url}: connection failed ({_short(exc)})")
    return classify(method, url, response)


def classify(method: str, url: str, response: requests.Response) -> Outcome:
    status = response.status_code
    body = _body(response)
    if 200 <= status < 300:
        return Outcome(True, status=status, body=body)
    message = f"{method} {url}: HTTP {status}: {_message(body)}"
    if status == 429 or status >= 500:
        return Outcome(False, retryable=True, error=message, status=status,
                       retry_after=retry_after(response.headers.get("Retry-After")), body=body)
    return Outcome(False, retryable=False, error=message, status=status, body=body)


def retry_after(value: str | None, *, now: datetime | None = None) -> timedelta | None:
    """Retry-After as seconds ("120") or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(timedelta(0), when - (now or datetime.now(timezone.utc)))


def _body(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:2000]


def _message(body: Any) -> str:
    """The CRM's own words: `message`, `error` or `errors` when present, else the body."""
    if isinstance(body, dict):
        for key in ("message", "error", "errors", "detail"):
            if body.get(key):
                return str(body[key])[:1000]
    if isinstance(body, list) and body and isinstance(body[0], dict) and body[0].get("message"):
        return str(body[0]["message"])[:1000]
    return str(body)[:1000] or "(empty body)"


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 300 else text[:300] + "..."
