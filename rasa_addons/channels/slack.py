"""Slack through Rasa's own connector, with a configurable Web API base URL.

`api_base_url` (default https://slack.com/api/) goes to slack_sdk's `AsyncWebClient`, for
proxies, Slack-compatible servers and the tests' local stand-in. Rasa's signing-secret check
(`X-Slack-Signature`, required) is unchanged. Quick replies become Block Kit buttons; Rasa
drops every button past five, so here they go in actions blocks of up to 25 (Slack's limit per
block); a click arrives as a `block_actions` interactive payload whose value is the payload.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.channels.slack import SlackBot, SlackInput
from rasa.core.channels.channel import OutputChannel
from slack_sdk.web.async_client import AsyncWebClient

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
