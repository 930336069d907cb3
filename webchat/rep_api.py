"""A person answers in a conversation the bot handed off, then hands it back: the rep API and
the dashboard lead page's reply box, one code path (`RepDesk`).

    GET  /api/handoff/conversations                 conversations waiting for (or with) a rep
    GET  /api/handoff/conversations/{id}            the conversation so far, paused or not
    POST /api/handoff/conversations/{id}/messages   {"text": "..."}
    POST /api/handoff/conversations/{id}/hand-back  the bot resumes
    POST /leads/{lead id}/reply, /leads/{lead id}/hand-back   the same, from the lead page (CSRF)

Every call is made by a dashboard account: `Authorization: Bearer <token>` (`leadbot users
token EMAIL`) or the dashboard's session cookie, as for the rest of /api/ (web/http.py). So
the acting rep is known: their name is shown to the visitor in front of the message and
kept in the transcript. A rep answers the conversations of leads they own, or of flagged
leads nobody owns yet; a manager any (`Viewer.can_answer`). A rep's message is added to the
Rasa conversation as a bot message marked `sender: rep`, which Rasa pushes to the visitor's
channel (the widget's socket) and which goes into the stored transcript (`action_rep_replied`).
Rasa is called after the store transaction has ended (`AfterCommit`): its action server
writes the same store.
"""
from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from bot.conversation import load_conversation_settings
from bot.formats import iso_utc
from bot.handoff import REP_SENDER, WAITING, WITH_REP, open_handoffs, waited_seconds, waiting_count
from bot.store.schema import Lead
from bot.transcript import transcript_from_events
from web.forms import path_lead
from web.http import AfterCommit, Ctx, HttpError, endpoint, json_response, see_other
from web.viewer import Viewer
from webchat.rasa_api import RasaApi, RasaUnavailable

MAX_REP_NAME_CHARS = 100


class RepDesk:
    """What a rep can do in a handed-off conversation, through Rasa's HTTP API."""

    def __init__(self, rasa: RasaApi) -> None:
        self.rasa = rasa
        self.max_chars = load_conversation_settings().max_message_chars

    # -- the store side: who may act on which conversation (inside the request's transaction)

    @staticmethod
    def answerable_lead(ctx: Ctx, conversation_id: str) -> Lead | None:
        """The conversation's lead if the viewer may answer it. A conversation without a lead
        (the visitor never asked for a person) is left to Rasa's checks for a manager, and is
        "not found" for a rep, like a lead they may not see."""
        lead = ctx.session.scalars(select(Lead).where(Lead.conversation_id == conversation_id)
                                   .order_by(Lead.updated_at.desc(), Lead.id.desc())).first()
        if lead is not None and ctx.viewer.can_answer(lead):
            return lead
        if lead is None and ctx.viewer.is_manager:
            return None
        raise HttpError(404, f"no conversation {conversation_id!r} that you can answer")

    def checked_text(self, text: Any) -> str:
        if not isinstance(text, str) or not text.strip():
            raise HttpError(400, '"text" must be a non-empty string')
        if len(text) > self.max_chars:
            raise HttpError(400, f'"text" is longer than {self.max_chars} characters')
        return text.strip()

    # -- the Rasa side (after the transaction)

    def _handed_off(self, conversation_id: str, *, to_answer: bool) -> dict[str, Any]:
        """The tracker of a conversation waiting for (or with) a rep, else the refusal.

        Rasa ends a pause with the session (`session_expiration_time` of silence): a rep can
        then no longer answer in the chat, only hand back, which closes the hand-off.
        """
        tracker = self.rasa.tracker(conversation_id)
        if not any(e.get("event") == "user" for e in tracker.get("events") or []):
            raise HttpError(404, f"no conversation {conversation_id!r}")
        state = (tracker.get("slots") or {}).get("handoff_state")
        if state not in (WAITING, WITH_REP):
            raise HttpError(409, "the visitor has not asked for a person in this conversation "
                                 "(or it was handed back): the bot is answering it")
        if to_answer and not tracker.get("paused"):
            raise HttpError(409, "the visitor's chat session has ended (no message for the session "
                                 "expiry time), so the bot answers them again: follow up by e-mail, "
                                 "then hand the conversation back to close the hand-off")
        return tracker

    def show(self, conversation_id: str) -> dict[str, Any]:
        tracker = self._rasa(self.rasa.tracker, conversation_id)
        events = tracker.get("events") or []
        if not any(e.get("event") == "user" for e in events):
            raise HttpError(404, f"no conversation {conversation_id!r}")
        return {
            "conversation_id": conversation_id,
            "paused": bool(tracker.get("paused")),
            "handoff_state": (tracker.get("slots") or {}).get("handoff_state"),
            "channel": tracker.get("latest_input_channel"),
            "transcript": [{"sender": t.sender, "text": t.text, "at": t.at.isoformat()}
                           for t in transcript_from_events(events)],
        }

    def reply(self, rep: Viewer, conversation_id: str, text: str) -> dict[str, Any]:
        """Post `text` into the conversation as `rep` ("Dana Ruiz: ..."), then store the lead."""
        def relay() -> dict[str, Any]:
            tracker = self._handed_off(conversation_id, to_answer=True)
            name = rep.name.strip()[:MAX_REP_NAME_CHARS]
            metadata = {"sender": REP_SENDER, "rep_name": name, "rep_email": rep.email}
            # Every channel shows plain text only: the rep's name in front tells the visitor
            # that a person is writing now, and keeps who wrote it in the transcript.
            self.rasa.add_events(conversation_id, [
                {"event": "bot", "text": f"{name}: {text}", "timestamp": time.time(), "metadata": metadata}])
            self.rasa.run_action(conversation_id, "action_rep_replied")
            return {"conversation_id": conversation_id, "handoff_state": WITH_REP,
                    "channel": tracker.get("latest_input_channel"), "rep": name}

        return self._rasa(relay)

    def hand_back(self, conversation_id: str) -> dict[str, Any]:
        def resume() -> dict[str, Any]:
            self._handed_off(conversation_id, to_answer=False)
            self.rasa.run_action(conversation_id, "action_hand_back")
            # Read the tracker again: Rasa 3.6 answers /execute with the state from before the action.
            slots = self.rasa.tracker(conversation_id).get("slots") or {}
            continues = slots.get("phase") == "qualifying"
            if continues:
                self.rasa.run_action(conversation_id, "lead_form")  # asks the next open question
            # End the bot's turn as Rasa's own loop does: without this listen, the next visitor
            # message would not continue the form (the rules expect action_listen before it).
            self.rasa.add_events(conversation_id, [{"event": "action", "name": "action_listen"}])
            return {"conversation_id": conversation_id, "resumed": True, "form_continues": continues}

        return self._rasa(resume)

    @staticmethod
    def _rasa(call: Any, *args: Any) -> Any:
        try:
            return call(*args)
        except RasaUnavailable as exc:
            raise HttpError(502, str(exc)) from None

    # -- routes

    def routes(self) -> list[Route]:
        base = "/api/handoff/conversations/{conversation_id:path}"
        return [
            Route("/api/handoff/conversations", endpoint(self.api_waiting, api=True), methods=["GET"]),
            Route(base + "/messages", endpoint(self.api_message, api=True), methods=["POST"]),
            Route(base + "/hand-back", endpoint(self.api_hand_back, api=True), methods=["POST"]),
            Route(base, endpoint(self.api_show, api=True), methods=["GET"]),
            Route("/leads/{lead_id}/reply", endpoint(self.page_reply), methods=["POST"]),
            Route("/leads/{lead_id}/hand-back", endpoint(self.page_hand_back), methods=["POST"]),
        ]

    def api_waiting(self, ctx: Ctx) -> Response:
        among, now = ctx.viewer.answer_filter(), ctx.now()
        leads = open_handoffs(ctx.session, among=among)
        return json_response({"waiting": waiting_count(ctx.session, among=among), "conversations": [{
            "conversation_id": lead.conversation_id, "lead_id": lead.id, "name": lead.name,
            "email": lead.email, "phone": lead.phone, "company": lead.company, "channel": lead.channel,
            "handoff_state": lead.handoff_state, "since": iso_utc(lead.handoff_at),
            "waited_seconds": waited_seconds(lead, now), "owner": lead.owner.email if lead.owner else None,
        } for lead in leads]})

    def api_show(self, ctx: Ctx) -> AfterCommit:
        conversation_id = ctx.request.path_params["conversation_id"]
        self.answerable_lead(ctx, conversation_id)
        return AfterCommit(lambda: json_response(self.show(conversation_id)))

    def api_message(self, ctx: Ctx) -> AfterCommit:
        conversation_id = ctx.request.path_params["conversation_id"]
        if "rep" in ctx.form:
            raise HttpError(400, '"rep" is no longer sent: the signed-in account is the rep (its name is shown)')
        text = self.checked_text(ctx.form.get("text"))
        self.answerable_lead(ctx, conversation_id)
        viewer = ctx.viewer
        return AfterCommit(lambda: json_response(self.reply(viewer, conversation_id, text), 201))

    def api_hand_back(self, ctx: Ctx) -> AfterCommit:
        conversation_id = ctx.request.path_params["conversation_id"]
        self.answerable_lead(ctx, conversation_id)
        return AfterCommit(lambda: json_response(self.hand_back(conversation_id)))

    def _page_lead(self, ctx: Ctx) -> Lead:
        lead = path_lead(ctx)
        if lead.handoff_state not in (WAITING, WITH_REP) or not lead.conversation_id:
            raise HttpError(409, "this visitor is not waiting for a person: the bot is answering them")
        return lead

    def page_reply(self, ctx: Ctx) -> AfterCommit:
        lead = self._page_lead(ctx)
        text = self.checked_text(ctx.form.get("text"))
        viewer, lead_id, conversation_id = ctx.viewer, lead.id, lead.conversation_id

        def post() -> Response:
            self.reply(viewer, conversation_id, text)
            return see_other(f"/leads/{lead_id}?done=replied#conversation")

        return AfterCommit(post)

    def page_hand_back(self, ctx: Ctx) -> AfterCommit:
        lead = self._page_lead(ctx)
        lead_id, conversation_id = lead.id, lead.conversation_id

        def resume() -> Response:
            self.hand_back(conversation_id)
            return see_other(f"/leads/{lead_id}?done=handed_back#conversation")

        return AfterCommit(resume)
