"""Each platform as a user's phone sees it: post the platform's real inbound webhook payload
(signed the way the platform signs it) to the running Rasa server, then read what the bot
sent back through the platform's API (the stand-in's record).

`say(text)` and `click(title)` return the bot's replies of that turn as `Reply`s: the text and
the choices offered with it (button titles and payloads, as rendered for that platform).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import itertools
import re
import time
from base64 import b64encode
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlencode

import requests

from tests.channels import config
from tests.channels.platforms import PlatformStandIn

_ids = itertools.count(1)


@dataclass
class Reply:
    text: str
    choices: list[tuple[str, str]] = field(default_factory=list)  # (title, payload)


class PlatformUser:
    platform: str
    method: str

    def __init__(self, bot: Any, platforms: PlatformStandIn, user_id: str) -> None:
        self.bot, self.platforms, self.user_id = bot, platforms, user_id
        self.last: list[Reply] = []

    # what a platform-specific user provides
    def _post_text(self, text: str) -> requests.Response: ...
    def _post_click(self, title: str, payload: str) -> requests.Response: ...
    def _mine(self, body: dict) -> bool: ...
    def _reply(self, body: dict) -> Reply: ...

    def _turn(self, post: Callable[[], requests.Response]) -> list[Reply]:
        before = len(self.platforms.sent(self.platform, self.method, self._mine))
        r = post()
        assert r.status_code < 300, f"{self.platform} webhook answered {r.status_code}: {r.text}"
        bodies = self.platforms.wait_for(self.platform, self.method, self._mine, after=before)
        self.last = [self._reply(b) for b in bodies]
        return self.last

    def say(self, text: str) -> list[Reply]:
        return self._turn(lambda: self._post_text(text))

    def click(self, title: str) -> list[Reply]:
        """Press the offered button titled `title` (its payload is what the platform sends)."""
        offered = dict(c for reply in self.last for c in reply.choices)
        assert title in offered, f"no button {title!r} offered: {offered}"
        return self._turn(lambda: self._post_click(title, offered[title]))


class TelegramUser(PlatformUser):
    platform, method = "telegram", "sendMessage"

    def __init__(self, bot: Any, platforms: PlatformStandIn, chat_id: int, first_name: str = "Sam") -> None:
        super().__init__(bot, platforms, str(chat_id))
        self.chat_id, self.first_name = chat_id, first_name

    def _user(self) -> dict:
        return {"id": self.chat_id, "is_bot": False, "first_name": self.first_name, "language_code": "en"}

    def _chat(self) -> dict:
        return {"id": self.chat_id, "first_name": self.first_name, "type": "private"}

    def post(self, update: dict, secret: str | None = config.TELEGRAM_SECRET) -> requests.Response:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        return requests.post(f"{self.bot.rasa_url}/webhooks/telegram/webhook", json=update, headers=headers, timeout=60)

    def text_update(self, text: str) -> dict:
        return {"update_id": next(_ids), "message": {
            "message_id": next(_ids), "from": self._user(), "chat": self._chat(), "date": int(time.time()),
            "text": text}}

    def _post_text(self, text: str) -> requests.Response:
        return self.post(self.text_update(text))

    def _post_click(self, title: str, payload: str) -> requests.Response:
        return self.post({"update_id": next(_ids), "callback_query": {
            "id": str(next(_ids) * 1000003), "from": self._user(), "chat_instance": "-7362881",
            "message": {"message_id": next(_ids), "date": int(time.time()), "chat": self._chat(),
                        "from": {"id": 4242, "is_bot": True, "first_name": "Leadbot"}, "text": "question"},
            "data": payload}})

    def _mine(self, body: dict) -> bool:
        return str(body.get("chat_id")) == self.user_id

    def _reply(self, body: dict) -> Reply:
        rows = (body.get("reply_markup") or {}).get("inline_keyboard") or []
        return Reply(body.get("text", ""), [(b["text"], b["callback_data"]) for row in rows for b in row])


class SlackUser(PlatformUser):
    platform, method = "slack", "chat.postMessage"
    dm_channel = "D0LEADBOT"

    def __init__(self, bot: Any, platforms: PlatformStandIn, user_id: str) -> None:
        super().__init__(bot, platforms, user_id)
        self.dm_channel = f"D{user_id[1:]}"

    def post(self, body: bytes, content_type: str, secret: str = config.SLACK_SIGNING_SECRET,
             timestamp: int | None = None) -> requests.Response:
        ts = str(timestamp if timestamp is not None else int(time.time()))
        sig = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
        return requests.post(f"{self.bot.rasa_url}/webhooks/slack/webhook", data=body, timeout=60, headers={
            "Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig})

    def event(self, text: str) -> bytes:
        ts = f"{time.time():.6f}"
        return json.dumps({
            "token": "verification-token", "team_id": "T0LEAD", "api_app_id": "A0LEAD",
            "event": {"type": "message", "channel": self.dm_channel, "user": self.user_id, "text": text,
                      "ts": ts, "event_ts": ts, "channel_type": "im", "team": "T0LEAD",
                      "client_msg_id": f"c-{next(_ids)}"},
            "type": "event_callback", "event_id": f"Ev{next(_ids)}", "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0LEAD", "user_id": "U0BOT", "is_bot": True}],
        }).encode()

    def _post_text(self, text: str) -> requests.Response:
        return self.post(self.event(text), "application/json")

    def _post_click(self, title: str, payload: str) -> requests.Response:
        return self.post(self.click_body(title, payload), "application/x-www-form-urlencoded")

    def click_body(self, title: str, payload: str) -> bytes:
        """A tap on the button `title` as Slack posts it (a `block_actions` form, its own trigger_id)."""
        ts = f"{time.time():.6f}"
        interaction = {
            "type": "block_actions", "user": {"id": self.user_id, "username": "sam", "team_id": "T0LEAD"},
            "api_app_id": "A0LEAD", "token": "verification-token", "trigger_id": f"{next(_ids)}.abc",
            "team": {"id": "T0LEAD", "domain": "example"},
            "container": {"type": "message", "message_ts": ts, "channel_id": self.dm_channel, "is_ephemeral": False},
            "channel": {"id": self.dm_channel, "name": "directmessage"},
            "message": {"type": "message", "user": "U0BOT", "ts": ts, "text": "question"},
            "response_url": "https://hooks.slack.com/actions/T0LEAD/1/x",
            "actions": [{"action_id": "choice-0", "block_id": "b1", "type": "button", "value": payload,
                         "text": {"type": "plain_text", "text": title}, "action_ts": ts}],
        }
        return urlencode({"payload": json.dumps(interaction)}).encode()

    def _mine(self, body: dict) -> bool:
        return body.get("channel") == self.dm_channel

    def _reply(self, body: dict) -> Reply:
        choices = [(e["text"]["text"], e["value"]) for block in body.get("blocks") or []
                   if block.get("type") == "actions" for e in block["elements"]]
        return Reply(body.get("text", ""), choices)


class FacebookUser(PlatformUser):
    platform, method = "facebook", "me/messages"

    def post(self, body: bytes, secret: str = config.FACEBOOK_APP_SECRET) -> requests.Response:
        sig = "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
        return requests.post(f"{self.bot.rasa_url}/webhooks/facebook/webhook", data=body, timeout=60,
                             headers={"Content-Type": "application/json", "X-Hub-Signature": sig})

    def entry(self, messaging: dict) -> bytes:
        now = int(time.time() * 1000)
        return json.dumps({"object": "page", "entry": [{"id": "PAGE1", "time": now, "messaging": [
            {"sender": {"id": self.user_id}, "recipient": {"id": "PAGE1"}, "timestamp": now, **messaging}]}]}).encode()

    def _post_text(self, text: str) -> requests.Response:
        return self.post(self.entry({"message": {"mid": f"m_{next(_ids)}", "text": text}}))

    def _post_click(self, title: str, payload: str) -> requests.Response:
        quick = any(getattr(r, "quick", False) for r in self.last)
        if quick:
            message = {"mid": f"m_{next(_ids)}", "text": title, "quick_reply": {"payload": payload}}
            return self.post(self.entry({"message": message}))
        return self.post(self.entry({"postback": {"mid": f"m_{next(_ids)}", "title": title, "payload": payload}}))

    def _mine(self, body: dict) -> bool:
        return (body.get("recipient") or {}).get("id") == self.user_id and "message" in body

    def _reply(self, body: dict) -> Reply:
        message = body["message"]
        if "quick_replies" in message:
            reply = Reply(message.get("text", ""), [(q["title"], q["payload"]) for q in message["quick_replies"]])
            reply.quick = True  # type: ignore[attr-defined]
            return reply
        template = ((message.get("attachment") or {}).get("payload")) or {}
        if template.get("template_type") == "button":
            return Reply(template.get("text", ""), [(b["title"], b["payload"]) for b in template["buttons"]])
        return Reply(message.get("text", ""))


class WhatsAppUser(PlatformUser):
    """WhatsApp through Twilio: form-encoded webhooks signed with X-Twilio-Signature."""

    platform, method = "twilio", "Messages.json"

    def __init__(self, bot: Any, platforms: PlatformStandIn, phone: str) -> None:
        super().__init__(bot, platforms, f"whatsapp:{phone}")

    def post(self, form: dict[str, str], token: str = config.TWILIO_AUTH_TOKEN) -> requests.Response:
        url = config.twilio_webhook_url(self.bot.rasa_url)
        signed = url + "".join(k + form[k] for k in sorted(form))
        sig = b64encode(hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()).decode()
        return requests.post(url, data=form, headers={"X-Twilio-Signature": sig}, timeout=60)

    def form(self, text: str) -> dict[str, str]:
        return {"SmsMessageSid": f"SM{next(_ids):032d}", "NumMedia": "0", "ProfileName": "Sam",
                "SmsSid": f"SM{next(_ids):032d}", "WaId": self.user_id.split("+")[-1], "SmsStatus": "received",
                "Body": text, "To": config.TWILIO_NUMBER, "NumSegments": "1", "MessageSid": f"SM{next(_ids):032d}",
                "AccountSid": config.TWILIO_SID, "From": self.user_id, "ApiVersion": "2010-04-01"}

    def _post_text(self, text: str) -> requests.Response:
        return self.post(self.form(text))

    def _post_click(self, title: str, payload: str) -> requests.Response:
        raise AssertionError("WhatsApp through Twilio has no buttons: reply with the choice's number")

    def _mine(self, body: dict) -> bool:
        return body.get("To") == self.user_id

    def _reply(self, body: dict) -> Reply:
        text = body.get("Body", "")
        return Reply(text, [(m.group(2), m.group(1)) for m in re.finditer(r"^(\d+)\. (.+)$", text, re.M)])
