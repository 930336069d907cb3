"""Send one rendered card on one channel, and say what the outcome means.

Same meaning everywhere (`bot.outbound.Outcome`): delivered; retryable (timeouts,
connection errors, HTTP 5xx/429, SMTP 4xx); or permanent (other HTTP 4xx, SMTP 5xx, a
webhook variable that is not set), which makes the notification a visible dead letter.
"""
from __future__ import annotations

import json
import os
import smtplib
import socket
import ssl
from dataclasses import replace
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import urlsplit

import requests

from bot.notify.card import LeadCard, render_html, render_json, render_slack, render_text
from bot.notify.digest import (
    DigestCard,
    render_digest_html,
    render_digest_json,
    render_digest_slack,
    render_digest_text,
)

Card = LeadCard | DigestCard


def _renderers(card: Card) -> tuple[Any, Any, Any, Any]:
    """(text, html, slack, json) renderers for the kind of card."""
    if isinstance(card, DigestCard):
        return render_digest_text, render_digest_html, render_digest_slack, render_digest_json
    return render_text, render_html, render_slack, render_json
from bot.notify.settings import NO_SMTP, MissingSecret, NotifySettings, SmtpSettings, secret_from_env
from bot.outbound import Outcome, call, signature


def send(channel: str, target: str, card: Card, settings: NotifySettings, http: requests.Session, *,
         key: str) -> Outcome:
    """Send `card` to `target` (an address, or the NAME of the variable holding a webhook
    URL). `key` identifies the notification: webhook receivers de-duplicate on it."""
    if channel == "email":
        return send_email(target, card, settings.smtp, key=key)
    try:
        url = secret_from_env(target, f"the {channel} webhook URL for lead cards")
    except MissingSecret as exc:
        return Outcome(False, retryable=False, error=str(exc))
    if not url.startswith(("http://", "https://")):
        return Outcome(False, retryable=False, error=f"{target} does not hold an http(s) URL; set it to the webhook URL")
    if channel == "slack":
        outcome = _post(http, url, settings, json=_renderers(card)[2](card))
    else:
        body = json.dumps(_renderers(card)[3](card), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "leadbot-notify",
                   "Idempotency-Key": key}
        secret = os.environ.get(settings.webhook_secret_env, "")
        if secret:
            headers["X-Leadbot-Signature"] = signature(secret, body)
        outcome = _post(http, url, settings, data=body, headers=headers)
    return _redacted(outcome, url, target)


def _post(http: requests.Session, url: str, settings: NotifySettings, **kwargs: Any) -> Outcome:
    try:
        return call(http, "POST", url, timeout=settings.timeout_seconds, **kwargs)
    except requests.RequestException as exc:  # an unusable URL, a redirect loop: asking again will not help
        return Outcome(False, retryable=False, error=f"POST {url}: {type(exc).__name__}: {exc}")


def _redacted(outcome: Outcome, url: str, variable: str) -> Outcome:
    """Webhook URLs are credentials: errors are stored and printed, so they name the
    variable instead (`$SLACK_WEBHOOK_DANA`), and never show the URL's path or query."""
    if not outcome.error:
        return outcome
    parts = urlsplit(url)
    error = outcome.error.replace(url, f"${variable}")
    for secret in (parts.path + (f"?{parts.query}" if parts.query else ""), parts.path, parts.query):
        if len(secret) > 1:
            error = error.replace(secret, "/…")
    return replace(outcome, error=error)


def build_email(to: str, card: Card, smtp: SmtpSettings, *, key: str | None = None) -> EmailMessage:
    """Plain text and HTML alternatives, UTF-8. With `key`, the Message-ID is the
    notification's own, so a card sent twice (at least once delivery) threads as one."""
    message = EmailMessage()
    message["Subject"] = card.subject
    message["From"] = smtp.sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = f"<{key}@leadbot>" if key else make_msgid(domain="leadbot")
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    if isinstance(card, DigestCard):
        message["X-Leadbot-Rep"] = str(card.rep_id)
    else:
        message["X-Leadbot-Lead"] = str(card.lead_id)
    text, page = _renderers(card)[:2]
    message.set_content(text(card), charset="utf-8")
    message.add_alternative(page(card), subtype="html", charset="utf-8")
    return message


def send_email(to: str, card: Card, smtp: SmtpSettings, *, key: str | None = None) -> Outcome:
    """A card by e-mail (`deliver_email`)."""
    try:
        message = build_email(to, card, smtp, key=key)
    except (ValueError, TypeError) as exc:  # the address itself cannot be a header
        return Outcome(False, retryable=False, error=f"cannot write an e-mail to {to!r}: {exc}")
    return deliver_email(message, smtp)


def deliver_email(message: EmailMessage, smtp: SmtpSettings) -> Outcome:
    """One message over SMTP, with a timeout. SMTP 4xx and connection failures are worth
    retrying; 5xx (an unknown recipient, a refused sender) and no server configured are not. Lead cards and nurture
    e-mails (bot/nurture) both go this way."""
    if smtp.host is None:
        return Outcome(False, retryable=False, error=NO_SMTP)
    where = f"SMTP {smtp.host}:{smtp.port}"
    to = str(message["To"])
    try:
        if smtp.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_seconds,
                                                    context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if smtp.username:
                client.login(smtp.username, secret_from_env(smtp.password_env, "the SMTP password"))
            client.send_message(message)
    except MissingSecret as exc:
        return Outcome(False, retryable=False, error=str(exc))
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        return Outcome(False, retryable=400 <= code < 500, error=f"{where}: {to} refused: {code} {_text(text)}")
    except smtplib.SMTPNotSupportedError as exc:  # e.g. a non-ASCII address without SMTPUTF8
        return Outcome(False, retryable=False, error=f"{where}: {exc}")
    except smtplib.SMTPResponseException as exc:
        return Outcome(False, retryable=400 <= exc.smtp_code < 500,
                       error=f"{where}: {exc.smtp_code} {_text(exc.smtp_error)}")
    except (smtplib.SMTPException, OSError, socket.timeout) as exc:
        return Outcome(False, retryable=True, error=f"{where}: {type(exc).__name__}: {exc}")
    return Outcome(True)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
