"""Skip, not sure, why, questions, corrections and the pending-question rule in Russian,
Norwegian Bokmål, Malay, Chinese and Persian (bot/parsing/reply_words.py, bot/parsing/replies.py,
bot/pending.py). Rows are our own chat wordings, grouped by phenomenon."""
from __future__ import annotations

from datetime import date

import pytest

from bot.content import load_content
from bot.extraction import extract
from bot.parsing.replies import asks_a_question, meta_reply
from bot.pending import answers_pending_question, is_question

TODAY = date(2026, 11, 22)
CATEGORIES = load_content().need_keywords()


def read(text: str, requested: str | None):
    return extract(text, today=TODAY, requested=requested, categories=CATEGORIES)


META = [
    # ru
    ("не знаю", "not_sure"), ("Пока не знаю", "not_sure"), ("не уверен", "not_sure"), ("сложно сказать", "not_sure"),
    ("без понятия 🤷", "not_sure"), ("зависит от многого", "not_sure"), ("пропустим", "skip"),
    ("пропустите этот вопрос", "skip"), ("не хочу говорить", "skip"), ("без комментариев", "skip"),
    ("зачем вам это?", "why"), ("почему?", "why"), ("а зачем вам это знать", "why"),
    # nb
    ("vet ikke", "not_sure"), ("usikker", "not_sure"), ("ikke sikker ennå", "not_sure"), ("kommer an på", "not_sure"),
    ("hopp over", "skip"), ("vil helst ikke si", "skip"), ("neste spørsmål", "skip"),
    ("называть сумму пока не хочу", "skip"), ("это я пока не готов раскрывать", "skip"),
    ("det vil jeg ikke svare på nå", "skip"), ("tallet er konfidensielt", "skip"),
    ("angka tu sulit", "skip"), ("maaf, tak boleh bagitahu", "skip"), ("فعلاً نمی‌تونم بگم", "skip"),
    ("hvorfor spør du om det?", "why"), ("Hvorfor?", "why"),
    # ms
    ("tak pasti", "not_sure"), ("tidak tahu lagi", "not_sure"), ("belum pasti", "not_sure"), ("entah", "not_sure"),
    ("langkau", "skip"), ("tak nak jawab", "skip"), ("soalan seterusnya", "skip"),
    ("kenapa tanya?", "why"), ("kenapa?", "why"), ("untuk apa soalan ini", "why"),
    # zh
    ("不知道", "not_sure"), ("我不知道", "not_sure"), ("还不确定", "not_sure"), ("不好说", "not_sure"),
    ("跳过", "skip"), ("不方便透露", "skip"), ("下一个问题", "skip"), ("保密", "skip"),
    ("为什么问这个？", "why"), ("问这个干嘛", "why"), ("为什么", "why"),
    # fa
    ("نمی‌دونم", "not_sure"), ("نمیدونم", "not_sure"), ("مطمئن نیستم", "not_sure"), ("بستگی داره", "not_sure"),
    ("رد کن", "skip"), ("ترجیح میدم نگم", "skip"), ("سوال بعدی", "skip"),
    ("چرا می‌پرسی؟", "why"), ("چرا؟", "why"), ("برای چی لازمه؟", "why"),
]


@pytest.mark.parametrize(("text", "kind"), META)
def test_replies_about_the_question(text: str, kind: str) -> None:
    assert meta_reply(text) == kind


@pytest.mark.parametrize("text", [
    "в следующем квартале", "neste kvartal", "bulan depan", "下个季度", "ماه بعد", "Анна Петрова", "我叫王伟",
])
def test_answers_are_not_meta_replies(text: str) -> None:
    assert meta_reply(text) is None


QUESTIONS = [
    "сколько стоит?", "Сколько стоит подписка", "а у вас есть интеграция с Битрикс24?", "можно ли попробовать бесплатно",
    "hvor mye koster det", "Kan dere integrere med HubSpot?", "hvordan fungerer det",
    "berapa harga?", "boleh tak guna dalam WhatsApp", "adakah ia percuma",
    "多少钱", "你们能对接微信吗", "请问有免费试用吗", "是AI吗",
    "چقدر هزینه داره؟", "آیا با واتساپ کار می‌کنه", "میشه رایگان امتحان کرد",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions_by_their_grammar(text: str) -> None:
    assert asks_a_question(text) or text.endswith(("?", "？", "؟"))
    assert is_question(text)


# Put to the bot itself: asked, never stored as the visitor's need.
@pytest.mark.parametrize("text", [
    "А вы настоящий человек?", "ты вообще понимаешь по-русски?", "Er dere et ekte firma?", "Snakker du norsk",
    "Anda ni manusia ke?", "你是真人吗？", "你是AI还是人工客服？", "شما آدم واقعی هستید؟", "تو ربات هستی؟",
])
def test_questions_to_the_bot(text: str) -> None:
    assert asks_a_question(text)


@pytest.mark.parametrize("text", [
    "где-то через месяц", "какие-то сроки есть: к концу марта", "что-то около трёх месяцев",
    "как можно скорее", "к концу марта", "в следующем квартале решаем я и директор", "innen sommeren", "neste kvartal",
    "bila-bila masa", "dalam 3 bulan", "下个季度吧", "明年三月前", "چند ماه آینده", "تا آخر سال",
    "вы знаете, нам нужен бот для записи", "我们需要一个机器人", "شما رو از اینستاگرام پیدا کردم، یه ربات می‌خوام",
])
def test_answers_are_not_questions(text: str) -> None:
    assert not is_question(text)
    assert not asks_a_question(text)


# (message, pending question, NLU's intent, its confidence): the answer all the same.
ANSWERS_DESPITE_INTENT = [
    ("в следующем квартале", "timeline", "goodbye", 0.9),
    ("к концу марта, не позже", "timeline", "out_of_scope", 0.95),
    ("до лета хотим успеть запустить", "timeline", "out_of_scope", 0.95),
    ("innen sommeren", "timeline", "out_of_scope", 0.9),
    ("før jul, helst", "timeline", "goodbye", 0.9),
    ("bulan depan", "timeline", "out_of_scope", 0.9),
    ("sebelum hujung tahun kami nak guna", "timeline", "out_of_scope", 0.95),
    ("下个季度", "timeline", "out_of_scope", 0.9),
    ("在春节之前上线就行", "timeline", "out_of_scope", 0.95),
    ("تا آخر سال", "timeline", "out_of_scope", 0.9),
    ("قبل از عید باید راه بیفته", "timeline", "out_of_scope", 0.95),
    ("не знаю", "budget", "out_of_scope", 0.9),
    ("跳过", "timeline", "goodbye", 0.9),
    ("نمی‌دونم", "authority", "out_of_scope", 0.9),
]


@pytest.mark.parametrize(("text", "pending", "intent", "confidence"), ANSWERS_DESPITE_INTENT)
def test_a_plausible_answer_to_the_pending_question_wins(text, pending, intent, confidence) -> None:
    assert answers_pending_question(text, read(text, pending), pending, intent, confidence)


SOMETHING_ELSE = [
    ("сколько это стоит в месяц?", "timeline", "faq_pricing", 0.95),
    ("позовите живого человека", "timeline", "request_human", 0.95),
    ("kan jeg snakke med et menneske", "timeline", "request_human", 0.95),
    ("saya nak bercakap dengan orang sebenar", "timeline", "request_human", 0.95),
    ("我要人工客服", "timeline", "request_human", 0.95),
    ("می‌خوام با یه آدم واقعی صحبت کنم", "timeline", "request_human", 0.95),
    ("你们能对接微信吗", "timeline", "faq_integrations", 0.95),
]


@pytest.mark.parametrize(("text", "pending", "intent", "confidence"), SOMETHING_ELSE)
def test_something_else_is_not_taken_as_the_answer(text, pending, intent, confidence) -> None:
    assert not answers_pending_question(text, read(text, pending), pending, intent, confidence)


@pytest.mark.parametrize(("text", "requested"), [
    ("не знаю", "timeline"), ("vet ikke", "timeline"), ("tak pasti", "timeline"), ("不确定", "timeline"),
    ("مطمئن نیستم", "timeline"),
])
def test_not_sure_records_an_explicit_unknown(text: str, requested: str) -> None:
    found = read(text, requested)
    assert found.timeline is not None and found.timeline.status == "unknown"


CORRECTIONS = [
    ("я имел в виду к концу апреля", "2027-04-30"),
    ("ой, точнее в следующем квартале", "2027-03-31"),
    ("jeg mente innen utgangen av april", "2027-04-30"),
    ("maksud saya hujung April", "2027-04-30"),
    ("我是说四月底", "2027-04-30"),
    ("不好意思，应该是四月底", "2027-04-30"),
    ("منظورم تا آخر آوریل بود", "2027-04-30"),
]


@pytest.mark.parametrize(("text", "expected"), CORRECTIONS)
def test_a_correction_is_read_whatever_was_asked(text: str, expected: str) -> None:
    found = read(text, "name")
    assert found.correction
    assert found.timeline is not None and found.timeline.target_date == expected
