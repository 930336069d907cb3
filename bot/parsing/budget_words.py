"""How visitors say budgets in the bot's other languages: periods, bounds, ranges, "no budget"
and "not sure", in one table per phenomenon with a row per language.

bot/parsing/budget.py reads English with its own patterns and adds these (a message may mix
languages, so every language is always read). Each entry is a phrase or a regex fragment;
`alternation` bounds a phrase by letters of any script, except Chinese, which has no spaces
between words ("每月5万" says "monthly" right against the figure).

Languages: ru (Russian), nb (Norwegian Bokmål), fa (Persian, after clean_text has folded its
digits and Arabic-keyboard letters; a space in a phrase also matches a ZWNJ or nothing),
ms (Malay), zh (Simplified Chinese, with traditional forms where they differ).
"""
from __future__ import annotations

import re

__all__ = ["alternation", "PERIODS", "MAX_BEFORE", "MIN_BEFORE", "MAX_AFTER", "MIN_AFTER", "RANGE_TO",
           "RANGE_AND", "BETWEEN", "APPROX", "BUDGET_CUES", "NONE", "NONE_ANSWER", "NOT_A_LIMIT", "UNKNOWN",
           "NOT_MONEY_UNITS", "CURRENCY_WORDS", "UNIT_FACTORS"]

_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff]")


_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


def _fa(fragment: str) -> str:
    """A Persian fragment in which a space may be written as a ZWNJ, a space or nothing
    ("بودجه‌ای", "بودجه ای", "بودجهای"; as `bot.parsing.scripts.loose` reads phrases)."""
    if not _ARABIC_SCRIPT.search(fragment):
        return fragment
    return re.sub(r" \??", r"[\\s\\u200c]?", fragment)


def alternation(phrases: list[str]) -> str:
    """One regex alternative per phrase (regex fragments, longest first), each bounded by letters
    of any script unless it starts or ends with a Chinese character or a non-letter."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        plain = phrase.lstrip("(?:^\\")
        first, last = plain[:1], phrase.rstrip(")?$")[-1:]
        before = "" if _CJK.match(first) or not first.isalpha() else r"(?<![^\W\d_])(?<!\u200c)"
        after = "" if _CJK.match(last) or not last.isalpha() else r"(?![^\W\d_]|\u200c)"
        parts.append(f"{before}(?:{_fa(phrase)}){after}")
    return "|".join(parts)


# -- periods ---------------------------------------------------------------------------------------
PERIODS: dict[str, list[str]] = {
    "monthly": [
        # ru
        r"в месяц", r"в мес\.?", r"/ ?мес\.?", r"за месяц", r"ежемесячно", r"ежемесячный", r"помесячно", r"каждый месяц",
        r"в ме?сяц", r"месячный",
        # nb
        r"per måned", r"pr\.? ?måned", r"i måneden", r"pr\.? ?mnd\.?", r"per mnd\.?", r"/ ?mnd\.?", r"i mnd\.?",
        r"månedlig", r"hver måned", r"i md\.?", r"mnd\.?(?= *$)",
        # fa
        r"ماهانه", r"ماهیانه", r"در ماه", r"ماهی", r"هر ماه", r"در هر ماه",
        # ms
        r"sebulan", r"se bulan", r"setiap bulan", r"tiap bulan", r"per bulan", r"/ ?bulan", r"/ ?bln", r"bulanan",
        r"sebln",
        # zh
        r"每月", r"每个月", r"每個月", r"一个月(?!内|以内|之内)", r"一個月(?!內)", r"月付", r"/ ?月", r"包月", r"按月",
        r"月预算",
    ],
    "yearly": [
        r"в год", r"/ ?год", r"за год", r"ежегодно", r"ежегодный", r"годовой", r"годовых", r"каждый год", r"на год",
        r"per år", r"pr\.? ?år", r"i året", r"årlig", r"hvert år", r"/ ?år", r"i år(?= *$)",
        r"سالانه", r"سالیانه", r"در سال", r"سالی", r"هر سال",
        r"setahun", r"se tahun", r"setiap tahun", r"tiap tahun", r"per tahun", r"/ ?tahun", r"/ ?thn", r"tahunan",
        r"每年", r"一年(?!内|以内|之内)", r"年付", r"/ ?年", r"全年", r"按年", r"年度", r"(?<!明|今|去)年预算",
    ],
    "quarterly": [
        r"в квартал", r"ежеквартально", r"за квартал", r"per kvartal", r"i kvartalet", r"kvartalsvis",
        r"فصلی", r"سه ?ماهه", r"هر سه ?ماه", r"هر فصل", r"سه ?ماه یک ?بار", r"setiap suku tahun", r"suku tahunan", r"每季度?", r"每个季度", r"按季",
    ],
    "one_off": [
        r"разово", r"единоразово", r"одноразово", r"единовременно", r"разовый", r"разовая", r"за всё", r"за все",
        r"всего", r"в общей сложности", r"под ключ", r"за весь проект", r"на весь проект",
        r"engangs\w*", r"totalt", r"til sammen", r"samlet",
        r"for hele prosjektet", r"یکجا", r"یک ?جا", r"یکباره", r"یک ?بار(?! ?در)", r"کلا", r"در مجموع", r"مجموعا",
        r"(?:برای )?کل پروژه", r"کل کار",
        r"sekali bayar", r"sekali gus", r"sekaligus", r"bayaran sekali", r"secara pukal", r"keseluruhan", r"jumlah",
        r"一次性", r"总共", r"總共", r"一共", r"总价", r"買斷", r"买断", r"整个项目",
    ],
}

# -- bounds ------------------------------------------------------------------------------------------
MAX_BEFORE = [
    r"до", r"не больше", r"не более", r"не выше", r"максимум", r"макс\.?", r"в пределах", r"не дороже", r"меньше",
    r"менее", r"ниже", r"потолок", r"предел",
    r"opptil", r"inntil", r"maks\.?", r"maksimalt", r"maksimum", r"høyst", r"ikke mer enn", r"ikke over", r"under",
    r"mindre enn", r"innenfor",
    r"تا", r"تا سقف", r"سقف", r"سقف بودجه ?(?:‌?مون|‌?ام| ما)?", r"حداکثر", r"نهایتا", r"نهایتاً", r"نهایت", r"کمتر از", r"زیر", r"پایین ?تر از", r"حد ?اکثر",
    r"sehingga", r"hingga", r"sampai", r"maksimum", r"maks\.?", r"tidak lebih dari", r"tak lebih dari", r"tak lebih",
    r"kurang dari", r"bawah", r"di bawah", r"paling banyak", r"had",
    r"最多", r"不超过", r"不超過", r"最高", r"顶多", r"頂多", r"低于", r"少于", r"上限",
]
MIN_BEFORE = [
    r"от", r"не меньше", r"не менее", r"минимум", r"мин\.?", r"как минимум", r"больше", r"более", r"свыше", r"выше",
    r"от и выше",
    r"minst", r"minimum", r"over", r"mer enn", r"fra", r"i hvert fall", r"ikke under",
    r"حداقل", r"بیشتر از", r"بیش از", r"بالای", r"از", r"حد ?اقل",
    r"sekurang-kurangnya", r"sekurangnya", r"paling kurang", r"minimum", r"lebih dari", r"melebihi", r"atas", r"dari",
    r"至少", r"最少", r"最低", r"不少于", r"不低于", r"高于", r"多于",
]
MAX_AFTER = [
    r"максимум", r"макс\.?", r"не больше", r"не более", r"или меньше", r"и меньше", r"и ниже", r"потолок",
    r"maks\.?", r"maksimalt", r"eller mindre", r"og nedover", r"på det meste",
    r"به پایین", r"یا کمتر", r"حداکثر", r"نهایتا",
    r"maksimum", r"maks\.?", r"ke bawah", r"atau kurang", r"paling banyak",
    r"以内", r"以內", r"以下", r"之内", r"之內", r"封顶", r"封頂", r"内", r"內", r"最多", r"顶天",
]
MIN_AFTER = [
    r"и выше", r"и больше", r"и более", r"или больше", r"или более", r"минимум", r"как минимум", r"\+",
    r"og oppover", r"eller mer", r"eller mere", r"minimum", r"minst", r"og over",
    r"به بالا", r"یا بیشتر", r"حداقل", r"به بالاتر",
    r"ke atas", r"atau lebih", r"minimum", r"sekurang-kurangnya",
    r"以上", r"起", r"起步", r"至少", r"多",
]
# "от 50 до 80 тысяч", "fra 50 til 80 tusen", "۵۰ تا ۸۰ میلیون", "5 hingga 8 ribu", "5到8万".
RANGE_TO = [r"до", r"til", r"tot", r"تا", r"الی", r"hingga", r"sehingga", r"sampai", r"ke", r"到", r"至"]
# "between ... and": these join two figures only after a word for "between".
RANGE_AND = [r"и", r"og", r"و", r"dan", r"和", r"与", r"與"]
BETWEEN = [r"между", r"от", r"mellom", r"fra", r"بین", r"میان", r"antara", r"在", r"介于", r"介於"]
# Hedges that may stand between a bound and its figure ("не больше примерно 50 тысяч").
APPROX = [r"около", r"примерно", r"где-то", r"порядка", r"приблизительно", r"rundt", r"ca\.?", r"cirka",
          r"omtrent", r"omkring", r"حدود", r"تقریبا", r"حدودا", r"در حدود", r"sekitar", r"kira-kira", r"lebih kurang",
          r"dalam lingkungan", r"大概", r"大约", r"大約", r"差不多", r"约"]

# -- cues and statuses --------------------------------------------------------------------------------
# Words that make a figure money in a message that was not answering the budget question.
BUDGET_CUES = [
    r"бюджет\w*", r"потрат\w*", r"трат\w*", r"заплат\w*", r"плат\w*", r"вложи\w*", r"инвест\w*", r"стоимост\w*",
    r"выдели\w*", r"готовы (?:потратить|заплатить|отдать|вложить)",
    r"budsjett\w*", r"bruke", r"betale", r"investere", r"kostnad\w*", r"pris\w*", r"ramme\w*",
    r"بودجه\w*", r"هزینه\w*", r"پرداخت\w*", r"خرج\w*", r"سرمایه ?گذاری", r"قیمت",
    r"bajet\w*", r"belanja\w*", r"bayar\w*", r"peruntukan\w*", r"kos\w*", r"harga", r"labur\w*",
    r"预算", r"預算", r"花费", r"花費", r"费用", r"費用", r"付", r"投入", r"价格", r"價格", r"成本", r"花",
]
# An explicit "we have no budget".
NONE = [
    r"нет(?: никакого| пока| ещё| еще)? бюджета", r"бюджета(?: у нас| пока| ещё| еще)* нет", r"без бюджета",
    r"бюджет(?: у нас)? (?:нулевой|ноль)", r"денег(?: у нас| пока)* нет", r"нет денег", r"нисколько",
    r"бюджет(?: у нас)?(?: пока| ещё| еще)? не (?:выделял\w*|выделен\w*|заложен\w*|утвержд[её]н\w*|определ[её]н\w*)",
    r"budsjettet er ikke (?:satt|avklart|bestemt) ennå",
    r"bajet belum (?:diluluskan|disediakan|ditetapkan)", r"预算还没(?:批|定|申请)",
    r"بودجه(?:‌ای)? (?:هنوز )?(?:تصویب|تعیین) نشده",
    r"(?:har )?ikke (?:noe |et |noen )?budsjett", r"ingen budsjett", r"budsjettet er (?:null|0)", r"ingen penger",
    r"uten budsjett",
    r"بودجه ?ای ندار\w*", r"بودجه ندار\w*", r"هیچ بودجه ?ای", r"بودجه(?: ما)? صفر", r"بدون بودجه", r"پول ?ی? ندار\w*",
    r"بودجه ای نداریم",
    r"(?:tiada|tak ada|takde|tak de|tidak ada|belum ada|tiada apa-apa) bajet", r"bajet (?:tiada|kosong|sifar)",
    r"tanpa bajet", r"tak ada duit", r"tiada duit", r"tiada peruntukan",
    r"没有预算", r"没预算", r"沒有預算", r"沒預算", r"无预算", r"無預算", r"暂无预算", r"暫無預算", r"预算为零",
    r"预算是零", r"零预算", r"没钱", r"沒錢",
]
# A bare "nothing" in reply to the budget question.
NONE_ANSWER = [r"零", r"ничего", r"нисколько", r"нуль", r"ingenting", r"ingen", r"هیچ", r"هیچی", r"tiada", r"takde",
               r"tak ada", r"tidak ada", r"没有", r"沒有", r"无", r"無"]
# "No budget limit": flexible, but no figure (status unknown, never none).
NOT_A_LIMIT = [
    r"бюджет не ограничен", r"без ограничений", r"(?:деньги|бюджет) не проблема", r"не ограничены",
    r"ingen (?:øvre )?grense", r"budsjettet er ikke (?:et|noe) problem", r"penger er ikke (?:et|noe) problem",
    r"محدودیت(?: بودجه)? نداری\w*", r"بودجه(?: ما)? محدود نیست", r"بودجه مشکلی نیست", r"پول مهم نیست",
    r"tiada had", r"tak ada had", r"tidak ada had", r"bajet (?:bukan|tak jadi|tidak jadi) masalah", r"tanpa had",
    r"不限", r"没有上限", r"沒有上限", r"预算不是问题", r"預算不是問題", r"钱不是问题", r"錢不是問題",
]
# "Not sure", "don't know", "depends", "rather not say", "skip".
UNKNOWN = [
    r"не знаю", r"не уверен[аы]?", r"пока не знаю", r"сложно сказать", r"трудно сказать", r"затрудняюсь\w*",
    r"не определил\w*", r"не решил\w*", r"не решено", r"не определено", r"пока неизвестно", r"неизвестно",
    r"зависит\w*", r"по ситуации", r"не скажу", r"не хочу (?:говорить|называть|отвечать)", r"пропусти\w*",
    r"обсудим", r"надо обсудить", r"нужно обсудить", r"посмотрим", r"хз", r"без понятия", r"понятия не имею",
    r"vet ikke", r"veit ikke", r"usikker", r"ikke sikker", r"vanskelig å si", r"ikke bestemt", r"uavklart",
    r"kommer an på", r"avhenger\w*", r"vil ikke si", r"vil helst ikke si", r"hopp over", r"hoppe over", r"aner ikke",
    r"ikke avklart", r"må sjekke", r"ikke fastsatt",
    r"نمی ?دونم", r"نمی ?دانم", r"نمیدونم", r"مطمئن نیستم", r"معلوم نیست", r"مشخص نیست", r"هنوز مشخص نشده",
    r"بستگی دار\w*", r"بستگی به", r"ترجیح می ?دهم نگویم", r"نمی ?گم", r"نمی ?گویم", r"رد کن", r"بگذریم",
    r"هنوز تصمیم نگرفت\w*", r"ایده ?ای ندارم", r"فعلا نه", r"محرمانه",
    r"tak pasti", r"tidak pasti", r"tak tahu", r"tidak tahu", r"tak tau", r"tak tahu lagi", r"entah",
    r"belum (?:tahu|pasti|tentu|diputuskan|ditetapkan|decide)", r"bergantung\w*", r"tergantung\w*", r"rahsia",
    r"langkau", r"tak nak (?:beritahu|cakap)", r"tidak mahu (?:beritahu|berkongsi)", r"susah nak cakap",
    r"不知道", r"不确定", r"不確定", r"不清楚", r"还没定", r"還沒定", r"没想好", r"沒想好", r"看情况", r"看情況",
    r"不好说", r"不好說", r"说不好", r"說不好", r"保密", r"跳过", r"跳過", r"不方便(?:透露|说|說)", r"待定",
    r"还不确定", r"再说", r"再說", r"不一定",
]
# Counts and durations after a figure that is not money ("3 месяца", "50 ansatte", "۵۰ نفر", "3个月").
NOT_MONEY_UNITS = [
    r"месяц(?:а|ев)?", r"мес\.?", r"недел[ьяиюе]", r"недель", r"дн(?:я|ей)", r"день", r"год(?:а|у)?", r"лет",
    r"час(?:а|ов)?", r"минут\w*", r"человек\w*", r"чел\.?", r"сотрудник\w*", r"клиент\w*", r"пользовател\w*",
    r"шт\.?", r"штук\w*", r"раза?", r"процент\w*", r"лид(?:а|ов)?", r"заяв\w*", r"магазин\w*", r"филиал\w*",
    r"менеджер\w*", r"операторо?в?", r"сайт(?:а|ов)?",
    r"måned(?:er)?", r"mnd\.?", r"uker?", r"dager?", r"døgn", r"år", r"timer?", r"minutter?", r"ansatte", r"personer",
    r"folk", r"kunder", r"brukere", r"stk\.?", r"ganger", r"prosent", r"butikker", r"selgere", r"avdelinger",
    r"ماه", r"هفته", r"روز", r"سال", r"ساعت", r"دقیقه", r"نفر", r"کارمند\w*", r"مشتری\w*", r"کاربر\w*",
    r"عدد", r"بار", r"درصد", r"شعبه", r"فروشگاه",
    r"bulan", r"minggu", r"hari", r"tahun", r"jam", r"minit", r"orang", r"pekerja", r"staf", r"pelanggan",
    r"pengguna", r"kali", r"peratus", r"cawangan", r"kedai", r"unit",
    r"个月", r"個月", r"个", r"個", r"人", r"位", r"名", r"天", r"周", r"週", r"星期", r"年(?!薪|付|费|費)", r"月(?!付|费|費)",
    r"岁", r"歲", r"次", r"小时", r"小時", r"分钟", r"分鐘", r"号", r"號", r"点", r"點", r"家", r"%",
]
# Currency words CLDR does not write (slang and everyday forms), by ISO code.
CURRENCY_WORDS: dict[str, str] = {
    "руб": "RUB", "руб.": "RUB", "рубл.": "RUB", "р.": "RUB", "р": "RUB", "рэ": "RUB", "деревянных": "RUB",
    "т.р.": "RUB", "т.р": "RUB", "тр": "RUB", "тыс.руб.": "RUB", "тыс.руб": "RUB",
    "бакс": "USD", "бакса": "USD", "баксов": "USD", "долл.": "USD", "евриков": "EUR",
    # the cases CLDR leaves out: "в рублях", "рублями", "в долларах", "в юанях"
    "рублях": "RUB", "рублям": "RUB", "рублями": "RUB", "долларах": "USD", "долларам": "USD", "долларами": "USD",
    "юанях": "CNY", "юанями": "CNY",
    "nkr": "NOK",
    "تومان": "IRR", "تومن": "IRR", "تومانه": "IRR", "تومنه": "IRR", "toman": "IRR", "tomans": "IRR", "ریال": "IRR",
    "ریاله": "IRR",
    "元": "CNY", "块": "CNY", "塊": "CNY", "块钱": "CNY", "塊錢": "CNY", "人民币": "CNY", "人民幣": "CNY",
    "rmb": "CNY", "元人民币": "CNY", "美金": "USD", "美元": "USD",
}
# A unit worth several of its currency's: a toman is 10 rials (prices in Iran are said in toman).
# "50 т.р." is fifty thousand roubles.
UNIT_FACTORS: dict[str, float] = {"تومان": 10.0, "تومن": 10.0, "تومانه": 10.0, "تومنه": 10.0, "toman": 10.0, "tomans": 10.0,
                                  "т.р.": 1000.0, "т.р": 1000.0, "тр": 1000.0, "тыс.руб.": 1000.0, "тыс.руб": 1000.0}
