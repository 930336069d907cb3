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
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import requests

from bot.notify.card import LeadCard, render_html, render_json, render_slack, render_text
from bot.notify.settings import MissingSecret, NotifySettings, SmtpSettings, secret_from_env
from bot.outbound import Outcome, call, signature


def send(channel: str, target: str, card: LeadCard, settings: NotifySettings, http: requests.Session, *,
         key: str) -> Outcome:
    """`key` identifies the notification: webhook receivers de-duplicate on it."""
    try:
        if channel == "email":
            return send_email(target, card, settings.smtp)
        url = secret_from_env(target, f"the {channel} webhook URL for lead cards")
    except MissingSecret as exc:
        return Outcome(False, retryable=False, error=str(exc))
    if channel == "slack":
        return call(http, "POST", url, json=render_slack(card), timeout=settings.timeout_seconds)
    body = json.dumps(render_json(card), ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    headers = {"Content-Type": "application/json", "User-Agent": "leadbot-notify",
               "Idempotency-Key": key}
    secret = os.environ.get(settings.webhook_secret_env, "")
    if secret:
        headers["X-Leadbot-Signature"] = signature(secret, body)
    return call(http, "POST", url, data=body, headers=headers, timeout=settings.timeout_seconds)


def build_email(to: str, card: LeadCard, smtp: SmtpSettings) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = card.subject.replace("\n", " ").replace("\r", " ")[:250]
    message["From"] = smtp.sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="leadbot")
    message["X-Leadbot-Lead"] = str(card.lead_id)
    message.set_content(render_text(card), charset="utf-8")
    message.add_alternative(render_html(card), subtype="html", charset="utf-8")
    return message


def send_email(to: str, card: LeadCard, smtp: SmtpSettings) -> Outcome:
    message = build_email(to, card, smtp)
    where = f"SMTP {smtp.host}:{smtp.port}"
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
    except smtplib.SMTPResponseException as exc:
        return Outcome(False, retryable=400 <= exc.smtp_code < 500,
                       error=f"{where}: {exc.smtp_code} {_text(exc.smtp_error)}")
    except (smtplib.SMTPException, OSError, socket.timeout) as exc:
        return Outcome(False, retryable=True, error=f"{where}: {type(exc).__name__}: {exc}")
    return Outcome(True)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
