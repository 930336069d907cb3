"""Phone calls through Twilio Voice, on Rasa's own `twilio_voice` connector.

Twilio posts a form to the webhook when a call comes in and after each <Gather> (the caller's
words as `SpeechResult`); the answer is TwiML. What this subclass adds to Rasa's connector:

- Signatures: every request must carry a valid `X-Twilio-Signature` (HMAC-SHA1 of the URL
  Twilio called, `webhook_url` plus the query string, and the sorted form fields, keyed with
  the auth token), else 403 and nothing reaches the conversation.
- The caller: the conversation is keyed by the caller's number (`From`; the call's `CallSid`
  for a withheld number) and every message carries `{"caller": From}` as metadata, which the
  understanding action stores as the lead's phone (actions/understanding.py).
- For the ear: quick replies are said as "You can say: A, B, or C. Or press 1 for A, 2 for B,
  or 3 for C." (the caller's words are parsed like typed ones); domain.yml has
  `channel: twilio_voice` variants of the questions.
- Keys: every <Gather> listens for speech and key presses (`input="speech dtmf"`; one key
  ends it while choices stand). A key pressed (`Digits`) stands for the choice of that number
  the bot's latest message offered (`rasa_addons/channels/choices.py`, read from the tracker,
  as a typed "2" on WhatsApp); with no choice standing the digits are the answer as said.
- Silence: the whole last turn is said again after "Are you still there?"; after
  `max_silences` silent turns in a row the bot says goodbye and hangs up. The count travels
  in the <Gather> action's query string, so no state is kept in the process.
- Hand-off (actions/submission.py `ActionHandoff`): a custom message `{"voice": {"transfer_to":
  "+1..."}}` ends the turn with <Dial action="...?turn=dialled">; `{"voice": {"take_message":
  true}}` gathers one more utterance, the message, which reaches the paused conversation (and
  so the stored lead's transcript) like any other, then thanks the caller and hangs up.
- A transfer nobody answers: Twilio posts the <Dial>'s action with `DialCallStatus`; unless
  the rep took the call (`completed`, `answered`) the caller is told and a message is taken
  as after hours.
- A goodbye (`utter_goodbye`, `utter_nothing_to_add`) ends the call with <Hangup>.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text
from urllib.parse import parse_qs

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.twilio_voice import TwilioVoiceCollectingOutputChannel, TwilioVoiceInput
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import Gather, VoiceResponse

from rasa_addons.channels.choices import offered_payloads, resolve_choice
from rasa_addons.sender_ids import only_valid_senders

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Twilio-Signature"
CHANNEL = "twilio_voice"
# Responses after which the call ends (the bot's goodbyes).
CLOSING_RESPONSES = frozenset({"utter_goodbye", "utter_nothing_to_add", "utter_followup_optin_yes",
                               "utter_followup_optin_no"})
STILL_THERE = "Are you still there?"
GOODBYE_AFTER_SILENCE = "I'll let you go now. Call us back any time. Goodbye!"
MESSAGE_TAKEN = "Thank you, your message is with our team. Goodbye!"
NOT_ANSWERED = ("Sorry, nobody could take your call just now. Please leave a short message after this, "
                "and we'll call you back.")
# DialCallStatus values for a transfer the rep took (Twilio's <Dial> action callback).
DIAL_TAKEN = frozenset({"completed", "answered"})
DIAL_TIMEOUT_SECONDS = 20  # how long the rep's line rings before the caller leaves a message
KEYS = 9  # choices that can be picked with one key


def _number_words(titles: List[str]) -> str:
    return _spoken_list([f"{i} for {title}" for i, title in enumerate(titles, start=1)])


def _spoken_list(items: List[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + ", or " + items[-1]


def spoken_choices(text: str, buttons: List[Dict[str, Any]]) -> str:
    """A question with its quick replies for the ear: said, and a key for each (up to nine)."""
    titles = [str(b.get("title") or b.get("payload")) for b in buttons]
    if not titles:
        return text
    keys = f" Or press {_number_words(titles)}." if len(titles) <= KEYS else ""
    return f"{text.strip()} You can say: {_spoken_list(titles)}.{keys}"


class VoiceOutput(TwilioVoiceCollectingOutputChannel):
    """Collects a turn's messages; buttons become spoken choices in the same message, and
    `choices` counts the latest message's (the keys that pick one)."""

    def __init__(self) -> None:
        super().__init__()
        self.choices = 0

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        self.choices = 0
        await super().send_text_message(recipient_id, text, **kwargs)

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     **kwargs: Any) -> None:
        self._emoji_warning(text)
        self.choices = len(buttons)
        await self._persist_message(self._message(recipient_id, text=spoken_choices(text, buttons)))

    async def send_quick_replies(self, recipient_id: Text, text: Text, quick_replies: List[Dict[Text, Any]],
                                 **kwargs: Any) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies, **kwargs)


def caller_sender_id(form: Dict[str, Any]) -> Optional[str]:
    """The conversation a call belongs to: the caller's number, else (a withheld number,
    "anonymous") the call itself, so that two anonymous callers never share one."""
    caller = str(form.get("From") or "")
    if caller.startswith("+") and caller[1:].isdigit():
        return caller
    return form.get("CallSid")


class TwilioVoiceChannel(TwilioVoiceInput):
    """`rasa_addons.channels.twilio_voice.TwilioVoiceChannel` in credentials; webhook
    /webhooks/twilio_voice/webhook."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TwilioVoiceChannel":
        if not credentials or not credentials.get("auth_token") or not credentials.get("webhook_url"):
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("initial_prompt", "hello"),
            credentials.get("reprompt_fallback_phrase", "Sorry, I didn't catch that. Could you say it again?"),
            credentials.get("assistant_voice", "Polly.Joanna"),
            str(credentials.get("speech_timeout", "auto")),
            credentials.get("speech_model", "numbers_and_commands"),
            str(credentials.get("enhanced", "false")),
            auth_token=credentials["auth_token"],
            webhook_url=credentials["webhook_url"],
            language=credentials.get("language", "en-US"),
            max_silences=int(credentials.get("max_silences", 2)),
        )

    def __init__(self, initial_prompt: Optional[Text], reprompt_fallback_phrase: Optional[Text],
                 assistant_voice: Optional[Text], speech_timeout: Text = "auto",
                 speech_model: Text = "numbers_and_commands", enhanced: Text = "false", *,
                 auth_token: Text = "", webhook_url: Text = "", language: Text = "en-US",
                 max_silences: int = 2) -> None:
        super().__init__(initial_prompt, reprompt_fallback_phrase, assistant_voice, speech_timeout,
                         speech_model, enhanced)
        self.auth_token = auth_token
        self.webhook_url = webhook_url
        self.language = language
        self.max_silences = max_silences

    # -- requests ---------------------------------------------------------------------------

    def _signed(self, request: Request) -> bool:
        url = self.webhook_url + (f"?{request.query_string}" if request.query_string else "")
        params = {key: request.form.get(key) for key in request.form}
        signature = request.headers.get(SIGNATURE_HEADER, "")
        return bool(self.auth_token) and RequestValidator(self.auth_token).validate(url, params, signature)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("twilio_voice_webhook", __name__)
        deliver = only_valid_senders(on_new_message)

        @bp.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self._signed(request):
                logger.warning("Twilio Voice request without a valid %s refused", SIGNATURE_HEADER)
                return response.text("invalid signature", status=403)
            form = {key: request.form.get(key) for key in request.form}
            query = {key: values[0] for key, values in parse_qs(request.query_string).items()}
            sender_id = caller_sender_id(form)
            if not sender_id:
                return response.text("no caller", status=400)
            speech = (form.get("SpeechResult") or "").strip()
            metadata = {"caller": form.get("From"), "call_sid": form.get("CallSid")}
            if query.get("turn") == "dialled":
                twiml = self._after_dial(form)
            elif query.get("turn") == "message":
                twiml = await self._message_turn(deliver, sender_id, speech, metadata)
            else:
                digits = (form.get("Digits") or "").strip()
                if digits.isdigit() and not speech:  # a key: the choice of that number, if one stands
                    tracker = await request.app.ctx.agent.tracker_store.retrieve(sender_id)
                    speech = resolve_choice(offered_payloads(tracker.events if tracker is not None else []),
                                            digits) or ""
                if speech or form.get("CallStatus") == "ringing" and "turn" not in query:
                    twiml = await self._turn(request, deliver, sender_id, speech or self.initial_prompt, metadata)
                else:
                    twiml = await self._silence(request, sender_id, int(query.get("silence") or 0) + 1)
            return response.text(str(twiml), content_type="text/xml")

        return bp

    async def _turn(self, request: Request, deliver: Callable[[UserMessage], Awaitable[Any]], sender_id: str,
                    text: str, metadata: Dict[str, Any]) -> VoiceResponse:
        collector = VoiceOutput()
        await deliver(UserMessage(text, collector, sender_id, input_channel=CHANNEL, metadata=metadata))
        tracker = await request.app.ctx.agent.tracker_store.retrieve(sender_id)
        said = _responses_of_last_turn(tracker.events if tracker is not None else [])
        return self._answer(collector.messages, closing=bool(said & CLOSING_RESPONSES), choices=collector.choices)

    def _after_dial(self, form: Dict[str, Any]) -> VoiceResponse:
        """Twilio's report on a transfer: the call is over if the rep took it; else the caller
        leaves a message, as after hours."""
        status = str(form.get("DialCallStatus") or "")
        twiml = VoiceResponse()
        if status in DIAL_TAKEN:
            twiml.hangup()
            return twiml
        logger.info("call %s: the transfer was not taken (%s); taking a message", form.get("CallSid"), status)
        twiml.say(NOT_ANSWERED, voice=self.assistant_voice, language=self.language)
        return self._take_message(twiml)

    def _take_message(self, twiml: VoiceResponse) -> VoiceResponse:
        """One more utterance, the message (`turn=message`), then goodbye if none came."""
        gather = self._gather("turn=message")
        gather.pause(length=1)
        twiml.append(gather)
        twiml.say(GOODBYE_AFTER_SILENCE, voice=self.assistant_voice, language=self.language)
        twiml.hangup()
        return twiml

    async def _message_turn(self, deliver: Callable[[UserMessage], Awaitable[Any]], sender_id: str, speech: str,
                            metadata: Dict[str, Any]) -> VoiceResponse:
        """The caller's message after hours: into the paused conversation, then goodbye."""
        if speech:
            await deliver(UserMessage(speech, VoiceOutput(), sender_id, input_channel=CHANNEL, metadata=metadata))
        twiml = VoiceResponse()
        twiml.say(MESSAGE_TAKEN if speech else GOODBYE_AFTER_SILENCE, voice=self.assistant_voice,
                  language=self.language)
        twiml.hangup()
        return twiml

    async def _silence(self, request: Request, sender_id: str, silences: int) -> VoiceResponse:
        """Nothing was said: the last turn again, or goodbye after `max_silences` in a row."""
        if silences > self.max_silences:
            twiml = VoiceResponse()
            twiml.say(GOODBYE_AFTER_SILENCE, voice=self.assistant_voice, language=self.language)
            twiml.hangup()
            return twiml
        tracker = await request.app.ctx.agent.tracker_store.retrieve(sender_id)
        events = tracker.events if tracker is not None else []
        last_turn = _last_turn(events)
        if not last_turn:
            last_turn = [{"text": self.reprompt_fallback_phrase}]
        return self._answer([{"text": STILL_THERE}, *last_turn], silences=silences,
                            choices=len(offered_payloads(events)))

    # -- TwiML ------------------------------------------------------------------------------

    def _gather(self, query: str, choices: int = 0) -> Gather:
        # the configured public URL: what Twilio posts to next is what the signature check expects,
        # also behind a proxy that serves Rasa under another host or path
        keys = {"numDigits": 1} if 0 < choices <= KEYS else {}  # one key picks a choice at once
        return Gather(input="speech dtmf", action=f"{self.webhook_url}?{query}", method="POST",
                      actionOnEmptyResult=True, speechTimeout=self.speech_timeout,
                      speechModel=self.speech_model, enhanced=self.enhanced, language=self.language, **keys)

    def _answer(self, messages: List[Dict[str, Any]], silences: int = 0, closing: bool = False,
                choices: int = 0) -> VoiceResponse:
        """Say the turn's messages, then listen (or transfer, take a message, hang up)."""
        twiml = VoiceResponse()
        texts = [str(m["text"]) for m in messages if m.get("text")]
        voice = next((m["custom"]["voice"] for m in messages
                      if isinstance(m.get("custom"), dict) and isinstance(m["custom"].get("voice"), dict)), {})
        if voice.get("transfer_to") or voice.get("take_message") or closing:
            for text in texts:
                twiml.say(text, voice=self.assistant_voice, language=self.language)
            if voice.get("transfer_to"):
                # Twilio posts the outcome to the action (`_after_dial`); verbs after <Dial> never run
                twiml.dial(voice["transfer_to"], timeout=DIAL_TIMEOUT_SECONDS, action=f"{self.webhook_url}?turn=dialled",
                           method="POST")
            elif voice.get("take_message"):
                return self._take_message(twiml)
            twiml.hangup()
            return twiml
        gather = self._gather(f"turn=answer&silence={silences}", choices)
        for text in texts:
            gather.say(text, voice=self.assistant_voice, language=self.language)
        twiml.append(gather)
        return twiml


def _last_turn(events: List[Any]) -> List[Dict[str, Any]]:
    """What the bot said since the caller last spoke, as messages."""
    said: List[Dict[str, Any]] = []
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered) and event.text:
            buttons = (event.data or {}).get("buttons") or []
            said.insert(0, {"text": spoken_choices(event.text, buttons)})
    return said


def _responses_of_last_turn(events: List[Any]) -> set:
    """The response names (`utter_*`) the bot said since the caller last spoke."""
    names = set()
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            names.add((event.metadata or {}).get("utter_action"))
    return names
