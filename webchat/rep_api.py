"""The rep API: a person answers in a conversation the bot handed off, then hands it back.

    GET  /api/handoff/conversations                 conversations waiting for (or with) a rep
    GET  /api/handoff/conversations/{id}            the conversation so far, paused or not
    POST /api/handoff/conversations/{id}/messages   {"text": "...", "rep": "Dana"}
    POST /api/handoff/conversations/{id}/hand-back  the bot resumes

Every call needs `Authorization: Bearer <token>`, the token in the environment variable
named by settings/handoff.yml (`LEADBOT_REP_API_TOKEN`), compared in constant time; with no
token configured the API is closed. A rep's message is added to the Rasa conversation as a
bot message marked `sender: rep`, which Rasa pushes to the visitor's channel (the widget's
socket) and which goes into the stored transcript (`action_rep_replied`).
"""
from __future__ import annotations

import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import Route

from bot.conversation import load_conversation_settings
from bot.handoff import REP_SENDER, WAITING, WITH_REP, HandoffSettings, open_handoffs, rep_token_valid
from bot.export import iso_utc
from bot.transcript import transcript_from_events
from webchat.rasa_api import RasaApi, RasaUnavailable

MAX_REP_NAME_CHARS = 100


def _error(status: int, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers or None)


class RepApi:
    """The endpoints, bound to one Rasa API and the hand-off settings."""

    def __init__(self, rasa: RasaApi, settings: HandoffSettings, sessions: sessionmaker[Session]) -> None:
        self.rasa = rasa
        self.settings = settings
        self.sessions = sessions
        self.max_chars = load_conversation_settings().max_message_chars

    def routes(self) -> list[Route]:
        base = "/api/handoff/conversations/{conversation_id:path}"
        return [
            Route("/api/handoff/conversations", self.waiting, methods=["GET"]),
            Route(base + "/messages", self.post_message, methods=["POST"]),
            Route(base + "/hand-back", self.hand_back, methods=["POST"]),
            Route(base, self.show, methods=["GET"]),
        ]

    def _refuse(self, request: Request) -> JSONResponse | None:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not rep_token_valid(token.strip(), self.settings):
            return _error(401, "a valid rep API token is required (Authorization: Bearer <token>)",
                          **{"WWW-Authenticate": "Bearer"})
        return None

    def _handed_off(self, conversation_id: str, *, to_answer: bool) -> tuple[dict[str, Any] | None, JSONResponse | None]:
        """The tracker of a conversation waiting for (or with) a rep, else the refusal.

        Rasa ends a pause with the session (`session_expiration_time` of silence): a rep can
        then no longer answer in the chat, only hand back, which closes the hand-off.
        """
        tracker = self.rasa.tracker(conversation_id)
        if not any(e.get("event") == "user" for e in tracker.get("events") or []):
            return None, _error(404, f"no conversation {conversation_id!r}")
        state = (tracker.get("slots") or {}).get("handoff_state")
        if state not in (WAITING, WITH_REP):
            return None, _error(409, "the visitor has not asked for a person in this conversation "
                                     "(or it was handed back): the bot is answering it")
        if to_answer and not tracker.get("paused"):
            return None, _error(409, "the visitor's chat session has ended (no message for the session "
                                     "expiry time), so the bot answers them again: follow up by e-mail, "
                                     "then hand the conversation back to close the hand-off")
        return tracker, None

    def waiting(self, request: Request) -> JSONResponse:
        refused = self._refuse(request)
        if refused:
            return refused
        with self.sessions() as session:
            leads = open_handoffs(session)
            return JSONResponse({"conversations": [{
                "conversation_id": lead.conversation_id, "lead_id": lead.id, "name": lead.name,
                "email": lead.email, "company": lead.company, "channel": lead.channel,
                "handoff_state": lead.handoff_state, "since": iso_utc(lead.handoff_at),
            } for lead in leads]})

    def show(self, request: Request) -> JSONResponse:
        refused = self._refuse(request)
        if refused:
            return refused
        conversation_id = request.path_params["conversation_id"]
        try:
            tracker = self.rasa.tracker(conversation_id)
        except RasaUnavailable as exc:
            return _error(502, str(exc))
        events = tracker.get("events") or []
        if not any(e.get("event") == "user" for e in events):
            return _error(404, f"no conversation {conversation_id!r}")
        return JSONResponse({
            "conversation_id": conversation_id,
            "paused": bool(tracker.get("paused")),
            "handoff_state": (tracker.get("slots") or {}).get("handoff_state"),
            "channel": tracker.get("latest_input_channel"),
            "transcript": [{"sender": t.sender, "text": t.text, "at": t.at.isoformat()}
                           for t in transcript_from_events(events)],
        })

    async def post_message(self, request: Request) -> JSONResponse:
        refused = self._refuse(request)
        if refused:
            return refused
        try:
            body = await request.json()
        except ValueError:
            return _error(400, 'send JSON: {"text": "...", "rep": "your name"}')
        text = body.get("text") if isinstance(body, dict) else None
        rep = body.get("rep") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text.strip():
            return _error(400, '"text" must be a non-empty string')
        if len(text) > self.max_chars:
            return _error(400, f'"text" is longer than {self.max_chars} characters')
        if rep is not None and (not isinstance(rep, str) or len(rep) > MAX_REP_NAME_CHARS):
            return _error(400, f'"rep" must be a name of at most {MAX_REP_NAME_CHARS} characters')
        return await run_in_threadpool(self._relay, request.path_params["conversation_id"], text.strip(), rep)

    def _relay(self, conversation_id: str, text: str, rep: str | None) -> JSONResponse:
        """Blocking calls to Rasa, off the event loop."""
        try:
            tracker, refusal = self._handed_off(conversation_id, to_answer=True)
            if refusal:
                return refusal
            name = (rep or "").strip()
            metadata = {"sender": REP_SENDER, **({"rep_name": name} if name else {})}
            # Every channel shows plain text only: the rep's name in front tells the visitor
            # that a person is writing now.
            shown = f"{name}: {text}" if name else text
            self.rasa.add_events(conversation_id, [
                {"event": "bot", "text": shown, "timestamp": time.time(), "metadata": metadata}])
            self.rasa.run_action(conversation_id, "action_rep_replied")
        except RasaUnavailable as exc:
            return _error(502, str(exc))
        return JSONResponse({"conversation_id": conversation_id, "handoff_state": WITH_REP,
                             "channel": (tracker or {}).get("latest_input_channel")}, status_code=201)

    def hand_back(self, request: Request) -> JSONResponse:
        refused = self._refuse(request)
        if refused:
            return refused
        conversation_id = request.path_params["conversation_id"]
        try:
            _, refusal = self._handed_off(conversation_id, to_answer=False)
            if refusal:
                return refusal
            self.rasa.run_action(conversation_id, "action_hand_back")
            # Read the tracker again: Rasa 3.6 answers /execute with the state from before the action.
            slots = self.rasa.tracker(conversation_id).get("slots") or {}
            continues = slots.get("phase") == "qualifying"
            if continues:
                self.rasa.run_action(conversation_id, "lead_form")  # asks the next open question
            # End the bot's turn as Rasa's own loop does: without this listen, the next visitor
            # message would not continue the form (the rules expect action_listen before it).
            self.rasa.add_events(conversation_id, [{"event": "action", "name": "action_listen"}])
        except RasaUnavailable as exc:
            return _error(502, str(exc))
        return JSONResponse({"conversation_id": conversation_id, "resumed": True, "form_continues": continues})
