"""Read when a prospect plans to buy: "asap", "in 8-10 weeks", "Q3", "before 15 June".

`target_date` is the LATEST date of the intended buying window, resolved against the
conversation's date (the `today` argument; never the system clock), and `months` is
`bot.answers.months_between(today, target_date)`.

Decisions, so every caller gets the same answer:
- Urgency ("asap", "right away", "immediately", "yesterday") is today + 7 days; "this
  week" / "next week" end on that week's Sunday.
- Ranges take the upper bound ("8-10 weeks" = 10 weeks, "6-12 months" = 12 months,
  "six months to a year" = 12 months); "a couple" = 2, "a few" = 3, "a fortnight" = 14 days.
- Quarters and halves are calendar ones: "Q3" is 30 Sep of this year, or of next year
  when Q3 is already over; "this quarter" ends the current one. Halves likewise (H1/H2).
- A month name is its next occurrence (the current month counts): "by March" is 31 March;
  "early/mid/late March" end on the 10th/20th/last day; "before March" is the last day
  of February; "before 15 June" is 14 June.
- "next year" is 31 Dec next year; "early next year" 31 March; "mid next year" 30 June;
  "in the new year" 31 January. "not this year" is read like "next year" (31 Dec next
  year): the visitor moves the purchase out of this year without naming a date, and the
  end of next year is the latest reading that still honours what they said.
- "in 2027" is 31 Dec 2027; "by 2027" / "before 2027" is 31 Dec 2026.
- Seasons are northern-hemisphere: spring ends 31 May, summer 31 Aug, autumn 30 Nov,
  winter the end of February.
- "soon" is one month; "in the coming weeks" six weeks; "in the coming months" three.
- A lower bound is the day the window opens: "after X" the day after X ends ("after the
  summer" 1 September, "after Q1" 1 April, "after Christmas" and "after the holidays" 1
  January), "once X is over/wraps up" likewise; "not before X", "not until X", "no earlier
  than X" the day X starts ("not before Q3" 1 July, "no earlier than 2028" 1 January 2028).
- Two times joined as a range or a choice ("between March and May", "June or July",
  "Aug/Sept") take the later one, like ranges of durations.
- "next spring" is the next spring that has not started yet (in June: next year's; in
  February: this year's).
- "tomorrow" is tomorrow; "today" and "now" are urgency.
- "15/06" is day/month unless that is impossible ("06/15" is then June 15); "24/7" is not
  a date. A date already past this year means next year's.
- status "none": "no plans", "no timeline", "just looking", "just browsing", "not buying";
  status "unknown": "not sure", "don't know yet", "depends", "skip", "no rush", "someday".

With `answering=False` (any message, not the reply to the timeline question) only a clear
statement counts: expressions that are always about timing ("by Q3", "next quarter",
"within 3 months", "asap") or weaker ones ("six weeks", "in March") next to a buying cue
("live", "launch", "start", "buy", "need it"). Durations that describe the past or a
count ("6 years in business", "for 3 years", "50 employees", "900 per month") never count.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from bot.answers import Timeline, months_between
from bot.parsing.numbers import parse_number
from bot.parsing.replies import DONT_KNOW, NOT_HOW_TO, UNSURE
from bot.parsing.scripts import WORD_END, WORD_START
from bot.parsing.spoken import written
from bot.parsing.text import clean_text
from bot.parsing.time_words import NONE_WORDS, UNKNOWN_WORDS, in_english_times, month_answer

__all__ = ["parse_timeline", "resolve_timeline"]

_I = re.IGNORECASE
_SCAN_CHARS = 20_000
MAX_TEXT = 20_000

# -- vocabulary ---------------------------------------------------------------------------
_SMALL = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
)
_NUM = (
    rf"(?:\d{{1,3}}(?:[.,]\d)?|(?:twenty|thirty|forty|fifty)[- ](?:one|two|three|four|five|six|seven|eight|nine)"
    rf"|{_SMALL}|an?\s+couple(?:\s+of)?|couple(?:\s+of)?|an?\s+few|few|half\s+an?|an?|several)"
)
_UNIT = r"(?:business days?|working days?|decades?|days?|d|weeks?|wks?|w|months?|mos?|mths?|years?|yrs?|y|quarters?)"
_DURATION = rf"(?P<n>{_NUM})\s?-?\s?(?P<unit>{_UNIT})"
_MONTH_NAMES = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": 4}

# Words that make a weak expression ("six weeks", "in March") about buying.
_BUYING_CUE = re.compile(
    r"(?<![a-z])(?:live|launch\w*|go[- ]?live|start\w*|begin\w*|buy\w*|purchas\w*|sign\w*|implement\w*"
    r"|roll(?:ing|ed)?[- ]?out|deploy\w*|up and running|in place|ready|decid\w*|decision|timeline|time ?frame"
    r"|deadline|kick[- ]?off|onboard\w*|switch\w*|migrat\w*|set ?up|install\w*|operational|running"
    r"|need (?:it|this|that|something|one|a|the)|want (?:it|this|that|to)|have (?:it|this|something)"
    r"|get (?:it|this|going|started)|target\w*|aim\w*|hop(?:e|ing)|ideally|plan\w*|looking to)(?![a-z])",
    _I,
)
# After a duration: it describes something other than the buying window.
_NOT_WINDOW_AFTER = re.compile(
    r"\s?(?:in business|old|ago|of experience|experience|in operation|in the market|in the industry"
    r"|contract|trial|pilot|term|subscription|warranty|guarantee|plan|notice|free|later than we)\b",
    _I,
)
_NOT_WINDOW_BEFORE = re.compile(
    r"(?<![a-z])(?:past|last|every|per|each|been|since|over the last|over the past|the last|the past"
    r"|than|spent|took|taken|takes|lasted|running for)\s(?:the\s)?(?:about\s|around\s|almost\s|nearly\s)?$",
    _I,
)
# "for 3 years", "for a month", "for now": how long, not when; "for March", "for the fall" say when.
_FOR_BEFORE = re.compile(r"(?<![a-z])for\s(?:the\s)?(?:about\s|around\s|almost\s|nearly\s)?$", _I)

_NONE = re.compile(
    r"(?<![a-z])(?:no (?:real |concrete |immediate |firm |set |fixed |specific |particular |hard )?(?:plans?|timeline|time ?frame|timescale|intention|deadline|(?:target |end |go[- ]live )?date)"
    r"|nothing planned|just (?:looking|browsing|researching|curious|exploring|window[- ]shopping|checking(?: things)? out)"
    r"|not (?:buying|purchasing|planning to (?:buy|purchase)|looking to buy|in the market|ready to buy)"
    r"|never|not (?:any ?time|anytime) soon|no need)(?![a-z])",
    _I,
)
_NONE_STRICT = re.compile(
    r"(?<![a-z])(?:no (?:real |concrete |firm |set |fixed |specific |hard )?(?:timeline|time ?frame|timescale|deadline|(?:target |go[- ]live )?date)(?: yet)?"
    r"|no (?:immediate )?plans to (?:buy|purchase)|not (?:planning|looking) to (?:buy|purchase))(?![a-z])",
    _I,
)
_UNKNOWN = re.compile(
    rf"(?<![a-z])(?:{UNSURE}|{DONT_KNOW}{NOT_HOW_TO}|depends|skip|pass"
    r"|tb[cd]|to be (?:decided|determined|confirmed)|undecided|(?:haven'?t|have not|not) (?:yet )?decided"
    r"|unclear|no rush|no hurry|eventually|at some point|some ?day|sometime|whenever|flexible|open|not decided"
    r"|can'?t say|rather not say|prefer not to say|who knows|we'?ll see|depending)(?![a-z])",
    _I,
)
# The same in the other languages (bot/parsing/time_words.py).
_NATIVE_NONE = re.compile(rf"{WORD_START}(?:{NONE_WORDS}){WORD_END}", _I)
_NATIVE_UNKNOWN = re.compile(rf"{WORD_START}(?:{UNKNOWN_WORDS}){WORD_END}", _I)
_UNKNOWN_STRICT = re.compile(
    r"(?<![a-z])(?:timeline|time ?frame|timing|deadline)\s(?:is\s)?(?:tb[cd]|unclear|open|flexible|not (?:yet )?(?:set|decided|clear))(?![a-z])",
    _I,
)

# Right before a time word: it says when to talk to someone, not when to buy ("can I talk
# to a human now", "I need a person right away", "can someone call me today").
_CONTACT_BEFORE = re.compile(
    r"(?<![a-z])(?:(?:talk|speak|chat)\w*\s(?:to|with)\s(?:a |an |the |some |one of your |your |someone |somebody )?"
    r"(?:real |actual |live |human )?(?:human|person|someone|somebody|anyone|anybody|agent|rep|representative"
    r"|sales\w*|operator|colleague|people|team|staff|you|one)\w*(?: being| from (?:your |the )?\w+)?"
    r"|(?:call|ring|phone|contact|e-?mail|reach|text|get back to)\s(?:me|us)(?:\sback)?"
    r"|(?:a |an |the )?(?:real |actual |live )?(?:human|person|someone|somebody|agent|operator)(?: being)?)"
    r"(?:\s(?:available|around|online|free|there|here|on the line))?\s(?:please\s)?$",
    _I,
)

# -- date arithmetic ----------------------------------------------------------------------
def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter_end(year: int, quarter: int) -> date:
    return _month_end(year, quarter * 3)


def _next_on_or_after(today: date, make: Callable[[int], date | None]) -> date | None:
    """The first make(year) from last year on that is not before today (29 February: up to
    eight years on, as the next leap year may be after a skipped century year)."""
    for year in range(today.year - 1, today.year + 9):
        try:
            candidate = make(year)
        except ValueError:  # 29 February in a common year
            continue
        if candidate is not None and candidate >= today:
            return candidate
    return None


def _week_end(day: date) -> date:
    return day + timedelta(days=6 - day.weekday())


def _add(today: date, amount: float, unit: str) -> date:
    unit = unit.lower()
    if unit.startswith(("business", "working")):
        return today + timedelta(days=int(-(-amount * 7 // 5)))
    if unit.startswith("decade"):
        return today + relativedelta(years=round(amount * 10))
    if unit.startswith("d"):
        return today + timedelta(days=round(amount))
    if unit.startswith("w"):
        return today + timedelta(days=round(amount * 7))
    months = amount * (3 if unit.startswith("q") else 12 if unit.startswith("y") else 1)
    whole = int(months)
    return today + relativedelta(months=whole) + timedelta(days=round((months - whole) * 30.4375))


def _count(phrase: str) -> float | None:
    """"6" -> 6, "six" -> 6, "a couple" -> 2, "a few" -> 3, "an" -> 1, "half a" -> 0.5."""
    p = re.sub(r"\s+", " ", phrase.strip().lower())
    if p in ("a", "an", "one"):
        return 1.0
    if p.startswith("half"):
        return 0.5
    if "couple" in p:
        return 2.0
    if "few" in p or p == "several":
        return 3.0
    return parse_number(p.replace(",", "."))


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    digits = raw.strip("' ")
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


# -- rules --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    target: date
    strong: bool  # counts in any message, without a buying cue


Resolver = Callable[[re.Match[str], date], tuple[date, bool] | None]


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    resolve: Resolver


def _rule(pattern: str) -> Callable[[Resolver], _Rule]:
    def wrap(fn: Resolver) -> _Rule:
        return _Rule(re.compile(pattern, _I), fn)

    return wrap


# "in March" / "in 2027" can narrate ("in March we moved offices"): they need a buying cue.
_WEAK_PREPS = ("in", "for", "around", "during", "sometime in", "some time in")
_PREP = r"(?P<prep>by|before|until|till|no later than|not later than|in|within|during|around|for|sometime in|some time in|early|mid|middle of|late|end of|the end of|beginning of|the beginning of|start of|the start of|latest|at the latest by)"


@_rule(r"(?<![a-z])not (?:this|the current) (?:year|calendar year)(?![a-z])")
def _not_this_year(m: re.Match[str], today: date) -> tuple[date, bool]:
    return date(today.year + 1, 12, 31), True


@_rule(
    r"(?<![a-z])(?P<mod>early|beginning of|the beginning of|start of|the start of|mid|mid-|middle of|the middle of|late|end of|the end of|by the end of|before the end of)?\s?"
    r"(?P<which>this|next|the next|the following)\s(?:calendar |fiscal |financial )?year(?![a-z])(?!\s?(?:and|or)\s)"
)
def _this_next_year(m: re.Match[str], today: date) -> tuple[date, bool]:
    year = today.year if m.group("which").lower() == "this" else today.year + 1
    mod = (m.group("mod") or "").lower()
    if year == today.year:
        return date(year, 12, 31), True
    return _year_part(year, mod), True


def _year_part(year: int, mod: str) -> date:
    if mod.startswith(("early", "beginning", "the beginning", "start", "the start")):
        return date(year, 3, 31)
    if mod.startswith(("mid", "middle", "the middle")):
        return date(year, 6, 30)
    return date(year, 12, 31)


@_rule(r"(?<![a-z])(?:in the new year|(?:after|over) (?:the )?new year'?s?|early in the new year)(?![a-z])")
def _new_year(m: re.Match[str], today: date) -> tuple[date, bool]:
    return date(today.year + 1, 1, 31), True


@_rule(
    r"(?<![a-z])(?:(?:by |before |until |at |for )?(?:the )?(?:end of (?:the |this )?(?:calendar |fiscal |financial )?year|year[- ]?end|eoy"
    r"|(?:later|sometime|some time|within) this year|within the year|before christmas|by christmas|for christmas|christmas"
    r"|(?<=after )(?:the )?(?:holidays|holiday season|festive season|christmas holidays|christmas break)))(?![a-z])"
)
def _year_end(m: re.Match[str], today: date) -> tuple[date, bool] | None:
    text = m.group(0).lower()
    if "christmas" in text or "holiday" in text or "festive" in text:
        if _LOWER_BOUND_BEFORE.search(m.string[max(0, m.start() - 30):m.start()]):
            return _next_on_or_after(today, lambda y: date(y, 12, 31)) or today, True  # the holidays end with the year
        return _next_on_or_after(today, lambda y: date(y, 12, 24)) or today, True
    return date(today.year, 12, 31), True


@_rule(
    rf"(?<![a-z])(?:{_PREP}\s)?(?:(?:the\s)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|last)\squarter"
    r"|q\s?(?P<q>[1-4])|(?P<q2>[1-4])q)"
    r"(?:\s?(?:of\s)?(?:(?P<rel>this|next) year|(?:fy|cy)?\s?(?P<year>'\d{2}|20\d{2}|\d{2}(?!\d))))?(?![a-z0-9])"
)
def _quarter(m: re.Match[str], today: date) -> tuple[date, bool] | None:
    q = int(m.group("q") or m.group("q2") or _ORDINALS[m.group("ord").lower()])
    year = _year(m.group("year"))
    rel = (m.group("rel") or "").lower()
    if rel:
        year = today.year + (1 if rel == "next" else 0)
    strong = bool(m.group("prep")) or year is not None or bool(m.group("ord"))
    if year is not None:
        return _quarter_end(year, q), strong
    target = _next_on_or_after(today, lambda y: _quarter_end(y, q))
    return (target, strong) if target else None


@_rule(
    r"(?<![a-z])(?P<mod>end of |the end of |by the end of |by end of )?(?P<which>this|the current|current|next|nxt|the next|the following|following)\s(?:quarter|qtr|q)(?![a-z0-9])"
    r"|(?<![a-z])(?:by |before )?(?:the )?end of (?:the )?(?:quarter|qtr|q)(?![a-z0-9])|(?<![a-z])eoq(?![a-z])"
    r"|(?<![a-z])(?:the )?quarter after next(?![a-z])"
)
def _relative_quarter(m: re.Match[str], today: date) -> tuple[date, bool]:
    text = m.group(0).lower()
    q = (today.month - 1) // 3 + 1
    step = 2 if "after next" in text else 1 if re.search(r"next|nxt|following", text) else 0
    index = today.year * 4 + (q - 1) + step
    return _quarter_end(index // 4, index % 4 + 1), True


@_rule(
    rf"(?<![a-z])(?:{_PREP}\s)?(?:(?:the\s)?(?P<ord>first|second|1st|2nd|latter|last)\shalf|h(?P<h>[12]))"
    r"(?:\s?(?:of\s)?(?:(?P<rel>this|next) year|(?:the\s)?year|(?P<year>'\d{2}|20\d{2})))?(?![a-z0-9])"
)
def _half(m: re.Match[str], today: date) -> tuple[date, bool] | None:
    if m.group("ord"):
        h = 1 if m.group("ord").lower() in ("first", "1st") else 2
    else:
        h = int(m.group("h"))
    year = _year(m.group("year"))
    rel = (m.group("rel") or "").lower()
    if rel:
        year = today.year + (1 if rel == "next" else 0)
    end = (lambda y: date(y, 6, 30)) if h == 1 else (lambda y: date(y, 12, 31))
    strong = bool(m.group("prep")) or year is not None or bool(m.group("ord"))
    if year is not None:
        return end(year), strong
    target = _next_on_or_after(today, end)
    return (target, strong) if target else None


@_rule(
    r"(?<![a-z])(?:asap|a\.s\.a\.p\.?|as soon as (?:possible|we can|you can)|right away|right now|immediately|immediate"
    r"|urgent(?:ly)?|quickly|promptly|(?:very |real )?fast|yesterday|straight ?away|at once|as quickly as possible|as fast as possible|pronto|this week"
    r"|next week|(?:the )?day after tomorrow|(?:by |before )?the end of (?:the |this )week|(?:by |before )?end of (?:the |this )?week|(?<!from )now|today|tomorrow)(?![a-z])"
)
def _urgent(m: re.Match[str], today: date) -> tuple[date, bool]:
    text = m.group(0).lower()
    if "next week" in text:
        return _week_end(today + timedelta(days=7)), False
    if "week" in text:
        return _week_end(today), False
    if "day after tomorrow" in text:
        return today + timedelta(days=2), True
    if text == "tomorrow":
        return today + timedelta(days=1), False
    return today + timedelta(days=7), text not in ("now", "today")


@_rule(r"(?<![a-z])(?:in |within )?(?:a|one) fortnight(?:'s time)?(?![a-z])")
def _fortnight(m: re.Match[str], today: date) -> tuple[date, bool]:
    return today + timedelta(days=14), m.group(0).lower().startswith(("in", "within"))


_DURATION_PREP = (
    r"(?P<prep>in|within|inside(?: of)?|in the next|within the next|over the next|during the next|in the coming|"
    r"the next|next|in about|in around|in roughly|in approx\.?|in approximately|in under|in less than|under|less than|"
    r"no later than|no more than|max(?:imum)?|in another|another|in maybe|in probably|in just|in only|in the following)"
)


@_rule(
    rf"(?<![a-z0-9])(?:{_DURATION_PREP}\s)?(?:(?P<n1>{_NUM})\s?-?\s?(?P<u1>{_UNIT})\s?(?:-|–|to|or)\s?)?"
    rf"(?:(?P<lo>{_NUM})\s?(?:-|–|to|or)\s?)?{_DURATION}(?:'s)?(?P<half>\sand\s(?:a\s)?half)?"
    r"(?:\s(?:or two|or so|tops|max|at the latest|at most|from now|time))?(?![a-z])"
)
def _duration(m: re.Match[str], today: date) -> tuple[date, bool] | None:
    n = _count(m.group("n"))
    lo = (m.group("lo") or "").lower()
    if lo in ("twenty", "thirty", "forty", "fourty", "fifty") and n is not None and n < 10:
        n += _count(lo) or 0  # "forty-five days" is one number, not forty to five
    if n is not None and m.group("half"):
        n += 0.5  # "a year and a half"
    if n is None or n <= 0 or n > 120:
        return None
    or_two = m.group(0).lower().endswith("or two")
    from_now = m.group(0).lower().endswith(("from now", "time"))
    if re.fullmatch(r"an?", m.group("n").strip(), _I) and not (m.group("prep") or m.group("n1") or or_two or from_now
                                                              or m.group("half")):
        return None  # "900 a month" is a budget period, not a window
    if or_two:
        n = max(n, 2.0)
    target = _add(today, n, m.group("unit"))
    more = _MORE_PARTS.match(m.string, m.end())
    if more and _count(more.group("n")):  # "in 1 year 2 months", "1 decade +2 years", "+1 decade -2 years"
        extra = _add(target, _count(more.group("n")) or 0, more.group("unit")) - target
        target = target - extra if more.group("minus") else target + extra
    if m.group("n1"):  # "six months to a year": the later bound
        n1 = _count(m.group("n1"))
        if n1:
            target = max(target, _add(today, n1, m.group("u1")))
    return target, bool(m.group("prep"))


_MORE_PARTS = re.compile(rf",?\s(?:and\s|plus\s|\+\s?|(?P<minus>-|minus\s)\s?)?(?P<n>{_NUM})\s?(?P<unit>{_UNIT})(?![a-z])", _I)


@_rule(r"(?<![a-z])(?:in |within |during |over )?(?:the )?(?:next|coming|following) decade(?![a-z])")
def _next_decade(m: re.Match[str], today: date) -> tuple[date, bool]:
    return today + relativedelta(years=10), True


@_rule(
    r"(?<![a-z])(?:in |over |within |during )?the (?:next|coming|following) (?P<few>few |couple of |several )?(?P<unit>days|weeks|months)(?![a-z])"
    r"|(?<![a-z])(?P<soon>very soon|soon|shortly|soonish|in the near future|near future|in the short term|short[- ]term)(?![a-z])"
)
def _vague(m: re.Match[str], today: date) -> tuple[date, bool]:
    if m.group("soon"):
        return today + relativedelta(months=1), False
    unit = m.group("unit").lower()
    if unit == "days":
        return today + timedelta(days=7), True
    if unit == "weeks":
        return today + timedelta(days=21 if m.group("few") else 42), True
    return today + relativedelta(months=3), True


@_rule(
    r"(?<![a-z])(?P<mod>by |before |until |till |in |for |during |by the end of |before the end of |by end of |end of |the end of |at the end of |early |late |mid[- ]?|beginning of |start of )?"
    r"(?P<which>this|next|the end of the|end of the|the)\smonth(?:[- ]end)?(?P<after_next>\safter next)?(?![a-z])"
    r"|(?<![a-z])(?:by |before )?(?:month[- ]end|eom)(?![a-z])"
)
def _month_relative(m: re.Match[str], today: date) -> tuple[date, bool] | None:
    text = m.group(0).lower()
    which = (m.group("which") or "this").lower()
    if m.group("after_next"):
        later = today + relativedelta(months=2)
        return _month_end(later.year, later.month), True
    if which == "the" and not (m.group("mod") or "").strip().startswith(("by", "before", "end", "the end", "until")):
        return None  # "the month" alone says nothing
    base = today + relativedelta(months=1) if which == "next" else today
    mod = (m.group("mod") or "").strip()
    if mod in ("early", "beginning of", "start of"):
        day = 10
    elif mod.startswith("mid"):
        day = 20
    else:
        day = calendar.monthrange(base.year, base.month)[1]
    target = date(base.year, base.month, min(day, calendar.monthrange(base.year, base.month)[1]))
    return max(target, today), "next" in text or bool(mod) or "end" in text


@_rule(
    r"(?<![a-z0-9])(?P<y>20\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![0-9])"
    r"|(?<![a-z0-9/.])(?P<a>\d{1,2})[/.](?P<b>\d{1,2})(?:[/.](?P<yy>\d{4}|\d{2}))?(?![0-9/])"
)
def _numeric_date(m: re.Match[str], today: date) -> tuple[date, bool] | None:
    if m.group("y"):
        try:
            return date(int(m.group("y")), int(m.group("m")), int(m.group("d"))), True
        except ValueError:
            return None
    a, b = int(m.group("a")), int(m.group("b"))
    if m.group(0) in ("24/7", "24/365", "9/5", "9-5", "365/24"):
        return None
    if m.group("yy") is None and "." in m.group(0):
        return None  # "2.5" is a number, not a date
    day, month = (a, b) if b <= 12 else (b, a)
    if month > 12 or month < 1 or day < 1 or day > 31:
        return None
    year = _year(m.group("yy"))
    try:
        if year is not None:
            return date(year, month, day), True
    except ValueError:
        return None
    target = _next_on_or_after(today, lambda y: date(y, month, day))
    return (target, False) if target else None


@_rule(
    rf"(?<![a-z])(?:{_PREP}[\s-])?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s(?:of\s)?(?P<m1>{_MONTH})\.?"
    rf"|(?P<m2>{_MONTH})\.?\s(?:the\s)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?![0-9])"
    rf"|(?P<m3>{_MONTH})\.?)(?:,?\s(?P<year>20\d{{2}}|'\d{{2}}))?(?![a-z])"
)
def _month_date(m: re.Match[str], today: date) -> tuple[date, bool] | None:
    name = (m.group("m1") or m.group("m2") or m.group("m3")).lower()
    month = _MONTH_NAMES[name]
    raw_day = m.group("d1") or m.group("d2")
    prep = (m.group("prep") or "").lower().strip()
    if name == "may" and not (prep or raw_day or m.group("year")) and m.group(0)[0] != "M":
        return None  # the verb "may"
    if name in ("mar", "march", "jan", "sep", "dec") and not (prep or raw_day or m.group("year")) and m.group(0)[0].islower():
        return None  # "march" the verb, stray abbreviations
    year = _year(m.group("year"))
    before = prep == "before"

    def make(y: int) -> date:
        if raw_day:
            d = date(y, month, int(raw_day))
            return d - timedelta(days=1) if before else d
        last = calendar.monthrange(y, month)[1]
        if before:
            return date(y, month, 1) - timedelta(days=1)
        if prep in ("early", "beginning of", "the beginning of", "start of", "the start of"):
            return date(y, month, 10)
        if prep.startswith("mid") or prep.startswith("middle"):
            return date(y, month, 20)
        return date(y, month, last)

    try:
        if year is not None:
            return make(year), True
    except ValueError:
        return None
    if raw_day:
        if not 1 <= int(raw_day) <= 31:
            return None
        target = _next_on_or_after(today, make)
    else:
        # the named month is the current one or a later one
        target = _next_on_or_after(today, lambda y: max(make(y), today) if (y, month) == (today.year, today.month) else make(y))
    return (target, bool(prep) and prep not in _WEAK_PREPS) if target else None


@_rule(r"(?<![a-z])(?P<prep>on|by|before|until|till)\sthe\s(?P<day>\d{1,2})(?:st|nd|rd|th)(?![a-z0-9])"
       r"(?!\s(?:of\s)?(?:[a-z]+\s)?(?:floor|time|century|anniversary|place|row|percentile))")
def _day_of_month(m: re.Match[str], today: date) -> tuple[date, bool] | None:
    """"on the 28th": the next 28th of a month, this month's if it is still ahead."""
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        return None
    for months in range(0, 3):
        first = (today + relativedelta(months=months)).replace(day=1)
        if day <= calendar.monthrange(first.year, first.month)[1] and first.replace(day=day) >= today:
            target = first.replace(day=day)
            return target - timedelta(days=1) if m.group("prep").lower() == "before" else target, False
    return None


@_rule(
    rf"(?<![a-z])(?:{_PREP}[\s-])?(?P<year>20\d{{2}})(?![0-9])"
)
def _explicit_year(m: re.Match[str], today: date) -> tuple[date, bool] | None:
    year = int(m.group("year"))
    prep = (m.group("prep") or "").lower().strip()
    if prep in ("by", "before", "until", "till"):
        year -= 1
        if year < today.year:
            return None
        return date(year, 12, 31), True
    if year < today.year or year > today.year + 10:
        return None
    return _year_part(year, prep), bool(prep) and prep not in _WEAK_PREPS


@_rule(
    r"(?<![a-z])(?P<prep>by|before|until|in|during|this|next|over the|early|late|end of|the end of|by the end of|for|around)?\s?(?P<the>the\s)?"
    r"(?P<season>spring|summer|autumn|fall|winter)(?:\s(?P<year>20\d{2}))?(?![a-z])"
)
def _season(m: re.Match[str], today: date) -> tuple[date, bool] | None:
    season = m.group("season").lower()
    prep = (m.group("prep") or "").lower()
    if season == "fall" and not (prep or m.group("the") and _LOWER_BOUND_BEFORE.search(m.string[max(0, m.start() - 30):m.start()])):
        return None  # the verb
    ends = {
        "spring": lambda y: date(y, 5, 31),
        "summer": lambda y: date(y, 8, 31),
        "autumn": lambda y: date(y, 11, 30),
        "fall": lambda y: date(y, 11, 30),
        "winter": lambda y: _month_end(y + 1, 2),
    }
    end = ends[season]
    if prep == "before":
        starts = {"spring": (3, 1), "summer": (6, 1), "autumn": (9, 1), "fall": (9, 1), "winter": (12, 1)}
        month, day = starts[season]
        end = lambda y, m_=month, d_=day: date(y, m_, d_) - timedelta(days=1)  # noqa: E731
    if m.group("year"):
        return end(int(m.group("year"))), True
    if prep == "next":
        # the next one that has not started yet: in June next spring is next year's, in
        # February next autumn is this year's
        starts = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
        year = next(y for y in (today.year, today.year + 1) if date(y, starts[season], 1) > today)
        return end(year), True
    target = _next_on_or_after(today, end)
    return (target, bool(prep)) if target else None


@_rule(
    r"(?<![a-z])(?P<prep>by|before|until|on|this|next|this coming|coming)?\s?"
    r"(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?![a-z])"
)
def _weekday(m: re.Match[str], today: date) -> tuple[date, bool]:
    wanted = _WEEKDAYS[m.group("day").lower()]
    ahead = (wanted - today.weekday()) % 7 or 7
    target = today + timedelta(days=ahead)
    prep = (m.group("prep") or "").lower()
    if prep == "before":
        target -= timedelta(days=1)
    return target, prep in ("by", "before", "until")


@_rule(r"(?<![a-z])(?P<prep>by|before|until|for|around|after|at|over)?\s?(?:the\s)?easter(?:\s(?:holidays?|break|weekend))?(?![a-z])")
def _easter(m: re.Match[str], today: date) -> tuple[date, bool] | None:
    """Easter Sunday (Western), the next one not past; "after Easter" is a month later."""
    target = _next_on_or_after(today, lambda y: easter(y))
    if target is None:
        return None
    if (m.group("prep") or "").lower() == "after":
        target += relativedelta(months=1)
    return target, True


# Order matters only for overlaps: earlier rules claim their span first.
_RULES: tuple[_Rule, ...] = (
    _not_this_year, _relative_quarter, _quarter, _half, _this_next_year, _new_year, _year_end,
    _urgent, _fortnight, _next_decade, _duration, _vague, _month_relative, _numeric_date, _month_date, _season,
    _day_of_month, _explicit_year, _weekday, _easter,
)
# Rules that read "before X" as the day before X starts.
_BEFORE_AWARE = {_month_date.resolve, _explicit_year.resolve, _season.resolve, _weekday.resolve, _day_of_month.resolve}
# How long each rule's window is, in months: "not before Q3" opens on the first day of its
# three months; a rule not listed names a day.
_WINDOW_MONTHS: dict[Resolver, int] = {
    _quarter.resolve: 3, _relative_quarter.resolve: 3, _half.resolve: 6, _this_next_year.resolve: 12,
    _explicit_year.resolve: 12, _season.resolve: 3, _month_date.resolve: 1, _month_relative.resolve: 1,
}


# A lower bound: the window opens after X ("after the summer") or when X starts ("not before
# October", "no earlier than 2028").
_LOWER_BOUND_BEFORE = re.compile(
    r"(?<![a-z])(?:(?P<after>after|once|when)|(?P<from>not before|not until|not till|no earlier than|not earlier than"
    r"|no sooner than|not sooner than))\s(?:the\s)?$",
    _I,
)
_LEAD_BEFORE = re.compile(r"\s?(?:before|until|till)\s", _I)
_NOT_BEFORE_LEAD = re.compile(r"(?<![a-z])not\s$", _I)
# "once the summer break is over", "once Q2 wraps up": the window opens after X.
_IS_OVER_AFTER = re.compile(
    r"\s?(?:break|holidays?|rush|season|period|close)?\s?(?:is |are |has |have )?"
    r"(?:over|done|finished|ended|ends|wraps? up|wrapped up|closes|closed|behind us)(?![a-z])",
    _I,
)
# Between two times that form a range or a choice ("March and May", "June or July", "Aug/Sept").
_BETWEEN_TIMES = re.compile(r"\s?(?:-|–|/|to|till|until|through|thru|or|and|or maybe|or even)\s?", _I)


# "for the spring events we need it by February": the time the purchase itself is tied to
# wins over the times that only set the scene.
_WANTED_BY = re.compile(
    r"\b(?:need|needs|want|wants|have|get|got|be|go|going|put|up)\s(?:it|this|that|something|one|the (?:bot|tool|system|solution))?"
    r"\s?(?:live|ready|running|working|in place|done|set up|sorted|installed|deployed|launched|up and running)?\s?"
    r"(?:(?:by|before|no later than|latest by|within|in)\s(?:the\s)?(?:end of\s|start of\s|beginning of\s|mid\s?-?|early\s|late\s)?)?$",
    _I,
)
_CONCLUSION = re.compile(
    r"(?:[,;:]\s?so|\bso basically|\bso realistically|\bi\.e\.|\bmeaning|\bwhich means|\bin other words|\bthat is,"
    r"|\bwhich (?:for us |here |in our case )?(?:is|would be)"
    r"|\bso that'?s|\bthat means|\bin short|\bbottom line)\b[^,;.!?]{0,25}$",
    _I,
)


def resolve_timeline(text: str, today: date, *, answering: bool) -> date | None:
    """The latest date of the buying window stated in `text` (already cleaned), or None."""
    hits: list[_Hit] = []
    for rule in _RULES:
        for m in rule.pattern.finditer(text):
            if any(h.start < m.end() and m.start() < h.end for h in hits):
                continue
            head = text[max(0, m.start() - 30):m.start()]
            if _NOT_WINDOW_AFTER.match(text, m.end()) or not _LOWER_BOUND_BEFORE.search(head) and (_describes_something_else(text, m) or (
                    rule in (_duration, _vague, _fortnight, _urgent) and _FOR_BEFORE.search(head))):
                continue
            resolved = rule.resolve(m, today)
            if resolved is None:
                continue
            target, strong = _lower_bound(text, m, rule, *resolved)
            hits.append(_Hit(m.start(), m.end(), target, strong))
            if len(hits) > 50:
                break
    if not answering:
        cue = bool(_BUYING_CUE.search(text))
        hits = [h for h in hits if h.strong or cue]
    if not hits:
        return None
    concluded = [h for h in hits if _CONCLUSION.search(text[max(0, h.start - 40):h.start])]
    if concluded:  # "before the spring rush, so by March": the visitor's own conclusion wins
        return max(concluded, key=lambda h: h.start).target
    hits.sort(key=lambda h: h.start)
    wanted = [h for h in hits if _WANTED_BY.search(text[max(0, h.start - 50):h.start])]
    if len(hits) > 1 and len(wanted) == 1:
        return wanted[0].target
    first = hits[0]
    if len(hits) > 1 and _BETWEEN_TIMES.fullmatch(text[first.end:hits[1].start]):
        return max(first.target, hits[1].target)  # "June or July": the later
    return first.target


def _lower_bound(text: str, m: re.Match[str], rule: _Rule, target: date, strong: bool) -> tuple[date, bool]:
    """A window that only opens at X: the day after X ends, or the day X starts ("not before")."""
    head = text[max(0, m.start() - 30):m.start()]
    lead = _LEAD_BEFORE.match(m.group(0))
    if lead and _NOT_BEFORE_LEAD.search(head):
        # "not before September": the rule read "before September" (31 August), or ignored
        # "before" as quarters do (30 September); the window opens when September starts
        word = lead.group(0).strip().lower()
        if (word == "before" and rule.resolve in _BEFORE_AWARE) or rule.resolve is _explicit_year.resolve:
            return target + timedelta(days=1), True
        head += "not before "
    bound = _LOWER_BOUND_BEFORE.search(head)
    if bound is None:
        return target, strong
    if bound.group("from"):
        months = _WINDOW_MONTHS.get(rule.resolve, 0)
        if months and (months > 1 or target.day == calendar.monthrange(target.year, target.month)[1]):
            target = (target - relativedelta(months=months - 1)).replace(day=1)
        return target, True
    if bound.group("after").lower() != "after" and not _IS_OVER_AFTER.match(text, m.end()):
        return target, strong  # "when Q2 starts": not a bound
    return target + timedelta(days=1), True


def _describes_something_else(text: str, m: re.Match[str]) -> bool:
    """"6 years in business", "for the last 3 months", "every month", "talk to a human now": not a buying window."""
    if _NOT_WINDOW_AFTER.match(text, m.end()):
        return True
    head = text[max(0, m.start() - 30):m.start()]
    if _NOT_WINDOW_BEFORE.search(head):
        return True
    return bool(_CONTACT_BEFORE.search(text[max(0, m.start() - 60):m.start()]))


def parse_timeline(text: str, today: date, *, answering: bool) -> Timeline | None:
    """A Timeline from `text`, or None when nothing recognisable (the caller re-asks)."""
    cleaned = clean_text(text)
    if not cleaned:
        return None
    scan = written(cleaned[:_SCAN_CHARS])  # "by Q one", "twenty twenty seven": a phone call's words
    scan = month_answer(scan) if answering else scan  # "اسفند" alone
    scan = in_english_times(scan, today)  # "в следующем квартале", "明年三月前", "bulan depan"
    words = cleaned[:MAX_TEXT]
    target = resolve_timeline(scan, today, answering=answering)
    if target is not None:
        return Timeline("stated", words, target.isoformat(), months_between(today, target))
    if _NONE_STRICT.search(scan) or (answering and (_NONE.search(scan) or _NATIVE_NONE.search(cleaned))):
        return Timeline("none", words)
    if _UNKNOWN_STRICT.search(scan) or (answering and (_UNKNOWN.search(scan) or _NATIVE_UNKNOWN.search(cleaned))):
        return Timeline("unknown", words)
    return None
