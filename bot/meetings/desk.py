"""The meeting conversation, without Rasa: offer the lead's rep's free slots in the visitor's
time zone, read the reply, book, and say what happened (`Reply`: text and buttons; channels
without buttons show them numbered, and a number typed back is read as that button).

State between turns is a small dict (`MeetingState`), kept by the caller (a Rasa slot):
the lead, the visitor's zone (None until known), the offered slots and how many replies were
not understood. Every reply says what the visitor can do next; nothing here waits on Rasa.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.meetings.booking import RepAvailability, SlotTaken, availability_of, book, free_slots_for
from bot.meetings.calendar import CalendarUnavailable
from bot.meetings.choice import DECLINED, NO_FIT, PICKED, REQUESTED, read_choice
from bot.meetings.settings import MeetingSettings
from bot.assignment.hours import check_timezone
from bot.meetings.slots import Slot, describe, spread
from bot.meetings.timezones import read_timezone
from bot.parsing.replies import CORRECTION
from bot.speech import BASE_LANGUAGE, phrasebook
from bot.store.schema import Lead

INTENT = "choose_meeting"  # a button's payload: /choose_meeting{"meeting_choice": "<slot key>"}
ENTITY = "meeting_choice"
# A try at naming a place or zone is a few words without figures or addresses.
_NOT_A_PLACE = re.compile(rf"@|\d|\b(?:{CORRECTION})\b", re.IGNORECASE)
_PLACE_WORDS = 5


def _could_be_a_place(text: str) -> bool:
    return not _NOT_A_PLACE.search(text) and len(text.split()) <= _PLACE_WORDS


MAX_UNCLEAR = 2  # time-zone answers not understood; then the rep's zone is used
_ACK = re.compile(r"^(?:ok(?:ay)?|k|fine|cool|great|thanks?|thank you|ty|no|nope|nah|no thanks?|not now|later|bye"
                  r"|goodbye|all good)[.! ]*$", re.IGNORECASE)
_YES = re.compile(r"^(?:yes|yeah|yep|sure|ok(?:ay)?|please|great|sounds good|yes please)\b", re.IGNORECASE)

# Words that ask for a meeting after the lead is stored ("can we book a demo?").
_ASKS = re.compile(r"(?<![a-z])(?:demo|meeting|call|appointment|book(?:ing)?|schedule|slot|time to (?:talk|meet|chat))"
                   r"(?![a-z])", re.IGNORECASE)
_NOT_ASKING = re.compile(r"(?<![a-z])(?:no|don'?t|do not|not)\s(?:\w+\s)?(?:demo|meeting|call)", re.IGNORECASE)


def asks_for_meeting(text: str) -> bool:
    """Whether a message after the lead is stored asks to meet ("could we do a demo call?")."""
    return bool(_ASKS.search(text)) and not _NOT_ASKING.search(text)


@dataclass
class MeetingState:
    lead_id: int
    timezone: str | None = None
    offered: list[str] = field(default_factory=list)  # slot keys, as numbered to the visitor
    unclear: int = 0
    booked: int | None = None  # the meeting id, once booked

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, value: Any) -> MeetingState | None:
        if not isinstance(value, dict) or not isinstance(value.get("lead_id"), int):
            return None
        return cls(value["lead_id"], value.get("timezone"), list(value.get("offered") or []),
                   int(value.get("unclear") or 0), value.get("booked"))


@dataclass(frozen=True)
class Reply:
    """What to say; `awaiting`: the next message is read by the desk; `booked`: a meeting id."""

    text: str
    buttons: tuple[tuple[str, str], ...] = ()  # (title, payload)
    state: MeetingState | None = None
    awaiting: bool = False
    booked: int | None = None
    passed_on: bool = False  # not about the meeting: handle the message as usual


@dataclass(frozen=True)
class MeetingDesk:
    sessions: sessionmaker[Session]
    settings: MeetingSettings
    language: str = BASE_LANGUAGE  # the conversation's: what the desk says (bot/speech.py phrases)

    def _(self, phrase: str, **values: object) -> str:
        return phrasebook().say(phrase, self.language, **values)

    def _describe(self, slot: Slot, zone: str) -> str:
        """A time as a button and the confirmation show it, in the conversation's language."""
        if self.language == BASE_LANGUAGE:
            return describe(slot, zone)
        return phrasebook().when(slot.start.astimezone(check_timezone(zone)), self.language)

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.settings.duration_minutes)

    def start(self, lead_id: int, visitor_timezone: str | None, *, now: datetime, intro: bool = True) -> Reply | None:
        """The first offer (or the time-zone question); None when there is nobody to meet."""
        if not self.settings.enabled:
            return None
        with self.sessions() as session:
            who = availability_of(session, lead_id, self.settings)
        if who is None:
            return None
        state = MeetingState(lead_id, visitor_timezone)
        if visitor_timezone is None:
            return Reply(self._("meeting_ask_timezone", rep=who.rep_name), state=state, awaiting=True)
        return self._offer(who, state, now=now, lead=self._("meeting_intro", rep=who.rep_name) if intro else "")

    def answer(self, state: MeetingState, text: str, *, now: datetime, conversation_id: str,
               channel: str, choice_key: str | None = None) -> Reply:
        """Read the visitor's reply to an offer (or to the time-zone question)."""
        with self.sessions() as session:
            who = availability_of(session, state.lead_id, self.settings)
        if who is None or state.booked is not None:
            return Reply("", passed_on=True)
        if state.timezone is None:
            zone = read_timezone(text)
            if zone is None and (_ACK.match(text.strip()) or not _could_be_a_place(text)):
                # "ok", "no thanks", "oops, make that 35k", an e-mail address: not a time zone,
                # handled as usual (a correction after storage updates the lead)
                return Reply("", passed_on=True)
            if zone is None:
                state.unclear += 1
                if state.unclear >= MAX_UNCLEAR:
                    state.timezone = who.timezone  # go on in the rep's zone, and say so
                    return self._offer(who, state, now=now, lead=self._("meeting_rep_zone", zone=who.timezone))
                return Reply(self._("meeting_unknown_zone"), state=state, awaiting=True)
            state.timezone, state.unclear = zone, 0
            return self._offer(who, state, now=now)
        try:
            free = free_slots_for(self.sessions, who, self.settings, now=now)
        except CalendarUnavailable:
            return Reply(self._later(who), awaiting=False)
        offered = [s for s in (Slot.from_key(k, self.duration) for k in state.offered) if s is not None]
        choice = read_choice(choice_key or text, offered, free, tz=state.timezone, now=now, duration=self.duration)
        if choice.kind == DECLINED:
            return Reply(self._("meeting_declined", rep=who.rep_name), awaiting=False)
        if choice.kind in (PICKED, REQUESTED) and choice.slot is not None:
            if choice.slot not in free:
                return self._offer(who, state, now=now, lead=self._("meeting_just_taken"))
            return self._book(who, state, choice.slot, now=now, conversation_id=conversation_id, channel=channel)
        if choice.kind == NO_FIT:
            return self._offer(who, state, now=now, lead=self._("meeting_nothing_then", rep=who.rep_name))
        if _YES.match(text.strip()):
            return Reply(self._("meeting_pick"), state=state, awaiting=True)
        # Anything else (a correction, a question) is not about the meeting: handled as usual,
        # and the offer's buttons stay where they are.
        return Reply("", passed_on=True)

    def _book(self, who: RepAvailability, state: MeetingState, slot: Slot, *, now: datetime,
              conversation_id: str, channel: str) -> Reply:
        try:
            with self.sessions.begin() as session:
                meeting = book(session, lead_id=state.lead_id, rep_id=who.rep_id, slot=slot,
                               visitor_timezone=state.timezone or "UTC", now=now, settings=self.settings,
                               conversation_id=conversation_id, channel=channel)
                meeting_id = meeting.id
                lead = session.get(Lead, state.lead_id)
                email = lead.email if lead else None
        except SlotTaken:
            return self._offer(who, state, now=now, lead=self._("meeting_taken_now"))
        state.booked = meeting_id
        text = self._("meeting_booked", when=self._describe(slot, state.timezone or "UTC"), zone=state.timezone,
                      rep=who.rep_name)
        if email:
            text += self._("meeting_invitation", email=email)
        return Reply(text + self._("meeting_links"), state=state, awaiting=False, booked=meeting_id)

    def _offer(self, who: RepAvailability, state: MeetingState, *, now: datetime, lead: str = "") -> Reply:
        try:
            free = free_slots_for(self.sessions, who, self.settings, now=now)
        except CalendarUnavailable:
            return Reply(lead + self._later(who), awaiting=False)
        zone = state.timezone or "UTC"
        chosen = spread(free, zone, count=self.settings.offered, per_day=self.settings.per_day)
        if not chosen:
            return Reply(lead + self._later(who), awaiting=False)
        state.offered, state.unclear = [s.key() for s in chosen], 0
        buttons = tuple((self._describe(s, zone), f'/{INTENT}{{"{ENTITY}": "{s.key()}"}}') for s in chosen)
        return Reply(lead + self._("meeting_offer", rep=who.rep_name, zone=zone), buttons=buttons, state=state,
                     awaiting=True)

    def _later(self, who: RepAvailability) -> str:
        return self._("meeting_later", rep=who.rep_name)

