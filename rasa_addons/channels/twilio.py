"""WhatsApp (and SMS) through Twilio, on Rasa's own connector, with a configurable API base URL.

`api_base_url` (default https://api.twilio.com) is where replies are posted (the Messages
API), for proxies and the tests' stand-in. Rasa's connector checks no signature; here every
inbound request must carry a valid `X-Twilio-Signature` (HMAC-SHA1 of the webhook URL as
Twilio calls it, `webhook_url`, plus the form fields, keyed with the auth token), else 403.
WhatsApp and SMS have no buttons: quick replies become numbered choices and "2" maps back
(`choices`). A sender "whatsapp:+..." is stored as channel `whatsapp`, any other as `twilio`.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from twilio.request_validator import RequestValidator

from rasa_addons.channels.choices import offered_payloads, render_numbered, resolve_choice
from rasa_addons.sender_ids import only_valid_senders

logger = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://api.twilio.com"
SIGNATURE_HEADER = "X-Twilio-Signature"


class TwilioAPIOutput(TwilioOutput):
    """Rasa's Twilio output, talking to `api_base_url`, with numbered choices for buttons."""

    def __init__(self, account_sid: Optional[Text], auth_token: Optional[Text], twilio_number: Optional[Text],
                 api_base_url: Text = DEFAULT_API_BASE_URL) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.api.base_url = api_base_url.rstrip("/")

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        # One message (Rasa's send_text_message would split it at blank lines).
        await self._send_message({"to": recipient_id, "from_": self.twilio_number,
                                  "body": render_numbered(text, buttons)})

    async def send_quick_replies(self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]],
                                 **kwargs: Any) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies, **kwargs)


class TwilioChannel(TwilioInput):
    """`rasa_addons.channels.twilio.TwilioChannel` in credentials; webhook /webhooks/twilio/webhook."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TwilioChannel":
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(credentials.get("account_sid"), credentials.get("auth_token"), credentials.get("twilio_number"),
                   api_base_url=credentials.get("api_base_url") or DEFAULT_API_BASE_URL,
                   webhook_url=credentials.get("webhook_url"))

    def __init__(self, account_sid: Optional[Text], auth_token: Optional[Text], twilio_number: Optional[Text],
                 debug_mode: bool = True, api_base_url: Text = DEFAULT_API_BASE_URL,
                 webhook_url: Optional[Text] = None) -> None:
        super().__init__(account_sid, auth_token, twilio_number, debug_mode)
        self.api_base_url = api_base_url
        self.webhook_url = webhook_url
        self.agent: Any = None  # Rasa's agent, seen on the first request: its tracker store holds the offers

    async def _offered(self, sender_id: Text) -> List[str]:
        store = getattr(self.agent, "tracker_store", None)
        tracker = await store.retrieve(sender_id) if store is not None else None
        return offered_payloads(tracker.events) if tracker is not None else []

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def with_choices_resolved(message: UserMessage) -> Any:
            message.text = resolve_choice(await self._offered(str(message.sender_id)), message.text)
            if str(message.sender_id).startswith("whatsapp:"):
                message.input_channel = "whatsapp"
            return await on_new_message(message)

        bp = super().blueprint(only_valid_senders(with_choices_resolved))

        @bp.middleware("request")
        async def verify_signature(request: Request) -> Any:
            self.agent = getattr(request.app.ctx, "agent", None)
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            url = self.webhook_url or request.url
            params = {key: request.form.get(key) for key in request.form}
            signature = request.headers.get(SIGNATURE_HEADER, "")
            if not self.auth_token or not RequestValidator(self.auth_token).validate(url, params, signature):
                logger.warning("Twilio request without a valid %s refused (URL checked: %s)", SIGNATURE_HEADER, url)
                return response.text("invalid signature", status=403)
            return None

        return bp

    def get_output_channel(self) -> TwilioAPIOutput:
        return TwilioAPIOutput(self.account_sid, self.auth_token, self.twilio_number, self.api_base_url)
