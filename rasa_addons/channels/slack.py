"""Slack through Rasa's own connector, with a configurable Web API base URL and replays refused.

`api_base_url` (default https://slack.com/api/) goes to slack_sdk's `AsyncWebClient`, for
proxies, Slack-compatible servers and the tests' local stand-in. Rasa's signing-secret check
(`X-Slack-Signature`, required) is unchanged. Quick replies become Block Kit buttons; Rasa
drops every button past five, so here they go in actions blocks of up to 25 (Slack's limit per
block); a click arrives as a `block_actions` interactive payload whose value is the payload.

A signed request is valid for five minutes, and Slack retries events: an event whose
`event_id` (a click: its `trigger_id`) was already handled is answered 200 and not handled
again (`rasa_addons.seen_deliveries`, in the tracker store's database: a restart does not
forget). A sender id that fails `rasa_addons.sender_ids` is refused with 400.
"""
from __future__ import annotations

import json
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import response
from sanic.request import Request
from slack_sdk.web.async_client import AsyncWebClient

from rasa_addons.seen_deliveries import SeenDeliveries, for_tracker_store
from rasa_addons.sender_ids import sender_id_problem

DEFAULT_API_BASE_URL = "https://slack.com/api/"
BUTTONS_PER_BLOCK = 25


class SlackAPIBot(SlackBot):
    """Rasa's Slack output, talking to `api_base_url`."""

    def __init__(self, token: Text, slack_channel: Optional[Text] = None, thread_id: Optional[Text] = None,
                 proxy: Optional[Text] = None, api_base_url: Text = DEFAULT_API_BASE_URL) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        self.client = AsyncWebClient(token, base_url=api_base_url.rstrip("/") + "/", proxy=proxy)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        blocks: List[Dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
        for start in range(0, len(buttons), BUTTONS_PER_BLOCK):
            blocks.append({"type": "actions", "elements": [
                {"type": "button", "text": {"type": "plain_text", "text": b["title"][:75]},
                 "value": b["payload"], "action_id": f"choice-{start + i}"}
                for i, b in enumerate(buttons[start:start + BUTTONS_PER_BLOCK])]})
        await self._post_message(channel=self.slack_channel or recipient_id, text=text, blocks=blocks)


class SlackChannel(SlackInput):
    """`rasa_addons.channels.slack.SlackChannel` in credentials; events and interactivity both go to
    /webhooks/slack/webhook."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SlackChannel":
        channel = super().from_credentials(credentials)
        channel.api_base_url = (credentials or {}).get("api_base_url") or DEFAULT_API_BASE_URL
        return channel

    api_base_url: Text = DEFAULT_API_BASE_URL

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> OutputChannel:
        return SlackAPIBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_base_url)

    _seen: Optional[SeenDeliveries] = None

    async def process_message(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                              text: Text, sender_id: Optional[Text], metadata: Optional[Dict]) -> Any:
        """Called by Rasa's webhook once the signature is checked: refuse a bad sender id, skip
        a delivery already handled, else handle it as Rasa does."""
        problem = sender_id_problem(sender_id)
        if problem:
            return response.json({"error": problem}, status=400)
        delivery = _delivery_id(request)
        if delivery is not None:
            if self._seen is None:
                self._seen = for_tracker_store(request.app.ctx.agent.tracker_store)
            signed_at = int(request.headers.get("X-Slack-Request-Timestamp", "0"))  # checked by Rasa
            if not self._seen.first_time("slack", delivery, signed_at):
                return response.text("")  # a 2xx: Slack must not retry it either
        return await super().process_message(request, on_new_message, text, sender_id, metadata)


def _delivery_id(request: Request) -> Optional[str]:
    """The id Slack gives this delivery: `event_id` of an event, `trigger_id` of a click."""
    if request.headers.get("content-type") == "application/json":
        found = (request.json or {}).get("event_id")
    else:
        payload = request.form.get("payload")
        found = json.loads(payload).get("trigger_id") if payload else None
    return str(found) if found else None
