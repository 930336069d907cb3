"""Number words of the languages the bot speaks besides English, as tables the number reader's
one grammar uses (bot/parsing/numbers.py): "пятьдесят тысяч", "to hundre og femti tusen",
"پنجاه و پنج میلیون", "dua ratus lima puluh ribu", "полтора миллиона", "sejuta".

One table per language (Russian, Norwegian Bokmål, Persian, Malay); Chinese numerals are
written as digits before the reader sees them (bot/parsing/numerals.py). The tables are merged:
a message may mix languages, and no number word of one language means another number in
another. A word that is also an everyday word elsewhere ("to", "fire", "ni" in English, "نه"
"no" in Persian) counts only with a scale after it ("to tusen"): `NEEDS_SCALE`.

Why not a library: number-parser reads Russian only of these, and no library found reads
Norwegian, Persian and Malay number words; CLDR's spell-out rules (Babel) only format.
"""
from __future__ import annotations

__all__ = ["ARTICLES", "CONNECTORS", "HALF", "HUNDREDS", "NEEDS_SCALE", "PLUS_TEN", "SCALE_WORDS",
           "SCALED_LEADS", "TEENS", "TENS", "TIMES_TEN", "UNITS", "VAGUE"]


def _persian_spellings(words: dict[str, float]) -> dict[str, float]:
    """Persian words also as typed on an Arabic keyboard (ي for ی, ك for ک)."""
    out = dict(words)
    for word, value in words.items():
        out.setdefault(word.replace("ی", "ي").replace("ک", "ك"), value)
    return out


# -- Russian ------------------------------------------------------------------------------------
_RU_UNITS = {"ноль": 0, "один": 1, "одна": 1, "одно": 1, "одну": 1, "два": 2, "две": 2, "три": 3, "четыре": 4,
             "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9}
_RU_TEENS = {"десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14,
             "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19}
_RU_TENS = {"двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70,
            "восемьдесят": 80, "девяносто": 90}
_RU_HUNDREDS = {"сто": 100, "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500, "шестьсот": 600,
                "семьсот": 700, "восемьсот": 800, "девятьсот": 900}
_RU_SCALES = {
    **dict.fromkeys(("тыс", "тысяча", "тысячи", "тысяч", "тысячу", "тыща", "тыщи", "тыщ", "тыщу", "к",
                     "косарь", "косаря", "косарей"), 1e3),
    **dict.fromkeys(("млн", "миллион", "миллиона", "миллионов", "лям", "ляма", "лямов", "лимон", "лимона",
                     "лимонов"), 1e6),
    **dict.fromkeys(("млрд", "миллиард", "миллиарда", "миллиардов", "ярд", "ярда", "ярдов"), 1e9),
}
_RU_VAGUE = {"полтора": 1.5, "полторы": 1.5, "полутора": 1.5, "пол": 0.5, "пара": 2.0, "пару": 2.0, "пары": 2.0}
_RU_SCALED = {"тысяча": 1e3, "тысячу": 1e3, "тысячи": 1e3, "миллиона": 1e6, "миллиарда": 1e9, "тыща": 1e3, "тыщу": 1e3, "косарь": 1e3, "миллион": 1e6,
              "лям": 1e6, "лимон": 1e6, "миллиард": 1e9, "полтысячи": 5e2, "полмиллиона": 5e5,
              "полляма": 5e5, "полмиллиарда": 5e8, "полумиллиона": 5e5, "полумиллиону": 5e5,
              "полутысячи": 5e2, "полумиллиарда": 5e8}

# -- Norwegian Bokmål ---------------------------------------------------------------------------
_NB_UNITS = {"to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "sju": 7, "syv": 7, "åtte": 8, "ni": 9}
_NB_TEENS = {"ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14, "femten": 15, "seksten": 16,
             "sytten": 17, "atten": 18, "nitten": 19}
_NB_TENS = {"tjue": 20, "tyve": 20, "tretti": 30, "tredve": 30, "førti": 40, "femti": 50, "seksti": 60,
            "sytti": 70, "åtti": 80, "nitti": 90}
_NB_ONE = {"en": 1, "ett": 1, "én": 1}
# Written as one word: "tjuefem" (25), "tohundre" (200), "femtitusen" (50,000).
_NB_COMPOUND_UNITS = {tens + unit: t + u for tens, t in _NB_TENS.items()
                      for unit, u in {**_NB_ONE, **_NB_UNITS}.items() if unit != "ett"}
_NB_HUNDREDS = {"hundre": 100, **{unit + "hundre": u * 100 for unit, u in {**_NB_ONE, **_NB_UNITS}.items()}}
_NB_SCALED = {word + "tusen": v * 1e3 for word, v in
              {**_NB_ONE, **_NB_UNITS, **_NB_TEENS, **_NB_TENS, **_NB_COMPOUND_UNITS, **_NB_HUNDREDS}.items()}
_NB_SCALES = {"hundre": 100, "tusen": 1e3, "mill": 1e6, "mln": 1e6, "millioner": 1e6, "millionar": 1e6,
              "mrd": 1e9, "milliard": 1e9, "milliarder": 1e9}
_NB_VAGUE = {"halv": 0.5, "halvannen": 1.5, "halvannet": 1.5, "par": 2.0}

# -- Persian --------------------------------------------------------------------------------------
_FA_UNITS = _persian_spellings({"صفر": 0, "یک": 1, "یه": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6,
                                "شیش": 6, "هفت": 7, "هشت": 8, "نه": 9})
_FA_TEENS = _persian_spellings({"ده": 10, "یازده": 11, "دوازده": 12, "سیزده": 13, "چهارده": 14, "پانزده": 15,
                                "پونزده": 15, "شانزده": 16, "شونزده": 16, "هفده": 17, "هیفده": 17, "هجده": 18,
                                "هیجده": 18, "نوزده": 19})
_FA_TENS = _persian_spellings({"بیست": 20, "سی": 30, "چهل": 40, "پنجاه": 50, "شصت": 60, "هفتاد": 70,
                               "هشتاد": 80, "نود": 90})
_FA_HUNDREDS = _persian_spellings({"صد": 100, "یکصد": 100, "دویست": 200, "سیصد": 300, "چهارصد": 400,
                                   "پانصد": 500, "پونصد": 500, "ششصد": 600, "هفتصد": 700, "هشتصد": 800,
                                   "نهصد": 900})
_FA_SCALES = _persian_spellings({"صد": 100, "هزار": 1e3, "میلیون": 1e6, "ملیون": 1e6, "میلیارد": 1e9,
                                 "ملیارد": 1e9, "میلیونه": 1e6, "میلیارده": 1e9})  # "۴۰ میلیونه": it's 40 million
_FA_SCALED = _persian_spellings({"هزار": 1e3})

# -- Malay ----------------------------------------------------------------------------------------
_MS_UNITS = {"kosong": 0, "sifar": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6,
             "tujuh": 7, "lapan": 8, "delapan": 8, "sembilan": 9}
_MS_TEENS = {"sepuluh": 10, "sebelas": 11}
_MS_HUNDREDS = {"seratus": 100}
_MS_SCALES = {"ratus": 100, "ribu": 1e3, "rb": 1e3, "juta": 1e6, "jt": 1e6, "bilion": 1e9}
_MS_SCALED = {"seribu": 1e3, "sejuta": 1e6, "sebilion": 1e9}
_MS_VAGUE = {"setengah": 0.5, "separuh": 0.5}

# -- merged, for the grammar ----------------------------------------------------------------------
UNITS: dict[str, float] = {**_RU_UNITS, **_NB_UNITS, **_NB_COMPOUND_UNITS, **_FA_UNITS, **_MS_UNITS}
TEENS: dict[str, float] = {**_RU_TEENS, **_NB_TEENS, **_FA_TEENS, **_MS_TEENS}
TENS: dict[str, float] = {**_RU_TENS, **_NB_TENS, **_FA_TENS}
# Words worth hundreds that start a number ("двести", "hundre", "دویست", "seratus").
HUNDREDS: dict[str, float] = {**_RU_HUNDREDS, **_NB_HUNDREDS, **_FA_HUNDREDS, **_MS_HUNDREDS}
# Scale words after a figure ("50 тысяч", "2 mill", "۵۰ میلیون", "50 ribu", "5 万").
SCALE_WORDS: dict[str, float] = {**_RU_SCALES, **_NB_SCALES, **_FA_SCALES, **_MS_SCALES,
                                 "百": 100, "千": 1e3, "万": 1e4, "亿": 1e8}
# One word that is a whole scaled number ("тысяча", "sejuta", "femtitusen", "полмиллиона").
SCALED_LEADS: dict[str, float] = {**_RU_SCALED, **_NB_SCALED, **_FA_SCALED, **_MS_SCALED}
VAGUE: dict[str, float] = {**_RU_VAGUE, **_NB_VAGUE, "نیم": 0.5, **_MS_VAGUE}
# Like "a" in "a million": one, but only before a scale ("en million", "et par tusen").
ARTICLES = frozenset(("en", "ett", "et", "én"))
# Like "and" in "two hundred and fifty" ("hundre og femti", "پنجاه و پنج").
CONNECTORS = frozenset(("og", "و"))
HALF = frozenset(("نیم",))  # "یک و نیم میلیون": one and a half million
TIMES_TEN = frozenset(("puluh",))  # Malay "lima puluh" = 50
PLUS_TEN = frozenset(("belas",))  # Malay "dua belas" = 12
NEEDS_SCALE = frozenset(("to", "fire", "ni", "ti", "نه", "سی", "ده", "یه", "par", "пара", "пару", "пары"))
