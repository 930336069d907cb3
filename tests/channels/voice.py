"""A phone caller as Twilio Voice presents one to the bot: the form-encoded webhooks Twilio
posts (signed with X-Twilio-Signature, per Twilio's security docs) when a call comes in and
after each <Gather>, and the TwiML the bot answers, parsed. No Twilio is involved: the test
plays Twilio's part, following each answer's <Gather action="..."> as Twilio would."""
from __future__ import annotations

import hashlib
import hmac
import itertools
import xml.etree.ElementTree as ET
from base64 import b64encode
from dataclasses import dataclass
from typing import Any

import requests

from tests.channels import config

_calls = itertools.count(1)


def twilio_signature(url: str, form: dict[str, str], token: str) -> str:
    """X-Twilio-Signature: base64 HMAC-SHA1 of the URL then each form field's name and value,
    sorted by name, keyed with the account's auth token."""
    signed = url + "".join(key + form[key] for key in sorted(form))
    return b64encode(hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()).decode()


@dataclass
class TwiML:
    """The bot's answer to one webhook."""

    status: int
    root: ET.Element | None

    def said(self) -> str:
        """Everything <Say>s, in order (inside the <Gather> or not)."""
        return " ".join((e.text or "") for e in self.root.iter("Say")) if self.root is not None else ""

    @property
    def gather(self) -> ET.Element | None:
        return self.root.find("Gather") if self.root is not None else None

    @property
    def dial(self) -> str | None:
        found = self.root.find("Dial") if self.root is not None else None
        return (found.text or "").strip() if found is not None else None

    @property
    def dial_element(self) -> ET.Element | None:
        return self.root.find("Dial") if self.root is not None else None

    @property
    def hangs_up(self) -> bool:
        return self.root is not None and self.root.find("Hangup") is not None


class Caller:
    """One phone call from `number` to the business's Twilio number."""

    def __init__(self, bot: Any, number: str, token: str = config.TWILIO_VOICE_AUTH_TOKEN) -> None:
        self.bot, self.number, self.token = bot, number, token
        self.call_sid = f"CA{next(_calls):032x}"
        self.webhook = config.voice_webhook_url(bot.rasa_url)  # what the Twilio number is configured with
        self.next_action = self.webhook  # where Twilio posts next: the last <Gather action>
        self.last: TwiML | None = None

    def form(self, status: str = "in-progress", **extra: str) -> dict[str, str]:
        return {"AccountSid": config.TWILIO_SID, "ApiVersion": "2010-04-01", "CallSid": self.call_sid,
                "CallStatus": status, "Called": config.VOICE_NUMBER, "Caller": self.number, "Direction": "inbound",
                "From": self.number, "To": config.VOICE_NUMBER, "FromCountry": "US", "ToCountry": "US", **extra}

    def post(self, url: str, form: dict[str, str], token: str | None = None,
             signature: str | None = None) -> TwiML:
        """Post `form` to `url` (the webhook, or a <Gather>'s action: the public URL), signed."""
        sig = signature if signature is not None else twilio_signature(url, form, token or self.token)
        r = requests.post(url, data=form, headers={"X-Twilio-Signature": sig}, timeout=60)
        root = ET.fromstring(r.text) if r.status_code == 200 else None
        answer = TwiML(r.status_code, root)
        if r.status_code == 200:
            assert r.headers["Content-Type"].startswith("text/xml"), r.headers
            assert root.tag == "Response", r.text
            gather = answer.gather
            self.next_action = gather.get("action") if gather is not None else self.webhook
            self.last = answer
        return answer

    def ring(self) -> TwiML:
        """The call comes in: Twilio's first request, before anyone spoke."""
        return self.post(self.webhook, self.form("ringing"))

    def say(self, words: str, confidence: str = "0.92") -> TwiML:
        """The caller speaks: the <Gather>'s action with the recogniser's transcript."""
        return self.post(self.next_action, self.form(SpeechResult=words, Confidence=confidence))

    def press(self, digits: str) -> TwiML:
        """The caller presses keys instead of speaking: the <Gather>'s action with `Digits`."""
        return self.post(self.next_action, self.form(Digits=digits))

    def dial_ends(self, status: str) -> TwiML:
        """The transfer is over: Twilio posts the <Dial>'s action with `DialCallStatus`
        (completed, busy, no-answer, failed, canceled)."""
        dial = self.last.dial_element
        assert dial is not None and dial.get("action"), "a <Dial> with an action to report to"
        return self.post(dial.get("action"), self.form(DialCallStatus=status, DialCallDuration="0"))

    def stay_silent(self) -> TwiML:
        """Nothing said before the speech timeout: the action is posted without a result
        (`actionOnEmptyResult`)."""
        return self.post(self.next_action, self.form())
