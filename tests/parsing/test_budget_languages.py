"""parse_budget in the bot's other languages: Russian, Norwegian, Persian, Malay, Chinese, and
messages that mix them with English.

A row is (text, min, max, currency, period), as in test_budget.py; every table is read as the
reply to the budget question unless it says otherwise.
"""
from __future__ import annotations

import pytest

from bot.parsing.budget import currency_alone, parse_budget

Row = tuple[str, float | None, float | None, str | None, str | None]


def _stated(text: str, answering: bool = True) -> tuple[float | None, float | None, str | None, str | None]:
    budget = parse_budget(text, answering=answering)
    assert budget is not None, f"no budget read from {text!r}"
    assert budget.status == "stated", budget
    assert budget.text, budget
    return budget.min, budget.max, budget.currency, budget.period


RUSSIAN: list[Row] = [
    ("около 300 тысяч рублей за весь проект", 300_000, 300_000, "RUB", "one_off"),
    ("50 тысяч рублей в месяц", 50_000, 50_000, "RUB", "monthly"),
    ("от 50 до 80 тысяч", 50_000, 80_000, None, None),
    ("до 100 тыс. руб.", None, 100_000, "RUB", None),
    ("около 200к ₽", 200_000, 200_000, "RUB", None),
    ("бюджет 1,5 млн рублей в год", 1_500_000, 1_500_000, "RUB", "yearly"),
    ("не больше полумиллиона", None, 500_000, None, None),
    ("пятьдесят тысяч", 50_000, 50_000, None, None),
    ("двести пятьдесят тысяч рублей", 250_000, 250_000, "RUB", None),
    ("полтора миллиона", 1_500_000, 1_500_000, None, None),
    ("где-то 300 000 руб", 300_000, 300_000, "RUB", None),
    ("300.000 р.", 300_000, 300_000, "RUB", None),
    ("2 ляма", 2_000_000, 2_000_000, None, None),
    ("50-70 тыс", 50_000, 70_000, None, None),
    ("ну примерно 40 тыс в месяц", 40_000, 40_000, None, "monthly"),
    ("минимум 100 тысяч", 100_000, None, None, None),
    ("100 тысяч и выше", 100_000, None, None, None),
    ("не более 30 000 рублей ежемесячно", None, 30_000, "RUB", "monthly"),
    ("между 200 и 300 тысяч", 200_000, 300_000, None, None),
    ("$5000 в месяц", 5000, 5000, "USD", "monthly"),
    ("5 тысяч долларов", 5000, 5000, "USD", None),
    ("10 000 евро в год", 10_000, 10_000, "EUR", "yearly"),
    ("миллион рублей", 1_000_000, 1_000_000, "RUB", None),
    ("сто тысяч разово", 100_000, 100_000, None, "one_off"),
    ("готовы потратить 500 тыс. рублей", 500_000, 500_000, "RUB", None),
    ("ну тысяч 50", 50_000, 50_000, None, None),  # a scale before the figure: "about fifty thousand"
    ("3 млн в год максимум", None, 3_000_000, None, "yearly"),
    ("в пределах 60 тысяч", None, 60_000, None, None),
    ("150к", 150_000, 150_000, None, None),
    ("50 т.р.", 50_000, 50_000, "RUB", None),
    ("50тр в месяц", 50_000, 50_000, "RUB", "monthly"),
    ("бюджет до 50к", None, 50_000, None, None),
    ("примерно 50-60 тысяч рублей", 50_000, 60_000, "RUB", None),
    ("тысяч 200 в год", 200_000, 200_000, None, "yearly"),
    ("не знаю, может тысяч 100", 100_000, 100_000, None, None),
    ("от 100к", 100_000, None, None, None),
    ("100 000 ₽/мес", 100_000, 100_000, "RUB", "monthly"),
    ("1.2 млн руб", 1_200_000, 1_200_000, "RUB", None),
    ("200 тыс руб в квартал", 200_000, 200_000, "RUB", "quarterly"),
    ("около миллиона", 1_000_000, 1_000_000, None, None),
    ("ну максимум 70 тыщ", None, 70_000, None, None),
    ("пару миллионов", 2_000_000, 2_000_000, None, None),
    ("не дороже 150 тысяч", None, 150_000, None, None),
    ("бюджет — 300 тысяч рублей разово", 300_000, 300_000, "RUB", "one_off"),
    ("100 баксов в месяц", 100, 100, "USD", "monthly"),
    ("₽50 000", 50_000, 50_000, "RUB", None),
    ("50 000 рублей, не больше", None, 50_000, "RUB", None),
    ("от 30 до 50 тыс. рублей в месяц", 30_000, 50_000, "RUB", "monthly"),
]

NORWEGIAN: list[Row] = [
    ("ca 8000 kr mnd", 8_000, 8_000, "SEK", "monthly"),
    ("50 000 kroner", 50_000, 50_000, "NOK", None),
    ("kr 50 000,- per måned", 50_000, 50_000, "SEK", "monthly"),  # "kr" is shared: settled by country or language
    ("mellom 50 og 80 tusen", 50_000, 80_000, None, None),
    ("opptil 2 mill. kroner i året", None, 2_000_000, "NOK", "yearly"),
    ("femti tusen", 50_000, 50_000, None, None),
    ("femtitusen kroner", 50_000, 50_000, "NOK", None),
    ("to hundre og femti tusen", 250_000, 250_000, None, None),
    ("rundt 100 000 NOK", 100_000, 100_000, "NOK", None),
    ("maks 30 000 kr i måneden", None, 30_000, "SEK", "monthly"),
    ("minst 200 000", 200_000, None, None, None),
    ("fra 50 til 80 tusen", 50_000, 80_000, None, None),
    ("ca. 1,5 millioner", 1_500_000, 1_500_000, None, None),
    ("en halv million", 500_000, 500_000, None, None),
    ("et par tusen i måneden", 2000, 2000, None, "monthly"),
    ("omtrent 20 000 pr. mnd", 20_000, 20_000, None, "monthly"),
    ("300 000 norske kroner årlig", 300_000, 300_000, "NOK", "yearly"),
    ("50k", 50_000, 50_000, None, None),
    ("vi har satt av 400 000", 400_000, 400_000, None, None),
    ("100 000 engangsbeløp", 100_000, 100_000, None, "one_off"),
    ("høyst 70 tusen", None, 70_000, None, None),
    ("10 000 euro", 10_000, 10_000, "EUR", None),
    ("tjue tusen", 20_000, 20_000, None, None),
    ("ikke over 50 000 kroner", None, 50_000, "NOK", None),
    ("budsjettet vårt er på 250 000 kr", 250_000, 250_000, "SEK", None),
    ("rundt 20-30 tusen i måneden", 20_000, 30_000, None, "monthly"),
    ("under 100k", None, 100_000, None, None),
    ("cirka en million", 1_000_000, 1_000_000, None, None),
    ("400 000 NOK i året, maks", None, 400_000, "NOK", "yearly"),
    ("mellom 100 000 og 150 000 kr", 100_000, 150_000, "SEK", None),
    ("vi tenker 5000 kr pr. mnd", 5000, 5000, "SEK", "monthly"),
    ("femti tusen kroner totalt", 50_000, 50_000, "NOK", "one_off"),
    ("to millioner", 2_000_000, 2_000_000, None, None),
]

PERSIAN: list[Row] = [
    ("سقف بودجه ۲ میلیارد ریاله", None, 2_000_000_000, "IRR", None),
    ("هر سه ماه ۲۰ میلیون تومان", 200_000_000, 200_000_000, "IRR", "quarterly"),
    ("حدود ۵۰۰ میلیون ریال برای کل پروژه", 500_000_000, 500_000_000, "IRR", "one_off"),
    ("۵۰ میلیون تومان", 500_000_000, 500_000_000, "IRR", None),  # a toman is 10 rials
    ("ماهانه ۲۰ میلیون تومان", 200_000_000, 200_000_000, "IRR", "monthly"),
    ("بین ۵۰ تا ۸۰ میلیون تومان", 500_000_000, 800_000_000, "IRR", None),
    ("حداکثر ۱۰۰ میلیون ریال", None, 100_000_000, "IRR", None),
    ("۵۰۰ هزار تومان", 5_000_000, 5_000_000, "IRR", None),
    ("پنجاه میلیون تومن", 500_000_000, 500_000_000, "IRR", None),
    ("حدود ۲/۵ میلیارد ریال", 2_500_000_000, 2_500_000_000, "IRR", None),
    ("٥٠٠٠ دلار", 5000, 5000, "USD", None),
    ("۱۰۰۰ دلار در ماه", 1000, 1000, "USD", "monthly"),
    ("سالانه ۳۰۰ میلیون تومان", 3_000_000_000, 3_000_000_000, "IRR", "yearly"),
    ("حداقل ۲۰ میلیون", 20_000_000, None, None, None),
    ("۲۰ میلیون به بالا", 20_000_000, None, None, None),
    ("دویست و پنجاه هزار تومان", 2_500_000, 2_500_000, "IRR", None),
    ("یک و نیم میلیون تومان", 15_000_000, 15_000_000, "IRR", None),
    ("نیم میلیارد", 500_000_000, 500_000_000, None, None),
    ("۳۰۰ یورو", 300, 300, "EUR", None),
    ("۱۰ تا ۱۵ میلیون ماهانه", 10_000_000, 15_000_000, None, "monthly"),
    ("۵۰,۰۰۰,۰۰۰ ریال", 50_000_000, 50_000_000, "IRR", None),
    ("٥٠٬٠٠٠ دلار", 50_000, 50_000, "USD", None),
    ("بودجه‌مون حدود ۴۰ میلیونه", 40_000_000, 40_000_000, None, None),
    ("۱۰۰ میلیون تومن", 1_000_000_000, 1_000_000_000, "IRR", None),
    ("حدودا ۵۰۰ تومن", 5000, 5000, "IRR", None),
    ("ماهی ۵ میلیون", 5_000_000, 5_000_000, None, "monthly"),
    ("۳ تا ۵ میلیون تومان در ماه", 30_000_000, 50_000_000, "IRR", "monthly"),
    ("زیر ۲۰ میلیون", None, 20_000_000, None, None),
    ("بالای ۱۰۰ میلیون تومان", 1_000_000_000, None, "IRR", None),
    ("تا سقف ۲ میلیارد ریال", None, 2_000_000_000, "IRR", None),
    ("بودجه ما سالانه ۵۰۰ میلیون تومان است", 5_000_000_000, 5_000_000_000, "IRR", "yearly"),
    ("پنج میلیون تومان", 50_000_000, 50_000_000, "IRR", None),
    ("صد میلیون", 100_000_000, 100_000_000, None, None),
    ("حدود ۱۰۰۰ دلار", 1000, 1000, "USD", None),
]

MALAY: list[Row] = [
    ("dalam RM3k sebulan", 3_000, 3_000, "MYR", "monthly"),
    ("RM50 ribu", 50_000, 50_000, "MYR", None),
    ("RM 5k sebulan", 5000, 5000, "MYR", "monthly"),
    ("antara 5 hingga 8 ribu ringgit", 5000, 8000, "MYR", None),
    ("lima puluh ribu ringgit", 50_000, 50_000, "MYR", None),
    ("RM2 juta setahun", 2_000_000, 2_000_000, "MYR", "yearly"),
    ("sekitar RM 3,000 sebulan", 3000, 3000, "MYR", "monthly"),
    ("tak lebih dari RM10k", None, 10_000, "MYR", None),
    ("sekurang-kurangnya 20 ribu", 20_000, None, None, None),
    ("dalam lingkungan RM5000", 5000, 5000, "MYR", None),
    ("dua ratus ribu", 200_000, 200_000, None, None),
    ("sejuta ringgit", 1_000_000, 1_000_000, "MYR", None),
    ("setengah juta", 500_000, 500_000, None, None),
    ("RM 1.5 juta", 1_500_000, 1_500_000, "MYR", None),
    ("bajet kami RM 800 sebulan", 800, 800, "MYR", "monthly"),
    ("5-8 ribu", 5000, 8000, None, None),
    ("RM20k ke atas", 20_000, None, "MYR", None),
    ("maksimum RM 15,000", None, 15_000, "MYR", None),
    ("USD 2000 per bulan", 2000, 2000, "USD", "monthly"),
    ("RM 50,000 sekali bayar", 50_000, 50_000, "MYR", "one_off"),
    ("seribu lima ratus ringgit", 1500, 1500, "MYR", None),
    ("RM3k sebulan", 3000, 3000, "MYR", "monthly"),
    ("sekitar RM10,000 - RM15,000", 10_000, 15_000, "MYR", None),
    ("bajet dalam RM 50k", 50_000, 50_000, "MYR", None),
    ("tak lebih RM2000 sebulan", None, 2000, "MYR", "monthly"),
    ("RM 100 ribu setahun", 100_000, 100_000, "MYR", "yearly"),
    ("lima ribu ringgit sebulan", 5000, 5000, "MYR", "monthly"),
    ("50k ringgit", 50_000, 50_000, "MYR", None),
    ("RM500 je", 500, 500, "MYR", None),
    ("dalam RM 1 juta", 1_000_000, 1_000_000, "MYR", None),
]

CHINESE: list[Row] = [
    ("年预算3w块左右", 30_000, 30_000, "CNY", "yearly"),
    ("月预算1.5w", 15_000, 15_000, None, "monthly"),
    ("5万元", 50_000, 50_000, "CNY", None),
    ("5-8万", 50_000, 80_000, None, None),
    ("每月五千块", 5000, 5000, "CNY", "monthly"),
    ("预算十万左右", 100_000, 100_000, None, None),
    ("5万以上", 50_000, None, None, None),
    ("人民币5万", 50_000, 50_000, "CNY", None),
    ("两万", 20_000, 20_000, None, None),
    ("五万块", 50_000, 50_000, "CNY", None),
    ("十万", 100_000, 100_000, None, None),
    ("一万五", 15_000, 15_000, None, None),
    ("5万到8万", 50_000, 80_000, None, None),
    ("三到五万", 30_000, 50_000, None, None),
    ("最多20万", None, 200_000, None, None),
    ("10万以内", None, 100_000, None, None),
    ("一年50万", 500_000, 500_000, None, "yearly"),
    ("每年100万人民币", 1_000_000, 1_000_000, "CNY", "yearly"),
    ("大概3000美元一个月", 3000, 3000, "USD", "monthly"),
    ("¥50,000", 50_000, 50_000, "JPY", None),  # "¥" is shared: settled by country or language
    ("预算5000元左右", 5000, 5000, "CNY", None),
    ("1.5万", 15_000, 15_000, None, None),
    ("两千五百万", 25_000_000, 25_000_000, None, None),
    ("一个亿", 100_000_000, 100_000_000, None, None),
    ("至少3万", 30_000, None, None, None),
    ("不超过50万", None, 500_000, None, None),
    ("5千块每月", 5000, 5000, "CNY", "monthly"),
    ("一次性20万", 200_000, 200_000, None, "one_off"),
    ("30k左右", 30_000, 30_000, None, None),
    ("八千元/月", 8000, 8000, "CNY", "monthly"),
    ("每个月三千左右", 3000, 3000, None, "monthly"),
    ("预算大概10万", 100_000, 100_000, None, None),
    ("年预算50万元", 500_000, 500_000, "CNY", "yearly"),
    ("五六万", 50_000, 60_000, None, None),
    ("最多不超过2万块", None, 20_000, "CNY", None),
    ("2万-3万", 20_000, 30_000, None, None),
    ("3000元/月", 3000, 3000, "CNY", "monthly"),
    ("一年20万左右", 200_000, 200_000, None, "yearly"),
    ("十几万", 100_000, 200_000, None, None),
    ("两百万", 2_000_000, 2_000_000, None, None),
    ("预算在5到10万之间", 50_000, 100_000, None, None),
    ("10万块以内", None, 100_000, "CNY", None),
    ("差不多一万", 10_000, 10_000, None, None),
    ("三四千一个月", 3000, 4000, None, "monthly"),
    ("七八十万", 700_000, 800_000, None, None),
    ("一个月两三千的样子", 2000, 3000, None, "monthly"),
    ("一两万块", 10_000, 20_000, "CNY", None),
    ("三五万也行", 30_000, 50_000, None, None),
]

MIXED: list[Row] = [
    ("around 50 тысяч", 50_000, 50_000, None, None),
    ("budget 5万 RMB", 50_000, 50_000, "CNY", None),
    ("max 2 mill NOK per year", None, 2_000_000, "NOK", "yearly"),
    ("about RM 20 ribu per month", 20_000, 20_000, "MYR", "monthly"),
    ("۵۰ million toman", 500_000_000, 500_000_000, "IRR", None),
    ("$3k в месяц", 3000, 3000, "USD", "monthly"),
    ("20万 per year", 200_000, 200_000, None, "yearly"),
    ("between 50 og 80 tusen", 50_000, 80_000, None, None),
]


def _rows(*tables: list[Row]):
    return pytest.mark.parametrize(("text", "low", "high", "currency", "period"), [r for t in tables for r in t])


@_rows(RUSSIAN)
def test_russian(text, low, high, currency, period) -> None:
    assert _stated(text) == (low, high, currency, period)


@_rows(NORWEGIAN)
def test_norwegian(text, low, high, currency, period) -> None:
    assert _stated(text) == (low, high, currency, period)


@_rows(PERSIAN)
def test_persian(text, low, high, currency, period) -> None:
    assert _stated(text) == (low, high, currency, period)


@_rows(MALAY)
def test_malay(text, low, high, currency, period) -> None:
    assert _stated(text) == (low, high, currency, period)


@_rows(CHINESE)
def test_chinese(text, low, high, currency, period) -> None:
    assert _stated(text) == (low, high, currency, period)


@_rows(MIXED)
def test_mixed_languages(text, low, high, currency, period) -> None:
    assert _stated(text) == (low, high, currency, period)


NONE = [
    "нет бюджета", "бюджета пока нет", "денег нет", "ничего", "у нас нет никакого бюджета",
    "vi har ikke noe budsjett", "ingen budsjett", "ingenting",
    "بودجه‌ای نداریم", "بودجه نداریم", "هیچی", "هیچ بودجه‌ای نداریم",
    "tiada bajet", "takde bajet lagi", "tak ada bajet",
    "没有预算", "没预算", "暂无预算", "没有",
    "0 рублей", "۰ تومان", "零",
    "бюджет ещё не утверждён", "budsjettet er ikke satt ennå", "bajet belum diluluskan", "预算还没批",
]


@pytest.mark.parametrize("text", NONE)
def test_no_budget(text: str) -> None:
    budget = parse_budget(text, answering=True)
    assert budget is not None and budget.status == "none", (text, budget)


UNKNOWN = [
    "не знаю", "пока не знаю", "не уверен", "сложно сказать", "зависит от цены", "не хочу говорить",
    "бюджет не ограничен", "затрудняюсь ответить", "пока не определились",
    "vet ikke", "usikker", "ikke sikker ennå", "kommer an på prisen", "vil helst ikke si", "ingen øvre grense",
    "نمیدونم", "نمی‌دانم", "مطمئن نیستم", "بستگی داره", "هنوز مشخص نیست", "محدودیت بودجه نداریم",
    "tak pasti", "tidak tahu lagi", "belum pasti", "bergantung pada harga", "tiada had",
    "不知道", "不确定", "还没定", "看情况", "不方便透露", "预算不是问题", "没想好",
]


@pytest.mark.parametrize("text", UNKNOWN)
def test_not_sure_or_no_limit(text: str) -> None:
    budget = parse_budget(text, answering=True)
    assert budget is not None and budget.status == "unknown", (text, budget)


NOT_MONEY = [
    "3 месяца", "50 сотрудников", "10 человек", "через 2 недели",
    "50 ansatte", "3 uker", "ca. 20 brukere",
    "۳ ماه", "۵۰ نفر", "۱۰ کارمند",
    "50 orang", "3 bulan", "20 pekerja",
    "3个月", "50人", "10个客服",
]


@pytest.mark.parametrize("text", NOT_MONEY)
def test_counts_and_durations_are_not_money(text: str) -> None:
    budget = parse_budget(text, answering=True)
    assert budget is None or budget.status != "stated", (text, budget)


SCANNED: list[Row] = [
    ("Нам нужен чат-бот, бюджет около 300 тысяч рублей", 300_000, 300_000, "RUB", None),
    ("Vi trenger en chatbot, budsjettet er 200 000 kr", 200_000, 200_000, "SEK", None),
    ("یک چت‌بات برای سایت می‌خوایم، بودجه ۲۰۰ میلیون تومان", 2_000_000_000, 2_000_000_000, "IRR", None),
    ("Kami perlukan chatbot, bajet RM 20 ribu", 20_000, 20_000, "MYR", None),
    ("我们想做一个客服机器人，预算5万左右", 50_000, 50_000, None, None),
    ("سلام، یک چت‌بات برای سایت می‌خوایم، بودجه‌مون حدود ۵۰ میلیون تومانه", 500_000_000, 500_000_000, "IRR", None),
    ("你好，我们想做一个网站客服机器人，预算5万左右，下个月上线", 50_000, 50_000, None, None),
    ("Здравствуйте! Нужен чат-бот, бюджет около 300 тысяч рублей, запуск в следующем квартале", 300_000, 300_000, "RUB", None),
    ("Hei! Vi trenger en chatbot, budsjett rundt 50 000 kroner i måneden", 50_000, 50_000, "NOK", "monthly"),
    ("Hai, kami perlukan chatbot untuk laman web, bajet sekitar RM20 ribu sebulan", 20_000, 20_000, "MYR", "monthly"),
]


@_rows(SCANNED)
def test_figures_with_a_money_cue_in_any_message(text, low, high, currency, period) -> None:
    assert _stated(text, answering=False) == (low, high, currency, period)


@pytest.mark.parametrize("text", [
    "Нам нужен бот для 50 сотрудников", "Vi er 30 ansatte", "ما ۲۰ نفر هستیم", "Kami ada 40 pekerja",
    "我们有50个员工",
])
def test_counts_in_any_message_are_not_a_budget(text: str) -> None:
    assert parse_budget(text, answering=False) is None


def test_the_visitors_words_are_kept() -> None:
    budget = parse_budget("حدود ۵۰ میلیون تومان", answering=True)
    assert budget is not None
    assert budget.text == "حدود 50 میلیون تومان"  # digits folded by clean_text, words as said
    assert (budget.min, budget.currency) == (500_000_000, "IRR")


@pytest.mark.parametrize(("text", "options"), [
    ("5000 рублей", ()),
    ("5000 крон", ("NOK", "SEK", "CZK", "DKK", "ISK")),
    ("50 000 kr", ("SEK", "NOK", "DKK")),
    ("¥5000", ("JPY", "CNY")),
])
def test_shared_currency_words_leave_their_readings(text: str, options: tuple[str, ...]) -> None:
    budget = parse_budget(text, answering=True)
    assert budget is not None
    assert budget.currency_options == options


@pytest.mark.parametrize(("text", "language", "country", "site", "currency"), [
    ("50 000 kr", "nb", None, "US", "NOK"),
    ("50 000 kr", "nb", "SE", "US", "SEK"),  # the country the visitor names comes first
    ("50 000 kr", None, None, "DK", "DKK"),  # then the language, then the site's country
    ("50 000 kr", "ru", None, "US", None),  # nothing settles it: the bot asks
    ("¥5000", "zh", None, "US", "CNY"),
    ("¥5000", "en", None, "US", None),  # English is written everywhere: no hint
    ("5000 крон", "nb", None, "US", "NOK"),
    ("5000 крон", "ru", None, "CZ", "CZK"),
    ("200 ريال", "fa", None, "US", "IRR"),  # Arabic letters: a riyal or the rial; Persian says which
])
def test_a_shared_currency_is_settled_by_country_then_language_then_site(text, language, country, site, currency) -> None:
    from datetime import date

    from bot.extraction import extract

    found = extract(text, today=date(2026, 12, 6), requested="budget", categories={}, phone_region=site,
                    country=country, language=language)
    assert found.budget is not None and found.budget.currency == currency, found.budget


@pytest.mark.parametrize(("reply", "options", "code"), [
    ("норвежские", ("SEK", "NOK", "DKK"), "NOK"),
    ("в шведских кронах", ("SEK", "NOK", "DKK"), "SEK"),
    ("norske kroner", ("SEK", "NOK", "DKK"), "NOK"),
    ("danske", ("SEK", "NOK", "DKK"), "DKK"),
    ("کرون نروژ", ("SEK", "NOK", "DKK"), "NOK"),
    ("Krone Norway", ("SEK", "NOK", "DKK"), "NOK"),
    ("挪威克朗", ("SEK", "NOK", "DKK"), "NOK"),
    ("人民币", ("JPY", "CNY"), "CNY"),
    ("日元", ("JPY", "CNY"), "JPY"),
    ("доллары США", ("USD", "SGD", "BND"), "USD"),
    ("dolar Singapura", ("USD", "SGD", "BND"), "SGD"),
    ("kroner", ("SEK", "NOK", "DKK"), None),  # says no more than "kr" did
])
def test_the_currency_question_answered_in_each_language(reply: str, options: tuple[str, ...], code: str | None) -> None:
    from bot.parsing.currencies import choose_currency

    assert choose_currency(reply, options) == code


# A currency said alone, after a figure that had none: the budget takes it (actions/understanding.py).
@pytest.mark.parametrize(("text", "named"), [
    ("в долларах", ("USD", 1.0)), ("рублями", ("RUB", 1.0)), ("евро", ("EUR", 1.0)),
    ("i kroner", ("NOK", 1.0)), ("dalam ringgit", ("MYR", 1.0)), ("RM", ("MYR", 1.0)),
    ("تومان", ("IRR", 10.0)), ("به ریال", ("IRR", 1.0)), ("美元", ("USD", 1.0)), ("是人民币", ("CNY", 1.0)),
    ("euros", ("EUR", 1.0)),
])
def test_a_currency_alone(text: str, named: tuple[str, float]) -> None:
    assert currency_alone(text) == named


@pytest.mark.parametrize("text", ["Анна", "Kroner Consulting AS", "Ringgit Digital Sdn Bhd", "50 000 рублей", "邮箱",
                                  "پارس تجارت", "yes", ""])
def test_anything_else_is_no_currency_alone(text: str) -> None:
    assert currency_alone(text) is None
