"""Times said in Russian, Norwegian Bokmål, Malay, Chinese and Persian, written the way the
timeline parser reads them: "в следующем квартале" -> "next quarter", "innen sommeren" ->
"by summer", "明年三月前" -> "before March 2027", "bulan depan" -> "next month".

Like `bot.parsing.spoken.written` for a phone call's words, `in_english_times` rewrites only
the native phrases (padded with spaces), so one set of decisions (`bot/parsing/timeline.py`:
ranges take the upper bound, quarters and halves are calendar ones, "before March" ends on
the last day of February, lower bounds) serves every language, and a message that mixes
languages is read as a whole. The answer keeps the visitor's own words; only the scan is
rewritten.

Tables are per language (one table each for phrases, month words, numbers and units), the
month names of Norwegian, Malay and Chinese from CLDR through Babel. Decisions of our own:
- Persian calendar months (فروردین … اسفند) are converted with persiantools' `JalaliDate` to
  the Gregorian date they name: "تا آخر مهر" is the last day of Mehr, "اوایل آبان" its 10th,
  "قبل از اسفند" the day before Esfand starts, a bare month its last day; the next Mehr that
  has not ended. A year said in Persian ("آخر سال", "سال آینده", "سال مالی آینده") is the
  solar hijri year the speaker lives by (it ends the day before Nowruz, ~20 March); "قبل از
  عید / نوروز" is the day before Nowruz, "بعد از عید" the day after its holidays (14 Farvardin).
- Chinese "年前" (before the Spring Festival, not "N年前", years ago) is the day before the
  next Lunar New Year, "年后" / "春节后" the day after its Lantern Festival (15th day); the
  dates are a table (the lunar calendar is astronomical, no formula).
- Norwegian and Malay month names are read only after a preposition of their language, a
  day number or a year ("i mars", "15. mai", "sebelum Mac"): "Mac" alone is a computer.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache

from babel.dates import get_month_names
from persiantools.jdatetime import JalaliDate

from bot.parsing.scripts import loose

__all__ = ["in_english_times", "month_answer", "UNKNOWN_WORDS", "NONE_WORDS"]

_I = re.IGNORECASE
_EN_MONTHS = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
_B = r"(?<!\w)"  # no word character before
_E = r"(?!\w)"  # no word character after

# -- numbers and units --------------------------------------------------------------------
_NUMBERS: dict[str, str] = {
    # ru
    "один": "1", "одну": "1", "одна": "1", "одного": "1", "два": "2", "две": "2", "двух": "2", "три": "3", "трёх": "3",
    "трех": "3", "четыре": "4", "четырёх": "4", "пять": "5", "шесть": "6", "семь": "7", "восемь": "8", "девять": "9",
    "десять": "10", "одиннадцать": "11", "двенадцать": "12", "пару": "a couple of", "пара": "a couple of",
    "пары": "a couple of", "несколько": "a few", "нескольких": "a few", "полтора": "1.5", "полторы": "1.5",
    # nb
    "en": "1", "ett": "1", "ei": "1", "to": "2", "tre": "3", "fire": "4", "fem": "5", "seks": "6", "sju": "7",
    "syv": "7", "åtte": "8", "ni": "9", "ti": "10", "elleve": "11", "tolv": "12", "et par": "a couple of",
    "par": "a couple of", "noen": "a few", "noen få": "a few", "halvannen": "1.5",
    # ms
    "satu": "1", "dua": "2", "tiga": "3", "empat": "4", "lima": "5", "enam": "6", "tujuh": "7", "lapan": "8",
    "delapan": "8", "sembilan": "9", "sepuluh": "10", "sebelas": "11", "dua belas": "12", "beberapa": "a few",
    "se": "1",
    # zh
    "一": "1", "两": "2", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9",
    "十": "10", "十一": "11", "十二": "12", "几": "a few", "半": "0.5",
    # fa
    "یک": "1", "یه": "1", "دو": "2", "سه": "3", "چهار": "4", "پنج": "5", "شش": "6", "هفت": "7", "هشت": "8",
    "نه": "9", "ده": "10", "یازده": "11", "دوازده": "12", "چند": "a few", "چندتا": "a few", "نیم": "0.5",
}
_UNITS: tuple[tuple[str, str], ...] = (
    # (native regex, English unit); plural English is fine for any count
    (r"дн(?:я|ей)|день|сут(?:ок|ки)", "days"), (r"недел[юиья]|недель", "weeks"),
    (r"месяц(?:а|ев)?|мес\.?", "months"), (r"квартал(?:а|ов)?", "quarters"), (r"года?|лет", "years"),
    (r"dag(?:er|ene)?|døgn", "days"), (r"uke(?:r|ne)?|uka|veke(?:r)?", "weeks"),
    (r"måned(?:er|ene)?|mnd\.?", "months"), (r"kvartal(?:er)?", "quarters"), (r"år(?:et)?", "years"),
    (r"hari", "days"), (r"minggu", "weeks"), (r"bulan", "months"), (r"suku tahun", "quarters"), (r"tahun", "years"),
    (r"个?工作日", "business days"), (r"天|日", "days"), (r"个?(?:星期|礼拜)|周", "weeks"), (r"个月|月", "months"),
    (r"个?季度", "quarters"), (r"年", "years"),
    (r"روز", "days"), (r"هفته", "weeks"), (r"ماه", "months"), (r"سال", "years"),
)
_NUMBER = r"\d{1,3}(?:[.,]\d)?(?:\s?[-–]\s?\d{1,3})?|" + "|".join(
    sorted((re.escape(w) for w in _NUMBERS), key=len, reverse=True))
_UNIT = "|".join(f"(?:{u})" for u, _ in _UNITS)


def _count(raw: str) -> str:
    raw = raw.strip().lower()
    return _NUMBERS.get(raw, raw)


def _unit(raw: str) -> str:
    for pattern, english in _UNITS:
        if re.fullmatch(pattern, raw.strip(), _I):
            return english
    return "months"


# -- month names --------------------------------------------------------------------------
def _cldr_months(locale: str) -> dict[str, int]:
    """Month names of `locale` (wide and abbreviated, lower case, without a trailing dot)."""
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for number, name in get_month_names(width, context, locale).items():
                names[name.lower().rstrip(".")] = number
    return names


_RU_MONTHS = {  # stems: every case ("март", "марта", "марте", "мартом")
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма[йяею]": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
_NB_MONTHS = {k: v for k, v in _cldr_months("nb").items() if len(k) > 2}
_MS_MONTHS = {k: v for k, v in _cldr_months("ms").items() if len(k) > 2}
_FA_GREGORIAN = _cldr_months("fa")
_ZH_MONTH_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
                     "十一": 11, "十二": 12}
_JALALI_MONTHS = {"فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "امرداد": 5, "شهریور": 6,
                  "مهر": 7, "آبان": 8, "آذر": 9, "دی": 10, "بهمن": 11, "اسفند": 12}


def _alternation(words: dict[str, int] | list[str], *, regex: bool = False) -> str:
    keys = sorted(words, key=len, reverse=True)
    return "|".join(k if regex else re.escape(k) for k in keys)


def _ru_month(word: str) -> int:
    for stem, number in _RU_MONTHS.items():
        if re.match(stem, word, _I):
            return number
    raise KeyError(word)


_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_RU_DAYS = {"понедельник": 0, "вторник": 1, "сред": 2, "четверг": 3, "пятниц": 4, "суббот": 5, "воскресень": 6}
_NB_DAYS = {"mandag": 0, "tirsdag": 1, "onsdag": 2, "torsdag": 3, "fredag": 4, "lørdag": 5, "søndag": 6}
_MS_DAYS = {"isnin": 0, "selasa": 1, "rabu": 2, "khamis": 3, "jumaat": 4, "sabtu": 5, "ahad": 6}
_ZH_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_FA_DAYS = {"دوشنبه": 0, "سه‌شنبه": 1, "سه شنبه": 1, "سهشنبه": 1, "چهارشنبه": 2, "چهار‌شنبه": 2, "پنجشنبه": 3,
            "پنج‌شنبه": 3, "پنج شنبه": 3, "جمعه": 4, "شنبه": 5, "یکشنبه": 6, "یک‌شنبه": 6}


def _day_phrase(prep: str, day: int) -> str:
    return f"{prep} {_EN_DAYS[day]}".strip()


# -- the rewriting engine -----------------------------------------------------------------
Writer = Callable[[re.Match[str], date], str | None]
# One table per language, each behind a gate: a cheap search that any of its phrases needs (the
# language's script, or for Norwegian and Malay their time words), so an English message, or a
# long paste, is not scanned by some two hundred patterns it cannot hold. A phrase's pattern is
# compiled the first time its gate opens (`_compiled`): compiling them all cost every process
# that reads timelines a fifth of a second at import.
_TABLES: list[tuple[re.Pattern[str], list[tuple[str, int, Writer]]]] = []
_SPACES = re.compile(r"\s{2,}")


def _table(gate: str) -> None:
    """Start the table of the phrases that follow, read only in a text where `gate` is found."""
    _TABLES.append((re.compile(gate, _I), []))


def _phrase(pattern: str, english: str | Writer, *, flags: int = _I) -> None:
    """Rewrite `pattern` (a native phrase) as `english` (text, or a function of the match)."""
    writer: Writer = english if callable(english) else (lambda m, t, e=english: e)
    _TABLES[-1][1].append((pattern, flags, writer))


@cache
def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def _words(*phrases: str) -> str:
    """Word-bounded alternation of literal phrases (spaces and ZWNJs loose)."""
    return _B + "(?:" + "|".join(loose(p) for p in sorted(phrases, key=len, reverse=True)) + ")" + _E


def in_english_times(text: str, today: date) -> str:
    """`text` with the native time phrases above written in English (padded with spaces)."""
    changed = False
    for gate, phrases in _TABLES:
        if not gate.search(text):
            continue
        for source, flags, writer in phrases:
            pattern = _compiled(source, flags)
            if pattern.search(text):
                # one space between words again, so the next phrase reads the rewritten ones
                text = _SPACES.sub(" ", pattern.sub(lambda m: _padded(writer(m, today), m), text))
                changed = True
    return _SPACES.sub(" ", text).strip() if changed else text


def _padded(english: str | None, m: re.Match[str]) -> str:
    return m.group(0) if english is None else f" {english} "


# == Russian ==============================================================================
_RU_MONTH = r"(?P<mon>(?:" + "|".join(_RU_MONTHS) + r")\w*)"
_RU_N = rf"(?P<n>{_NUMBER})"
_RU_YEAR = r"(?:\s(?P<year>20\d{2})(?:\s?(?:года|году|г\.?))?)?"
_RU_MONTH_PREPS = {
    "к концу": "by the end of", "до конца": "by the end of", "не позднее конца": "by the end of",
    "не позже конца": "by the end of", "в конце": "late", "в начале": "early", "в первых числах": "early",
    "в середине": "mid", "до": "before", "к": "by", "не позднее": "by", "не позже": "by", "в": "in", "во": "in",
    "после": "after", "не раньше": "not before", "не ранее": "not before", "начиная с": "not before", "с": "not before",
}


def _ru_month_phrase(m: re.Match[str], today: date) -> str:
    prep = _RU_MONTH_PREPS.get((m.group("prep") or "").lower(), "")
    day = m.group("day") or ""
    if day and prep == "before":
        prep = "by"  # "до 15 марта": that day at the latest
    return " ".join(p for p in (prep, day, _EN_MONTHS[_ru_month(m.group("mon"))], m.group("year") or "") if p)


def _ru() -> None:
    _table(r"[\u0400-\u04ff]")
    q = r"(?:квартал[еау]?|кв\.?)"
    _phrase(_words("в следующем квартале", "в следующем кв", "следующий квартал", "следующего квартала",
                   "в будущем квартале", "в ближайшем квартале", "в новом квартале"), "next quarter")
    _phrase(_words("к концу квартала", "до конца квартала", "к концу этого квартала", "до конца этого квартала",
                   "к концу текущего квартала", "до конца текущего квартала", "в конце квартала"),
            "by the end of this quarter")
    _phrase(_words("к концу следующего квартала", "до конца следующего квартала"), "by the end of next quarter")
    _phrase(_words("в этом квартале", "в текущем квартале", "этот квартал"), "this quarter")
    ords = {"перв": "1", "втор": "2", "трет": "3", "четв": "4", "1": "1", "2": "2", "3": "3", "4": "4",
            "iv": "4", "iii": "3", "ii": "2", "i": "1"}
    _phrase(_B + r"(?P<prep>до|к|в|во)?\s?(?P<o>перв\w*|втор\w*|трет\w*|четв[её]рт\w*|[1-4](?:-?(?:м|й|ом|ий))?|iv|iii|ii|i)\s"
            + q + r"(?:\s(?P<rel>следующего|будущего|этого|текущего) года|\s(?P<year>20\d{2})(?:\s?(?:года|г\.?))?)?" + _E,
            lambda m, t: " ".join(p for p in (
                {"до": "before", "к": "by"}.get((m.group("prep") or "").lower(), "in"),
                "q" + ords[next(k for k in ords if m.group("o").lower().startswith(k))],
                {"следующего": "next year", "будущего": "next year", "этого": "this year", "текущего": "this year"}.get(
                    (m.group("rel") or "").lower(), m.group("year") or "")) if p))
    half = {"перв": "first", "втор": "second"}
    _phrase(_B + r"(?:в|во)?\s?(?P<o>перв|втор)\w*\s(?:полугоди\w*|половин\w*(?:\sгода)?)"
            + r"(?:\s(?P<rel>следующего|будущего|этого|текущего) года)?" + _E,
            lambda m, t: f"in the {half[m.group('o').lower()]} half"
            + (" of next year" if (m.group("rel") or "").lower() in ("следующего", "будущего")
               else " of this year" if m.group("rel") else ""))
    _phrase(_words("в следующем финансовом году", "в следующем фискальном году", "следующий финансовый год"),
            "next fiscal year")
    _phrase(_words("к концу финансового года", "до конца финансового года", "к концу фискального года"),
            "by the end of the fiscal year")
    _phrase(_words("не в этом году", "не раньше следующего года"), "not this year")
    _phrase(_words("в начале следующего года", "в начале будущего года", "в начале нового года", "к началу следующего года",
                   "к началу нового года", "в первых числах января"), "early next year")
    _phrase(_words("в середине следующего года", "в середине будущего года"), "mid next year")
    _phrase(_words("в конце следующего года", "к концу следующего года", "до конца следующего года"),
            "by the end of next year")
    _phrase(_words("в следующем году", "в будущем году", "на следующий год", "на будущий год", "следующий год",
                   "в следующем г"), "next year")
    _phrase(_words("после нового года", "после новогодних праздников", "в новом году", "после праздников",
                   "после январских праздников"), "in the new year")
    _phrase(_words("к концу года", "до конца года", "к концу этого года", "до конца этого года", "в конце года",
                   "до нового года", "к новому году", "в течение года", "в течение этого года"), "by the end of the year")
    _phrase(_words("в этом году", "в текущем году", "этот год"), "this year")
    _phrase(_words("в следующем месяце", "в след месяце", "следующий месяц", "в следующем мес", "в будущем месяце"),
            "next month")
    _phrase(_words("в начале следующего месяца"), "early next month")
    _phrase(_words("к концу следующего месяца", "до конца следующего месяца", "в конце следующего месяца"),
            "by the end of next month")
    _phrase(_words("к концу месяца", "до конца месяца", "в конце месяца", "к концу этого месяца",
                   "до конца этого месяца", "в этом месяце", "в течение месяца"), "by the end of this month")
    _phrase(_words("на этой неделе", "до конца недели", "к концу недели"), "this week")
    _phrase(_words("на следующей неделе", "на будущей неделе"), "next week")
    _phrase(_B + r"(?:через |в течение |за )?(?P<u>месяц|недел[юи]|год)[\s-]+(?:два|две|другой)" + _E,
            lambda m, t: f"a {_unit(m.group('u'))[:-1]} or two")
    _phrase(_words("через полгода", "в течение полугода", "за полгода", "в ближайшие полгода"), "within 6 months")
    _phrase(_words("через год", "в течение года"), "within a year")
    _phrase(_words("в ближайшие месяцы", "в ближайшие несколько месяцев", "в течение нескольких месяцев",
                   "в ближайшие пару месяцев"), "in the coming months")
    _phrase(_words("в ближайшие недели", "в ближайшие несколько недель", "в течение нескольких недель"),
            "over the next few weeks")
    _phrase(_words("как можно скорее", "как можно быстрее", "чем скорее, тем лучше", "чем быстрее, тем лучше",
                   "срочно", "немедленно", "прямо сейчас", "сразу же", "незамедлительно", "горит", "вчера", "асап",
                   "побыстрее", "поскорее"), "asap")
    _phrase(_words("сейчас", "уже сейчас"), "now")
    _phrase(_words("послезавтра"), "the day after tomorrow")
    _phrase(_words("сегодня"), "today")
    _phrase(_words("завтра"), "tomorrow")
    _phrase(_words("в ближайшее время", "в скором времени", "скоро", "вскоре", "на днях"), "soon")
    for prep, english in (("через", "in"), ("в течение", "within"), ("в ближайшие", "within the next"),
                          ("за", "within"), ("не позже чем через", "within"), ("максимум через", "within"),
                          ("в пределах", "within")):
        _phrase(_B + loose(prep) + rf"\s(?:(?:примерно|около|где-то)\s)?(?:{_RU_N}\s)?(?P<u>{_UNIT})" + _E,
                lambda m, t, e=english: f"{e} {_count(m.group('n') or '1')} {_unit(m.group('u'))}")
    ru_day_preps = {"до": "by", "к": "by", "не позднее": "by", "в": "on", "во": "on", "в следующий": "next",
                    "в следующую": "next", "в следующее": "next", "в этот": "this", "в эту": "this", "в это": "this"}
    dp = "|".join(loose(p) for p in sorted(ru_day_preps, key=len, reverse=True))
    _phrase(_B + rf"(?:(?P<prep>{dp})\s)?(?P<d>{'|'.join(_RU_DAYS)})\w*" + _E,
            lambda m, t: _day_phrase(ru_day_preps.get((m.group("prep") or "").lower(), ""),
                                     next(v for k, v in _RU_DAYS.items() if m.group("d").lower().startswith(k))))
    preps = "|".join(loose(p) for p in sorted(_RU_MONTH_PREPS, key=len, reverse=True))
    _phrase(_B + rf"(?:(?P<prep>{preps})\s)?(?:(?P<day>\d{{1,2}})(?:-?го)?\s)?{_RU_MONTH}{_RU_YEAR}" + _E,
            _ru_month_phrase)
    seasons = {"лет": "summer", "весн": "spring", "осен": "autumn", "зим": "winter"}
    season_re = r"(?P<s>лет(?:о|а|ом|у|е)|весн(?:а|ы|ой|у|е)|осен(?:ь|и|ью)|зим(?:а|ы|ой|у|е))"
    season_preps = {"к": "by", "до": "before", "после": "after", "следующей": "next", "следующим": "next",
                    "следующего": "next", "следующее": "next", "будущей": "next", "будущим": "next",
                    "этой": "this", "этим": "this", "этого": "this", "этим же": "this", "в": "in the", "на": "in the",
                    "до конца": "by", "к концу": "by", "не раньше": "not before", "не ранее": "not before"}
    sp = "|".join(loose(p) for p in sorted(season_preps, key=len, reverse=True))
    _phrase(_B + rf"(?:(?P<prep>{sp})\s)?{season_re}(?:\s(?P<year>20\d{{2}})(?:\s?(?:года|г\.?))?)?" + _E,
            lambda m, t: " ".join(p for p in (
                season_preps.get((m.group("prep") or "").lower(), "in the"),
                next(v for k, v in seasons.items() if m.group("s").lower().startswith(k)),
                m.group("year") or "") if p))
    _phrase(_B + r"(?P<prep>в|к|до|не позднее)\s(?P<year>20\d{2})\s?(?:года|году|г\.?)?" + _E,
            lambda m, t: {"в": "in", "к": "by", "до": "before", "не позднее": "by"}[m.group("prep").lower()]
            + " " + m.group("year"))
    # buying cues: "запустить в марте" is as clear as "launch in March"
    _phrase(_B + r"(?:запуст\w*|внедр\w*|куп(?:ить|им|ят|ила?)\w*|покупк\w*|закуп\w*|подключ\w*|начать|начнём|начнем"
            r"|старт\w*|заработа\w*|готов\w*|нужн[оа]|нужен|хотим|хотелось бы|планиру\w*|план\w*|сроки|срок)" + _E,
            "launch")


# == Norwegian Bokmål =====================================================================
_NB_MONTH_PREPS = {
    "innen utgangen av": "by the end of", "innen slutten av": "by the end of", "før utgangen av": "by the end of",
    "i løpet av": "by the end of", "i slutten av": "late", "på slutten av": "late", "sent i": "late",
    "seint i": "late", "ultimo": "late", "i begynnelsen av": "early", "i starten av": "early", "tidlig i": "early",
    "på begynnelsen av": "early", "primo": "early", "i midten av": "mid", "midt i": "mid", "medio": "mid",
    "ikke før": "not before", "tidligst i": "not before", "fra og med": "not before", "før": "before",
    "innen": "by", "senest i": "by", "senest": "by", "til": "by", "i": "in", "rundt": "around", "etter": "after",
}


def _nb() -> None:
    _table(r"[æøå]|\b(?:neste|innen|etter|uke\w*|uka|måned\w*|mnd|år\w*|kvartal\w*|halvår\w*|snart|straks|snarest"
           r"|umiddelbart|sommer\w*|vinter\w*|jul|nyttår|dag|dager|morgen|overmorgen|januar|februar|mars|mai|juni|juli"
           r"|august|april|september|oktober|november|desember|primo|medio|ultimo|første|andre|tredje|fjerde|kommende"
           r"|løpet|slutten|begynnelsen|starten|midten|utgangen|haster|tidlig|sent|seint|omgående|lansere|lansering|kjøpe"
           r"|klar|klart|starte|oppstart|trenger|ønsker|planlegger|frist|drift|mål|målet|ikke|mandag|tirsdag|onsdag|torsdag"
           r"|fredag|lørdag|søndag)\b")
    _phrase(_words("neste kvartal", "kommende kvartal", "i neste kvartal", "påfølgende kvartal"), "next quarter")
    _phrase(_words("innen utgangen av kvartalet", "innen slutten av kvartalet", "i løpet av kvartalet",
                   "før kvartalet er omme", "innen kvartalsslutt"), "by the end of this quarter")
    _phrase(_words("dette kvartalet", "i dette kvartalet", "inneværende kvartal"), "this quarter")
    ords = {"første": "1", "andre": "2", "tredje": "3", "fjerde": "4", "1.": "1", "2.": "2", "3.": "3", "4.": "4"}
    _phrase(_B + r"(?P<prep>innen|før|i)?\s?(?P<o>første|andre|tredje|fjerde|[1-4]\.)\s?kvartal(?:et)?"
            r"(?:\s(?P<rel>neste år|i år|(?P<year>20\d{2})))?" + _E,
            lambda m, t: " ".join(p for p in (
                {"innen": "by", "før": "before"}.get((m.group("prep") or "").lower(), "in"),
                "q" + ords[m.group("o").lower()],
                {"neste år": "next year", "i år": "this year"}.get((m.group("rel") or "").lower(), m.group("year") or ""))
                if p))
    _phrase(_B + r"(?:i\s)?(?P<o>første|andre|1\.|2\.)\s?halvår(?:et)?(?:\s(?P<rel>neste år|i år))?" + _E,
            lambda m, t: f"in the {'first' if m.group('o').lower() in ('første', '1.') else 'second'} half"
            + {"neste år": " of next year", "i år": " of this year"}.get((m.group("rel") or "").lower(), ""))
    _phrase(_words("neste regnskapsår", "i neste regnskapsår", "kommende regnskapsår"), "next fiscal year")
    _phrase(_words("ikke i år", "ikke dette året"), "not this year")
    _phrase(_words("innen påske", "før påske", "til påske"), "by Easter")
    _phrase(_words("etter påske"), "after Easter")
    _phrase(_words("rundt nyttår", "tidlig neste år", "i starten av neste år", "i begynnelsen av neste år", "tidlig på neste år",
                   "først på neste år", "på nyåret", "over nyttår", "etter nyttår", "etter jul", "etter julen",
                   "i det nye året"), "in the new year")
    _phrase(_words("midt på neste år", "i midten av neste år", "midten av neste år"), "mid next year")
    _phrase(_words("neste år", "til neste år", "neste året", "til året", "kommende år", "i løpet av neste år"),
            "next year")
    _phrase(_words("innen utgangen av året", "innen årsskiftet", "før årsskiftet", "innen nyttår", "før nyttår",
                   "før jul", "innen jul", "til jul", "i løpet av året", "i løpet av dette året", "i slutten av året",
                   "ved årsskiftet", "innen årets slutt"), "by the end of the year")
    _phrase(_words("i år", "dette året", "iløpet av året"), "this year")
    _phrase(_words("neste måned", "i neste måned", "neste mnd", "kommende måned"), "next month")
    _phrase(_words("innen utgangen av neste måned", "innen slutten av neste måned"), "by the end of next month")
    _phrase(_words("denne måneden", "i løpet av måneden", "innen utgangen av måneden", "innen slutten av måneden",
                   "i løpet av denne måneden", "innen månedsskiftet"), "by the end of this month")
    _phrase(_words("denne uka", "denne uken", "i løpet av uka", "i løpet av uken", "innen helga", "innen helgen"),
            "this week")
    _phrase(_words("neste uke", "neste uka", "i neste uke"), "next week")
    _phrase(_B + r"(?:om |innen |i løpet av )?(?:en|ett|ei) (?P<u>måned|uke|år) (?:eller|or) to" + _E,
            lambda m, t: f"a {_unit(m.group('u'))[:-1]} or two")
    _phrase(_words("om et halvt år", "innen et halvt år", "i løpet av et halvt år", "om et halvår",
                   "i løpet av et halvår", "innen et halvår"), "within 6 months")
    _phrase(_words("de kommende månedene", "de neste månedene", "i løpet av de neste månedene",
                   "i løpet av de kommende månedene", "i månedene som kommer"), "in the coming months")
    _phrase(_words("de kommende ukene", "de neste ukene", "i løpet av de neste ukene", "i løpet av noen uker"),
            "over the next few weeks")
    _phrase(_words("så fort som mulig", "så snart som mulig", "fortest mulig", "raskest mulig", "snarest",
                   "snarest mulig", "umiddelbart", "med en gang", "omgående", "straks", "i går", "nå med en gang",
                   "haster", "det haster"), "asap")
    _phrase(_words("nå"), "now")
    _phrase(_words("i overmorgen"), "the day after tomorrow")
    _phrase(_words("i dag"), "today")
    _phrase(_words("i morgen"), "tomorrow")
    _phrase(_words("snart", "om kort tid", "i nær fremtid", "innen kort tid", "ganske snart"), "soon")
    for prep, english in (("om", "in"), ("innen", "within"), ("i løpet av", "within"), ("i løpet av de neste", "within the next"),
                          ("de neste", "in the next"), ("innen de neste", "within the next"), ("senest om", "within")):
        _phrase(_B + loose(prep) + rf"\s(?:(?:ca\.?|cirka|omtrent|rundt)\s)?(?P<n>{_NUMBER})\s(?P<u>{_UNIT})" + _E,
                lambda m, t, e=english: f"{e} {_count(m.group('n'))} {_unit(m.group('u'))}")
    nb_day_preps = {"innen": "by", "til": "by", "før": "before", "på": "on", "neste": "next", "på neste": "next",
                    "denne": "this", "nå på": "this"}
    dp = "|".join(loose(p) for p in sorted(nb_day_preps, key=len, reverse=True))
    _phrase(_B + rf"(?:(?P<prep>{dp})\s)?(?P<d>{'|'.join(_NB_DAYS)})(?:en)?" + _E,
            lambda m, t: _day_phrase(nb_day_preps.get((m.group("prep") or "").lower(), ""), _NB_DAYS[m.group("d").lower()]))
    months = _alternation(_NB_MONTHS)
    preps = "|".join(loose(p) for p in sorted(_NB_MONTH_PREPS, key=len, reverse=True))
    _phrase(_B + rf"(?:(?P<prep>{preps})\s(?:(?P<day>\d{{1,2}})\.?\s)?|(?P<day2>\d{{1,2}})\.\s?)(?P<mon>{months})\.?"
            r"(?:\s(?P<year>20\d{2}))?" + _E,
            lambda m, t: " ".join(p for p in (
                _NB_MONTH_PREPS.get((m.group("prep") or "").lower(), ""), m.group("day") or m.group("day2") or "",
                _EN_MONTHS[_NB_MONTHS[m.group("mon").lower()]], m.group("year") or "") if p))
    seasons = {"sommer": "summer", "vår": "spring", "høst": "autumn", "vinter": "winter"}
    season_preps = {"innen": "by", "til": "by", "før": "before", "etter": "after", "over": "after", "neste": "next",
                    "til neste": "next", "i": "this", "denne": "this", "i løpet av": "by", "utpå": "in the",
                    "på": "in the", "ut": "by the end of"}
    sp = "|".join(loose(p) for p in sorted(season_preps, key=len, reverse=True))
    # the joint summer holiday, the three weeks of July most of Norway takes off
    _phrase(_words("etter fellesferien", "over fellesferien", "etter sommerferien", "over sommerferien"), "in August")
    _phrase(_words("før fellesferien", "før sommerferien"), "before July")
    # "vår" alone is "our" ("nettsiden vår"): spring only as "våren" or after a preposition ("til vår")
    _phrase(_B + rf"(?:(?P<prep>{sp})\s)?(?P<s>sommer|høst|vinter|(?(prep)vår|vår(?=en)))(?:en|er)?(?:\s(?P<year>20\d{{2}}))?" + _E,
            lambda m, t: " ".join(p for p in (
                season_preps.get((m.group("prep") or "").lower(), "in the"), seasons[m.group("s").lower()],
                m.group("year") or "") if p))
    _phrase(_B + r"(?:lansere|lansering|ta i bruk|på plass|i drift|kjøpe|kjøp|klar|klart|oppe og gå|starte|oppstart"
            r"|komme i gang|implementere|innføre|ønsker|trenger|planlegger|mål(?:et)?|frist)" + _E, "launch")


# == Malay ================================================================================
_MS_MONTH_PREPS = {
    "sebelum hujung": "by the end of", "sebelum akhir": "by the end of", "menjelang hujung": "by the end of",
    "menjelang akhir": "by the end of", "hujung": "end of", "akhir": "end of", "penghujung": "end of",
    "awal": "early", "permulaan": "early", "pertengahan": "mid", "sebelum": "before", "menjelang": "by",
    "selewat-lewatnya": "by", "paling lewat": "by", "tidak lewat dari": "by", "pada": "in", "dalam": "in",
    "bulan": "in", "selepas": "after", "lepas": "after", "tidak sebelum": "not before", "bermula": "not before",
    "mulai": "not before",
}


def _ms() -> None:
    _table(r"\b(?:depan|hadapan|suku|tahun|bulan|minggu|hari|sebelum|selepas|lepas|menjelang|hujung|akhir|awal|penghujung"
           r"|pertengahan|permulaan|dalam|lagi|segera|secepat\w*|sekarang|esok|besok|lusa|nanti|semalam|serta|januari"
           r"|februari|mac|april|mei|jun|julai|ogos|september|oktober|november|disember|separuh|setengah"
           r"|se(?:bulan|minggu|tahun|hari)|beberapa|cepat\w*|tak|tidak|kewangan|fiskal|bukan|bermula|mulai|pada"
           r"|selewat\w*|paling|kurang|lancar\w*|melancar\w*|beli|membeli|pembelian|mula\w*|memulakan|guna\w*|pasang"
           r"|siap|dilaksana\w*|laksana\w*|perlu\w*|mahu|nak|hendak|sasaran|rancang\w*|target|isnin|selasa|rabu|khamis"
           r"|jumaat|sabtu|ahad)\b")
    _phrase(_words("suku tahun depan", "suku tahun hadapan", "suku tahun seterusnya", "suku tahun berikutnya",
                   "suku depan", "suku seterusnya", "suku hadapan"), "next quarter")
    _phrase(_words("hujung suku tahun ini", "akhir suku tahun ini", "sebelum hujung suku tahun", "hujung suku tahun",
                   "akhir suku tahun", "hujung suku ini"), "by the end of this quarter")
    _phrase(_words("suku tahun ini", "suku ini", "suku semasa"), "this quarter")
    ords = {"pertama": "1", "kedua": "2", "ketiga": "3", "keempat": "4", "1": "1", "2": "2", "3": "3", "4": "4"}
    _phrase(_B + r"(?P<prep>sebelum|menjelang|pada|dalam)?\s?suku(?: tahun)?\s(?:ke-?)?(?P<o>pertama|kedua|ketiga|keempat|[1-4])"
            r"(?:\s(?:tahun\s)?(?P<rel>depan|hadapan|ini)|\s(?P<year>20\d{2}))?" + _E,
            lambda m, t: " ".join(p for p in (
                {"sebelum": "before", "menjelang": "by"}.get((m.group("prep") or "").lower(), "in"),
                "q" + ords[m.group("o").lower()],
                {"depan": "next year", "hadapan": "next year", "ini": "this year"}.get(
                    (m.group("rel") or "").lower(), m.group("year") or "")) if p))
    _phrase(_B + r"(?:pada\s)?(?:separuh|setengah)\s(?:tahun\s)?(?P<o>pertama|kedua)(?:\s(?:tahun\s)?(?P<rel>depan|hadapan|ini))?" + _E,
            lambda m, t: f"in the {'first' if m.group('o').lower() == 'pertama' else 'second'} half"
            + {"depan": " of next year", "hadapan": " of next year", "ini": " of this year"}.get(
                (m.group("rel") or "").lower(), ""))
    _phrase(_words("tahun kewangan depan", "tahun kewangan hadapan", "tahun fiskal depan"), "next fiscal year")
    _phrase(_words("bukan tahun ini"), "not this year")
    _phrase(_words("awal tahun depan", "awal tahun hadapan", "permulaan tahun depan", "selepas tahun baru"),
            "early next year")
    _phrase(_words("pertengahan tahun depan", "pertengahan tahun hadapan"), "mid next year")
    _phrase(_words("hujung tahun depan", "akhir tahun depan"), "by the end of next year")
    _phrase(_words("tahun depan", "tahun hadapan", "tahun berikutnya"), "next year")
    _phrase(_words("hujung tahun", "akhir tahun", "hujung tahun ini", "akhir tahun ini", "sebelum hujung tahun",
                   "sebelum akhir tahun", "sebelum tahun baru", "dalam tahun ini"), "by the end of the year")
    _phrase(_words("tahun ini"), "this year")
    _phrase(_words("hujung bulan depan", "akhir bulan depan"), "by the end of next month")
    _phrase(_words("awal bulan depan"), "early next month")
    _phrase(_words("bulan depan", "bulan hadapan", "bulan berikutnya"), "next month")
    _phrase(_words("hujung bulan", "akhir bulan", "hujung bulan ini", "akhir bulan ini", "bulan ini",
                   "sebelum hujung bulan"), "by the end of this month")
    _phrase(_words("minggu depan", "minggu hadapan"), "next week")
    _phrase(_words("minggu ini", "hujung minggu ini"), "this week")
    _phrase(_B + r"(?:dalam (?:masa )?)?se(?P<u>bulan|minggu|tahun) dua(?: (?:bulan|minggu|tahun))?(?: lagi)?" + _E,
            lambda m, t: f"a {_unit(m.group('u'))[:-1]} or two")
    _phrase(_words("dalam masa enam bulan", "dalam tempoh enam bulan", "setengah tahun", "separuh tahun",
                   "enam bulan lagi"), "within 6 months")
    _phrase(_words("dalam beberapa bulan lagi", "beberapa bulan lagi", "dalam beberapa bulan",
                   "dalam beberapa bulan akan datang", "beberapa bulan akan datang"), "in the coming months")
    _phrase(_words("dalam beberapa minggu", "beberapa minggu lagi", "dalam beberapa minggu lagi"),
            "over the next few weeks")
    _phrase(_words("secepat mungkin", "secepat yang mungkin", "secepat yang boleh", "secepat boleh", "cepat mungkin", "dengan segera", "segera", "secepatnya",
                   "sekarang juga", "serta-merta", "serta merta", "semalam", "cepat-cepat"), "asap")
    _phrase(_words("sekarang"), "now")
    _phrase(_words("lusa"), "the day after tomorrow")
    _phrase(_words("hari ini"), "today")
    _phrase(_words("esok", "besok"), "tomorrow")
    _phrase(_words("cepat2", "cepat-cepat", "secepatnya", "cepat sikit", "segera"), "asap")
    _phrase(_words("minggu ni", "minggu nih"), "this week")
    _phrase(_words("tidak lama lagi", "tak lama lagi", "dalam masa terdekat", "dalam waktu terdekat", "tak lama",
                   "dalam masa yang singkat", "nanti"), "soon")
    _phrase(_B + r"(?P<s>se)(?P<u>bulan|minggu|tahun|hari)(?:\slagi)?" + _E,
            # "dalam sebulan", "sebulan lagi"; "dalam 5k sebulan" is about 5k a month
            lambda m, t: f"in 1 {_unit(m.group('u'))}" if m.group(0).lower().endswith("lagi") or re.search(
                r"dalam(?:\s(?:masa|tempoh))?\s?$", m.string[max(0, m.start() - 16):m.start()], _I) else None)
    for prep, english in (("dalam masa", "in"), ("dalam tempoh", "within"), ("dalam", "in"),
                          ("tidak lebih", "within"), ("kurang dari", "within"), ("kurang daripada", "within")):
        _phrase(_B + loose(prep) + rf"\s(?:(?:lebih kurang|kira-kira|sekitar)\s)?(?P<n>{_NUMBER})\s(?P<u>{_UNIT})(?:\s(?:lagi|akan datang))?" + _E,
                lambda m, t, e=english: f"{e} {_count(m.group('n'))} {_unit(m.group('u'))}")
    _phrase(_B + rf"(?P<n>{_NUMBER})\s(?P<u>{_UNIT})\s(?:lagi|akan datang|dari sekarang)" + _E,
            lambda m, t: f"in {_count(m.group('n'))} {_unit(m.group('u'))}")
    _phrase(_B + r"(?P<s>se)(?P<u>bulan|minggu|tahun|hari)\s(?:lagi|akan datang)" + _E,
            lambda m, t: f"in 1 {_unit(m.group('u'))}")
    ms_day_preps = {"sebelum": "before", "menjelang": "by", "pada": "on", "pada hari": "on", "hari": "on",
                    "sebelum hari": "before", "menjelang hari": "by"}
    dp = "|".join(loose(p) for p in sorted(ms_day_preps, key=len, reverse=True))
    _phrase(_B + rf"(?:(?P<prep>{dp})\s)?(?P<d>{'|'.join(_MS_DAYS)})(?:\s(?P<rel>depan|ini))?" + _E,
            lambda m, t: _day_phrase("next" if (m.group("rel") or "").lower() == "depan" else "this" if m.group("rel")
                                     else ms_day_preps.get((m.group("prep") or "").lower(), ""), _MS_DAYS[m.group("d").lower()]))
    months = _alternation(_MS_MONTHS)
    preps = "|".join(loose(p) for p in sorted(_MS_MONTH_PREPS, key=len, reverse=True))
    _phrase(_B + rf"(?:(?P<prep>{preps})\s(?:bulan\s)?(?:(?P<day>\d{{1,2}})\s)?|(?P<day2>\d{{1,2}})\s(?!mac\b))(?P<mon>{months})"
            r"(?:\s(?P<year>20\d{2}))?" + _E,
            lambda m, t: " ".join(p for p in (
                _MS_MONTH_PREPS.get((m.group("prep") or "").lower(), ""), m.group("day") or m.group("day2") or "",
                _EN_MONTHS[_MS_MONTHS[m.group("mon").lower()]], m.group("year") or "") if p))
    _phrase(_B + r"(?:lancar\w*|melancar\w*|beli|membeli|pembelian|mula\w*|memulakan|guna\w*|pasang|siap|dilaksana\w*"
            r"|laksana\w*|perlu\w*|mahu|nak|hendak|sasaran|rancang\w*|target)" + _E, "launch")


# == Chinese ==============================================================================
_ZH_N = r"(?P<n>\d{1,3}|十[一二]?|[一二两三四五六七八九十几半])"
_ZH_MON = r"(?P<mon>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九十])"
# Lunar New Year (Spring Festival) dates: astronomical, so a table.
_SPRING_FESTIVAL = (date(2026, 2, 17), date(2027, 2, 6), date(2028, 1, 26), date(2029, 2, 13), date(2030, 2, 3),
                    date(2031, 1, 23), date(2032, 2, 11), date(2033, 1, 31), date(2034, 2, 19), date(2035, 2, 8),
                    date(2036, 1, 28))


def _zh_month(raw: str) -> int:
    return int(raw) if raw.isdigit() else _ZH_MONTH_NUMBERS[raw]


def _zh_year(prefix: str | None, today: date) -> str:
    if not prefix:
        return ""
    if prefix.endswith("年") and prefix[:-1].isdigit():
        return prefix[:-1]
    return str(today.year + {"今年": 0, "明年": 1, "后年": 2, "下一年": 1}.get(prefix, 0))


def _zh_month_phrase(m: re.Match[str], today: date) -> str:
    suffix = m.group("suf") or ""
    pre = m.group("pre") or ""
    day = m.group("day") or ""
    mod = ""
    if suffix.startswith(("底", "末")):
        mod = "by the end of" if suffix.endswith(("前", "之前", "以前")) else "end of"
    elif suffix.startswith(("初", "上旬")):
        mod = "early"
    elif suffix.startswith(("中旬", "中")):
        mod = "mid"
    elif suffix.startswith("下旬"):
        mod = "late"
    elif suffix in ("前", "之前", "以前"):
        mod = "by" if day else "before"
    elif suffix in ("后", "以后", "之后"):
        mod = "after"
    elif pre in ("到", "在", "于"):
        mod = "by" if pre == "到" else "in"
    else:
        mod = "in"
    month = _EN_MONTHS[_zh_month(m.group("mon"))]
    return " ".join(p for p in (mod, _zh_number(day), month, _zh_year(m.group("yr"), today)) if p)


def _zh_number(raw: str) -> str:
    if not raw or raw.isdigit():
        return raw
    if raw.startswith("二十") or raw.startswith("三十"):
        return str(10 * _ZH_MONTH_NUMBERS[raw[0]] + (_ZH_MONTH_NUMBERS.get(raw[2:], 0) if len(raw) > 2 else 0))
    if raw.startswith("十") and len(raw) == 2:
        return str(10 + _ZH_MONTH_NUMBERS[raw[1]])
    return str(_ZH_MONTH_NUMBERS.get(raw, raw))


def _spring_festival(m: re.Match[str], today: date) -> str | None:
    after = m.group(0).endswith(("后", "以后", "之后")) or m.group(0).startswith("过完")
    for day in _SPRING_FESTIVAL:
        end = day + timedelta(days=14)  # the Lantern Festival closes the season
        if (end if after else day) > today:
            return (end + timedelta(days=1)).isoformat() if after else (day - timedelta(days=1)).isoformat()
    return None


def _zh() -> None:
    _table(r"[\u4e00-\u9fff]")
    _phrase(r"(?:到|在|于)?下(?:个|一个|一)?季度(?:末|底)(?:前|之前)?", "by the end of next quarter")
    _phrase(r"(?:在|于)?下(?:个|一个|一)?季度", "next quarter")
    _phrase(r"(?:到|在)?(?:本|这个|这一?|当前)?季度(?:末|底)(?:前|之前)?", "by the end of this quarter")
    _phrase(r"(?:在|于)?(?:本|这个|这一?|当前)季度", "this quarter")
    _phrase(r"(?P<yr>今年|明年|后年|20\d{2}年)?(?:的)?第?(?P<q>[一二三四1-4])(?:个)?季度(?:末|底)?(?P<suf>前|之前|以前)?",
            lambda m, t: " ".join(p for p in ("before" if m.group("suf") else "by",
                                              "q" + str(_zh_month(m.group("q").replace("两", "二"))),
                                              _zh_year(m.group("yr"), t)) if p))
    _phrase(r"(?P<yr>今年|明年|后年|20\d{2}年)?(?P<h>上|下)半年",
            lambda m, t: f"in the {'first' if m.group('h') == '上' else 'second'} half"
            + (f" of {_zh_year(m.group('yr'), t)}" if m.group("yr") else " of this year" if m.group("h") == "上" else ""))
    _phrase(r"(?:下个|下一个|下一|新的|明年的?)财(?:政|务)?年(?:度)?", "next fiscal year")
    _phrase(r"(?:本|这个|今年的?)?财(?:政|务)?年(?:度)?(?:末|底|结束前)", "by the end of the fiscal year")
    _phrase(r"(?<!\d|[一二两三四五六七八九十几])(?:春节|过年|新年)(?:前|之前|以前)|(?<![\d一二两三四五六七八九十几多])年前(?!后)",
            _spring_festival)
    _phrase(r"(?:春节|过年|新年)(?:后|以后|之后)|过完年|(?<![\d一二两三四五六七八九十几多])年后", _spring_festival)
    _phrase(r"不是今年|今年不", "not this year")
    _phrase(r"明年(?:年)?初", "early next year")
    _phrase(r"明年(?:年)?中", "mid next year")
    _phrase(r"明年(?:年)?(?:底|末)", "by the end of next year")
    _phrase(r"(?<![\d一二两三四五六七八九十几半])(?:今年)?(?:年底|年末|年内)(?:前|之前)?|今年(?:之内|以内)|(?:在)?元旦(?:前|之前)|圣诞(?:节)?(?:前|之前)",
            "by the end of the year")
    _phrase(r"(?P<a>[一二三四五六七八九]|1[0-2]|[1-9])(?P<b>[二三四五六七八九十]|1[0-2]|[1-9])月份?",
            lambda m, t: f"{_EN_MONTHS[_zh_month(m.group('a'))]} or {_EN_MONTHS[_zh_month(m.group('b'))]}"
            if _zh_month(m.group("b")) == _zh_month(m.group("a")) + 1 else None)
    _phrase(rf"(?P<pre>到|在|于)?(?P<yr>今年|明年|后年|20\d{{2}}年)?{_ZH_MON}月份?(?:(?P<day>\d{{1,2}}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])(?:日|号))?"
            r"(?P<suf>底前|底之前|末前|底|末|初|上旬|中旬|中|下旬|前|之前|以前|后|以后|之后)?",
            _zh_month_phrase)
    _phrase(r"(?P<rel>下个?|这个?|本)?(?:周|星期|礼拜)(?P<d>[一二三四五六日天])(?P<suf>前|之前|以前)?",
            lambda m, t: _day_phrase("by" if m.group("suf") else "next" if (m.group("rel") or "").startswith("下")
                                     else "this" if m.group("rel") else "", _ZH_DAYS[m.group("d")]))
    _phrase(r"下下个?月", "the month after next")
    _phrase(r"一两个(?P<u>月|星期|礼拜)|一两(?P<u2>周|年)",
            lambda m, t: f"a {_unit(m.group('u') or m.group('u2'))[:-1]} or two")
    _phrase(r"(?P<a>[一两二三四五六七八九])(?P<b>[两二三四五六七八九十])个(?P<u>月|星期|礼拜)(?P<suf>内|之内|以内|后|以后)?",
            lambda m, t: ("within " if m.group("suf") and "内" in m.group("suf") else "in ")
            + f"{_count(m.group('a'))}-{_count(m.group('b'))} {_unit(m.group('u'))}")
    _phrase(r"下个?月(?:底|末)(?:前|之前)?", "by the end of next month")
    _phrase(r"下个?月初", "early next month")
    _phrase(r"下个?月", "next month")
    _phrase(r"(?:本月|这个月|这月)(?:底|末)?(?:前|之前)?|月(?:底|末)(?:前|之前)?", "by the end of this month")
    _phrase(r"(?:本周|这周|这个星期|这星期|这个礼拜|周末)(?:内|之内|前)?", "this week")
    _phrase(r"下(?:个)?(?:周|星期|礼拜)", "next week")
    seasons = {"春": "spring", "夏": "summer", "秋": "autumn", "冬": "winter"}
    _phrase(r"(?P<yr>今年|明年)?(?P<s>[春夏秋冬])(?:天|季)(?P<suf>前|之前|以前|后|以后|之后|底|末)?",
            lambda m, t: " ".join(p for p in (
                "before" if m.group("suf") in ("前", "之前", "以前") else "after the" if m.group("suf") in ("后", "以后", "之后")
                else "next" if m.group("yr") == "明年" else "this" if m.group("yr") == "今年" else "in the",
                seasons[m.group("s")]) if p))
    _phrase(r"明年", "next year")
    _phrase(r"今年", "this year")
    _phrase(r"半年(?:内|之内|以内)|半年(?:后|以后|之后)", "within 6 months")
    _phrase(r"(?:未来|接下来的?|今后)几个月|近几个月|几个月(?:内|之内)", "in the coming months")
    _phrase(r"(?:未来|接下来的?)几(?:周|个星期)|几(?:周|个星期)(?:内|之内)", "over the next few weeks")
    _phrase(r"(?:在|于)?(?:未来|接下来的?|今后)" + _ZH_N + r"(?P<u>个?工作日|天|个?星期|周|个?礼拜|个月|个?季度|年)(?:内|之内|以内)?",
            lambda m, t: f"in the next {_count(_zh_number(m.group('n')) if m.group('n') != '半' else '半')} {_unit(m.group('u'))}")
    _phrase(_ZH_N + r"(?P<u>个?工作日|天|个?星期|周|个?礼拜|个月|个?季度|年)(?P<suf>内|之内|以内|后|以后|之后)",
            lambda m, t: ("within " if "内" in m.group("suf") else "in ")
            + f"{_count(_zh_number(m.group('n')) if m.group('n') not in _NUMBERS else m.group('n'))} {_unit(m.group('u'))}")
    _phrase(r"国庆(?:节)?(?:前|之前)", lambda m, t: (date(t.year, 9, 30) if date(t.year, 9, 30) >= t
                                                 else date(t.year + 1, 9, 30)).isoformat())
    _phrase(r"(?P<n>[一两二三四五六七八九十]|\d{1,2})个?(?P<u>月|星期|礼拜|周)左右",
            lambda m, t: f"in about {_count(m.group('n'))} {_unit(m.group('u') if m.group('u') != '月' else '个月')}")
    _phrase(r"尽快|尽早|越快越好|越早越好|马上|立刻|立即|急需|很急|比较急|非常急|赶紧|现在就|今天就", "asap")
    _phrase(r"现在", "now")
    _phrase(r"后天", "the day after tomorrow")
    _phrase(r"今天", "today")
    _phrase(r"明天", "tomorrow")
    _phrase(r"很快|近期|最近|不久|短期内|过段时间|过一阵", "soon")
    _phrase(r"上线|启动|购买|采购|部署|实施|用上|投入使用|开始|落地|签约|需要|希望|计划|打算|目标", "launch")


# == Persian ==============================================================================
def _jalali_end(year: int, month: int) -> date:
    """The last day of a Jalali month, as a Gregorian date."""
    nxt = JalaliDate(year + (month == 12), month % 12 + 1, 1).to_gregorian()
    return nxt - timedelta(days=1)


def _jalali_month_date(month: int, mod: str, today: date, day: int | None, year: int | None) -> date:
    """The Gregorian date a Persian-calendar month phrase names (see the module's decisions)."""
    jtoday = JalaliDate(today)
    years = [year] if year else [jtoday.year, jtoday.year + 1]
    for y in years:
        start = JalaliDate(y, month, 1).to_gregorian()
        end = _jalali_end(y, month)
        if day:
            try:
                target = JalaliDate(y, month, day).to_gregorian()
            except ValueError:  # the 31st of a 30-day month: its last day
                target = _jalali_end(y, month)
            target = target - timedelta(days=1) if mod == "before" else target
        elif mod == "before":
            target = start - timedelta(days=1)
        elif mod == "early":
            target = start + timedelta(days=9)
        elif mod == "mid":
            target = start + timedelta(days=19)
        elif mod == "after":
            target = end + timedelta(days=1)
        elif mod == "from":
            target = start
        else:
            target = end
        if year or target >= today:
            return max(target, today) if not year else target
    return target


def _jalali_year_end(today: date, offset: int, mod: str = "") -> date:
    y = JalaliDate(today).year + offset
    if mod == "early":
        return _jalali_end(y, 3)
    if mod == "mid":
        return _jalali_end(y, 6)
    return _jalali_end(y, 12)


_FA_MONTH_PREPS = {
    "تا آخر": "end", "تا پایان": "end", "تا اواخر": "end", "قبل از پایان": "end", "قبل از آخر": "end", "آخر": "end",
    "پایان": "end", "اواخر": "end", "تا": "end", "حداکثر تا": "end", "نهایتا تا": "end", "نهایتاً تا": "end",
    "اوایل": "early", "اوائل": "early", "اول": "early", "ابتدای": "early", "اواسط": "mid", "وسط": "mid",
    "نیمه": "mid", "قبل از": "before", "پیش از": "before", "قبل": "before", "بعد از": "after", "پس از": "after",
    "بعد": "after", "از": "from", "نه قبل از": "from", "در": "in", "تو": "in", "توی": "in", "برای": "in",
}
_FA_EN_MODS = {"end": "by the end of", "early": "early", "mid": "mid", "before": "before", "after": "after",
               "from": "not before", "in": "in", "": "in"}


def _fa_month_phrase(m: re.Match[str], today: date) -> str | None:
    mod = _FA_MONTH_PREPS.get(re.sub(r"[\s\u200c]+", " ", m.group("prep") or "").strip(), "")
    day = int(m.group("day")) if m.group("day") else None
    year = int(m.group("year")) if m.group("year") else None
    word = m.group("mon")
    if not (mod or day or year or m.group("mah")) and (word in _JALALI_MONTHS or word in ("مه", "اوت")):
        return None  # "مهر" alone is also kindness, "تیر" an arrow, "مه" fog
    if word in _JALALI_MONTHS:
        if year is not None and year >= 1900:
            year = None
        target = _jalali_month_date(_JALALI_MONTHS[word], mod, today, day, year)
        return target.isoformat()
    month = _EN_MONTHS[_FA_GREGORIAN[word]]
    return " ".join(p for p in (_FA_EN_MODS.get(mod, "in"), str(day or ""), month, str(year or "")) if p)


def _fa() -> None:
    _table(r"[\u0600-\u06ff]")
    sal_e_ayande = ("سال بعد", "سال آینده", "سال دیگه", "سال دیگر", "سال بعدی", "سال جدید", "سال نو")
    _phrase(_words("سه ماهه بعد", "سه ماهه آینده", "سه ماهه بعدی", "فصل بعد", "فصل آینده", "فصل بعدی",
                   "سه‌ماهه‌ی بعد", "سه ماهه ی بعد", "کوارتر بعد"), "next quarter")
    _phrase(_words("تا آخر فصل", "تا پایان فصل", "تا آخر این فصل", "تا پایان سه ماهه", "تا آخر سه ماهه",
                   "پایان فصل", "آخر فصل"), "by the end of this quarter")
    _phrase(_words("همین فصل", "این فصل", "سه ماهه جاری", "فصل جاری"), "this quarter")
    _phrase(_words("سال مالی آینده", "سال مالی بعد", "سال مالی بعدی"),
            lambda m, t: _jalali_year_end(t, 1).isoformat())
    _phrase(_words("تا آخر سال مالی", "تا پایان سال مالی", "پایان سال مالی", "آخر سال مالی"),
            lambda m, t: _jalali_year_end(t, 0).isoformat())
    _phrase(_words("امسال نه", "نه امسال", "این سال نه"), lambda m, t: _jalali_year_end(t, 1).isoformat())
    _phrase(_B + r"(?P<mod>اوایل|اوائل|اول|ابتدای|اواسط|وسط|نیمه|اواخر|آخر|پایان|تا آخر|تا پایان)[\s\u200c]?(?:ی\s)?"
            + "(?:" + "|".join(loose(p) for p in sal_e_ayande) + ")" + _E,
            lambda m, t: _jalali_year_end(t, 1, {"اوایل": "early", "اوائل": "early", "اول": "early", "ابتدای": "early",
                                                 "اواسط": "mid", "وسط": "mid", "نیمه": "mid"}.get(
                m.group("mod"), "")).isoformat())
    _phrase(_words(*sal_e_ayande), lambda m, t: _jalali_year_end(t, 1).isoformat())
    _phrase(_words("تا آخر سال", "تا پایان سال", "تا آخر امسال", "تا پایان امسال", "آخر سال", "پایان سال",
                   "آخر امسال", "اواخر امسال", "قبل از عید", "تا عید", "قبل از نوروز", "تا نوروز", "پیش از عید",
                   "پیش از نوروز", "قبل از سال نو", "تا سال نو", "امسال", "همین امسال", "تو امسال", "در طول امسال"),
            lambda m, t: _jalali_year_end(t, 0).isoformat())
    _phrase(_words("بعد از عید", "بعد از نوروز", "پس از عید", "پس از نوروز", "بعد از تعطیلات نوروز",
                   "بعد از تعطیلات عید", "بعد عید"),
            lambda m, t: (JalaliDate(JalaliDate(t).year + 1, 1, 14).to_gregorian()
                          if JalaliDate(JalaliDate(t).year, 1, 14).to_gregorian() <= t
                          else JalaliDate(JalaliDate(t).year, 1, 14).to_gregorian()).isoformat())
    fa_n = rf"(?P<n>{_NUMBER})"
    fa_u = r"(?P<u>روز|هفته|ماه|سال)"
    _phrase(_B + r"(?:ظرف|طی|در عرض|در طول|تا|حداکثر تا|نهایتا تا|نهایتاً تا|در مدت|در)\s(?:مدت\s)?" + fa_n + r"\s" + fa_u
            + r"(?:[\s\u200c](?:آینده|دیگه|دیگر|بعد|آتی))?" + _E,
            lambda m, t: f"within {_count(m.group('n'))} {_unit(m.group('u'))}")
    _phrase(_B + fa_n + r"\s" + fa_u + r"[\s\u200c](?:دیگه|دیگر|بعد|آینده|آتی)" + _E,
            lambda m, t: f"in {_count(m.group('n'))} {_unit(m.group('u'))}")
    _phrase(_words("تا آخر ماه بعد", "تا پایان ماه بعد", "آخر ماه بعد", "تا آخر ماه آینده", "تا پایان ماه آینده"),
            "by the end of next month")
    _phrase(_words("ماه بعد", "ماه آینده", "ماه دیگه", "ماه دیگر", "ماه بعدی", "ماه پیش رو"), "next month")
    _phrase(_words("تا آخر ماه", "تا پایان ماه", "آخر ماه", "پایان ماه", "تا آخر همین ماه", "تا آخر این ماه",
                   "همین ماه", "این ماه", "تا پایان این ماه"), "by the end of this month")
    _phrase(_words("هفته بعد", "هفته آینده", "هفته دیگه", "هفته دیگر", "هفته بعدی"), "next week")
    _phrase(_words("همین هفته", "این هفته", "تا آخر هفته", "تا آخر این هفته"), "this week")
    _phrase(_words("شش ماه دیگه", "شش ماه دیگر", "ظرف شش ماه", "تا شش ماه", "طی شش ماه", "نیم سال", "شش ماه آینده"),
            "within 6 months")
    _phrase(_words("ماه‌های آینده", "چند ماه آینده", "چند ماه دیگه", "چند ماه دیگر", "طی چند ماه آینده",
                   "ظرف چند ماه", "تا چند ماه دیگه", "در ماه‌های آینده"), "in the coming months")
    _phrase(_words("چند هفته دیگه", "چند هفته دیگر", "چند هفته آینده", "ظرف چند هفته", "طی چند هفته"),
            "over the next few weeks")
    _phrase(_words("هر چه سریع‌تر", "هرچه سریعتر", "هر چه زودتر", "هرچه زودتر", "هر چی زودتر", "هرچی زودتر",
                   "هر چی سریع‌تر", "زودتر بهتر", "در اسرع وقت", "فوری", "فورا",
                   "فوراً", "همین الان", "سریعا", "سریعاً", "همین حالا", "دیروز", "خیلی فوریه", "عجله داریم",
                   "کار فوریه"), "asap")
    _phrase(_words("الان", "حالا"), "now")
    _phrase(_words("زودتر", "خیلی زود", "زود"), "soon")
    _phrase(_words("پس فردا", "پس‌فردا"), "the day after tomorrow")
    _phrase(_words("امروز"), "today")
    _phrase(_words("فردا"), "tomorrow")
    _phrase(_words("به زودی", "بزودی", "به‌زودی", "همین روزها", "به همین زودی", "در آینده نزدیک", "آینده نزدیک",
                   "یه کم دیگه", "کمی بعد"), "soon")
    fa_day_preps = {"تا": "by", "قبل از": "before", "پیش از": "before", "این": "this", "همین": "this", "روز": "on"}
    dp = "|".join(loose(p) for p in sorted(fa_day_preps, key=len, reverse=True))
    days = "|".join(loose(d) for d in sorted(_FA_DAYS, key=len, reverse=True))
    _phrase(_B + rf"(?:(?P<prep>{dp})\s)?(?P<d>{days})(?P<next>\s(?:بعد|آینده|دیگه|دیگر))?" + _E,
            lambda m, t: _day_phrase("next" if m.group("next") else fa_day_preps.get(
                re.sub(r"[\s\u200c]+", " ", m.group("prep") or ""), ""),
                _FA_DAYS.get(m.group("d"), _FA_DAYS.get(re.sub(r"[\s\u200c]", "", m.group("d")), 4))))
    months = "|".join(sorted(list(_JALALI_MONTHS) + list(_FA_GREGORIAN), key=len, reverse=True))
    preps = "|".join(loose(p) for p in sorted(_FA_MONTH_PREPS, key=len, reverse=True))
    _phrase(_B + rf"(?:(?P<prep>{preps})[\s\u200c](?:ماه\s)?)?(?:(?P<day>\d{{1,2}})(?:\s?ام|م)?\s)?(?P<mon>{months})"
            r"(?P<mah>\sماه)?(?:\s(?:سال\s)?(?P<year>1[34]\d{2}|20\d{2}))?" + _E,
            _fa_month_phrase)
    seasons = {"بهار": "spring", "تابستان": "summer", "تابستون": "summer", "پاییز": "autumn", "پائیز": "autumn",
               "زمستان": "winter", "زمستون": "winter"}
    season_preps = {"تا": "by", "قبل از": "before", "پیش از": "before", "بعد از": "after", "پس از": "after",
                    "در": "in the", "تو": "in the", "توی": "in the", "این": "this", "همین": "this", "اول": "early"}
    sp = "|".join(loose(p) for p in sorted(season_preps, key=len, reverse=True))
    _phrase(_B + rf"(?:(?P<prep>{sp})\s)?(?P<s>{'|'.join(seasons)})(?P<next>\s(?:سال\s)?(?:بعد|آینده|دیگه|دیگر))?" + _E,
            lambda m, t: "next " + seasons[m.group("s")] if m.group("next") else
            season_preps.get(re.sub(r"[\s\u200c]+", " ", m.group("prep") or ""), "in the") + " " + seasons[m.group("s")])
    _phrase(_B + r"(?:راه[\s\u200c]?اندازی|راه[\s\u200c]?بندازیم|بخریم|خرید|شروع|پیاده[\s\u200c]?سازی|نصب|آماده"
            r"|لازم|نیاز|می[\s\u200c]?خوایم|می[\s\u200c]?خواهیم|هدف|برنامه)" + _E, "launch")


# "Q3 или в следующем году": a choice between two times takes the later one, as in English.
_table(_B + r"(?:или|либо|eller|atau|یا)" + _E + r"|或者|或是|还是")
_phrase(_B + r"(?:или|либо|eller|atau|یا)" + _E + r"|或者|或是|还是", "or")
_ru()
_nb()
_ms()
_zh()
_fa()

# -- "no plans" and "not sure" in each language (read by the timeline parser with its own) --
NONE_WORDS = "|".join((
    # ru
    r"нет планов", r"пока нет планов", r"не планируем", r"пока не планируем", r"просто смотр\w+",
    r"просто интересу\w+", r"не покупаем", r"не собираемся покупать", r"никогда",
    r"(?:просто |пока )?изуча\w+ (?:рынок|варианты|вопрос|предложения)", r"(?:конкретных )?срок\w* (?:пока )?нет",
    r"(?:просто |пока )?собира\w+ информаци\w+",
    # nb
    r"ingen planer", r"har ingen planer", r"bare (?:ser|kikker)(?: rundt)?", r"ikke aktuelt", r"skal ikke kjøpe", r"aldri",
    r"(?:bare|kun) (?:undersøker|sjekker|kartlegger)", r"ser oss rundt", r"ingen (?:dato|tidsfrist|frist|tidsplan)(?: ennå)?",
    # ms
    r"tiada rancangan", r"tak ada rancangan", r"tidak ada rancangan", r"hanya (?:melihat|tengok)(?:-tengok)?",
    r"saja tengok(?:-tengok)?", r"tak (?:nak )?beli", r"tidak (?:akan )?membeli",
    r"(?:tengah|sedang|baru|masih) (?:survey|tinjau|meninjau|kaji|mengkaji|buat kajian)", r"(?:belum|tiada|tak) ada tarikh",
    # zh
    r"没有计划", r"暂无计划", r"暂时没有计划", r"只是看看", r"随便看看", r"不打算买", r"暂时不买", r"不买",
    r"先了解", r"收集资料", r"调研阶段", r"还没有时间(?:表|计划)", r"没有时间表",
    # fa
    loose("برنامه‌ای نداریم"), loose("فعلا برنامه‌ای نیست"), loose("فقط نگاه می‌کنم"), loose("فقط دارم نگاه می‌کنم"),
    loose("قصد خرید نداریم"), loose("فعلا قصد خرید نداریم"), loose("فقط کنجکاوم"),
    loose("دارم تحقیق می‌کنم"), loose("فقط تحقیق می‌کنم"), loose("داریم بررسی می‌کنیم"), loose("زمان مشخصی نداریم"),
    loose("فعلاً فقط دارم تحقیق می‌کنم"),
))
# Only what is about timing: "not sure" itself is in bot/parsing/reply_words.py (UNSURE).
UNKNOWN_WORDS = "|".join((
    r"не спешим", r"не торопимся", r"когда-нибудь", r"как получится", r"посмотрим", r"без сроков",
    r"ingen hast", r"ingen hastverk", r"en gang", r"(?:vi )?får se", r"etter hvert",
    r"tak tergesa(?:-gesa)?", r"tidak tergesa(?:-gesa)?", r"suatu hari nanti", r"tengoklah", r"bila-bila masa",
    r"不着急", r"不急", r"以后再说", r"随时", r"有空再说",
    loose("عجله‌ای نداریم"), loose("عجله نداریم"), loose("یه روزی"), loose("ببینیم"), loose("هر وقت"),
))


def month_answer(text: str) -> str:
    """A month said alone as the answer to "when?" ("اسفند", "Februari", "Mac", "januar") is that
    month: in prose the tables read a bare month name as something else ("مهر" is also kindness,
    "Mac" a computer, "mars" a planet)."""
    word = text.strip(" .!؟?،")
    if word in _JALALI_MONTHS:
        return f"{word} ماه"
    if word.lower() in _MS_MONTHS:
        return f"bulan {word}"
    if word.lower() in _NB_MONTHS:
        return f"i {word}"
    return text
