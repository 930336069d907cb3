"""Facebook Messenger through Rasa's own connector, with a configurable Graph API base URL.

`api_base_url` (default https://graph.facebook.com) replaces fbmessenger's hard-coded Graph
address, for proxies and the tests' stand-in. The app-secret check (`X-Hub-Signature`, HMAC of
the body) and the verify-token handshake are Rasa's own. Quick replies: up to three become a
button template (postbacks), up to thirteen become Messenger quick replies, more become
numbered lines (Messenger's limits); clicks arrive as postbacks or quick_reply payloads.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from fbmessenger import MessengerClient
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request

from rasa_addons.channels.choices import render_numbered
from rasa_addons.sender_ids import sender_id_problem

logger = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://graph.facebook.com"
MAX_TEMPLATE_BUTTONS = 3
MAX_QUICK_REPLIES = 13


def graph_client(page_access_token: Text, api_base_url: Text) -> MessengerClient:
    client = MessengerClient(page_access_token)
    client.graph_url = f"{api_base_url.rstrip('/')}/v{client.api_version}"
    return client


class MessengerAPIBot(MessengerBot):
    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        if len(buttons) <= MAX_TEMPLATE_BUTTONS:
            await super().send_text_with_buttons(recipient_id, text, buttons, **kwargs)
        elif len(buttons) <= MAX_QUICK_REPLIES:
            quick = [{"title": b["title"][:20], "payload": b["payload"]} for b in buttons]
            await self.send_quick_replies(recipient_id, text, quick)
        else:
            await self.send_text_message(recipient_id, render_numbered(text, buttons).replace("\n\n", "\n"))


class GraphMessenger(Messenger):
    """Rasa's webhook parser, replying through `api_base_url`."""

    def __init__(self, page_access_token: Text, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                 api_base_url: Text) -> None:
        super().__init__(page_access_token, on_new_message)
        self.client = graph_client(page_access_token, api_base_url)

    async def _handle_user_message(self, text: Text, sender_id: Text, metadata: Optional[Dict[Text, Any]]) -> None:
        problem = sender_id_problem(str(sender_id))
        if problem:  # before "seen" and "typing": nothing goes to such an id
            logger.warning(f"facebook message dropped: {problem}")
            return
        out_channel = MessengerAPIBot(self.client)
        await out_channel.send_action(sender_id, sender_action="mark_seen")
        await out_channel.send_action(sender_id, sender_action="typing_on")
        try:
            await self.on_new_message(UserMessage(text, out_channel, sender_id, input_channel=self.name(),
                                                  metadata=metadata))
        except Exception:
            logger.exception("Exception when trying to handle webhook for facebook message.")
        finally:
            await out_channel.send_action(sender_id, sender_action="typing_off")


class FacebookChannel(FacebookInput):
    """`rasa_addons.channels.facebook.FacebookChannel` in credentials; webhook /webhooks/facebook/webhook."""

    api_base_url: Text = DEFAULT_API_BASE_URL

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "FacebookChannel":
        channel = super().from_credentials(credentials)
        channel.api_base_url = (credentials or {}).get("api_base_url") or DEFAULT_API_BASE_URL
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        fb_webhook = Blueprint("fb_webhook", __name__)

        @fb_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> Any:
            return response.json({"status": "ok"})

        @fb_webhook.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> Any:
            if self.fb_verify and request.args.get("hub.verify_token") == self.fb_verify:
                return response.text(request.args.get("hub.challenge"))
            logger.warning("Invalid fb verify token")
            return response.text("failure, invalid token", status=403)

        @fb_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> Any:
            signature = request.headers.get("X-Hub-Signature") or ""
            if not self.validate_hub_signature(self.fb_secret, request.body, signature):
                logger.warning("Facebook request without a valid X-Hub-Signature refused")
                return response.text("not validated", status=403)
            messenger = GraphMessenger(self.fb_access_token, on_new_message, self.api_base_url)
            await messenger.handle(request.json, self.get_metadata(request))
            return response.text("success")

        return fb_webhook
