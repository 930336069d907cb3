"""Read every qualification value a single user message offers: the one entry point the
Rasa actions call after each message (`actions/understanding.py`).

The field the bot just asked for (`requested`) is parsed liberally (answering=True: a bare
"25k" is the budget, "Sam" the name); every other field strictly (answering=False: only
with clear cues), from the same message. So a loaded opener ("Sam Ortiz here, head of
sales at Brightwell Dental; we want a bot that books consultations, budget is 25k, live in
six weeks") fills everything it states, and a late "oops, make that 35k" corrects the
budget whatever was asked. An e-mail address anywhere is always taken, and so is a valid
phone number (E.164, bot/parsing/phone.py: its country from a "+", a country named in the
message, the e-mail's country, else `phone_region`); a reply that is a phone number is not
also read as the name, company or need that was asked for.

Meta replies ("skip", "not sure", "why do you ask?") are reported in `meta` only when the
requested field's parser found no real answer, so "not sure, maybe 20k" is a budget of
20k. For the BANT fields "skip"/"not sure" also record an explicit unknown (Budget,
Timeline, Authority with status/level unknown; Need with status unknown, level exploring);
"why" records nothing: the bot explains and asks again.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from bot.answers import Authority, Budget, Need, Timeline
from bot.parsing.authority import find_role, parse_authority
from bot.parsing.authority_words import title_in_english
from bot.parsing.budget import parse_budget
from bot.parsing.currencies import language_territory, local_currency, settle
from bot.parsing.contact import name_alone, parse_company, parse_email, parse_name
from bot.parsing.contact_words import HAN
from bot.parsing.need import NEED_TEXT_LIMIT, is_vague_need, names_a_business_need, need_clause, parse_need
from bot.parsing.phone import DEFAULT_REGION, parse_phone
from bot.parsing.replies import CORRECTION, CORRECTION_OPENER, MetaReply, asks_a_question, meta_reply
from bot.parsing.scripts import word_count
from bot.parsing.text import clean_text
from bot.parsing.timeline import MAX_TEXT as TIMELINE_TEXT_LIMIT, parse_timeline
from bot.parsing.typos import correct_typos, join_split_words
from bot.places import is_place_name

__all__ = ["Extracted", "FIELDS", "authority_so_far", "extract", "job_title_until_authority", "unknown_answer"]

FIELDS: tuple[str, ...] = ("need", "budget", "authority", "timeline", "name", "email", "company")
# Answers are read from the first 8,000 characters (twice the default message cap in
# settings/conversation.yml); the e-mail scan reads all of it. Bounds the work per message.
_PARSE_CHARS = 8_000

# A correction (the shared words, and here also "should be", "typo", or an "oops" that opens
# the message) anywhere in a message: "oops, make that 35k", "actually it's 40k".
_CORRECTION = re.compile(
    rf"(?<![a-z])(?:{CORRECTION}|let me correct|to correct|should (?:have )?(?:be|said)|typo"
    rf"|^\W*(?:{CORRECTION_OPENER}|no,? sorry|err?m?)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Extracted:
    """What one message said. Fields are None when the message did not say them."""

    need: Need | None = None
    budget: Budget | None = None
    authority: Authority | None = None
    timeline: Timeline | None = None
    name: str | None = None
    email: str | None = None
    email_problem: str | None = None  # message for the visitor when an email looked invalid
    company: str | None = None
    phone: str | None = None  # E.164 ("+14155550132"), from any message like the e-mail
    meta: Literal["skip", "not_sure", "why"] | None = None  # a reply about the question itself
    correction: bool = False  # "oops, make that 35k", "actually it's 40k", "I meant ..."

    def slots(self) -> dict[str, Any]:
        """Only the values found, in slot form: answers as dicts, contact fields as text."""
        out: dict[str, Any] = {}
        for key in ("need", "budget", "authority", "timeline"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value.to_dict()
        for key in ("name", "email", "company", "phone"):
            value = getattr(self, key)
            if value:
                out[key] = value
        return out


def extract(
    text: str,
    *,
    today: date,
    requested: str | None,
    categories: Mapping[str, Sequence[str]],
    phone_region: str = DEFAULT_REGION,
    known_email: str | None = None,
    open_fields: Sequence[str] = (),
    opening: bool = False,
    country: str | None = None,
    language: str | None = None,
) -> Extracted:
    """Parse `text` for every field; `requested` (one of FIELDS, or None) liberally.

    `phone_region` is the country a phone number without "+" is read in when nothing else
    hints; `known_email` the visitor's address from earlier, whose country is one hint.
    `open_fields`: questions not answered yet; when the reply does not answer `requested`
    but clearly answers one of them ("asap" to the need question), it is taken as that
    answer (out of order, as a person would). `opening`: the conversation's first message,
    where a concrete wish ("chatbot for our website") is the need even without "we need".
    `country`: where the visitor said they are (bot/places.py), for phone numbers without
    "+" and for currency names their country shares ("dirhams" in Marrakech). A symbol several
    countries write ("$", "kr", "Rs") is settled by `country`, else by the conversation's
    `language` (its home country: "kr" in Norwegian is NOK, "¥" in Chinese CNY), else by
    `phone_region` (the site's own country); when none uses it, the budget keeps no currency
    but its `currency_options`, and the form asks which one (actions/lead_form.py).
    """
    if requested not in FIELDS:
        requested = None
    cleaned = clean_text(text)
    if not cleaned:
        return Extracted()
    scan = join_split_words(cleaned[:_PARSE_CHARS])
    if _PERSONAL_REQUEST.match(scan):
        # "book me a flight for under $200", "spell aaron": an errand for a personal assistant,
        # not an answer; only contact details in it are kept
        check = parse_email(cleaned, answering=False)
        phone = parse_phone(scan, default_region=country or phone_region, email=check.email or known_email)
        return Extracted(email=check.email, phone=phone.e164 if phone else None)

    email_check = parse_email(cleaned, answering=requested == "email")
    need = parse_need(scan, categories, answering=requested == "need")
    site = (language_territory(language), phone_region)  # who else may settle a shared currency
    budget = _in_local_currency(parse_budget(scan, answering=requested == "budget"), scan, country, site)
    authority = parse_authority(scan, answering=requested == "authority")
    timeline = _timeline(scan, today, answering=requested == "timeline")
    name = parse_name(scan, answering=requested == "name")
    company = parse_company(scan, answering=requested == "company")
    correction = bool(_CORRECTION.search(scan[:300]))
    phone = parse_phone(scan, default_region=country or phone_region, email=email_check.email or known_email)
    if phone is None and not country and site[0] and site[0] != phone_region:
        # "打我电话：13700001111" on a site of another country: a national number of the
        # conversation's language's country
        phone = parse_phone(scan, default_region=site[0], email=email_check.email or known_email)
    if phone is not None:
        # "call me on 415-555-0132" answers with a phone, not with a company or a name
        name = None if name and phone.raw in name else name
        company = None if company and phone.raw in company else company
        if (budget is not None and requested != "budget" and not budget.currency and budget.min is not None
                and len(str(int(budget.min))) >= 6 and str(int(budget.min)) in re.sub(r"\D", "", phone.raw)):
            budget = None  # the number's digits are no sum

    if name is None and requested != "name":
        # "Наталья Белова, компания МедЛайн, n.belova@…": a list of contact details led by a name
        name = _listed_name(scan, email_check.email, phone.raw if phone else None)
        if name is not None and company is None:
            company = _listed_company(scan, name)
    elif name is None and requested == "name" and len(items := _list_items(scan)) > 1:
        # "李娜，鼎泰电子的市场经理": the name asked for, then more about them
        name = parse_name(items[0], answering=True)

    if correction:
        budget, timeline = _corrected(scan, today, requested, budget, timeline)
        if requested in ("name", "company") and (_stated(budget) or _stated(timeline)):
            # "ой, извините, не 50, а 70 тысяч в месяц" to "what's your name?": a correction,
            # not a name; only a name said outright counts
            name = parse_name(scan, answering=False) or (_name_beside_correction(scan) if requested == "name" else None)
            company = parse_company(scan, answering=False)
    if requested == "need" and need is not None and need.status == "stated":
        others = (budget, timeline, authority, email_check.email, name, company, phone)
        need = _need_or_other_answer(scan, today, need, others)
        if need is not None and all(v is None for v in others):
            # the whole reply answers the question: keep all of the visitor's words
            need = replace(need, text=scan[:NEED_TEXT_LIMIT].rstrip())
    if need is not None and requested != "need" and (asks_a_question(scan) or is_vague_need(scan)):
        need = None  # "do you have a free plan?" asks, "I have a question" says nothing yet
    if need is not None and need.level == "specific" and not names_a_business_need(scan, need.category):
        need = None  # "add this song to my playlist": no need a chatbot could meet
    if requested is None and opening:
        said = (name, company, email_check.email, phone.raw if phone else None, authority.role if authority else None)
        if need is None:
            need = _opening_need(scan, today, categories, said)
        elif not _holds_a_wish(_without(scan, said), categories):
            need = None  # "Я Ольга, директор по продажам, …": the title's "sales" is no wish
    if need is not None and need.status == "stated" and len(scan) <= NEED_TEXT_LIMIT:
        # the visitor's own words, whole: "we're a solar installer; need to filter out
        # tenants" keeps what the business is, which the clause alone loses
        need = replace(need, text=scan.rstrip())
    if requested in ("name", "company") and _REQUEST_SHAPED.match(scan) and not _SELF_INTRO.match(scan):
        # a liberal name or company is a short reply of names, never "does the nsa listen to me"
        # only what a cue introduces counts then: "i work at Northwind", "I'm Sam"
        name = parse_name(scan, answering=False) if requested == "name" and not _NAME_CUE_START.match(scan) else name
        company = parse_company(scan, answering=False) if requested == "company" else company
    if requested == "name" and name and company is None:
        company = _listed_company(scan, name)
    if requested == "name" and name and company and name == company:
        company = None
    if requested == "company" and name and company and name == company:
        name = None

    found = {"need": need, "budget": budget, "authority": authority, "timeline": timeline,
             "name": name, "email": email_check.email, "company": company}
    meta = _meta(scan, requested, found)
    if meta is not None and requested is not None:
        found[requested] = _unknown_for(requested, scan, meta)
    elif requested is not None:
        found.update(_despite_typos(scan, today, requested))
    if requested is not None and meta is None and not _is_answer(found[requested]) and phone is None:
        # (a phone number's digits answer no other question: "13700001111" is no budget)
        found.update(_out_of_order(scan, today, requested, open_fields, found))

    budget = found["budget"]
    if budget is not None and budget.currency and budget.currency_options:
        # read again past a typo or as an out-of-order answer: settled like the first reading
        found["budget"] = _in_local_currency(budget, scan, country, site)
    return Extracted(
        need=found["need"],
        budget=found["budget"],
        authority=found["authority"],
        timeline=found["timeline"],
        name=found["name"],
        email=email_check.email,
        email_problem=None if email_check.email else email_check.problem,
        company=found["company"],
        phone=phone.e164 if phone else None,
        meta=meta,
        correction=correction,
    )


# "João Ferreira, Cowork Tejo, joao@cowork.example": contact details given as a list.
# A Chinese item that starts with a verb or a pronoun says what they do ("负责市场"), names nothing.
_ZH_NOT_A_NAME_START = re.compile(r"(?:负责|做|是|在|想|要|我|管|搞|干|主要|目前|现在)")
_LIST_SEPARATOR = re.compile(r"\s*(?:[,;|\n]|\s[-–—/]\s)\s*")


def _list_items(text: str) -> list[str]:
    return [item.strip(" .") for item in _LIST_SEPARATOR.split(text) if item.strip(" .")]


# "not May but March", "не в мае, а в марте", "ikke i mai, men i mars", "不是五月，而是三月": the
# denied part is no answer; "March, not May" the same way round. "not before March" is a bound,
# not a denial, and stays.
_NOT = r"(?:(?<!\w)(?:not|не|ikke|bukan|tak|نه)(?!\w)|不是)"
_BUT = r"(?:(?<!\w)(?:but|а|men|tapi|tetapi|بلکه)(?!\w)|而是|就是)"
# bounds ("not before March") and doubt ("not sure") are no denial of one answer for another
_BOUND_WORDS = (r"(?!(?:before|after|until|later|earlier|sure|certain|раньше|позже|позднее|уверен\w*|знаю|før|etter"
                r"|sikker|sebelum|selepas|pasti|确定)(?!\w))")
_DENIED_THEN = re.compile(rf"{_NOT}\s*(?!\s){_BOUND_WORDS}[^,.;!?，。]{{1,40}}?\s*[,，]?\s*(?={_BUT})", re.IGNORECASE)
_THEN_DENIED = re.compile(rf"\s*[,，]\s*{_NOT}\s*(?!\s){_BOUND_WORDS}[^,.;!?，。]{{1,40}}$", re.IGNORECASE)


def _timeline(text: str, today: date, *, answering: bool) -> Timeline | None:
    """The timeline read past what the visitor denies ("not May but March" is March), their
    words kept whole."""
    kept = _without_denied(text)
    timeline = parse_timeline(kept, today, answering=answering)
    if timeline is None or kept == text:
        return timeline
    return replace(timeline, text=clean_text(text)[:TIMELINE_TEXT_LIMIT])


def _without_denied(text: str) -> str:
    """`text` without what it denies in favour of something else (the timeline's reading)."""
    return _THEN_DENIED.sub("", _DENIED_THEN.sub("", text))


_SENTENCE_OR_ITEM = re.compile(r"\s*[,;，、。.!?！？\n]\s*")


def _name_beside_correction(text: str) -> str | None:
    """"好吧，李建华。对了，刚才时间说错了": to the name question, the name said beside a
    correction of another answer; the parts holding the correction or a figure are no name."""
    for part in _SENTENCE_OR_ITEM.split(text):
        part = part.strip()
        if not part or re.search(r"\d", part) or _CORRECTION.search(part) or len(part.split()) > 4:
            continue
        name = parse_name(part, answering=True)
        if name:
            return name
    return None


def _listed_name(text: str, email: str | None, phone: str | None) -> str | None:
    """The name leading a list of the visitor's details, or None: the first item is a full
    name alone, and a later item holds their e-mail or phone (a signature pasted unasked)."""
    items = _list_items(text)
    reach = [r for r in (email, phone) if r]
    if len(items) < 2 or not reach or any(r in items[0] for r in reach):
        return None
    if not any(r in item for item in items[1:] for r in reach):
        return None
    name = name_alone(items[0])
    if name is None or is_place_name(name) or find_role(name, answering=True) is not None:
        return None
    return name


def _listed_company(text: str, name: str) -> str | None:
    """The company in a reply that lists the visitor's details after their name, or None.

    Only when the list starts with the name: the other item without digits or "@" that reads
    as an organisation (capitalised, no place, no job title) is the company."""
    items = _list_items(text)
    if len(items) < 2 or items[0].lower() != name.lower():
        return None
    for item in items[1:]:
        # (Chinese has no capitals: a name item starts with a character)
        if re.search(r"[\d@]", item) or not (item[:1].isupper() or re.match(HAN, item)) or len(item.split()) > 5:
            continue
        if is_place_name(item) or find_role(item, answering=True) is not None or _ZH_NOT_A_NAME_START.match(item):
            continue
        company = parse_company(item, answering=True)
        if company is not None and company != name:
            return company
    return None


def _in_local_currency(budget: Budget | None, text: str, country: str | None,
                       then: tuple[str | None, str | None]) -> Budget | None:
    """The budget's currency as the visitor meant it: a shared symbol settled by their country,
    else by `then` in order (their language's country, the site's), or left open for the bot to
    ask; a shared name made their own."""
    if budget is None or budget.currency is None:
        return budget
    if budget.currency_options:
        settled = next(filter(None, (settle(budget.currency_options, c) for c in (country, *then))), None)
        if settled is None:
            return replace(budget, currency=None)
        return replace(budget, currency=settled, currency_options=())
    if country is None:
        return budget
    return replace(budget, currency=local_currency(budget.currency, text, country))


def _despite_typos(text: str, today: date, requested: str) -> dict[str, Any]:
    """"nxt monht", "arond 1000 usd per monht": the asked answer read again with key words
    restored (bot/parsing/typos.py), keeping the visitor's words as typed; {} when the text has
    no such typo or the restored reading finds no answer."""
    if requested not in ("timeline", "budget", "authority"):
        return {}
    fixed = correct_typos(text)
    if fixed == text:
        return {}
    if requested == "timeline":
        value: Any = _timeline(fixed, today, answering=True)
    elif requested == "budget":
        value = parse_budget(fixed, answering=True)
    else:
        value = parse_authority(fixed, answering=True)
    if not _is_answer(value):
        return {}
    return {requested: replace(value, text=text)}


# An errand for a personal assistant: an imperative aimed at the visitor's own life.
_PERSONAL_REQUEST = re.compile(
    r"^\W*(?:(?:hey|ok|okay|please|pls|can you|could you|would you|will you)\W+)*"
    r"(?:book|find|order|get|show|give|play|tell|remind|set|add|put|turn|spell|read|sing|check|buy"
    r"|transfer|pay|cancel|change|update|delete|remove|navigate|take)\s(?:me|my|us|our|him|her|it|the|a|an|to|up|off|on)\b",
    re.IGNORECASE,
)
# Words that start a sentence or a request, never a name or a company given alone.
_REQUEST_SHAPED = re.compile(
    r"^\W*(?:i|i'?m|i'?d|we|we'?re|you|your|give|show|tell|book|find|add|play|spell|does|do|did|is|are|can|could|would"
    r"|will|should|what|which|when|where|who|why|how|let'?s|please|need|want|get|make|put|turn|set)\b",
    re.IGNORECASE,
)
# How people introduce their company or themselves: "we're Globex", "I work for Acme".
_SELF_INTRO = re.compile(
    r"^\W*(?:we'?re|we are|i'?m with|i am with|i work (?:at|for)|i'?m from|i am from|i'?m at|it'?s|our company is"
    r"|the company is|i'?m|i am|my name)\b",
    re.IGNORECASE,
)
_NAME_CUE_START = re.compile(r"^\W*(?:i'?m|i am|it'?s|this is|my name)\b", re.IGNORECASE)


# Fields an unasked reply may answer out of order, and what makes such an answer clear.
_OUT_OF_ORDER = ("timeline", "authority", "budget")


def _out_of_order(text: str, today: date, requested: str, open_fields: Sequence[str],
                  found: Mapping[str, Any]) -> dict[str, Any]:
    """The first open question the reply clearly answers, read liberally; {} when none."""
    for field in (f for f in open_fields if f in _OUT_OF_ORDER and f != requested and found.get(f) is None):
        if field == "timeline":
            value: Any = _timeline(text, today, answering=True)
            clear = value is not None and value.status == "stated"
        elif field == "authority":
            value = parse_authority(text, answering=True)
            clear = value is not None and value.level != "unknown"
        else:
            value = parse_budget(text, answering=True)
            clear = value is not None and value.status == "stated" and _looks_like_money(value)
        if clear:
            return {field: value}
    return {}


def _opening_need(text: str, today: date, categories: Mapping[str, Sequence[str]],
                  said: Sequence[str | None] = ()) -> Need | None:
    """The first message's concrete wish ("a chatbot for our website"), or None for a vague
    opener ("I have a question") or a greeting with contact details only ("hello, Priya Nair
    here, Head of Sales, priya@lumen.example"), which still get the need question. `said` are the
    contact details and the title found in it: "директор по продажам" names no wish of sales."""
    rest = _without(text, said)
    if not _holds_a_wish(rest, categories):
        return None
    need = parse_need(rest, categories, answering=True)
    if need is None or need.status != "stated" or need.level != "specific" or is_vague_need(text):
        return None
    return _need_or_other_answer(text, today, need, ())


# Words of a greeting or a self-introduction, in each language: what is left of a first message
# without them and the contact details it gives says whether it holds a wish at all.
_INTRO_WORDS = frozenset("""
hello hi hey hiya howdy greetings good morning afternoon evening day there here my name name's is i i'm im
am this it's its me from at with and email e-mail mail address reach contact on call phone number you can the
of in for as work working company
здравствуйте привет добрый доброе день утро вечер меня зовут я это мой моя моё мое имя из в с и на почта почты
e-mail email емейл имейл телефон тел номер компания компании компанией работаю зовут звоните пишите адрес
hei hallo heisann god dag morgen kveld jeg heter er her fra i hos og på e-post epost mail telefon tlf nummer
mitt navn jobber firma firmaet selskapet ring
hai helo halo assalamualaikum salam selamat pagi petang tengah hari malam saya nama ialah dari di dan dengan
emel e-mel email telefon tel nombor no syarikat kerja bekerja boleh hubungi
سلام درود وقت روز عصر شب بخیر من هستم اسمم اسم نام از در و با ایمیل ایمیلم ایمیل‌ام تلفن شماره موبایل شرکت
شرکتم هستیم ام
""".split())
# The same for Chinese, written without spaces: phrases removed before anything is left.
_ZH_INTRO = re.compile(r"是[^，,。\s]{2,20}的(?=[\s，,。]|$)|"  # "是广州美妍医疗美容的 <title>": the workplace
                       r"你好|您好|大家好|早上好|下午好|晚上好|哈喽|我叫|我是|我的名字(?:是|叫)|我姓|是|在|的|来自|邮箱|电话|手机|"
                       r"联系方式|微信|公司|工作|和|，|,|。|、|：|:|！|!|\s")


def _without(text: str, said: Sequence[str | None]) -> str:
    """`text` without the values found in it, nor a place of work named after "at" ("hos
    Fjordkraft Service"): what is left is what the visitor asks for."""
    for value in sorted(filter(None, said), key=len, reverse=True):  # the e-mail before the name in it
        text = re.sub(re.escape(value), " ", text, flags=re.IGNORECASE)
    return _FA_WORKPLACE.sub(" ", _WORKPLACE.sub(" ", text))


# "at Lumen Dental", "hos Fjordkraft Service", "в Текстиль Групп", "di Glow Beauty": capitalised words after "at".
_WORKPLACE = re.compile(r"(?<!\w)(?:at|from|with|hos|i|fra|в|из|di|dari)\s+(?:[A-ZА-ЯЁÆØÅ][\w&'.-]*[,;]?(?:\s+|$)){1,4}")
# Persian has no capitals: "از گروه صنعتی البرز،", a clause of its own after "from" / "at".
_FA_WORKPLACE = re.compile(r"(?<!\S)(?:از|در) [\u0600-\u06ff\u200c ]{2,40}?(?=\s*[،,.]|$)")


def _holds_a_wish(rest: str, categories: Mapping[str, Sequence[str]]) -> bool:
    """What is left of an opener without its contact details and title speaks of a business need."""
    if _only_greeting_and_introduction(rest):
        return False
    need = parse_need(rest, categories, answering=True)
    return need is not None and need.status == "stated"


def _only_greeting_and_introduction(rest: str) -> bool:
    """Nothing but greeting and introduction words is left once contact details are gone."""
    rest = _ZH_INTRO.sub(" ", rest.lower())
    words = re.findall(r"[^\W\d_][\w'\u200c-]*", rest)
    return all(w in _INTRO_WORDS for w in words)


def _is_answer(value: Any) -> bool:
    """A real answer: anything found, except an answer type whose status is unknown."""
    if value is None:
        return False
    if isinstance(value, (Budget, Timeline)):
        return value.status != "unknown"
    if isinstance(value, Authority):
        return value.level != "unknown" or value.role is not None
    if isinstance(value, Need):
        return value.status != "unknown"
    return True


def _meta(text: str, requested: str | None, found: Mapping[str, Any]) -> MetaReply | None:
    kind = meta_reply(text)
    if kind is None:
        return None
    if requested is not None:
        return None if _is_answer(found[requested]) else kind
    return None if any(_is_answer(v) for v in found.values()) else kind


def _unknown_for(field: str, text: str, meta: MetaReply) -> Any:
    """The explicit unknown recorded for a skipped / not-sure BANT answer (None for "why")."""
    return None if meta == "why" else unknown_answer(field, text)


def unknown_answer(field: str, text: str) -> Need | Budget | Timeline | Authority | None:
    """What a BANT question's answer is when the visitor could not give one: skipped, "not
    sure", or unclear after the form's last re-ask. Scoring reads it as unknown, never as
    none; None for the contact fields (the caller records a skip, no value)."""
    if field == "budget":
        return Budget("unknown", text)
    if field == "timeline":
        return Timeline("unknown", text)
    if field == "authority":
        return Authority("unknown", text)
    if field == "need":
        return Need(text=text, level="exploring", status="unknown")
    return None


def job_title_until_authority(found: Authority | None, *, asked: bool, stored: Authority | None,
                              kept_title: str | None) -> tuple[Authority | None, str | None]:
    """A job title alone does not answer who decides: until the authority question is
    answered, a title said on the way ("head of sales here") is kept aside and the question
    still asked; an authority answer without a title takes the one mentioned earlier ("I'm
    the founder" then "me and my cofounder decide": still the founder).

    `found` is this message's authority, `asked` whether it answered the authority question,
    `stored` the authority already recorded, `kept_title` the title kept aside. Returns the
    authority to record (None: none yet) and a title to keep aside (None: nothing new).
    """
    if found is None:
        return None, None
    if found.level == "unknown" and not asked and stored is None:
        return None, found.role
    known = kept_title or (stored.role if stored is not None else None)
    if not found.role and known:
        return replace(found, role=known, role_en=title_in_english(known)), None
    return found, None


def authority_so_far(authority: Authority | None, kept_title: str | None) -> Authority | None:
    """The authority answer, or just the job title kept aside when that is all we know so far."""
    if authority is None and kept_title:
        return Authority(level="unknown", text=kept_title, role=kept_title, role_en=title_in_english(kept_title))
    return authority


def _corrected(
    text: str, today: date, requested: str | None, budget: Budget | None, timeline: Timeline | None
) -> tuple[Budget | None, Timeline | None]:
    """"make that 35k" is a budget, "I meant Q4" a timeline, whatever was asked."""
    if requested != "budget" and budget is None:
        liberal = parse_budget(text, answering=True)
        if liberal is not None and liberal.status == "stated" and _looks_like_money(liberal):
            budget = liberal
    if requested != "timeline" and timeline is None and budget is None:
        liberal_t = _timeline(text, today, answering=True)
        if liberal_t is not None and liberal_t.status == "stated":
            timeline = liberal_t
    return budget, timeline


def _looks_like_money(budget: Budget) -> bool:
    figure = max(v for v in (budget.min, budget.max, 0.0) if v is not None)
    return budget.currency is not None or figure >= 100


def _need_or_other_answer(text: str, today: date, need: Need, others: tuple[Any, ...]) -> Need | None:
    """Asked for the need, the visitor answered something else ("about 10k", an address):
    without a need cue or a category match, the reply is not taken as the need."""
    if need_clause(text) is not None or need.category is not None or need.level == "exploring":
        return need
    if _bare_name(text):
        return None  # "Marie Dubois": a person, not a wish
    if any(v is not None for v in others):
        return None
    if word_count(text) <= 4 and (
        _stated(parse_budget(text, answering=True)) or _stated(parse_timeline(text, today, answering=True))
    ):
        return None  # "about 10k", "by March": an answer to another question
    return need


def _bare_name(text: str) -> bool:
    """The whole reply is a capitalised name of two to four words."""
    words = text.strip(" .!").split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and \
        parse_name(text, answering=True) == " ".join(words)


def _stated(value: Budget | Timeline | None) -> bool:
    return value is not None and value.status == "stated"
