"""Recognise replies about the question itself rather than answers to it.

"skip", "not sure", "why do you ask?" mean the same after any question, so they are
classified once here. Only short messages are classified (at most 12 words): a longer
one is an answer that happens to contain "not sure". The extraction step lets the field
parsers try first anyway, so "not sure, maybe 20k" is a budget, not a meta reply.
When a message has more than one, "why" wins over "skip", and "skip" over "not sure":
the visitor who asks why deserves an explanation before anything else.
"""
from __future__ import annotations

import re
from typing import Literal

from bot.parsing import reply_words as native
from bot.parsing.scripts import WORD_END, WORD_START, word_count
from bot.parsing.text import clean_text

__all__ = [
    "CORRECTION", "CORRECTION_OPENER", "DONT_KNOW", "MetaReply", "NOT_HOW_TO", "UNSURE",
    "asks_a_question", "asks_in_its_own_grammar", "asks_for_a_person", "asks_to_erase_own_data", "meta_reply",
]

MetaReply = Literal["skip", "not_sure", "why"]

# -- the shared vocabulary (regex fragments, matched case-insensitively) -------------------
# "Not sure" in its common forms: every parser reads an unknown answer with these words and
# adds only its field's own ("tbd" for a budget, "no rush" for a timeline, "it varies" for
# authority).
# Russian, Norwegian, Malay, Chinese and Persian forms: bot/parsing/reply_words.py.
UNSURE = r"not (?:really |entirely |quite )?sure|unsure|no idea|no clue|dunno|idk|hard to say|" + native.UNSURE
DONT_KNOW = r"(?:don'?t|do not|dont) know"
# What must not follow DONT_KNOW in an answer: "I don't know how to set it up" is about
# something else, not a "don't know" answer.
NOT_HOW_TO = r"(?!\s+(?:how|what|where|which|who|whom|whether|if) to\b)"
# The one correction rule: these words say that what follows replaces what was said before
# ("oops, make that 35k", "I meant Q3", "change it to 40k"). `bot/extraction.py` reads them
# anywhere in a message (is this message a correction?); `bot/parsing/budget.py` right before
# a figure (is this figure the corrected budget?).
CORRECTION = (
    r"make (?:it|that)|i meant|i mean|meant to say|correction|scratch that"
    r"|change (?:it|that|the \w+|our \w+|my \w+) to|update (?:it|that|the \w+) to|" + native.CORRECTIONS
)

# The words that open a correction before it says what is right ("oops, it's 40k", "sorry,
# Katarzyna not Katarina"): read at the start of a message by `bot/extraction.py` and
# `bot/corrections.py`.
CORRECTION_OPENER = r"oops|whoops|sorry|actually|wait|my bad|" + native.CORRECTION_OPENERS

_MAX_WORDS = 12
_I = re.IGNORECASE

_WHY = re.compile(
    r"^\W*why\W*$|\bwhy (?:do|would|did|does|should|are|is) (?:you|u|that|it|this|i)\b|\bwhy (?:you )?(?:ask|need|want)\b"
    r"|\bwhat(?:'s| is| do you need)? (?:that|this|it) for\b|\bwhat for\b|\bwhy (?:is )?(?:that|this|it) (?:relevant|important|needed|necessary)\b"
    r"|\bhow is (?:that|this|it) relevant\b|\b(?:is|why is) (?:that|this|it) (?:necessary|needed|required|relevant)\b"
    r"|\bwhy does (?:that|this|it) matter\b|\bwhat does (?:that|this|it) matter\b|\bwhy the question\b|\bwho wants to know\b"
    r"|\bwhat will you do with (?:it|that|this)\b|\bwhy do you care\b|\bwhat'?s it to you\b|\bwhy'?s that\b",
    _I,
)
# What "rather not" / "prefer not to" must decline to count as a skip: saying something, or
# nothing more (the clause ends). "I'd rather not talk to a machine" declines the bot, not
# the question: it is a request for a person, never an "unknown" answer to what was asked.
_DECLINED = (
    r"(?:\s(?:say|answer|share|tell|disclose|discuss|reveal|mention|specify|comment|commit|give|name|quote|state"
    r"|put a number|estimate|guess|get into|go into|talk about|get specific|be specific)\b|\s?(?=[,.;:!?)]|\s*$)"
    r"|\s(?=(?:thanks|thank you|sorry|if (?:that'?s|it'?s) ok(?:ay)?|for now|at this (?:point|stage)|yet)\b))"
)
_SKIP = re.compile(
    r"^\W*(?:skip|no comment|move on)\b|^\W*(?:pass|next|nah,? next)\W*$|\bskip (?:it|this|that|this one|that one|the question|please)\b|\b(?:let'?s |can we |could we )?skip\b"
    r"|\bnext question\b|\b(?:i'?d |i would )?(?:rather not|prefer not)(?: to)?" + _DECLINED + r"|\bnot (?:telling|saying|sharing)\b"
    r"|\bnone of your business\b|\bmove on\b|\blet'?s move on\b|\bno comment\b|\bdon'?t want to (?:say|answer|share|tell)\b"
    r"|\bi'?ll pass\b|\bpass on (?:that|this)\b|\bdecline to (?:answer|say)\b|\bnot comfortable (?:sharing|saying|answering)\b",
    _I,
)
# As a reply about any question, "I don't know" must stand on its own: "I don't know what you
# mean" or "... why you ask" is about the conversation, not the question.
_NOT_SURE = re.compile(
    rf"\b(?:{UNSURE})\b|\bnot (?:too |so )sure\b"
    rf"|\b(?:i )?{DONT_KNOW}\b(?!\s+(?:how|what|where|why|when|which|who|whom|if|whether|the way)\b)"
    r"|\b(?:it )?depends\b|\bnot certain\b|\bcan'?t say\b|\bhaven'?t (?:decided|thought about it)\b"
    r"|(?<![a-z/])n/?a(?![a-z/])|\bnot applicable\b|\bundecided\b|\btb[cd]\b|\bwho knows\b|\bgood question\b|\bnot yet (?:decided|known|clear)\b|\bunclear\b"
    r"|\b(?:she|he|they|my boss|the owner|nobody|no one|no-one)(?: \w+)? (?:didn'?t|did not|hasn'?t|has not|haven'?t|have not) (?:say|said|tell|told|mention|mentioned)\b"
    r"|^\W*(?:maybe|perhaps|possibly|might be|could be|we'?ll see)\W*$"
    r"|\bnot a clue\b|\bbeats me\b|\bnot decided\b|\bunknown\b|^\W*\?+\W*$|^\W*(?:hmm+|umm+|erm+|uh+)\W*$",
    _I,
)


# The same in the other languages (bot/parsing/reply_words.py), word-bounded except in Chinese.
_NATIVE_WHY = re.compile(rf"^\W*(?:{native.WHY_ALONE})\W*$|{WORD_START}(?:{native.WHY}){WORD_END}", _I)
_NATIVE_SKIP = re.compile(rf"{WORD_START}(?:{native.SKIP}){WORD_END}", _I)
_NATIVE_NOT_SURE = re.compile(rf"{WORD_START}(?:{native.UNSURE}){WORD_END}", _I)


def meta_reply(text: str) -> MetaReply | None:
    """"skip", "not_sure" or "why" for a short reply about the question; else None."""
    cleaned = clean_text(text[:2000])
    if not cleaned or word_count(cleaned) > _MAX_WORDS:
        return None
    if _WHY.search(cleaned) or _NATIVE_WHY.search(cleaned):
        return "why"
    if _SKIP.search(cleaned) or _NATIVE_SKIP.search(cleaned):
        return "skip"
    if _NOT_SURE.search(cleaned) or _NATIVE_NOT_SURE.search(cleaned):
        return "not_sure"
    return None


# A question by its grammar: a question word or an inverted auxiliary, then more words.
# "what we need is a bot" and "when we get funding" are statements; "Q3?" is a hesitant answer.
_ASKS = re.compile(
    r"^\W*(?:(?:ok|okay|so|and|but|hmm|wait|sorry|btw|quick question|hey|hi|hello)\W+)*(?:"
    r"(?:what|how|why|who|where|which|when)(?:'s|'re| is| are| do| does| did| can| could| would| will| should| much| many| long)\b"
    r"|(?:can|could|do|does|did|is|are|will|would|should|may) (?:you|u|it|this|that|they|there|i|leadbot|your)\b"
    r"|what about\b|how about\b|what (?:happens|now|next|else)\b|any (?:chance|way|discount)s?\b)",
    re.IGNORECASE,
)


_NATIVE_ASKS = re.compile(
    rf"^\W*(?:{native.QUESTION_STARTS}){WORD_END}(?!-)|{native.QUESTION_ENDS}|{native.QUESTION_TO_THE_BOT}", _I)


def asks_in_its_own_grammar(cleaned: str) -> bool:
    """A question by the grammar of Russian, Norwegian, Malay, Chinese or Persian: "сколько
    стоит", "hvor mye koster det", "berapa harga", "多少钱", "是AI吗" (`cleaned`: clean_text's)."""
    return bool(_NATIVE_ASKS.search(cleaned))


def asks_a_question(text: str) -> bool:
    """The message asks something ("what's the weather today?", "do you integrate with X",
    "сколько стоит?", "多少钱"), so it is never read as the answer to the pending question,
    whatever NLU made of it."""
    cleaned = clean_text(text[:500])
    return bool(_ASKS.match(cleaned)) or asks_in_its_own_grammar(cleaned)


# What the bot holds about a visitor, named in an erasure request: "delete my data", "forget
# everything I told you", "right to be forgotten". "Erase the voicemails in my inbox" names
# something else: an errand, answered as off-topic rather than with "delete your data?".
_OWN_DATA = re.compile(
    r"\b(?:my|me|our|this|these|everything|all|any)\b[^.?!]{0,40}?\b(?:data|details|info|information|conversation|chat"
    r"|messages?|answers|records?|profile|personal|e-?mail(?: address)?|phone(?: number)?|number|name|contact"
    r"|everything|what i (?:told|said|gave|wrote))\b"
    r"|\b(?:forget (?:me|everything|what i|all)|(?:right|want) to be forgotten|gdpr|erasure|remove me|delete me|erase me"
    r"|withdraw (?:my )?consent|everything you (?:have|know|hold|kept|stored))\b",
    re.IGNORECASE,
)
_ERRAND_OBJECT = re.compile(
    r"\b(?:inbox|voicemails?|photos?|pictures?|songs?|playlists?|history|browser|files?|folders?|apps?|alarms?|reminders?"
    r"|notes?|lists?|calendar|contacts list|texts? from|emails? (?:from|to|i sent))\b",
    re.IGNORECASE,
)


def asks_to_erase_own_data(text: str) -> bool:
    """True when a deletion request is about what the bot holds on the visitor (their data,
    this chat), not about something in their own life."""
    cleaned = clean_text(text)
    return bool(_OWN_DATA.search(cleaned)) and not _ERRAND_OBJECT.search(cleaned)


# A person asked for inside an answer: "a@b.com and please have a human call me", "get one of
# your reps to ring me". A bare "call me on 555..." gives a number, not this request.
_PERSON = (r"(?:a |an |one of your |your |some |the )?(?:human|real person|person|real human|rep|representative|sales ?(?:rep|person|team|guy)"
           r"|someone|somebody|agent|consultant|account manager|expert|specialist)")
_ASKS_FOR_A_PERSON = re.compile(
    rf"\b(?:have|get|let|can|could|would|should|please|need|want|i'?d like)\b[^.?!]{{0,20}}?\b{_PERSON}"
    r"(?:\s(?:from|in|on|at) (?:your |the )?[\w-]+(?: team)?)?\s(?:to\s)?"
    r"(?:call|phone|ring|contact|e-?mail|reach|get back to|get in touch with|give me a call)\b"
    rf"|\b(?:talk|speak|chat)\s(?:to|with)\s(?:a |an )?(?:human|real person|person|real human|rep|representative|sales ?(?:rep|person|team))\b",
    re.IGNORECASE,
)


def asks_for_a_person(text: str) -> bool:
    """True when the message asks for a person to take over or get in touch, wherever in it."""
    return bool(_ASKS_FOR_A_PERSON.search(clean_text(text)[:2000]))
