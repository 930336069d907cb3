"""The pending-question rule: while the bot waits for an answer, a message is first read as
that answer.

NLU labels a message by its wording alone, so a bare name ("Marta Okafor") can look like a
goodbye, a company ("Brightline Partners") like a pricing question, "pronto" like a goodbye
and "a bot for our site" like "are you a bot?". The conversation knows better: it asked a
question. So a message counts as something else (an interruption the rules answer) only when
it clearly is: NLU is confident *and* the message holds no plausible answer to the pending
question. A request about the conversation itself (a person, start over, "why do you ask?")
is taken at its word when NLU is sure of it.
"""
from __future__ import annotations

import re

from bot.extraction import Extracted
from bot.parsing.need import need_clause
from bot.parsing.replies import asks_a_question, asks_in_its_own_grammar
from bot.parsing.scripts import WORD_END, WORD_START, word_count
from bot.parsing.text import clean_text

__all__ = ["answers_pending_question", "asks_a_question", "is_question"]

# Requests about the conversation: only a hesitant NLU lets the pending answer win over them.
_CONVERSATION_REQUESTS = frozenset({"request_human", "start_over", "ask_why", "message_too_long", "delete_my_data"})
_SURE = 0.8
# What such a request says in words; a bare "Peoplewise" labelled request_human is a company.
_REQUEST_WORDS = re.compile(
    r"\b(?:human|person|people|someone|somebody|anyone|agent|rep|representative|sales(?:person| team)?|staff|team"
    r"|talk|speak|call|phone|ring|contact|chat with|real|live|start over|restart|reset|begin again|from scratch|why|what for"
    r"|delete|erase|remove|forget|wipe)\b"
    # the same in Russian, Norwegian, Malay, Chinese and Persian
    rf"|{WORD_START}(?:человек\w*|оператор\w*|менеджер\w*|живо\w+|сотрудник\w*|позвон\w*|свяж\w*|связаться|начать заново"
    r"|сначала|удали\w*|забуд\w*|зачем|почему|menneske|person|noen|ansatt|selger|ring\w*|kontakt\w*|snakke med|begynne på nytt"
    r"|start på nytt|slett\w*|glem\w*|hvorfor|manusia|orang|ejen|staf|wakil|hubungi|telefon|cakap dengan|bercakap dengan|mula semula"
    r"|padam\w*|hapus\w*|lupakan|kenapa|人工|真人|客服|销售|打电话|联系|重新开始|重来|删除|忘记|为什么|انسان|آدم|اپراتور|کارشناس|پشتیبان"
    r"|تماس|زنگ|صحبت|از اول|دوباره شروع|پاک|حذف|فراموش|چرا)" + WORD_END,
    re.IGNORECASE,
)

# Most contact answers are a few words; a longer message is a sentence about something else.
_CONTACT_WORDS = {"name": 5, "company": 7}
# Labels for a message about something else entirely (an errand, a trivia question).
_OFF_TOPIC = frozenset({"out_of_scope"})

# A cue said in the negative: "I do not want…", "we no longer need…".
_NEGATION_BEFORE = re.compile(r"\b(?:not|don'?t|doesn'?t|no longer|never)\s+(?:really\s+)?$", re.IGNORECASE)

# A message that opens as a time ("before…", "once…", "when the…" but not "when does…"): a
# timeline however long, not an errand that happens to hold a date.
_TIME_OPENER = re.compile(
    r"^\W*(?:before|after|once|by|within|until|till|ahead of|in time for|no later than|sometime|around"
    r"|when(?!\s+(?:does|do|did|is|are|was|were|will|can|could|should|would)\b))\b"
    r"|^\W*(?:до|к|после|через|в течение|не позже|не позднее|когда(?!\s(?:вы|у вас|можно|будет))|før|etter|innen|når|senest"
    r"|om|sebelum|selepas|menjelang|dalam masa|dalam tempoh|bila|selewat-lewatnya|قبل از|بعد از|تا|ظرف|وقتی|زمانی که)\s"
    r"|^\W*(?:等到|在.{1,12}(?:之前|以前|前|之后|以后|后)|.{1,12}(?:之前|以前|之后|以后)(?:吧)?\W*$)",
    re.IGNORECASE,
)

_QUESTION_START = re.compile(
    r"^\W*(?:what|what's|whats|how|why|who|who's|where|which|can|could|do|does|did|is|are|will|would|should|may"
    r"|have you|has it|any|tell me about)\b",
    re.IGNORECASE,
)


def is_question(text: str) -> bool:
    """A message asking something rather than telling: "how much is it?", "do you integrate with X",
    "сколько стоит", "多少钱", "چقدر هزینه داره؟"."""
    cleaned = clean_text(text[:500]).strip()
    return cleaned.endswith(("?", "؟")) or bool(_QUESTION_START.match(cleaned)) or asks_in_its_own_grammar(cleaned)


def written_as_a_name(text: str) -> bool:
    """Capitalised like a name ("Brightwell Dental", "SiteLog", "Ana de la Cruz"): at least
    half of its words start with a capital letter or a digit, and not only the first of several.
    Scripts without capitals (Chinese, Persian) cannot show it: a word of theirs counts as named."""
    words = re.findall(r"[^\W_][\w'&.-]*", clean_text(text[:200]))
    if not words:
        return False
    named = [w for w in words if w[0].isupper() or w[0].isdigit() or not (w[0].isupper() or w[0].islower())]
    return 2 * len(named) >= len(words) and (len(words) == 1 or named != words[:1])


def _wished(text: str) -> bool:
    """A need stated after a cue that is not negated ("we need…", not "I do not want…")."""
    clause = need_clause(text)
    if clause is None:
        return False
    at = text.find(clause)
    return at < 0 or not _NEGATION_BEFORE.search(text[max(0, at - 20):at])


def answers_pending_question(text: str, found: Extracted, requested: str, intent: str | None,
                             confidence: float) -> bool:
    """Does the message answer the pending question `requested`, whatever NLU made of it?

    `found` is the message read with `requested` parsed liberally (bot.extraction.extract).
    """
    if intent in _CONVERSATION_REQUESTS and confidence >= _SURE and _REQUEST_WORDS.search(text):
        return False
    if found.meta in ("skip", "not_sure"):
        return True
    if is_question(text):
        return False
    value = getattr(found, requested, None)
    if value is None:
        return False
    if isinstance(value, str) and requested == "email":
        return True
    words = word_count(clean_text(text[:500]))
    off_topic = intent in _OFF_TOPIC and confidence >= _SURE
    if requested in _CONTACT_WORDS:
        # "check current prime mortgage rate" to "which company?": NLU is sure it is an errand,
        # and nothing in it is written as a name is
        return words <= _CONTACT_WORDS[requested] and (not off_topic or written_as_a_name(text))
    if requested == "need":
        # a wish in its own words counts, unless NLU is sure it is an errand and no cue
        # ("we need…", "looking for…") or known kind of need says otherwise; for such an errand
        # a kind of need named in passing ("cancel my dinner reservation") or a wish said
        # in the negative ("I don't want my booking anymore") is not one, a terse reply is
        if not off_topic:
            return value.status == "stated" and (value.category is not None or need_clause(text) is not None
                                                  or words >= 3)
        return value.status == "stated" and (_wished(text) or value.category is not None and words <= 4)
    if requested == "authority":
        return value.level != "unknown"
    # budget, timeline: "a new car under $25000" is the errand's figure when NLU is sure it is an
    # errand; a terse reply ("$25k", "next spring") is still read as the answer, and so is a
    # timeline said as a time ("once the new fiscal year starts in April")
    return value.status in ("stated", "none") and (
        not off_topic or words <= 4 or requested == "timeline" and bool(_TIME_OPENER.match(text)))
