"""parse_timeline in Russian, Norwegian Bokmål, Malay, Chinese and Persian (and mixed with English).

Rows are (text, expected target_date), read as the answer to the timeline question, against the
same fixed dates as tests/parsing/test_timeline.py: the English decisions hold in every
language (ranges take the upper bound, "before March" ends on the last day of February).
Persian years and Persian-calendar months are the solar hijri ones (bot/parsing/time_words.py):
on TODAY it is 1 Azar 1405, the year ends on 20 March 2027.
"""
from __future__ import annotations

from datetime import date

import pytest

from bot.parsing.text import clean_text
from bot.parsing.timeline import parse_timeline

TODAY = date(2026, 11, 22)  # a Sunday in Q4; 1 Azar 1405


def target(text: str, today: date = TODAY, *, answering: bool = True) -> str | None:
    timeline = parse_timeline(text, today, answering=answering)
    assert timeline is not None, f"nothing read from {text!r}"
    assert timeline.status == "stated", timeline
    assert timeline.text == clean_text(text)  # digits and Arabic-keyboard letters folded
    return timeline.target_date


RUSSIAN = [
    # quarters, halves, fiscal years
    ("в следующем квартале", "2027-03-31"),
    ("В следующем квартале, думаю", "2027-03-31"),
    ("к концу квартала", "2026-12-31"),
    ("до конца этого квартала", "2026-12-31"),
    ("в этом квартале", "2026-12-31"),
    ("к концу следующего квартала", "2027-03-31"),
    ("во втором квартале 2027 года", "2027-06-30"),
    ("в 3 квартале", "2027-09-30"),
    ("в III квартале следующего года", "2027-09-30"),
    ("в первом полугодии следующего года", "2027-06-30"),
    ("во второй половине следующего года", "2027-12-31"),
    ("в следующем финансовом году", "2027-12-31"),
    # years
    ("в следующем году", "2027-12-31"),
    ("в начале следующего года", "2027-03-31"),
    ("в середине следующего года", "2027-06-30"),
    ("после нового года", "2027-01-31"),
    ("до конца года", "2026-12-31"),
    ("к новому году", "2026-12-31"),
    ("не в этом году", "2027-12-31"),
    ("в 2028 году", "2028-12-31"),
    # months, every case
    ("к концу марта", "2027-03-31"),
    ("до марта", "2027-02-28"),
    ("в марте", "2027-03-31"),
    ("Март", "2027-03-31"),
    ("в начале апреля", "2027-04-10"),
    ("в середине мая", "2027-05-20"),
    ("в конце января", "2027-01-31"),
    ("до 15 марта", "2027-03-15"),
    ("к 1 февраля", "2027-02-01"),
    ("в декабре", "2026-12-31"),
    ("в июне 2027", "2027-06-30"),
    ("после марта", "2027-04-01"),
    ("не раньше апреля", "2027-04-01"),
    ("к маю", "2027-05-31"),
    # relative months and weeks
    ("в следующем месяце", "2026-12-31"),
    ("до конца месяца", "2026-11-30"),
    ("в начале следующего месяца", "2026-12-10"),
    ("на следующей неделе", "2026-11-29"),
    # durations
    ("через две недели", "2026-12-06"),
    ("через 3 месяца", "2027-02-22"),
    ("через месяц", "2026-12-22"),
    ("через пару месяцев", "2027-01-22"),
    ("через несколько недель", "2026-12-13"),
    ("в течение полугода", "2027-05-22"),
    ("через полгода", "2027-05-22"),
    ("в течение 2-3 месяцев", "2027-02-22"),
    ("в ближайшие месяцы", "2027-02-22"),
    ("через год", "2027-11-22"),
    ("за 6 недель", "2027-01-03"),
    # urgency and vague
    ("срочно", "2026-11-29"),
    ("как можно скорее", "2026-11-29"),
    ("вчера 😅", "2026-11-29"),
    ("завтра", "2026-11-23"),
    ("в ближайшее время", "2026-12-22"),
    ("скоро", "2026-12-22"),
    # seasons
    ("к лету", "2027-08-31"),
    ("до лета", "2027-05-31"),
    ("летом", "2027-08-31"),
    ("после лета", "2027-09-01"),
    ("следующей весной", "2027-05-31"),
    # sentences
    ("к началу следующего года", "2027-03-31"),
    ("Хотим запустить бота к концу марта, не позже", "2027-03-31"),
    ("планируем купить в следующем квартале, если бюджет одобрят", "2027-03-31"),
    ("нам это нужно через 2-3 недели", "2026-12-13"),
]

NORWEGIAN = [
    ("neste kvartal", "2027-03-31"),
    ("Neste kvartal tenker vi", "2027-03-31"),
    ("innen utgangen av kvartalet", "2026-12-31"),
    ("dette kvartalet", "2026-12-31"),
    ("i andre kvartal", "2027-06-30"),
    ("3. kvartal neste år", "2027-09-30"),
    ("første halvår neste år", "2027-06-30"),
    ("andre halvår", "2026-12-31"),
    ("neste regnskapsår", "2027-12-31"),
    ("neste år", "2027-12-31"),
    ("til neste år", "2027-12-31"),
    ("tidlig neste år", "2027-01-31"),
    ("over nyttår", "2027-01-31"),
    ("før jul", "2026-12-31"),
    ("innen utgangen av året", "2026-12-31"),
    ("i år", "2026-12-31"),
    ("ikke i år", "2027-12-31"),
    ("innen sommeren", "2027-08-31"),
    ("før sommeren", "2027-05-31"),
    ("etter sommeren", "2027-09-01"),
    ("neste vår", "2027-05-31"),
    ("til våren", "2027-05-31"),
    ("etter fellesferien", "2027-08-31"),
    ("i mars", "2027-03-31"),
    ("innen mars", "2027-03-31"),
    ("før mars", "2027-02-28"),
    ("innen utgangen av mars", "2027-03-31"),
    ("i begynnelsen av april", "2027-04-10"),
    ("i midten av mai", "2027-05-20"),
    ("i slutten av januar", "2027-01-31"),
    ("15. mai", "2027-05-15"),
    ("innen 1. februar", "2027-02-01"),
    ("neste måned", "2026-12-31"),
    ("innen utgangen av måneden", "2026-11-30"),
    ("neste uke", "2026-11-29"),
    ("om to uker", "2026-12-06"),
    ("om 3 måneder", "2027-02-22"),
    ("innen tre måneder", "2027-02-22"),
    ("i løpet av et halvt år", "2027-05-22"),
    ("om et par måneder", "2027-01-22"),
    ("de kommende månedene", "2027-02-22"),
    ("så fort som mulig", "2026-11-29"),
    ("snarest", "2026-11-29"),
    ("umiddelbart", "2026-11-29"),
    ("i morgen", "2026-11-23"),
    ("snart", "2026-12-22"),
    ("innen påske", "2027-03-28"),
    ("rundt nyttår", "2027-01-31"),
    ("Vi ønsker å ha det på plass innen sommeren", "2027-08-31"),
    ("vi planlegger å kjøpe i løpet av 6 uker", "2027-01-03"),
]

MALAY = [
    ("suku tahun depan", "2027-03-31"),
    ("Suku tahun hadapan", "2027-03-31"),
    ("hujung suku tahun ini", "2026-12-31"),
    ("suku ketiga tahun depan", "2027-09-30"),
    ("suku ke-2", "2027-06-30"),
    ("separuh tahun pertama tahun depan", "2027-06-30"),
    ("tahun kewangan depan", "2027-12-31"),
    ("tahun depan", "2027-12-31"),
    ("awal tahun depan", "2027-03-31"),
    ("pertengahan tahun depan", "2027-06-30"),
    ("hujung tahun ini", "2026-12-31"),
    ("sebelum akhir tahun", "2026-12-31"),
    ("bulan depan", "2026-12-31"),
    ("awal bulan depan", "2026-12-10"),
    ("hujung bulan ini", "2026-11-30"),
    ("minggu depan", "2026-11-29"),
    ("dalam 3 bulan", "2027-02-22"),
    ("dalam masa dua minggu", "2026-12-06"),
    ("3 bulan lagi", "2027-02-22"),
    ("sebulan lagi", "2026-12-22"),
    ("dalam tempoh 6 bulan", "2027-05-22"),
    ("beberapa bulan lagi", "2027-02-22"),
    ("sebelum Mac", "2027-02-28"),
    ("menjelang Mac", "2027-03-31"),
    ("hujung Mac", "2027-03-31"),
    ("awal April", "2027-04-10"),
    ("pertengahan Mei", "2027-05-20"),
    ("pada bulan Jun", "2027-06-30"),
    ("15 Ogos", "2027-08-15"),
    ("sebelum 1 Februari", "2027-01-31"),
    ("selepas Januari", "2027-02-01"),
    ("secepat mungkin", "2026-11-29"),
    ("segera", "2026-11-29"),
    ("esok", "2026-11-23"),
    ("tidak lama lagi", "2026-12-22"),
    ("secepat yang boleh", "2026-11-29"),
    ("Kami nak lancar sebelum hujung tahun", "2026-12-31"),
    ("kami merancang untuk beli suku tahun depan", "2027-03-31"),
]

CHINESE = [
    ("下个季度", "2027-03-31"),
    ("下季度吧", "2027-03-31"),
    ("本季度", "2026-12-31"),
    ("这个季度末之前", "2026-12-31"),
    ("明年第三季度", "2027-09-30"),
    ("第二季度", "2027-06-30"),
    ("明年上半年", "2027-06-30"),
    ("下半年", "2026-12-31"),
    ("下个财年", "2027-12-31"),
    ("明年", "2027-12-31"),
    ("明年初", "2027-03-31"),
    ("明年年中", "2027-06-30"),
    ("年底前", "2026-12-31"),
    ("今年内", "2026-12-31"),
    ("明年三月前", "2027-02-28"),
    ("三月底", "2027-03-31"),
    ("3月底前", "2027-03-31"),
    ("4月初", "2027-04-10"),
    ("五月中旬", "2027-05-20"),
    ("1月下旬", "2027-01-31"),
    ("2027年6月", "2027-06-30"),
    ("3月15日前", "2027-03-15"),
    ("三月以后", "2027-04-01"),
    ("下个月", "2026-12-31"),
    ("下个月底", "2026-12-31"),
    ("月底前", "2026-11-30"),
    ("下周", "2026-11-29"),
    ("三个月内", "2027-02-22"),
    ("两周内", "2026-12-06"),
    ("6个月以内", "2027-05-22"),
    ("半年内", "2027-05-22"),
    ("一年内", "2027-11-22"),
    ("未来几个月", "2027-02-22"),
    ("尽快", "2026-11-29"),
    ("越快越好", "2026-11-29"),
    ("马上", "2026-11-29"),
    ("明天", "2026-11-23"),
    ("很快", "2026-12-22"),
    ("春节前", "2027-02-05"),
    ("年前上线", "2027-02-05"),
    ("春节后", "2027-02-21"),
    ("夏天之前", "2027-05-31"),
    ("明年春天", "2027-05-31"),
    ("越早越好", "2026-11-29"),
    ("一个月左右", "2026-12-22"),
    ("国庆前", "2027-09-30"),
    ("我们希望明年三月前上线", "2027-02-28"),
    ("计划下个季度采购", "2027-03-31"),
]

PERSIAN = [
    ("سه ماهه بعد", "2027-03-31"),
    ("فصل بعد", "2027-03-31"),
    ("تا آخر فصل", "2026-12-31"),
    ("ماه بعد", "2026-12-31"),
    ("ماه آینده", "2026-12-31"),
    ("تا آخر ماه", "2026-11-30"),
    ("هفته بعد", "2026-11-29"),
    ("سه ماه دیگه", "2027-02-22"),
    ("۳ ماه دیگر", "2027-02-22"),
    ("ظرف ۲ هفته", "2026-12-06"),
    ("طی شش ماه آینده", "2027-05-22"),
    ("چند ماه آینده", "2027-02-22"),
    ("هر چه زودتر", "2026-11-29"),
    ("فوری", "2026-11-29"),
    ("در اسرع وقت", "2026-11-29"),
    ("فردا", "2026-11-23"),
    ("به زودی", "2026-12-22"),
    ("خیلی زود", "2026-12-22"),
    # the Persian calendar: months and the year
    ("تا آخر آذر", "2026-12-21"),
    ("قبل از دی", "2026-12-21"),
    ("اوایل دی ماه", "2026-12-31"),
    ("اواسط بهمن", "2027-02-09"),
    ("۱۵ بهمن", "2027-02-04"),
    ("تا آخر اسفند", "2027-03-20"),
    ("فروردین ۱۴۰۶", "2027-04-20"),
    ("تا آخر مهر", "2027-10-22"),
    ("بعد از فروردین", "2027-04-21"),
    ("تا آخر سال", "2027-03-20"),
    ("قبل از عید", "2027-03-20"),
    ("قبل از نوروز", "2027-03-20"),
    ("بعد از عید", "2027-04-03"),
    ("سال آینده", "2028-03-19"),
    ("اوایل سال آینده", "2027-06-21"),
    ("سال مالی آینده", "2028-03-19"),
    # Gregorian months in Persian (CLDR names)
    ("تا آخر مارس", "2027-03-31"),
    ("قبل از ژوئن", "2027-05-31"),
    # seasons
    ("تا تابستان", "2027-08-31"),
    ("قبل از تابستون", "2027-05-31"),
    # Arabic keyboard letters and Persian digits
    ("تا آخر سال مالي", "2027-03-20"),
    ("مي‌خواهيم تا آخر آذر راه‌اندازي كنيم", "2026-12-21"),
    ("میخوایم سه ماهه بعد راه اندازی کنیم", "2027-03-31"),
]

# Weekdays: TODAY is a Sunday, so "by Friday" is the 27th and "next Monday" the 23rd.
WEEKDAYS = [
    ("до пятницы", "2026-11-27"), ("к понедельнику", "2026-11-23"), ("в следующую среду", "2026-11-25"),
    ("innen fredag", "2026-11-27"), ("før onsdag", "2026-11-24"), ("neste tirsdag", "2026-11-24"),
    ("sebelum Jumaat", "2026-11-26"), ("menjelang Khamis", "2026-11-26"), ("Isnin depan", "2026-11-23"),
    ("周五前", "2026-11-27"), ("下周三", "2026-11-25"), ("下个星期一", "2026-11-23"),
    ("تا جمعه", "2026-11-27"), ("قبل از سه‌شنبه", "2026-11-23"), ("دوشنبه آینده", "2026-11-23"),
]

# "a month or two" and ranges of months: the later bound, as in English.
RANGES = [
    ("где-то через месяц-два", "2027-01-22"), ("в январе-феврале", "2027-02-28"), ("om en måned eller to", "2027-01-22"),
    ("dalam sebulan dua", "2027-01-22"), ("一两个月", "2027-01-22"), ("两三个月内", "2027-02-22"), ("三四月份", "2027-04-30"),
    ("下下个月", "2027-01-31"), ("حداکثر تا دو ماه دیگه", "2027-01-22"), ("не раньше весны", "2027-03-01"),
]

MIXED = [
    ("next quarter, т.е. в апреле", "2027-03-31"),
    ("Q3 2027 или в следующем году", "2027-12-31"),
    ("kami nak go live bulan depan", "2026-12-31"),
    ("我们想 next month 上线", "2026-12-31"),
    ("maybe ماه بعد", "2026-12-31"),
    ("by Q2, altså før sommeren", "2027-06-30"),
]


@pytest.mark.parametrize(("text", "expected"), RUSSIAN)
def test_russian(text: str, expected: str) -> None:
    assert target(text) == expected


@pytest.mark.parametrize(("text", "expected"), NORWEGIAN)
def test_norwegian(text: str, expected: str) -> None:
    assert target(text) == expected


@pytest.mark.parametrize(("text", "expected"), MALAY)
def test_malay(text: str, expected: str) -> None:
    assert target(text) == expected


@pytest.mark.parametrize(("text", "expected"), CHINESE)
def test_chinese(text: str, expected: str) -> None:
    assert target(text) == expected


@pytest.mark.parametrize(("text", "expected"), PERSIAN)
def test_persian(text: str, expected: str) -> None:
    assert target(text) == expected


@pytest.mark.parametrize(("text", "expected"), WEEKDAYS)
def test_weekdays(text: str, expected: str) -> None:
    assert target(text) == expected


@pytest.mark.parametrize(("text", "expected"), RANGES)
def test_ranges_take_the_later_bound(text: str, expected: str) -> None:
    assert target(text) == expected


@pytest.mark.parametrize(("text", "expected"), MIXED)
def test_mixed_with_english(text: str, expected: str) -> None:
    assert target(text) == expected


@pytest.mark.parametrize(("text", "status"), [
    ("пока нет планов", "none"), ("просто смотрю", "none"), ("не знаю", "unknown"), ("пока не решили", "unknown"),
    ("сложно сказать", "unknown"), ("ingen planer", "none"), ("bare ser", "none"), ("vet ikke", "unknown"),
    ("kommer an på", "unknown"), ("tiada rancangan", "none"), ("saja tengok-tengok", "none"),
    ("tak pasti", "unknown"), ("belum diputuskan", "unknown"), ("没有计划", "none"), ("只是看看", "none"),
    ("不确定", "unknown"), ("还没定", "unknown"), ("看情况", "unknown"), ("برنامه‌ای نداریم", "none"),
    ("فقط نگاه می کنم", "none"), ("نمی‌دونم", "unknown"), ("مطمئن نیستم", "unknown"), ("بستگی داره", "unknown"),
    # researching, no date yet
    ("мы пока изучаем варианты", "none"), ("сроков пока нет", "none"), ("ingen tidsfrist ennå", "none"),
    ("vi bare kartlegger markedet", "none"), ("masih mengkaji pilihan, tiada tarikh lagi", "none"),
    ("还在调研阶段", "none"), ("داریم بررسی می‌کنیم", "none"),
])

def test_none_and_unknown(text: str, status: str) -> None:
    timeline = parse_timeline(text, TODAY, answering=True)
    assert timeline is not None and timeline.status == status, timeline
    assert timeline.target_date is None

# A month alone answers "when?" (in prose it may be a word: "مهر و محبت" is kindness).
@pytest.mark.parametrize(("text", "expected"), [
    ("دی", "2027-01-20"), ("فروردین", "2027-04-20"), ("خرداد.", "2027-06-21"),
    ("Jun", "2027-06-30"), ("Mac", "2027-03-31"), ("april", "2027-04-30"),  # Malay, Norwegian
])
def test_a_month_alone(text: str, expected: str) -> None:
    assert target(text) == expected


# Any message (answering=False): a clear time about buying counts, a time that narrates does not.
@pytest.mark.parametrize(("text", "expected"), [
    ("Хотим запустить бота в марте", "2027-03-31"),
    ("в следующем квартале планируем покупку", "2027-03-31"),
    ("vi trenger det innen sommeren", "2027-08-31"),
    ("kami perlu sistem ini bulan depan", "2026-12-31"),
    ("希望明年三月前上线", "2027-02-28"),
    ("می‌خواهیم تا آخر آذر راه‌اندازی کنیم", "2026-12-21"),
])
def test_strict_reads_clear_buying_times(text: str, expected: str) -> None:
    assert target(text, answering=False) == expected


@pytest.mark.parametrize("text", [
    "в марте мы переехали в новый офис",
    "I have a Mac and two PCs",
    "مهر و محبت",
    "دو نفر در تیم فروش هستیم",
    "我们公司有三个销售",
    "Vi er 5 personer i salgsteamet",
    "vi vil ha flere leads fra nettsiden vår",  # "vår" is "our", not spring
    "dalam 2k sebulan",  # about 2k a month: a budget
    "kami ada 10 orang dalam pasukan jualan",
])
def test_not_a_time(text: str) -> None:
    timeline = parse_timeline(text, TODAY, answering=False)
    assert timeline is None, timeline


def test_the_answer_keeps_the_visitors_words() -> None:
    timeline = parse_timeline("明年三月前", TODAY, answering=True)
    assert timeline is not None and timeline.text == "明年三月前"


LATER = date(2027, 2, 10)  # a Wednesday in Q1; 21 Bahman 1405, in the Spring Festival season

ROLLOVER = [
    ("в следующем квартале", "2027-06-30"),
    ("к концу марта", "2027-03-31"),
    ("в следующем году", "2028-12-31"),
    ("neste vår", "2027-05-31"),
    ("før sommeren", "2027-05-31"),
    ("bulan depan", "2027-03-31"),
    ("suku tahun depan", "2027-06-30"),
    ("明年", "2028-12-31"),
    ("春节后", "2027-02-21"),  # the festival season runs to the Lantern Festival, 20 February
    ("下个季度", "2027-06-30"),
    ("تا آخر سال", "2027-03-20"),
    ("قبل از عید", "2027-03-20"),
    ("سال آینده", "2028-03-19"),
    ("تا آخر بهمن", "2027-02-19"),
]


@pytest.mark.parametrize(("text", "expected"), ROLLOVER)
def test_rollover_from_another_date(text: str, expected: str) -> None:
    assert target(text, LATER) == expected


def test_every_native_time_phrase_compiles() -> None:
    """The phrases are compiled when their language's gate first opens, not at import."""
    from bot.parsing.time_words import _TABLES, _compiled

    assert sum(_compiled(pattern, flags).groups >= 0 for _gate, phrases in _TABLES for pattern, flags, _ in phrases) > 100
