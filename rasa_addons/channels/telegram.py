"""Telegram through Rasa's own connector, with a configurable Bot API base URL.

Rasa's `TelegramInput` calls `setWebhook` on api.telegram.org when the server starts, so it
cannot start offline nor against a self-hosted Bot API server. `api_base_url` (default
https://api.telegram.org) fixes both. `secret_token` is passed to `setWebhook`; Telegram then
sends it in `X-Telegram-Bot-Api-Secret-Token` with every update and a request without it is
refused (Rasa's own check, the bot's username from `getMe`, is kept too).
Quick replies become an inline keyboard (one button per row past three choices); a click
arrives as a `callback_query` whose data is the payload, and is acknowledged so the
client stops its spinner. Telegram opens every chat with the `/start` command (the Start
button, `/start <parameter>` from a deep link); Rasa would read it as an unknown intent and
NLU as "start over", so it becomes the greeting intent, the parameter kept in the metadata
as `telegram_start_parameter`.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram.bot.api import TelegramAPIServer
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request

from rasa_addons.sender_ids import only_valid_senders

logger = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
GREETING = "/greet"  # Rasa's intent syntax: the domain's greeting intent


def opening_command(text: Optional[Text]) -> Optional[Text]:
    """The deep-link parameter ("" if none) when `text` is Telegram's /start command, else None."""
    parts = (text or "").strip().split(maxsplit=1)
    if parts and (parts[0] == "/start" or parts[0].startswith("/start@")):
        return parts[1] if len(parts) > 1 else ""
    return None


class TelegramAPIOutput(TelegramOutput):
    """Rasa's Telegram output, talking to `api_base_url`."""

    def __init__(self, access_token: Optional[Text], api_base_url: Text = DEFAULT_API_BASE_URL) -> None:
        super(TelegramOutput, self).__init__(access_token, server=TelegramAPIServer.from_base(api_base_url.rstrip("/")))

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     button_type: Optional[Text] = None, **kwargs: Any) -> None:
        """Short choices side by side, longer lists one per row (readable on a phone)."""
        if button_type is None:
            button_type = "inline" if len(buttons) <= 3 else "vertical"
        await super().send_text_with_buttons(recipient_id, text, buttons, button_type=button_type, **kwargs)


class TelegramChannel(TelegramInput):
    """`rasa_addons.channels.telegram.TelegramChannel` in credentials; webhook /webhooks/telegram/webhook."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TelegramChannel":
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(credentials.get("access_token"), credentials.get("verify"), credentials.get("webhook_url"),
                   api_base_url=credentials.get("api_base_url") or DEFAULT_API_BASE_URL,
                   secret_token=credentials.get("secret_token"))

    def __init__(self, access_token: Optional[Text], verify: Optional[Text], webhook_url: Optional[Text],
                 debug_mode: bool = True, api_base_url: Text = DEFAULT_API_BASE_URL,
                 secret_token: Optional[Text] = None) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode)
        self.api_base_url = api_base_url
        self.secret_token = secret_token or None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def with_start_as_greeting(message: UserMessage) -> Any:
            parameter = opening_command(message.text)
            if parameter is not None:
                message.text = GREETING
                if parameter:
                    message.metadata = {**(message.metadata or {}), "telegram_start_parameter": parameter}
            return await checked(message)

        checked = only_valid_senders(on_new_message)
        bp = super().blueprint(with_start_as_greeting)

        @bp.middleware("request")
        async def verify_and_acknowledge(request: Request) -> Any:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            if self.secret_token and not hmac.compare_digest(
                    request.headers.get(SECRET_HEADER, ""), self.secret_token):
                logger.warning("Telegram update without the right %s refused", SECRET_HEADER)
                return response.text("secret token missing or wrong", status=403)
            callback = (request.json or {}).get("callback_query") if isinstance(request.json, dict) else None
            if callback and callback.get("id"):
                asyncio.get_running_loop().create_task(self._acknowledge(callback["id"]))
            return None

        return bp

    async def _acknowledge(self, callback_query_id: Text) -> None:
        bot = TelegramAPIOutput(self.access_token, self.api_base_url)
        try:
            await bot.answer_callback_query(callback_query_id)
        except TelegramAPIError as exc:  # the answer already went out; only the spinner stays
            logger.warning("answerCallbackQuery failed: %s", exc)
        finally:
            await bot.close()

    def get_output_channel(self) -> TelegramAPIOutput:
        """Register the webhook (with the secret token) once per call, on a throw-away client: the
        registration runs in its own event loop, the returned client in the server's."""
        registrar = TelegramAPIOutput(self.access_token, self.api_base_url)

        async def register() -> None:
            try:
                params: Dict[str, Any] = {"url": self.webhook_url}
                if self.secret_token:
                    params["secret_token"] = self.secret_token
                await registrar.request("setWebhook", params)
            finally:
                await registrar.close()

        try:
            asyncio.run(register())
        except TelegramAPIError as error:
            raise RasaException(f"Failed to set the Telegram webhook at {self.api_base_url}: {error}") from error
        return TelegramAPIOutput(self.access_token, self.api_base_url)
