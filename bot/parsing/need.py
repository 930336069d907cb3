"""Read what the prospect wants, in their own words, and whether it is concrete yet.

`Need.text` is the clause that states the need, kept as typed ("we want a bot that books
consultations"), so a rep reads it as the visitor said it; when the visitor answers the
need question without a cue ("booking appointments online") the whole reply is the need.
`level` is "exploring" for "just looking", "researching", "curious", "exploring options",
"not sure yet what we need", "thinking about"; otherwise "specific". `category` is the
first category of settings/content.yml `needs` (in file order) with a keyword in the need
text (whole words, case-insensitive, plural "s" tolerated), else in the whole message.

With `answering=False` (any other message) only an explicit need cue counts: "we need",
"we want", "looking for", "we'd like", "trying to", "our problem is", "we're struggling
with", "help us ...", "interested in", or an exploring cue with an object ("exploring
options for a chatbot"). Clauses that only say when or how much ("we'd like it live in
six weeks", "we need it by Q3") or ask for contact ("I'd like to talk to someone") are
not needs. A reply that is only a question ("how much does it cost?") is not a need.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from bot.answers import Need, NeedLevel
from bot.parsing.replies import DONT_KNOW, UNSURE
from bot.parsing.scripts import WORD_START, word_count
from bot.parsing.text import clean_text

__all__ = ["parse_need", "match_category"]

_I = re.IGNORECASE
_SCAN_CHARS = 20_000
NEED_TEXT_LIMIT = 300

_SUBJECT = r"(?:(?:we|i|they|us)(?:'re|'m|'d|'ll| am| are| would| will| really| also| just| do| currently| definitely| basically| mainly| urgently)*\s)?"
_CUE = re.compile(
    r"(?<![a-z'])(?:"
    r"(?:we|i)(?:'d| would) (?:really )?(?:like|love)|"
    rf"{_SUBJECT}(?:need|needs|want|wants|would like|'d like|'d love|would love|are looking for|'re looking for|am looking for|'m looking for"
    r"|looking for|are after|'re after|am after|'m after|are searching for|searching for|are trying to|'re trying to|'m trying to|trying to"
    r"|are hoping to|'re hoping to|hoping to|hope to|are interested in|'re interested in|'m interested in|interested in"
    r"|are struggling (?:with|to)|'re struggling (?:with|to)|'m struggling (?:with|to)|struggling (?:with|to)|struggle (?:with|to)"
    r"|are losing|'re losing|lose|keep losing|are missing|'re missing|miss|keep missing|have trouble|have a problem with|have problems with"
    r"|are in the market for|'re in the market for|in the market for|are exploring|'re exploring|'m exploring|exploring"
    r"|are researching|'re researching|'m researching|researching|are considering|'re considering|considering|are thinking about|'re thinking about|thinking about"
    r"|are curious about|'re curious about|curious about|are evaluating|'re evaluating|evaluating|are comparing|comparing)"
    r"|(?:our|my|the) (?:main |biggest |big )?(?:problem|issue|challenge|pain|pain point|goal|aim|need|use case) (?:is|are)"
    r"|help (?:us|me) (?:to )?|help with|need help with|could use help with|can you help (?:us|me)(?: with)?|do you (?:do|offer|have|support)"
    r")\s?",
    _I,
)
# Clause ends: sentence marks, or a comma / "and" / "but" that starts another topic.
_CLAUSE_END = re.compile(
    r"[.;!?\n](?:\s|$)|[;\n]|\s?[,(]\s?(?=(?:and |but |so |also |plus )?(?:budget|our budget|the budget|my budget|we'?d|we would|we'?re|we are|we have|we can|we|i|i'?m|i am|i'?d|my|it|timeline|ideally|by|in|within|asap|live|hopefully|thanks|thank|price|cost|cheers|name|email|call me|you can|ideally|preferably|before|around|about|roughly|max|up to)\b)"
    r"|\s(?:but|and (?:our|the|my) budget|budget is|with a budget)\b"
    r"|\s(?=(?:live|up and running|running|ready) (?:by|in|within|before|asap|next|this|for)\b)",
    _I,
)
_NOT_A_NEED = re.compile(
    r"^(?:it|this|that|them|one|something like that|to (?:go live|start|launch|begin|buy|purchase|get started|have it|sign)|"
    r"to (?:know|ask|talk|speak|chat|understand how much)|a call|to book a call|a human|an agent|a person|someone|somebody|"
    r"more info(?:rmation)?|info(?:rmation)?|your pricing|the price|pricing|a quote|a price|an answer|to see pricing|"
    r"approval|sign[- ]?off|budget)\b",
    _I,
)
_EXPLORING = re.compile(
    r"\b(?:just (?:looking|browsing|curious|researching|exploring|checking|wondering)|exploring|explore|curious|researching|research phase"
    r"|browsing|looking around|checking (?:out|things out)|see(?:ing)? what'?s (?:out there|possible|available)|comparing|"
    r"not (?:yet )?sure (?:yet )?what (?:we|i) need|don'?t know (?:yet )?what (?:we|i) need|early stages?|early days|at an early stage"
    r"|thinking about|considering|evaluating|window[- ]shopping|wondering|learn more|(?:exploring|weighing(?: up)?|looking at|compare|comparing|checking) (?:the |our |some |different )?options|no specific|nothing specific|nothing concrete"
    r"|not sure yet|gathering (?:info|information|ideas)|get(?:ting)? ideas|getting a feel|get a feel)\b",
    _I,
)
_UNKNOWN_ALONE = re.compile(
    rf"^\W*(?:skip(?: it| this| that)?|pass|next|{UNSURE}|(?:i )?{DONT_KNOW}|n/a"
    r"|rather not say|prefer not to say|nothing|none|nothing really|not sure,? sorry|sorry,? not sure)\W*$",
    _I,
)
_GREETING = re.compile(
    r"^\W*(?:(?:hi|hello|hey|hiya|howdy|good (?:morning|afternoon|evening|day)|greetings|yo|hallo|bonjour|hola|ok|okay|sure|yes|yeah|yep|thanks|thank you|cheers|great|cool)\b[\s,!.]*)+",
    _I,
)
_QUESTION_START = re.compile(
    r"^\W*(?:what|how|why|can|could|do|does|did|are|is|will|would|should|who|where|when|which|may)\b", _I
)
_FILLER_START = re.compile(r"^(?:so|and|well|basically|mainly|honestly|also|um+|uh+|erm|right)\b[\s,]*", _I)


def parse_need(
    text: str, categories: Mapping[str, Sequence[str]], *, answering: bool
) -> Need | None:
    """A Need from `text`, or None when nothing recognisable (the caller re-asks)."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    scan = cleaned[:_SCAN_CHARS]
    if answering and _UNKNOWN_ALONE.match(scan):
        return Need(text=cleaned[:NEED_TEXT_LIMIT], level="exploring", status="unknown")
    clause = need_clause(scan)
    if clause is None and answering:
        clause = _whole_reply(scan, categories)
    if clause is None and not answering:
        clause = _exploring_clause(scan)
    if not clause:
        return None
    exploring = _EXPLORING.search(clause) or (answering and _EXPLORING.search(scan[:500]))
    level: NeedLevel = "exploring" if exploring else "specific"
    category = match_category(clause, categories) or match_category(scan, categories)
    return Need(text=clause, level=level, category=category)


# Openers that ask to talk but say nothing of what is needed: the bot still asks the need.
_VAGUE = re.compile(
    r"^\W*(?:(?:hi|hello|hey|good (?:morning|afternoon|evening))\W+)?(?:i |we )?(?:have|got|had) (?:a |an |some |one |few |a few |a couple of )?"
    r"(?:quick |small |short |simple )?(?:questions?|query|queries|enquiry|inquiry)\b(?!\s(?:about|on|regarding)\s\w)"
    r"|^\W*(?:i'?m |we'?re |just )*(?:looking|browsing|checking|having a look)(?: around| things out| it out)?\W*$"
    r"|^\W*(?:i |we )?(?:need|want|would like|'d like) (?:some )?(?:help|info|information|details|assistance)\W*$"
    r"|^\W*(?:can you help(?: me| us)?|help|info|question|tell me more|interested|curious)\W*$",
    re.IGNORECASE,
)


# What a business buys a sales chatbot for: a need names its customers, its site, its sales
# or its service. "add this song to my playlist" or "which insurance plan am I on" names none.
_BUSINESS = re.compile(
    r"\b(?:customers?|clients?|leads?|visitors?|prospects?|buyers?|patients?|students?|parents?|members?|users?|guests?"
    r"|tenants?|homeowners?|applicants?|candidates?|donors?|enquir\w*|inquir\w*|requests?|orders?|bookings?|appointments?"
    r"|reservations?|demos?|quotes?|tickets?|support|questions|faqs?|website|web ?site|site|web|page|pages|landing|online"
    r"|chat\w*|bot|bots|assistant|widget|sales|marketing|crm|pipeline|funnel|conversions?|qualif\w*|follow[- ]?ups?"
    r"|business|company|firm|agency|clinic|practice|shop|store|restaurant|hotel|school|studio|team|staff|reps?"
    r"|automat\w*|integrat\w*|whatsapp|messenger|telegram|instagram|facebook|campaigns?|traffic|inbound|outbound"
    r"|capture|collect|respond|answer\w*|24/7|after[- ]hours|scheduling|calendar|product|service|services)\b",
    re.IGNORECASE,
)


# The same in Russian, Norwegian, Malay, Chinese and Persian (stems; Chinese without word bounds).
_NATIVE_BUSINESS = re.compile(
    WORD_START + r"(?:клиент|заказчик|покупател|посетител|заявк|заказ|запис|сайт|бот|чат|продаж|лид|поддержк|вопрос"
    r"|компани|бизнес|магазин|автоматиз|обращени|консультац|менеджер|онлайн|kunde|besøkende|henvendelse|bestilling"
    r"|booking|timebestilling|nettside|hjemmeside|nettbutikk|salg|spørsmål|bedrift|butikk|automatiser|chat|bot"
    r"|pelanggan|pelawat|tempahan|pesanan|laman|jualan|sokongan|soalan|perniagaan|syarikat|kedai|automasi"
    r"|pertanyaan|مشتری|بازدیدکننده|سفارش|رزرو|نوبت|وب[\s\u200c]?سایت|سایت|فروش|پشتیبانی|سوال|سؤال|کسب[\s\u200c]?و[\s\u200c]?کار"
    r"|شرکت|فروشگاه|خودکار|چت[\s\u200c]?بات|ربات|پاسخ)"
    r"|客户|顾客|客服|咨询|订单|预约|网站|官网|销售|线索|机器人|聊天|自动|回复|业务|公司|微信|问题|售后|获客",
    re.IGNORECASE,
)


def names_a_business_need(text: str, category: str | None) -> bool:
    """The text speaks of something a business would buy a sales chatbot for."""
    return category is not None or bool(_BUSINESS.search(text[:2000]) or _NATIVE_BUSINESS.search(text[:2000]))


def is_vague_need(text: str) -> bool:
    """"I have a question", "just looking", "need some help": no need stated yet."""
    return bool(_VAGUE.search(clean_text(text[:300])))


def need_clause(text: str) -> str | None:
    """The first clause that states a need after an explicit cue, or None."""
    for m in _CUE.finditer(text):
        rest = text[m.end():]
        if not rest.strip() or _NOT_A_NEED.match(rest.strip()):
            continue
        end = _CLAUSE_END.search(rest)
        obj = rest[: end.start()] if end else rest
        obj = obj.strip(" ,:-–—")
        if len(obj.split()) < 1 or len(obj) < 3:
            continue
        start = _clause_start(text, m.start())
        clause = text[start: m.end() + len(rest[: end.start()] if end else rest)].strip(" ,;:-–—")
        clause = _FILLER_START.sub("", clause)
        return clause[:NEED_TEXT_LIMIT].rstrip()
    return None


def _clause_start(text: str, cue_start: int) -> int:
    """Back up from the cue to the start of its clause (after the last , ; . ! ?)."""
    head = text[max(0, cue_start - 60):cue_start]
    cut = max(head.rfind(c) for c in ",;.!?")
    if cut < 0:
        return max(0, cue_start - 60) if cue_start <= 60 and not head.strip() else cue_start
    start = cue_start - len(head) + cut + 1
    between = text[start:cue_start].strip()
    # keep a short lead-in ("so we want", "honestly, we need") but not a whole sentence
    return start if len(between.split()) <= 2 else cue_start


def _exploring_clause(text: str) -> str | None:
    """"exploring options for a chatbot" in any message; a bare "just looking" does not count."""
    m = re.search(
        r"\b(?:(?:we'?re|we are|i'?m|i am|just)\s)?(?:exploring|researching|looking into|curious about|comparing|evaluating)\s(?P<obj>[^.;!?\n]{4,200})",
        text,
        _I,
    )
    if not m:
        return None
    end = _CLAUSE_END.search(m.group("obj"))
    obj = m.group("obj")[: end.start()] if end else m.group("obj")
    return text[m.start(): m.start("obj") + len(obj)].strip(" ,")[:NEED_TEXT_LIMIT] if obj.strip() else None


def _whole_reply(text: str, categories: Mapping[str, Sequence[str]]) -> str | None:
    """The whole reply as the need: 2+ words (Chinese: 4+ characters), not a greeting, not only a question."""
    body = _GREETING.sub("", text).strip(" ,.!")
    body = _FILLER_START.sub("", body).strip()
    if not body:
        return None
    if body.endswith("?") and _QUESTION_START.match(body):
        return None
    words = re.findall(r"\w+", body)
    if word_count(body) < 2 and not (words and match_category(body, categories)) and not _EXPLORING.search(body):
        return None
    return body[:NEED_TEXT_LIMIT]


@lru_cache(maxsize=64)
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    words = [re.escape(k.strip()).replace(r"\ ", r"[\s-]+") for k in keywords if k and k.strip()]
    if not words:
        return None
    words.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?:s|es)?(?!\w)", _I)


def match_category(text: str, categories: Mapping[str, Sequence[str]]) -> str | None:
    """The first category (mapping order) with a keyword in `text`, else None."""
    for name, keywords in categories.items():
        pattern = _keyword_pattern(tuple(keywords))
        if pattern is not None and pattern.search(text):
            return name
    return None
