"""The generic JSON webhook target: one POST per outbox event, signed with HMAC-SHA256.

Receivers verify `X-Leadbot-Signature: sha256=<hex>` over the raw body with the shared
secret, and de-duplicate on `event_id` (also sent as `Idempotency-Key`): delivery is at
least once, so a crash between the receiver's answer and our commit sends the event again,
with the same id.
"""
from __future__ import annotations

import json
from typing import Any

import requests

from bot.outbound import Outcome, call, signature
from crm_sync.settings import CrmSettings


class WebhookTarget:
    name = "webhook"

    def __init__(self, settings: CrmSettings, session: requests.Session | None = None) -> None:
        self.settings = settings
        self.secret = settings.webhook.secret()
        self.session = session or requests.Session()

    def deliver(self, event: dict[str, Any], links: Any = None) -> Outcome:
        """`event`: event_id, event_type, occurred_at, lead (current export or None), payload."""
        body = json.dumps(event, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": event["event_id"],
            "X-Leadbot-Event": event["event_type"],
            "X-Leadbot-Signature": signature(self.secret, body),
            "User-Agent": "leadbot-crm-sync",
        }
        return call(self.session, "POST", self.settings.webhook.url, data=body, headers=headers,
                    timeout=self.settings.timeout_seconds)
