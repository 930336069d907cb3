"""Validated `settings/content.yml`: what the bot says about the product.

Sales and marketing edit this file without a release: need categories with keywords and a
one-sentence pitch, the booking link qualified leads get, the resources nurture leads get,
and what a visitor who asked for a person is told happens next. Unknown top-level sections
are allowed through untouched, so adding one for a later feature never breaks start-up.
"""
from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator, PrivateAttr

from bot.settings import load_settings
from bot.speech import language_code, phrasebook

__all__ = ["Answers", "Content", "ContentTranslation", "NamedAnswer", "Handoff", "NeedCategory", "Resource",
           "load_content"]


class NeedCategory(BaseModel):
    """One need category: the words that signal it and the sentence that answers it."""

    model_config = ConfigDict(extra="forbid")

    keywords: list[str] = Field(default_factory=list)
    pitch: str | None = None

    @field_validator("keywords")
    @classmethod
    def _no_blank_keywords(cls, value: list[str]) -> list[str]:
        cleaned = [str(k).strip() for k in value]
        if any(not k for k in cleaned):
            raise ValueError("keywords must not be blank")
        return cleaned


class Resource(BaseModel):
    """One link offered to a lead that is not ready to buy yet."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1)
    url: str = Field(min_length=1)


class Handoff(BaseModel):
    """What a visitor who asked for a person is told happens next.

    `in_hours` when reps answer in the chat now (settings/handoff.yml); otherwise an
    `after_hours_*` sentence with `{when}`, the next opening, and `{email}` when known.
    """

    model_config = ConfigDict(extra="forbid")

    in_hours: str = "a rep will answer you here within minutes."
    in_hours_without_contact: str = ("a rep will answer you here within minutes. In case we get cut off, "
                                     "what's the best e-mail address or phone number to reach you? (You can skip this.)")
    after_hours_with_email: str = "our team is offline right now, so we will e-mail you at {email} by {when}."
    after_hours_without_email: str = ("our team is offline right now. Leave your e-mail address here and "
                                      "we will e-mail you by {when}.")
    # said when a visitor waiting for a rep leaves a way to reach them: they know it arrived
    contact_noted_in_hours: str = "Thanks, noted ({contact}). A rep will answer you here shortly."
    contact_noted_after_hours: str = "Thanks, noted ({contact}). We will get back to you by {when}."
    # on a phone call (rasa_addons/channels/twilio_voice.py): put through to a rep, or a message
    # taken after hours (the caller's next words, stored with the lead's transcript)
    call_transfer: str = "I'm putting you through to a rep now. One moment, please."
    call_message: str = ("our team is offline right now. After this, please leave a short message: what you "
                         "need, and the best time to call you back. We will call you back by {when}.")

    @field_validator("after_hours_with_email")
    @classmethod
    def _mentions_email_and_when(cls, value: str) -> str:
        if "{email}" not in value or "{when}" not in value:
            raise ValueError("after_hours_with_email must contain the {email} and {when} placeholders")
        return value

    @field_validator("contact_noted_after_hours")
    @classmethod
    def _names_contact_and_when(cls, value: str) -> str:
        if "{contact}" not in value or "{when}" not in value:
            raise ValueError("contact_noted_after_hours must contain the {contact} and {when} placeholders")
        return value

    @field_validator("after_hours_without_email")
    @classmethod
    def _mentions_when(cls, value: str) -> str:
        if "{when}" not in value:
            raise ValueError("after_hours_without_email must contain the {when} placeholder")
        return value


class NamedAnswer(BaseModel):
    """What the bot says when a visitor names one tool or competitor."""

    model_config = ConfigDict(extra="forbid")

    names: list[str] = Field(min_length=1)
    answer: str = Field(min_length=1)


class Answers(BaseModel):
    """A general answer, and specific ones for what the visitor may name."""

    model_config = ConfigDict(extra="forbid")

    general: str = Field(min_length=1)
    named: list[NamedAnswer] = Field(default_factory=list)

    def for_text(self, text: str) -> str:
        """The answers for every name in `text` (whole words, any case), else the general one."""
        found = [a.answer for a in self.named if any(_names(name, text) for name in a.names)]
        return " ".join(dict.fromkeys(found)) or self.general


# Scripts written without spaces between words (Chinese, Japanese): a name in them matches
# anywhere in the text, and their characters are no word boundary for a name in another
# script ("你们和HubSpot怎么集成" names HubSpot).
_UNSPACED_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_UNSPACED = re.compile(f"[{_UNSPACED_CHARS}]")
_WORD_CHAR = f"[^\\W{_UNSPACED_CHARS}]"


def _names(name: str, text: str) -> bool:
    words = r"[\s-]+".join(re.escape(w) for w in name.split())
    if _UNSPACED.search(name):
        return re.search(words, text, re.IGNORECASE) is not None
    return re.search(rf"(?<!{_WORD_CHAR}){words}(?!{_WORD_CHAR})", text, re.IGNORECASE) is not None


class ContentTranslation(BaseModel):
    """The site's content in one more language (`languages: {ru: ...}`). Every part is
    optional: what a site has not translated is said in English, its `needs` pitches one by
    one, `handoff` sentence by sentence, the other sections whole."""

    model_config = ConfigDict(extra="forbid")

    default_pitch: str | None = None
    needs: dict[str, NeedCategory] = Field(default_factory=dict)
    resources: list[Resource] | None = None
    handoff: dict[str, str] = Field(default_factory=dict)
    integrations: Answers | None = None
    competitors: Answers | None = None
    small_talk: Answers | None = None


class Content(BaseModel):
    """The content file; unknown top-level sections are kept as extra attributes."""

    model_config = ConfigDict(extra="allow")

    needs: dict[str, NeedCategory] = Field(default_factory=dict)
    default_pitch: str | None = Field(default=None, description="For a specific need in no category.")
    booking_link: str = Field(default="", description="Where a qualified lead books a call.")
    resources: list[Resource] = Field(default_factory=list)
    handoff: Handoff = Field(default_factory=Handoff)
    integrations: Answers = Field(default_factory=lambda: Answers(
        general="Our team can tell you exactly which of your tools leadbot connects to."))
    competitors: Answers = Field(default_factory=lambda: Answers(
        general="Our team is happy to walk you through how leadbot compares with what you are looking at."))
    small_talk: Answers = Field(default_factory=lambda: Answers(
        general="I'm the leadbot assistant, a bot made by the team behind leadbot. I'm here to find out what you "
                "need and put you in touch with the right person."))
    languages: dict[str, ContentTranslation] = Field(
        default_factory=dict, description="The content in other languages (ISO 639-1 codes); English where missing.")
    _language: str = PrivateAttr(default="en")  # the language this content speaks (in_language sets it)

    @property
    def language(self) -> str:
        return self._language

    @field_validator("languages")
    @classmethod
    def _known_codes(cls, value: dict[str, ContentTranslation]) -> dict[str, ContentTranslation]:
        for code in value:
            if language_code(code) != code or not re.fullmatch(r"[a-z]{2}", code):
                raise ValueError(f"languages: {code!r} is not an ISO 639-1 code as the bot writes it (e.g. ru, nb, zh)")
        return value

    @model_validator(mode="after")
    def _translations_fit(self) -> "Content":
        for code, own in self.languages.items():
            unknown = sorted(set(own.needs) - set(self.needs))
            if unknown:
                raise ValueError(f"languages.{code}.needs: no such need category {unknown} (see needs)")
            self._handoff_in(own)  # the placeholders' validators, on the merged sentences
        return self

    def _handoff_in(self, own: ContentTranslation) -> Handoff:
        return Handoff.model_validate({**self.handoff.model_dump(), **own.handoff})

    def in_language(self, language: str | None) -> "Content":
        """This content as said in `language`: its translation over the English, part by part
        (a part the site has not translated stays English); English itself unchanged."""
        code = language_code(language)
        if code == self._language:
            return self
        own = self.languages.get(code)
        if own is None:
            return self._speaking(self.model_copy(), code)
        needs = {name: category.model_copy(update={"pitch": own.needs[name].pitch})
                 if name in own.needs and own.needs[name].pitch else category
                 for name, category in self.needs.items()}
        update: dict[str, object] = {"needs": needs, "handoff": self._handoff_in(own)}
        for section in ("default_pitch", "resources", "integrations", "competitors", "small_talk"):
            value = getattr(own, section)
            if value is not None:
                update[section] = value
        return self._speaking(self.model_copy(update=update), code)

    @staticmethod
    def _speaking(content: "Content", language: str) -> "Content":
        content._language = language
        return content

    @field_validator("booking_link")
    @classmethod
    def _booking_link_is_a_url(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("booking_link must be an http(s) URL or empty")
        return value

    def booking_sentence(self) -> str:
        """The sentence inviting a qualified lead to book a call, or "" when no link is set."""
        if not self.booking_link:
            return ""
        return phrasebook().say("booking", self.language, link=self.booking_link)

    def resources_text(self) -> str:
        """The nurture resources as one line a chat bubble can show."""
        if not self.resources:
            return phrasebook().say("resources_to_come", self.language)
        return "; ".join(f"{r.title}: {r.url}" for r in self.resources)

    def handoff_next_step(self, email: str | None, *, open_now: bool, when: str, phone: str | None = None) -> str:
        """The next step a visitor who asked for a person is told: a rep answers here now,
        or (after hours) an e-mail by `when`, the next opening. Without a way to reach them
        (an `email` or a `phone`), it asks for one, once: what they answer while they
        wait reaches the stored lead (actions/submission.store_while_waiting)."""
        if open_now:
            return self.handoff.in_hours if email or phone else self.handoff.in_hours_without_contact
        if email:
            return self.handoff.after_hours_with_email.format(email=email, when=when)
        return self.handoff.after_hours_without_email.format(when=when)

    def handoff_by_phone(self, *, transfer: bool, when: str) -> str:
        """The next step a caller who asked for a person is told: put through now, or a
        message taken (we have their number: it is the line they call from)."""
        return self.handoff.call_transfer if transfer else self.handoff.call_message.format(when=when)

    def handoff_contact_noted(self, contact: str, *, open_now: bool, when: str) -> str:
        """The answer to a visitor who, waiting for a rep, leaves an address or a number: the
        bot is otherwise silent while paused, and silence after "leave your e-mail" reads
        as lost."""
        if open_now:
            return self.handoff.contact_noted_in_hours.format(contact=contact)
        return self.handoff.contact_noted_after_hours.format(contact=contact, when=when)

    def need_keywords(self) -> dict[str, list[str]]:
        """Category -> keywords, in file order (the first matching category wins): the English
        ones and every language's (a visitor may mix languages, and may write before the
        conversation's language is known)."""
        return {name: list(dict.fromkeys([*category.keywords, *(k for own in self.languages.values()
                                                                  if name in own.needs
                                                                  for k in own.needs[name].keywords)]))
                for name, category in self.needs.items()}

    def pitch_for(self, category: str | None, level: str = "specific") -> str | None:
        """The pitch for a need: its category's, else the general one for a specific need.

        An exploring need without a category gets no pitch: there is nothing to relate to yet.
        """
        if category is not None and category in self.needs and self.needs[category].pitch:
            return self.needs[category].pitch
        if level == "specific" and self.default_pitch:
            return self.default_pitch
        return None


def load_content(directory: Path | None = None) -> Content:
    return load_settings("content.yml", Content, directory)
