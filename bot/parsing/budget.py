"""Read a budget from what the visitor typed: "$12k", "between 10 and 20k a year", "no budget".

`parse_budget(text, answering=True)` is for the reply to the budget question: a bare
figure is the budget and "not sure" is an answer. `answering=False` scans any message (a
loaded opener, a correction) and only reads money where the visitor signalled money.

Decisions, so every caller gets the same answer:
- Currency only when explicit: a symbol, an ISO code or a currency word next to the figure,
  or failing that exactly one currency named anywhere in the message ("20k, in euros").
  "25k" has currency None. "C$", "A$", "NZ$", "S$", "HK$", "MX$", "R$" name their own
  dollar/real; "bucks" and "dollars" are USD, "quid" and "pounds" GBP, "yen" JPY (CN¥/RMB/
  yuan are CNY). A symbol several countries write for their own money ("$", "kr", "¥",
  "Rs", "Br") gives its common reading (USD, SEK, JPY, INR, BYN) and every reading in
  `currency_options`: the caller settles it by country (bot/extraction.py) or asks.
- A single figure has min == max; "about/around/~/-ish" keep it so. "up to 9k" is max only,
  "9k+" / "at least 9k" min only. In a range a bare lower end takes the upper end's scale
  when that keeps the range ordered ("1-1.5k" = 1000-1500, "500-2k" = 500-2000).
- Period only when stated near the figure; otherwise None (the scorer says so).
- 0 ("$0", "zero") is status "none", as are "no budget", "nothing allocated" and the like.
  "No budget limit" / "money is no object" is "unknown" (no figure), never "none".
- Not money: times ("at 9:30", "9pm"), dates ("15 June", "15/06", "Q3"), years (see
  `_is_year`), durations and counts ("6 weeks", "50 employees", "200 leads a month",
  "24/7"), percentages, phone numbers, e-mail addresses, URLs.
- Spelled-out numbers need a scale or a currency ("twenty-five thousand", "fifty dollars");
  a lone "two" or "one" (as in "one-off") is not a budget.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from bot.answers import Budget, BudgetPeriod
from bot.parsing import budget_words as local
from bot.parsing.numbers import Amount, find_amounts
from bot.parsing.numerals import ascii_numerals
from bot.parsing.currencies import (code_names, local_names, symbol_casing, symbol_readings, symbols, unit_names,
                                    word_like_codes)
from bot.parsing.replies import CORRECTION, DONT_KNOW, NOT_HOW_TO, UNSURE
from bot.parsing.spoken import written
from bot.parsing.text import clean_text

__all__ = ["currency_alone", "parse_budget"]

# Work bounds for pasted essays and logs: a budget is stated within the first 20,000
# characters and 400 numbers of a message or not at all. Keeps every call well under 1 s.
_SCAN_CHARS = 20_000
_MAX_AMOUNTS = 400

_I = re.IGNORECASE

# -- currencies ---------------------------------------------------------------------------
# Written before the figure ("$12k", "CHF 12'000", "A$ 30k").
_PREFIX_CURRENCIES: dict[str, str] = {
    "us$": "USD", "u.s.$": "USD", "usd": "USD", "$": "USD",
    "c$": "CAD", "ca$": "CAD", "can$": "CAD", "cad": "CAD",
    "a$": "AUD", "au$": "AUD", "aud": "AUD",
    "nz$": "NZD", "nzd": "NZD",
    "s$": "SGD", "sgd": "SGD", "hk$": "HKD", "hkd": "HKD", "mx$": "MXN", "mxn": "MXN",
    "r$": "BRL", "brl": "BRL",
    "€": "EUR", "eur": "EUR",
    "£": "GBP", "gbp": "GBP",
    "₹": "INR", "rs.": "INR", "rs": "INR", "inr": "INR",
    "cn¥": "CNY", "rmb": "CNY", "cny": "CNY", "¥": "JPY", "jpy": "JPY",
    "chf": "CHF", "sfr.": "CHF", "fr.": "CHF",
    "sek": "SEK", "nok": "NOK", "dkk": "DKK", "pln": "PLN", "zar": "ZAR",
    "₩": "KRW", "krw": "KRW",
}
# Written after the figure ("8.500 EUR", "900 bucks", "15 thousand pounds").
_SUFFIX_CURRENCIES: dict[str, str] = {
    "usd": "USD", "us dollars": "USD", "us dollar": "USD", "dollars": "USD", "dollar": "USD",
    "bucks": "USD", "$": "USD",
    "canadian dollars": "CAD", "cad": "CAD", "australian dollars": "AUD", "aussie dollars": "AUD",
    "aud": "AUD", "nz dollars": "NZD", "new zealand dollars": "NZD", "nzd": "NZD",
    "singapore dollars": "SGD", "sgd": "SGD", "hong kong dollars": "HKD", "hkd": "HKD",
    "eur": "EUR", "euros": "EUR", "euro": "EUR", "€": "EUR",
    "gbp": "GBP", "pounds sterling": "GBP", "pounds": "GBP", "pound": "GBP", "quid": "GBP",
    "sterling": "GBP", "£": "GBP",
    "inr": "INR", "rupees": "INR", "rupee": "INR", "rs": "INR", "₹": "INR",
    "jpy": "JPY", "yen": "JPY", "¥": "JPY",
    "chf": "CHF", "swiss francs": "CHF", "swiss franc": "CHF", "francs": "CHF", "fr.": "CHF",
    "sek": "SEK", "swedish krona": "SEK", "swedish kronor": "SEK", "nok": "NOK",
    "norwegian krone": "NOK", "dkk": "DKK", "danish krone": "DKK",
    "pln": "PLN", "zloty": "PLN", "złoty": "PLN", "zł": "PLN",
    "brl": "BRL", "reais": "BRL", "mxn": "MXN", "mexican pesos": "MXN",
    "zar": "ZAR", "rand": "ZAR", "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "krw": "KRW",
}
# Then every other currency in use (bot/parsing/currencies.py): codes before or after the
# figure ("AED 20k", "50 million VND"), names and unit words after it ("300,000 baht"), and
# the symbols CLDR writes in any locale ("KSh", "RD$", "د.إ", "ብር"). Here only what CLDR
# lacks, and the common reading of a symbol several countries share ("kr" is SEK unless the
# visitor's country says otherwise). "R15 000" is the South African rand ("R$" stays the real).
_SYMBOLS = {"원": "KRW", "円": "JPY", "руб.": "RUB", "руб": "RUB", "р.": "RUB", "р": "RUB", "грн": "UAH",
            "грн.": "UAH", "лв": "BGN", "лв.": "BGN", "tl": "TRY", "br": "BYN", "تومان": "IRR", "j$": "JMD",
            "₵": "GHS", "kd": "KWD", "₨": "INR", "kr": "SEK", "kr.": "DKK", "lei": "RON", "sar": "SAR",
            "qar": "QAR", "đ": "VND", "vnđ": "VND", "e£": "EGP", "₤": "GBP", "r": "ZAR", "rm": "MYR", "rp": "IDR",
            "tt$": "TTD", "$u": "UYU", "₣": "CHF", "ريال": "SAR"}
# Shared written forms CLDR does not list: every currency they can mean, the common one first.
_MORE_READINGS = {"ريال": ("SAR", "IRR", "OMR", "QAR", "YER"), "cfa": ("XOF", "XAF"), "ld": ("LYD", "LRD"), "₣": ("CHF", "XOF", "XAF", "XPF", "RWF"), "₨": ("INR", "PKR", "LKR", "NPR", "MUR", "SCR"),
                  "rs": ("INR", "PKR", "LKR", "NPR", "MUR", "SCR")}
# Short letter forms CLDR lacks, matched only in capitals like the CLDR ones below.
_SHORT_SYMBOLS = {"ZK": "ZMW", "CFA": "XOF", "LD": "LYD"}
# CLDR symbols that are also scale letters, units or words beside a figure ("5 k", "61 L",
# "20 m"): never a currency here. Other one- or two-letter symbols count only as CLDR cases
# them ("VT", "Db").
_NOT_SYMBOLS = {"k", "m", "b", "l", "mm", "mn", "bn", "cr", "\u200b"}


def _usable_symbol(written: str) -> bool:
    letters = written.rstrip(".")
    return written not in _NOT_SYMBOLS and not (letters.isascii() and letters.isalpha() and len(letters) < 2)


_CLDR_SYMBOLS = {w: readings[0] for w, readings in symbols().items() if _usable_symbol(w)}
# What we name by hand means that currency ("C$" is the Canadian dollar, though Nicaragua
# writes it too), except the symbols several large countries write for their own money.
_HAND_NAMED = {*_PREFIX_CURRENCIES, *_SUFFIX_CURRENCIES, *_SYMBOLS} - {"$", "kr", "kr.", "¥", "rs", "rs.", "br", "₨", "ريال"}
# Short letter symbols only CLDR knows match only in its casing: "500 VT" is vatu, "500 vt" is not.
_CASED = {w: symbol_casing(w) for w in _CLDR_SYMBOLS
          if w.rstrip(".").isascii() and w.rstrip(".").isalpha() and len(w.rstrip(".")) == 2
          and w not in _SYMBOLS and w not in _PREFIX_CURRENCIES and w not in _SUFFIX_CURRENCIES}
_CASED.update({w.lower(): (w,) for w in _SHORT_SYMBOLS})
_CLDR_SYMBOLS.update({w.lower(): code for w, code in _SHORT_SYMBOLS.items()})
_PREFIX_CURRENCIES.update({k: v for k, v in {**_CLDR_SYMBOLS, **_SYMBOLS, **{c.lower(): c for c in code_names().values()}}.items()
                           if k not in _PREFIX_CURRENCIES})
_SUFFIX_CURRENCIES.update({k: v for k, v in {**_CLDR_SYMBOLS, **_SYMBOLS}.items()
                           if k not in _SUFFIX_CURRENCIES and k not in ("r", "rm", "rp")})
_SUFFIX_CURRENCIES.update({k: v for k, v in {**code_names(), **unit_names()}.items() if k not in _SUFFIX_CURRENCIES})
# The bot's other languages: everyday words ("руб.", "тыс. руб.", "块", "تومان") and CLDR's names
# in Russian, Norwegian, Persian, Malay and Chinese ("рублей", "norske kroner", "ringgit", "人民币");
# Chinese names are written before the figure too ("人民币5万").
_SUFFIX_CURRENCIES.update({k: v for k, v in local.CURRENCY_WORDS.items() if k not in _SUFFIX_CURRENCIES})
# A local unit word several currencies share ("кроны") has them all as readings, unless English
# already names it ("kroner" is the Norwegian krone, as "dollars" is USD).
_LOCAL_READINGS = {k: v for k, v in local_names().items() if k not in _SUFFIX_CURRENCIES and len(v) > 1}
_SUFFIX_CURRENCIES.update({k: v[0] for k, v in local_names().items() if k not in _SUFFIX_CURRENCIES})
_PREFIX_CURRENCIES.update({k: v[0] for k, v in {**{w: (c,) for w, c in local.CURRENCY_WORDS.items()}, **local_names()}.items()
                           if k[0] >= "\u3000" and k not in _PREFIX_CURRENCIES})
_WORD_LIKE = word_like_codes()
# Lakh and crore are South Asian numbering: such a figure is in rupees unless a currency is named.
# "$", "kr" and "¥" are written by several countries: a code beside them says which.
_SHARED_SYMBOLS = {"$", "kr", "¥", "kr."}
_SHARED_SYMBOL_CODES = {"USD", "SEK", "DKK", "JPY"}
_CODE_BEFORE_SYMBOL = re.compile(r"(?<![a-z])([a-z]{3})\s?$", re.IGNORECASE)

# A currency written against the digits ("RM50", "Rs1,599", "EUR29.66", "R15 000"): a space
# is put between them before numbers are read, so the figure is not taken for a word.
_GLUED = re.compile(
    r"(?<![\w$€£¥₹])(" + "|".join(re.escape(k) for k in sorted(
        (k for k in _PREFIX_CURRENCIES if k[0].isalpha() and k not in _CASED), key=len, reverse=True)) + r")(?=\d)",
    re.IGNORECASE)
_LAKH = re.compile(r"(?<![a-z])(?:lakhs?|lacs?|crores?)(?![a-z])", re.IGNORECASE)

# Currencies where "50 mil" means fifty thousand (Spanish and Portuguese "mil").
_MIL_IS_THOUSAND = {"BRL", "MXN", "ARS", "CLP", "COP", "PEN", "UYU"}


def _alternation(keys: dict[str, str]) -> str:
    """Longest first, so "A$" wins over "$" and "us dollars" over "dollars". Letters of any
    script bound a currency that starts or ends with one ("ر", a rupee symbol, is not the start
    of "ريال"); a symbol needs no bound ("184,20 €HT").

    Grouped by first character behind a lookahead: two names that match at one place start
    with the same character, so the order is unchanged, and a scan of a long message tries one
    group per position instead of two thousand names."""
    groups: dict[str, list[str]] = {}
    for key in sorted(keys, key=len, reverse=True):
        groups.setdefault(key[0].lower(), []).append(key)
    return "|".join(f"(?={re.escape(first)})(?:{'|'.join(_bound_letters(k) for k in group)})"
                    for first, group in groups.items())


# Letters bound a word, and so does a ZWNJ inside a Persian one ("چت‌بات" is no baht).
_NOT_AFTER_WORD = r"(?<![^\W\d_])(?<!\u200c)"
_NOT_BEFORE_WORD = r"(?![^\W\d_]|\u200c)"


def _bound_letters(key: str) -> str:
    before = _NOT_AFTER_WORD if _word_letter(key[0]) else ""
    after = _NOT_BEFORE_WORD if _word_letter(key[-1]) else ""
    return before + _written(key) + after


def _word_letter(ch: str) -> bool:
    """A letter of a script that spaces its words: Chinese "元" needs no bound ("5万元左右")."""
    return ch.isalpha() and not "\u3000" <= ch <= "\u9fff"


def _written(key: str) -> str:
    """A code that is also a word ("try", "all") matches only in capitals ("TRY"), a short
    symbol only as CLDR writes it ("VT", "Db")."""
    if key in _CASED:
        return "(?-i:" + "|".join(re.escape(w) for w in _CASED[key]) + ")"
    return f"(?-i:{re.escape(key.upper())})" if key in _WORD_LIKE else re.escape(key)


def _bounded(key: str) -> str:
    return _NOT_AFTER_WORD + _written(key) if _word_letter(key[0]) else _written(key)


_PREFIX_CUR = re.compile(
    "(?:" + "|".join(_bounded(k) for k in sorted(_PREFIX_CURRENCIES, key=len, reverse=True)) + r")\s?$", _I
)
_SUFFIX_CUR = re.compile(r"\s?(?:" + _alternation(_SUFFIX_CURRENCIES) + r")", _I)
_ANY_CUR = re.compile(r"(?:" + _alternation({**_SUFFIX_CURRENCIES, **_PREFIX_CURRENCIES}) + r")", _I)
_ALL_CURRENCIES = {k.lower(): v for k, v in {**_SUFFIX_CURRENCIES, **_PREFIX_CURRENCIES}.items()}

# -- what is not money -------------------------------------------------------------------
_UNIT_WORDS = (
    r"weeks?|wks?|days?|nights?|months?|mos|mths?|years?|yrs?|hours?|hrs?|h|minutes?|mins?|seconds?|secs?"
    r"|employees?|staff|people|persons?|users?|seats?|licen[cs]es?|locations?|sites?|offices?|stores?"
    r"|shops?|branch(?:es)?|clinics?|practices?|reps?|agents?|leads?|customers?|clients?|members?"
    r"|calls?|messages?|chats?|conversations?|visitors?|visits?|appointments?|bookings?|consultations?"
    r"|patients?|students?|languages?|countries|country|pages?|products?|skus?|items?|units?|percent"
    r"|per ?cent|pct|x|times|stars?|kg|km|gb|tb|mb|lbs?|miles?|o'?clock|am|a\.m\.?|st|nd|rd|th"
    r"|headcount|ftes?|salespeople|developers?|engineers?|tickets?|orders?|emails?|e-mails?|sms|texts?"
    r"|questions?|steps?|integrations?|bots?|channels?|workflows?|doctors?|dentists?|chairs?|beds?"
    r"|rooms?|vehicles?|trucks?|properties|accounts?|projects?|tenants?|team|teams|departments?"
    r"|people's|guests?|sessions?|downloads?|subscribers?|followers?|installs?|requests?|deals?"
    r"|opportunities|prospects?|replies|responses?|forms?|languages?|regions?|markets?|cities|stores?"
    r"|partners?|vendors?|suppliers?|sales ?people|sales ?reps?|agents?|seats?|nurses?|therapists?"
)
_UNIT_AFTER = re.compile(
    rf"(?:\s?\+)?\s?(?:-\s?)?(?:(?:{_UNIT_WORDS}|%)(?![a-z])|{local.alternation(local.NOT_MONEY_UNITS)})", _I)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_MONTH_AFTER = re.compile(rf"\s?(?:st|nd|rd|th)?\s?(?:of\s)?(?:{_MONTHS})(?![a-z])", _I)
_MONTH_BEFORE = re.compile(rf"(?<![a-z])(?:{_MONTHS})\.?\s?(?:the\s)?$", _I)
_TIME_AFTER = re.compile(r"\s?(?:am|pm|a\.m\.?|p\.m\.?)(?![a-z])", _I)
_NUMBER_SIGN_BEFORE = re.compile(r"(?:#|\bno\.|\bnumber|\bnr\.?|\bstep|\bphase|\bversion|\bv\.?|\bq|\bh)\s?$", _I)
_YEAR_PREPOSITION = re.compile(
    r"(?<![a-z])(?:in|by|since|until|till|before|after|during|early|mid|late|end of|start of"
    r"|beginning of|fy|year|of|summer|winter|spring|autumn|fall|q[1-4]|h[12])\s?-?$",
    _I,
)

# Masked before looking for numbers: e-mail addresses, URLs, phone numbers.
_URL = re.compile(r"(?:https?://|www\.)\S+", _I)
_PHONE = re.compile(
    r"\+\d[\d ().-]{6,}\d"
    r"|(?<![\d.,])0\d{2,4}[ .-]?\d{3,4}[ .-]?\d{3,4}(?![\d])"
    r"|\(\d{2,4}\) ?\d{3,4}[ .-]?\d{3,4}"
    r"|(?<![\d.,])\d{3}[.-]\d{3}[.-]\d{4}(?!\d)"
    r"|(?<![a-z])(?:phone|mobile|number|cell|call|whatsapp|tel|text)[^\d\n]{0,12}\d[\d ().-]{5,}\d",
    _I,
)
_EMAIL_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")

# -- cues ---------------------------------------------------------------------------------
_BUDGET_WORD = re.compile(
    r"(?<![a-z])(?:budget\w*|spend\w*|spent|afford\w*|invest\w*|pay|paying|paid|price range|pricing|price"
    r"|allocat\w*|cost\w*|set aside|funds?|funding|ballpark|money)(?![a-z])"
    rf"|{local.alternation(local.BUDGET_CUES)}",
    _I,
)
# A correction (the shared words, and here also "actually", "sorry", "rather", "instead", "not
# 40k but") ending at most two words before a figure: "make that 35k", "actually 40k".
_CORRECTION = re.compile(
    rf"(?<![a-z])(?:{CORRECTION}|actually|sorry|change budget to|rather|instead"
    r"|not \S+ but)\W{0,3}(?:\w+\W{1,2}){0,2}$",
    _I,
)
_CLAUSE_END = re.compile(r"[;!?\n]|\.\s|\bbut\b", _I)

_FILLER = (r"(?:of|is|be|about|around|roughly|approx(?:imately)?\.?|say|some|maybe|probably|perhaps|like|a|an|the|spend|go|pay"
           rf"|{local.alternation(local.APPROX)})")
_MAX_BEFORE = (
    r"no more than|not more than|no higher than|not over|up to|upto|max(?:imum|imal)?(?: of)?\.?|höchstens|under|below"
    r"|less than|at most|at the most|not exceeding|not to exceed|capped at|cap(?:ped)? (?:at|of|is)"
    r"|a cap of|can'?t go (?:over|above|beyond)|cannot (?:go )?(?:over|above|beyond|exceed)|within"
    r"|limit(?:ed)? (?:of|to|is)|ceiling (?:of|is)|as much as|<=?|≤|tops|top out at|no greater than"
)
_MIN_BEFORE = (
    r"at least|north of|over|more than|minimum(?: of)?|minimal|min\.?|mindestens|above|upwards of|in excess of"
    r"|starting (?:at|from)|starts? (?:at|from)|from|no less than|not less than|greater than|>=?|≥"
    r"|at minimum|a minimum of|beyond"
)
_BOUND_BEFORE = re.compile(
    rf"(?:(?<![a-z])(?P<max>{_MAX_BEFORE})|(?<![a-z])(?P<min>{_MIN_BEFORE})|(?P<local_max>{local.alternation(local.MAX_BEFORE)})"
    rf"|(?P<local_min>{local.alternation(local.MIN_BEFORE)}))[\s:]*(?:{_FILLER}\s+){{0,2}}$", _I
)
_NEGATED = re.compile(r"(?:n't|n’t|\bnot|\bnever|\bcannot)\b[\w\s']{0,24}$", _I)
_MIN_AFTER = re.compile(
    r"\s?(?:\+|plus\b(?!\s(?:vat|tax|gst|hst|expenses|fees|costs))|or more\b|or above\b|or higher\b"
    r"|or over\b|and up\b|and upwards?\b|and above\b|and over\b|minimum\b|min\b|at least\b|at minimum\b|upwards\b"
    rf"|,?\s?(?:{local.alternation(local.MIN_AFTER)}))",  # "50 000 рублей, не больше"
    _I,
)
_MAX_AFTER = re.compile(
    rf"\s?(?:max(?:imum)?\b|tops\b|top\b|at most\b|at the most\b|or less\b|or under\b|or below\b"
    r"|and under\b|and below\b|at max\b|at a push\b|max\."
    rf"|,?\s?(?:{local.alternation(local.MAX_AFTER)}))",  # "50 000 рублей, не больше"
    _I,
)

_PERIOD_AFTER = re.compile(
    r"\s?(?:a|an|per|/|each|every)\s?(?:month|mo|mth|year|yr|annum|quarter|qtr|week)\b|\s?(?:monthly|yearly|annually|p\.?m\.?|p\.?a\.?)\b"
    rf"|\s?(?:{local.alternation(local.PERIODS['monthly'] + local.PERIODS['yearly'] + local.PERIODS['quarterly'])})",
    _I,
)
_LIMIT_AFTER = re.compile(
    r"\s?(?:is|would be|'s|will be)?\s?(?:about |roughly |pretty much |more or less )?(?:our|my|the)\s(?:absolute\s|upper\s|hard\s)?"
    r"(?:limit|ceiling|cap|max(?:imum)?|upper limit|top end|stretch)\b",
    _I,
)

# -- ranges -------------------------------------------------------------------------------
_RANGE_GAP = re.compile(
    rf"\s?(?:-|–|—|~|to|till|until|thru|through|or|up to|and|{local.alternation(local.RANGE_TO + local.RANGE_AND)})\s?", _I)
# "and" joins two figures into a range only after "between" ("between 10 and 20k").
_AND = re.compile(rf"and|{local.alternation(local.RANGE_AND)}", _I)
_BETWEEN_BEFORE = re.compile(rf"(?:(?<![a-z])between|{local.alternation(local.BETWEEN)})\s?$", _I)

# -- periods ------------------------------------------------------------------------------
_PERIODS: list[tuple[BudgetPeriod, str]] = [
    ("monthly", r"per month|a month|an? mo|per mo|/ ?mo(?:nth)?|/ ?mth|monthly|p/m|pcm|each month|every month"
                r"|a mth|per mth|month on month|month-to-month|/ ?m(?![a-z])"),
    ("yearly", r"per year|a year|an? yr|per yr|per annum|p\.a\.?|annually|annual|/ ?yr|/ ?year|/ ?y(?![a-z])"
               r"|yearly|each year|every year|over the (?:year|next year|next twelve months|next 12 months)"
               r"|for the year|per fiscal year|a fiscal year|for the whole year"),
    ("quarterly", r"per quarter|a quarter|quarterly|each quarter|every quarter|/ ?q(?:tr|uarter)?(?![a-z])|per qtr|a qtr"),
    ("one_off", r"one[- ]?off|one[- ]time|once|in total|total|upfront|up[- ]front|flat(?: fee| rate)?|lump[- ]?sum"
                r"|all[- ]in|single payment|fixed price|one[- ]shot|outright|one payment"),
]
_PERIOD = re.compile(
    "|".join(rf"(?P<{name}>(?:(?=[^a-z])|(?<![a-z]))(?:{pattern})(?![a-z])|{local.alternation(local.PERIODS[name])})"
             for name, pattern in _PERIODS), _I
)
_PERIOD_POSTFIX = re.compile(r"\s?(?P<monthly>pm|p\.m\.?)(?![a-z])|\s?(?P<yearly>pa)(?![a-z])", _I)
_TIME_PHRASE_BEFORE = re.compile(r"(?<![a-z])(?:in|within|next|for|after|by|than)\s$", _I)

# -- whole-message statuses ---------------------------------------------------------------
_NOT_A_CEILING = r"(?!\s(?:limit|cap|ceiling|constraint|restriction|issue|problem|concern)s?)"
_NONE_EXPLICIT = re.compile(
    rf"(?<![a-z])(?:(?:no|zero|nil)\s(?:real\s|set\s|fixed\s|allocated\s)?budget{_NOT_A_CEILING}"
    r"|(?:don'?t|do not|doesn'?t|does not|didn'?t|haven'?t|have not|hasn'?t|has not|won'?t|can'?t)"
    r"\s(?:really\s|yet\s|actually\s)?(?:have|got|get|set|allocated|budgeted)?\s?(?:(?:a|any|the|much)\s)?(?:real\s|set\s)?budget"
    rf"|budget\s(?:is|of|=|:|will be)?\s?(?:zero|nil|nothing|none|non-existent|nonexistent)(?![a-z])"
    r"|nothing\s(?:allocated|budgeted|set aside|earmarked)|without a budget|no (?:money|funds|funding|cash)(?![a-z])"
    r"|not a (?:penny|cent|dime|thing))",
    _I,
)
_NOT_A_LIMIT = re.compile(
    r"(?<![a-z])(?:no budget (?:limit|cap|ceiling|constraint|restriction)s?|no limit|money is no object"
    r"|budget (?:is|isn'?t) (?:not |no )?(?:an? )?(?:issue|problem|object|concern))(?![a-z])",
    _I,
)
_NONE_ANSWER = re.compile(r"(?<![a-z])(?:none|nothing|zilch|nada|nil)(?![a-z])", _I)
# The other languages' "no budget", "no limit", "not sure" and "nothing" (bot/parsing/budget_words.py).
_LOCAL_NONE = re.compile(local.alternation(local.NONE), _I)
_LOCAL_NOT_A_LIMIT = re.compile(local.alternation(local.NOT_A_LIMIT), _I)
_LOCAL_UNKNOWN = re.compile(local.alternation(local.UNKNOWN), _I)
_LOCAL_NONE_ANSWER = re.compile(local.alternation(local.NONE_ANSWER), _I)
_UNKNOWN_ANSWER = re.compile(
    rf"(?<![a-z])(?:{UNSURE}|{DONT_KNOW}{NOT_HOW_TO}|it depends|depends|tbd|tbc|to be (?:decided|determined|confirmed|agreed)"
    r"|haven'?t decided|have not decided|not (?:yet )?(?:been )?(?:decided|determined|defined|agreed|fixed|finali[sz]ed)"
    r"|undecided|skip|pass|rather not (?:say|share|tell|disclose)|prefer not to (?:say|share|tell|disclose)"
    r"|unclear|not certain|can'?t say|cannot say"
    r"|difficult to say|unknown|n/a|confidential|flexible|open to suggestions|let'?s discuss|to discuss"
    r"|up for discussion|need to check|have to check|will check|need to ask"
    r"|no budget (?:limit|cap|ceiling|constraint|restriction)s?|budget (?:is|isn'?t) (?:not |no )?(?:an? )?(?:issue|problem|object|concern)"
    r"|money is no object|no limit|whatever it takes|not decided|unsure yet|not yet known|ask me later|later)(?![a-z])",
    _I,
)


@dataclass(frozen=True)
class _Figure:
    """A number that may be money, with what sits around it."""

    amount: Amount
    raw: str
    currency: str | None
    written: str | None = None  # the currency as written ("kr", "$"), lower case


@dataclass
class _Candidate:
    """A single figure or a range: the thing a Budget is built from."""

    low: _Figure
    high: _Figure
    low_value: float
    high_value: float
    score: int = 0
    cued: bool = False

    @property
    def start(self) -> int:
        return self.low.amount.start

    @property
    def end(self) -> int:
        return self.high.amount.end

    @property
    def is_range(self) -> bool:
        return self.low is not self.high


def parse_budget(text: str, *, answering: bool) -> Budget | None:
    """The budget in `text`, or None when there is nothing recognisable.

    `answering=True`: the budget question was just asked, so a bare "25000" is the budget
    and "not sure" is an answer (status unknown). `answering=False`: any message; a figure
    counts only with a money cue (currency, a budget word, or a correction such as "make
    that 35k"), and only an explicit "we have no budget" gives status none.
    """
    cleaned = clean_text(text)
    if not cleaned:
        return None
    scan = _mask_non_numbers(_join_split_decimal(_GLUED.sub(r"\1 ", ascii_numerals(written(cleaned[:_SCAN_CHARS])))))
    raw_amounts = find_amounts(scan, limit=_MAX_AMOUNTS)
    figures = _money_figures(scan, raw_amounts, answering)
    candidates = _candidates(scan, figures, answering)
    global_currency = _single_currency(scan)

    if candidates:
        best = max(candidates, key=lambda c: c.score)  # max keeps the first of equals
        if best.high_value == 0 and best.low_value == 0:
            return Budget("none", cleaned)
        return _budget_from(cleaned, scan, best, raw_amounts, global_currency)

    if _LOCAL_NOT_A_LIMIT.search(scan):  # before "no budget": "محدودیت بودجه نداریم" has "بودجه نداریم"
        return Budget("unknown", cleaned) if answering else None
    if _NONE_EXPLICIT.search(scan) or _LOCAL_NONE.search(scan):
        return Budget("none", cleaned)
    if not answering:
        return None
    if _NOT_A_LIMIT.search(scan):
        return Budget("unknown", cleaned)  # "no budget limit": flexible, but no figure
    if _NONE_ANSWER.search(scan):
        return Budget("none", cleaned)
    if _UNKNOWN_ANSWER.search(scan) or _LOCAL_UNKNOWN.search(scan):
        return Budget("unknown", cleaned)
    if _LOCAL_NONE_ANSWER.search(scan):  # after "not sure": "没有想好" is undecided, "没有" nothing
        return Budget("none", cleaned)
    return None


# Words around a currency given alone: "in", "в", "i", "dalam", "به", "用", "just", "sorry".
_AROUND_CURRENCY = re.compile(
    r"(?<![^\W\d_])(?:in|it's|its|it is|just|sorry|oh|в|во|это|извините|i|det er|bare|unnskyld|dalam|dlm|guna|maaf"
    r"|به|با|ببخشید)(?![^\W\d_])|用|是|的|哦|\W+", re.IGNORECASE)


def currency_alone(text: str) -> tuple[str, float] | None:
    """A reply that names a currency and nothing else ("в рублях", "norske kroner", "ringgit",
    "تومن", "人民币"), for a budget given without one: its code and what one of the reply's
    units is worth in it (a toman is 10 rials); None for anything else ("Nina", "Euro Motors AS")."""
    words = " ".join(_AROUND_CURRENCY.sub(" ", clean_text(text).lower()).split())
    code = _SUFFIX_CURRENCIES.get(words) or _PREFIX_CURRENCIES.get(words)
    if not code or len(text) > 60:
        return None
    return code, local.UNIT_FACTORS.get(words, 1.0)


# -- a price's cents split off by a space ----------------------------------------------------
# "$119. 95", "130, 38 zł", "35€ 99": a figure, its decimal mark or symbol, a space and two
# digits that end the message. Read as one price only beside a currency, so "10, 20" stays two.
_SPLIT_MARK = re.compile(r"(?<![\d.,])(?P<int>\d[\d.,']*\d|\d)(?P<mark>[.,]) (?P<cents>\d{2})(?=(?P<tail>[^\d]*)$)")
_SPLIT_SYMBOL = re.compile(r"(?<![\d.,])(?P<int>\d+) ?(?P<sym>[€$£¥₹]) (?P<cents>\d{2})\W*$")


def _join_split_decimal(text: str) -> str:
    m = _SPLIT_SYMBOL.search(text)
    if m:
        return f"{text[:m.start()]}{m.group('int')}.{m.group('cents')} {m.group('sym')}{text[m.end('cents'):]}"
    m = _SPLIT_MARK.search(text)
    if m is None:
        return text
    suffix = _SUFFIX_CUR.match(text, m.end("cents"))
    prefix = _PREFIX_CUR.search(text[max(0, m.start() - 8):m.start()])
    if not ((suffix and not text[suffix.end():].strip(" .!*")) or prefix) or m.group("tail").strip(" .!*") and not suffix:
        return text
    return f"{text[:m.end('mark')]}{text[m.end('mark') + 1:]}"


# -- masking ------------------------------------------------------------------------------
def _mask_non_numbers(text: str) -> str:
    """Blank out e-mails, URLs and phone numbers (same length, so offsets stay valid)."""
    chars = list(text)

    def blank(start: int, end: int) -> None:
        for k in range(start, end):
            chars[k] = " "

    for m in _URL.finditer(text):
        blank(m.start(), m.end())
    at = text.find("@")
    while at >= 0:
        left = at
        while left > 0 and at - left < 64 and text[left - 1] in _EMAIL_CHARS:
            left -= 1
        right = at + 1
        while right < len(text) and right - at < 255 and text[right] in _EMAIL_CHARS:
            right += 1
        if left < at and "." in text[at + 1:right]:
            blank(left, right)
        at = text.find("@", right if right > at else at + 1)
    masked = "".join(chars)
    for m in _PHONE.finditer(masked):
        digits = sum(ch.isdigit() for ch in m.group(0))
        if digits >= 7:
            blank(m.start(), m.end())
    return "".join(chars)


# -- which numbers are money --------------------------------------------------------------
def _money_figures(scan: str, amounts: list[Amount], answering: bool) -> list[_Figure | None]:
    """One entry per amount: a _Figure when it may be money, None when it clearly is not."""
    figures: list[_Figure | None] = []
    for amount in amounts:
        currency, written = _currency_near(scan, amount)
        if _is_not_money(scan, amount, currency, answering):
            figures.append(None)
            continue
        if amount.suffix == "mil" and currency in _MIL_IS_THOUSAND:
            amount = Amount(amount.base * 1000, amount.start, amount.end, amount.base, 1000.0, "mil", amount.digits)
        figures.append(_Figure(amount, scan[amount.start:amount.end], currency, written))
    # "3 to 4 weeks", "between 3 and 6 months": the unit after the second figure covers both.
    for k in range(len(amounts) - 1, 0, -1):
        if figures[k] is None and figures[k - 1] is not None and _unit_after(scan, amounts[k]):
            if _range_gap(scan, amounts[k - 1], amounts[k]):
                figures[k - 1] = None
    return figures


def _unit_after(scan: str, amount: Amount) -> bool:
    return _UNIT_AFTER.match(scan, amount.end) is not None


def _is_not_money(scan: str, amount: Amount, currency: str | None, answering: bool) -> bool:
    before = scan[max(0, amount.start - 20):amount.start]
    after = scan[amount.end:amount.end + 20]
    raw = scan[amount.start:amount.end]
    if amount.digits and (after.startswith((":", "/")) and after[1:2].isdigit()):
        return True  # 9:30, 15/06, 24/7
    if amount.digits and len(before) >= 2 and before[-1] in ":/" and before[-2].isdigit():
        return True
    if re.search(r"\b[a-z]+-$", before, _I):
        return True  # covid-19, b2b-3
    unit = _UNIT_AFTER.match(scan, amount.end)
    written = _SUFFIX_CUR.match(scan, amount.end) if unit else None
    if unit and not (written and written.end() > unit.end()):
        return True  # "6 weeks", "3rd"; but "1 RD$" is a Dominican peso
    if not amount.scaled and currency is None:
        if _MONTH_AFTER.match(scan, amount.end) or _MONTH_BEFORE.search(before):
            return True
        if _NUMBER_SIGN_BEFORE.search(before):
            return True
        if _TIME_AFTER.match(scan, amount.end) and (amount.value <= 12 or re.fullmatch(r"\d{1,2}[.,]\d{2}", raw)):
            return True
        if _is_year(raw, amount, before, answering):
            return True
    return False


def _is_year(raw: str, amount: Amount, before: str, answering: bool) -> bool:
    """A bare four-digit 1900-2099 is a year, except in a reply to the budget question.

    There "2000" is more likely a budget; only near-term years (2020-2039) or a year after
    "in/by/since/until/..." count as years.
    """
    if not re.fullmatch(r"\d{4}", raw) or not 1900 <= amount.value <= 2099:
        return False
    if not answering:
        return True
    return 2020 <= amount.value <= 2039 or _YEAR_PREPOSITION.search(before) is not None


def _currency_near(scan: str, amount: Amount) -> tuple[str | None, str | None]:
    """The currency written against the figure, and how it was written. A code beside a shared
    symbol names it: "SGD$4.90", "NZD $100", "$1,190.00 AUD" are not US dollars."""
    prefix = _PREFIX_CUR.search(scan[max(0, amount.start - 8):amount.start])
    suffix = _SUFFIX_CUR.match(scan, amount.end)
    found = [(_code(m.group(0)), m.group(0).strip().lower()) for m in (prefix, suffix) if m]
    if prefix and found[0][0] in _SHARED_SYMBOL_CODES and prefix.group(0).strip() in _SHARED_SYMBOLS:
        code_before = _CODE_BEFORE_SYMBOL.search(scan[max(0, amount.start - 14):amount.start - len(prefix.group(0))])
        if code_before and code_before.group(1).lower() in code_names():
            return code_before.group(1).upper(), code_before.group(1).lower()
        if suffix and _code(suffix.group(0)) not in _SHARED_SYMBOL_CODES:
            return found[1]
    return found[0] if found else (None, None)


def _code(written: str) -> str:
    return _ALL_CURRENCIES[written.strip().lower()]


def _single_currency(scan: str) -> tuple[str | None, str | None]:
    """The currency named in the message when exactly one is (for "20k, in euros"), and how."""
    codes: dict[str, str] = {}
    for m in _ANY_CUR.finditer(scan):
        word = m.group(0).lower()
        if word in ("rs", "rand", "pound", "pounds", "fr.", "mil"):  # too ambiguous on their own
            continue
        codes.setdefault(_ALL_CURRENCIES[word], word)
        if len(codes) > 1:
            return None, None
    return next(iter(codes.items())) if codes else (None, None)


# -- candidates ---------------------------------------------------------------------------
def _range_gap(scan: str, low: Amount, high: Amount) -> bool:
    """True when only a range connector (and currency marks) separates two figures."""
    if high.start - low.end > 24:
        return False
    gap = scan[low.end:high.start]
    suffix = _SUFFIX_CUR.match(gap)
    if suffix:
        gap = gap[suffix.end():]
    prefix = _PREFIX_CUR.search(gap)
    if prefix:
        gap = gap[:prefix.start()]
    m = _RANGE_GAP.fullmatch(gap)
    if not m:
        return False
    if _AND.fullmatch(m.group(0).strip()):
        before = _prefix(scan, low.start, 30)
        cur = _PREFIX_CUR.search(before)
        if cur:
            before = before[:cur.start()]
        return _BETWEEN_BEFORE.search(before) is not None
    return True


def _candidates(scan: str, figures: list[_Figure | None], answering: bool) -> list[_Candidate]:
    found: list[_Candidate] = []
    k = 0
    while k < len(figures):
        fig = figures[k]
        if fig is None:
            k += 1
            continue
        nxt = figures[k + 1] if k + 1 < len(figures) else None
        if nxt is not None and _range_gap(scan, fig.amount, nxt.amount):
            cand = _range(fig, nxt)
            k += 2
        else:
            cand = _Candidate(fig, fig, fig.amount.value, fig.amount.value)
            k += 1
        if _acceptable(scan, cand, answering):
            found.append(cand)
    return found


def _range(low: _Figure, high: _Figure) -> _Candidate:
    """A range; a bare end borrows the other end's scale when that keeps it ordered."""
    lo, hi = low.amount.value, high.amount.value
    if not low.amount.scaled and high.amount.scaled and lo * high.amount.multiplier <= hi:
        lo *= high.amount.multiplier
    elif not high.amount.scaled and low.amount.scaled and hi < lo <= hi * low.amount.multiplier:
        hi *= low.amount.multiplier
    if lo > hi:
        lo, hi = hi, lo
    return _Candidate(low, high, lo, hi)


# Two amounts in one answer ("our vendor bills 900 a quarter; for this we've approved 12k"):
# the one said of what they would spend on us wins over one said of what they spend today.
_FOR_THIS = re.compile(
    r"(?<![a-z])(?:for (?:this|it|that|the (?:new |right )?(?:bot|tool|solution|project|product|platform|chatbot|system))"
    r"|towards? (?:this|it)|approved|earmarked|signed off|could (?:go|stretch)(?: up)? to|can (?:go|stretch)(?: up)? to"
    r"|willing to|happy to (?:pay|spend|invest)|(?:can|could) (?:put|spend|afford|allocate|invest|do)"
    r"|we'?d (?:spend|pay|invest|do)|would (?:spend|pay|invest|be)|up to|max(?:imum)?|our budget|the budget|budget (?:is|of|would be))(?![a-z])",
    _I,
)
_SPENT_TODAY = re.compile(
    r"(?<![a-z])(?:current(?:ly)?|right now|at the moment|nowadays|existing|today|vendor|agency|bills?|billed|invoices?"
    r"|on (?:ads|advertising|marketing|salaries|staff|rent)|(?:we|i) (?:pay|spend|are paying|are spending)|we'?re (?:paying|spending)"
    r"|costs? us|last (?:year|month|quarter)|revenue|turnover|sales of|employees|staff of)(?![a-z])",
    _I,
)
# A budget is never negative, and no visitor's budget runs to trillions: such a figure is a
# typo or a joke, re-asked rather than stored.
_NEGATIVE_BEFORE = re.compile(r"(?:^|[\s(:=])[-−–‐‒﹣－]\s?(?:[$€£¥₹]\s?)?$|[$€£¥₹]\s?[-−–‐‒﹣－]$|(?<![a-z])minus\s?$|\^\s?$|\*\*\s?$", re.IGNORECASE)
_ABSURD_AFTER = re.compile(r"\s?(?:\^\s?\d|\*\*\s?\d|(?:trillion|quadrillion|quintillion|zillion|gazillion|bazillion|jillion)s?(?![a-z]))", re.IGNORECASE)
_ABSURD = 1e11


_PHRASE_END = re.compile(r"[,;:!?\n()]|\.\s|\b(?:and|but|while|whereas|though|although|so)\b", _I)


def _purpose(scan: str, cand: _Candidate) -> int:
    """+5 when the figure's own phrase says it is for us, -5 when it is today's spend elsewhere."""
    window = scan[max(0, cand.start - 50):cand.start]
    last = None
    for last in _PHRASE_END.finditer(window):
        pass
    before = window[last.end():] if last else window
    rest = scan[cand.end:cand.end + 40]
    stop = _PHRASE_END.search(rest)
    phrase = before + " " + (rest[:stop.start()] if stop else rest)
    return 5 * bool(_FOR_THIS.search(phrase)) - 5 * bool(_SPENT_TODAY.search(phrase))


def _acceptable(scan: str, cand: _Candidate, answering: bool) -> bool:
    """Score the candidate and say whether it may be a budget in this mode."""
    if (cand.high_value > _ABSURD or _NEGATIVE_BEFORE.search(scan[max(0, cand.start - 6):cand.start])
            or _ABSURD_AFTER.match(scan, cand.end)):
        return False
    currency = cand.low.currency or cand.high.currency
    scaled = cand.low.amount.scaled or cand.high.amount.scaled
    words_only = not cand.low.amount.digits and not cand.high.amount.digits
    if words_only and not scaled and currency is None and cand.high_value != 0:
        return False  # "two", "one-off", "a dozen"; "zero" stays (status none)
    before = _prefix(scan, cand.start, 60)
    after = _clause_after(scan, cand.end, 30)
    budget_word = bool(_BUDGET_WORD.search(before) or _BUDGET_WORD.search(after))
    correction = scaled and bool(_CORRECTION.search(_prefix(scan, cand.start, 40)))
    cand.cued = bool(currency) or budget_word or correction
    purpose = _purpose(scan, cand)
    cand.score = 3 * bool(currency) + 3 * budget_word + 4 * correction + scaled + cand.is_range + purpose
    if answering:
        return True
    if not cand.cued:
        return False
    if not scaled and currency is None and cand.high_value < 100:
        return False  # "budget meeting at 3"
    return True


def _prefix(scan: str, start: int, width: int) -> str:
    """Up to `width` characters before `start`, cut at the last clause boundary."""
    window = scan[max(0, start - width):start]
    last = None
    for last in _CLAUSE_END.finditer(window):
        pass
    return window[last.end():] if last else window


def _clause_after(scan: str, end: int, width: int) -> str:
    window = scan[end:end + width]
    m = _CLAUSE_END.search(window)
    return window[:m.start()] if m else window


# -- building the Budget ------------------------------------------------------------------
def _budget_from(
    cleaned: str, scan: str, cand: _Candidate, raw_amounts: list[Amount], global_currency: tuple[str | None, str | None]
) -> Budget:
    figure = cand.low if cand.low.currency else cand.high
    currency, written = (figure.currency, figure.written) if figure.currency else global_currency
    if currency is None and _LAKH.search(scan):
        currency = "INR"
    factor = local.UNIT_FACTORS.get(written or "", 1.0)  # "۵۰ میلیون تومان": 500 million rials
    low: float | None = cand.low_value * factor
    high: float | None = cand.high_value * factor
    if not cand.is_range:
        bound = _bound(scan, cand)
        if bound == "min":
            high = None
        elif bound == "max":
            low = None
    return Budget(
        status="stated",
        text=cleaned,
        min=low,
        max=high,
        currency=currency,
        period=_period(scan, cand, raw_amounts),
        currency_options=_readings(currency, written),
    )


def _readings(currency: str | None, written: str | None) -> tuple[str, ...]:
    """Every currency the written symbol can mean, the common reading first ("kr": SEK, NOK,
    DKK); () when it means one. The caller settles it by the visitor's country, or asks."""
    if currency is None or written is None or written in _HAND_NAMED:
        return ()
    codes = (symbol_readings(written) + _MORE_READINGS.get(written, ()) + _LOCAL_READINGS.get(written, ())
             + (symbol_readings(written.rstrip(".")) if written.endswith(".") else ()))
    readings = tuple(dict.fromkeys((currency, *codes)))
    return readings if len(readings) > 1 else ()


def _bound(scan: str, cand: _Candidate) -> str | None:
    """"min", "max" or None (a point figure, approximate or exact)."""
    after_start = cand.end
    cur = _SUFFIX_CUR.match(scan, after_start)
    if cur:
        after_start = cur.end()
    period = _PERIOD_AFTER.match(scan, after_start)  # "$200 a month max", "20k per year tops"
    if period:
        after_start = period.end()
    if _LIMIT_AFTER.match(scan, after_start):
        return "max"  # "1,500 a month is about our limit"
    if _MIN_AFTER.match(scan, after_start):
        return "min"
    if _MAX_AFTER.match(scan, after_start):
        return "max"
    before = _prefix(scan, cand.start, 50)
    cur = _PREFIX_CUR.search(before)
    if cur:
        before = before[:cur.start()]
    before = re.sub(r"[~≈]\s?$", "", before)
    m = _BOUND_BEFORE.search(before)
    if not m:
        return None
    bound = "max" if m.group("max") or m.group("local_max") else "min"
    if _NEGATED.search(before[:m.start()]):
        # "shouldn't cost more than 20k" is a ceiling; "can't go under 10k" a floor.
        bound = "min" if bound == "max" else "max"
    return bound


def _period(scan: str, cand: _Candidate, raw_amounts: list[Amount]) -> BudgetPeriod | None:
    """The stated period nearest the figure, if no other number is nearer to it."""
    post = _PERIOD_POSTFIX.match(scan, cand.end)
    if post and cand.high_value > 12:
        return "monthly" if post.group("monthly") else "yearly"
    lo = max(0, cand.start - 50)
    hi = min(len(scan), cand.end + 50)
    starts = [a.start for a in raw_amounts]
    best: tuple[int, BudgetPeriod] | None = None
    for m in _PERIOD.finditer(scan, lo, hi):
        if _overlaps_amount(m.start(), m.end(), raw_amounts, starts):
            continue  # "a quarter of a million", "one-off" read as a number
        if _TIME_PHRASE_BEFORE.search(scan[max(0, m.start() - 8):m.start()]):
            continue  # "in a month", "within a year": timelines, not periods
        distance = m.start() - cand.end if m.start() >= cand.end else cand.start - m.end()
        if distance < 0 or _nearer_amount(m.start(), m.end(), distance, cand, raw_amounts, starts):
            continue
        name = m.lastgroup
        if best is None or distance < best[0]:
            best = (distance, name)  # type: ignore[assignment]
    return best[1] if best else None


def _overlaps_amount(start: int, end: int, amounts: list[Amount], starts: list[int]) -> bool:
    """A number reaches past the period phrase ("a quarter of a million"); one inside it is the
    phrase's own ("هر سه ماه", every three months)."""
    k = bisect.bisect_right(starts, end) - 1
    if k < 0 or amounts[k].value == 1 or not (amounts[k].end > start and amounts[k].start < end):
        return False
    return not (start <= amounts[k].start and amounts[k].end <= end)


def _nearer_amount(
    start: int, end: int, distance: int, cand: _Candidate, amounts: list[Amount], starts: list[int]
) -> bool:
    """True when another number sits closer to the period phrase than the candidate does."""
    k = bisect.bisect_right(starts, start) - 1  # last amount starting before the phrase
    neighbours = [amounts[j] for j in (k, k + 1) if 0 <= j < len(amounts)]
    for other in neighbours:
        if cand.start <= other.start and other.end <= cand.end:
            continue
        d = start - other.end if other.end <= start else other.start - end
        if 0 <= d < distance:
            return True
    return False
