"""Read numbers the way people type them in chat: "1,200.50", "8.500", "12'000", "25k",
"1,00,000", "two and a half million", "a couple of thousand".

`parse_number` reads one number expression; `find_amounts` finds every number in a text,
with its position and the scale suffix it carried, for the budget parser to judge.

Separators (decided once, here):
- both "," and "." present: the last one is the decimal mark ("1,200.50", "1.200,50");
- "'", "’" and a space group thousands (Swiss "12'000", French "12 000");
- "," alone: grouping when exactly three digits follow ("12,000"), else decimal ("2,5");
  Indian grouping "1,00,000" is read as 100000;
- "." alone: grouping when exactly three digits follow ("8.500" = 8500, the European way),
  unless the integer part is 0 ("0.125") or a scale follows ("1.250m" = 1,250,000);
  otherwise decimal ("2.5", "12.99");
- "1.2.3" (versions, dates) is not a number at all;
- a leading dot is a decimal mark (".75" = 0.75, shop style "$..75" too).

Vague quantities get a documented value: "a couple (of)" = 2, "a few" = 3, "a dozen" = 12,
"half" = 0.5, "a quarter (of)" = 0.25; "couple", "few", "half" and "quarter" only count
when a scale follows ("a few hundred" = 300), so "a few questions" is not a number.
"mil" is a million (English slang); the budget parser reads it as a thousand after "R$"
and other Spanish/Portuguese-speaking currencies, where "50 mil" means 50,000.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.parsing import number_words

__all__ = ["Amount", "SCALES", "find_amounts", "parse_number"]


@dataclass(frozen=True)
class Amount:
    """One number found in a text.

    `value` has the scale suffix applied ("1.5k" -> 1500); `base` is the figure before the
    last suffix (1.5) and `multiplier` that suffix's factor (1000), so a range like
    "1-1.5k" can give its bare lower end the same scale. `start`/`end` index the text.
    """

    value: float
    start: int
    end: int
    base: float
    multiplier: float = 1.0
    suffix: str | None = None  # the last scale word as written, lowercased ("k", "grand")
    digits: bool = True  # written with digits (False: spelled out, "twenty-five thousand")

    @property
    def scaled(self) -> bool:
        """True when a scale word or suffix was applied (k, thousand, million, lakh, ...)."""
        return self.multiplier != 1.0


# Scale words and suffixes. Plurals only where people use them after a figure ("5 lakhs").
SCALES: dict[str, float] = {
    "hundred": 100.0,
    "k": 1e3, "thousand": 1e3, "thou": 1e3, "grand": 1e3,
    "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5,
    "m": 1e6, "mm": 1e6, "mn": 1e6, "mio": 1e6, "mil": 1e6, "million": 1e6, "millions": 1e6,
    "crore": 1e7, "crores": 1e7, "cr": 1e7,
    "b": 1e9, "bn": 1e9, "billion": 1e9,
    "w": 1e4,  # Chinese chat for 万 (ten thousand): "5w块"
    **number_words.SCALE_WORDS,  # "тысяч", "tusen", "میلیون", "ribu", "万" (bot/parsing/number_words.py)
}
# Single letters are suffixes only right after digits ("5m", "50к"), never after words ("one m").
_LETTER_SCALES = {"k", "m", "b", "к", "w"}
# Abbreviated scales whose dot belongs to the figure ("50 тыс. руб.", "2 mill. kroner").
_ABBREVIATED = {"тыс", "млн", "млрд", "mill", "mln", "mrd", "rb", "jt"}
_WORD_SCALE_AFTER_WORDS = {"k"}  # "fifty k" is common; "fifty m" is not

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, **number_words.UNITS,
}
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, **number_words.TEENS,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, **number_words.TENS,
}
# Vague or fractional leads that need a scale after them.
_VAGUE = {"couple": 2.0, "few": 3.0, "half": 0.5, "quarter": 0.25, **number_words.VAGUE}
_ARTICLES = {"a", "an", *number_words.ARTICLES}
_AND = {"and", *number_words.CONNECTORS}
_HALF = {"half", *number_words.HALF}

# Digits. Indian grouping first (else "1,00,000" would stop at "1"), then thousands groups
# with one consistent separator and an optional decimal part using the other mark, then
# plain digits with an optional decimal part. Not preceded by a letter, digit or mark (so
# "Q3", "v2", "1.2.3" yield nothing) and not followed by a further digit group.
_NUM = (
    r"(?<![\w.,'’])\.{1,2}\d+(?![.,'’]?\d)"  # a leading-dot decimal: ".75", "$..75"
    r"|(?<![\w,'’])(?<![\w.,'’]\.)"  # a stray dot before a figure ("$.750.30"), never "1.2.3"
    r"(?:"
    r"\d{1,3}(?:,\d{2})+,\d{3}(?:\.\d+)?"
    r"|\d{1,3}(?P<sep>[,.'’ ])\d{3}(?:(?P=sep)\d{3})*(?:(?!(?P=sep))[.,]\d+)?"
    r"|\d+(?:[.,]\d+)?"
    r")"
    r"(?![.,'’]?\d)"
)
# Words are any letters, not only ASCII: "80 Kč" is 80 koruna, not 80 thousand.
_TOKEN = re.compile(rf"(?P<num>{_NUM})|(?P<word>[^\W\d_][^\W_]*)|(?P<hyphen>-)", re.IGNORECASE)
_GAP = re.compile(r" {0,2}")


@dataclass(frozen=True)
class _Token:
    kind: str  # "num", "word" or "hyphen"
    text: str  # lowercased
    start: int
    end: int
    value: float = 0.0


def parse_number(text: str) -> float | None:
    """The value of `text` when the whole of it is one number expression, else None.

    "12k" -> 12000, "1.200,50" -> 1200.5, "half a million" -> 500000; "12k USD" -> None
    (currencies belong to the budget parser) and "3 or 4" -> None (two numbers).
    """
    stripped = text.strip()
    if not stripped:
        return None
    amounts = find_amounts(stripped)
    if len(amounts) == 1 and amounts[0].start == 0 and amounts[0].end == len(stripped):
        return amounts[0].value
    return None


def find_amounts(text: str, *, limit: int | None = None) -> list[Amount]:
    """Every number expression in `text`, left to right, each with its scale applied.

    The text should already be cleaned (see `bot.parsing.text.clean_text`): ASCII digits,
    single spaces. Nothing here decides whether a number is money; that is the caller's job.
    `limit` stops after that many amounts, for callers that bound their work on huge pastes.
    """
    tokens = _tokenise(text)
    amounts: list[Amount] = []
    i = 0
    while i < len(tokens) and (limit is None or len(amounts) < limit):
        parsed = _parse_at(tokens, i, text)
        if parsed is None:
            i += 1
            continue
        amount, i = parsed
        amounts.append(amount)
    return amounts


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup if m.lastgroup != "sep" else "num"
        if m.group("num") is not None:
            kind = "num"
            value = _digits_value(m.group("num"), scale_follows=_scale_follows(text, m.end()))
            if value is None:
                continue
            tokens.append(_Token("num", m.group(0), m.start(), m.end(), value))
        elif m.group("word") is not None:
            tokens.append(_Token("word", m.group(0).lower(), m.start(), m.end()))
        else:
            tokens.append(_Token(kind or "hyphen", "-", m.start(), m.end()))
    return tokens


_SCALE_AFTER = re.compile(r" ?(?:[kmb]|mm|mn|mio|bn|million|billion|lakhs?|crores?)\b", re.IGNORECASE)


def _scale_follows(text: str, end: int) -> bool:
    return _SCALE_AFTER.match(text, end) is not None


def _digits_value(raw: str, *, scale_follows: bool = False) -> float | None:
    """Value of a digit string using the separator rules in the module docstring."""
    s = raw.replace("'", "").replace("’", "").replace(" ", "")
    if s.startswith("."):
        return float("0." + s.lstrip("."))  # ".75", "..75"
    has_comma, has_dot = "," in s, "." in s
    if has_comma and has_dot:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        group = "." if decimal == "," else ","
        s = s.replace(group, "").replace(decimal, ".")
    elif has_comma:
        parts = s.split(",")
        if len(parts) > 2 or len(parts[1]) == 3:
            s = s.replace(",", "")
        else:
            s = s.replace(",", ".")
    elif has_dot:
        parts = s.split(".")
        if len(parts) > 2:
            s = s.replace(".", "")
        elif len(parts[1]) == 3 and parts[0] != "0" and not scale_follows:
            s = s.replace(".", "")
    if len(s) > 19:
        return None  # a serial number or a paste, not a quantity anyone types
    try:
        return float(s)
    except ValueError:
        return None


class _Parser:
    """Reads one number starting at a token: digits or words, then scales and fractions.

    Tracks `total` (everything before the last big scale) and `current` (the part still to
    be scaled), the usual way of reading "two hundred fifty thousand three hundred".
    """

    def __init__(self, tokens: list[_Token], start: int, text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.i = start
        self.total = 0.0
        self.current = 0.0
        self.last = ""  # kind of the last token read: num, unit, teen, tens, hundred, big
        self.last_big = float("inf")
        self.multiplier = 1.0
        self.suffix: str | None = None
        self.digits = False
        self.unit = 0.0  # the last unit word's value, for Malay "puluh" (tens of it)

    # -- token access -------------------------------------------------------------------
    def peek(self, offset: int = 0) -> _Token | None:
        """The token `offset` places ahead, if it is joined to the previous one by a short gap."""
        j = self.i + offset
        if j >= len(self.tokens):
            return None
        if offset > 0:
            gap = self.text[self.tokens[j - 1].end:self.tokens[j].start]
            if not _GAP.fullmatch(gap):
                return None
        return self.tokens[j]

    def word(self, offset: int = 0) -> str:
        tok = self.peek(offset)
        return tok.text if tok is not None and tok.kind == "word" else ""

    # -- grammar ------------------------------------------------------------------------
    def lead(self) -> bool:
        """Read the first part of a number; False when no number starts here."""
        tok = self.peek()
        if tok is None:
            return False
        if tok.kind == "num":
            self.current, self.last, self.digits = tok.value, "num", True
            self.i += 1
            return True
        w = tok.text
        if w in _UNITS:
            self.current, self.last, self.unit = float(_UNITS[w]), "unit", float(_UNITS[w])
        elif w in _TEENS:
            self.current, self.last = float(_TEENS[w]), "teen"
        elif w in _TENS:
            self.current, self.last = float(_TENS[w]), "tens"
        elif w in number_words.HUNDREDS:
            self.current, self.last = float(number_words.HUNDREDS[w]), "hundred"
        elif w in number_words.SCALED_LEADS:
            return self.lead_scaled(w)
        elif w in _ARTICLES:
            return self.lead_article()
        elif w in _VAGUE:
            return self.lead_vague(0)
        elif w == "dozen":
            self.current, self.last = 12.0, "unit"
        else:
            return False
        self.i += 1
        return True

    def lead_scaled(self, w: str) -> bool:
        """One word that is a whole scaled number: "тысяча", "sejuta", "femtitusen"."""
        value = number_words.SCALED_LEADS[w]
        scale = 1000.0 ** max(1, int(len(str(int(value))) - 1) // 3)
        self.total, self.current, self.last, self.last_big = value, 0.0, "big", scale
        self.multiplier, self.suffix = scale, w
        self.i += 1
        return True

    def lead_article(self) -> bool:
        """"a hundred", "a thousand", "a dozen", "a couple of thousand", "a half million"."""
        nxt = self.word(1)
        if nxt == "dozen":
            self.current, self.last = 12.0, "unit"
            self.i += 2
            return True
        if nxt in _VAGUE:
            return self.lead_vague(1)
        if nxt in SCALES and nxt not in _LETTER_SCALES:
            self.current, self.last = 1.0, "unit"
            self.i += 1
            return True
        return False

    def lead_vague(self, offset: int) -> bool:
        """"couple"/"few"/"half"/"quarter" (+ "of" + "a") count only when a scale follows."""
        value = _VAGUE[self.word(offset)]
        j = offset + 1
        if self.word(j) == "of":
            j += 1
        if self.word(j) in ("a", "an"):
            j += 1
        if self.word(j) not in SCALES or self.word(j) in _LETTER_SCALES - _WORD_SCALE_AFTER_WORDS:
            return False
        self.current, self.last = value, "frac"
        self.i += j
        return True

    def rest(self) -> None:
        """Read scales, tens-units, "and ..." and "point ..." until the number ends."""
        while True:
            tok = self.peek()
            if tok is None:
                return
            if tok.kind == "hyphen":
                # Only "twenty-five" joins with a hyphen; "5-10" and "one-off" do not.
                nxt = self.peek(1)
                if self.last == "tens" and nxt is not None and nxt.text in _UNITS and nxt.text != "zero":
                    self.i += 1
                    continue
                return
            if not self.step(tok):
                return

    def step(self, tok: _Token) -> bool:
        w = tok.text if tok.kind == "word" else ""
        if w in SCALES:
            return self.scale(w)
        if self.digits:
            # Words after a digit figure: only "and a half" ("2 and a half million").
            return w in _AND and self.and_half()
        if w == "dozen" and self.last in ("unit", "teen", "tens"):
            self.current *= 12
            self.last = "hundred"
            self.i += 1
            return True
        if w in _UNITS and w != "zero" and self.last in ("tens", "hundred", "big"):
            self.current += _UNITS[w]
            self.last = "unit"
            self.unit = float(_UNITS[w])
            self.i += 1
            return True
        if w in number_words.TIMES_TEN and self.last == "unit":  # "lima puluh" = 50
            self.current += 9 * self.unit
            self.last = "tens"
            self.i += 1
            return True
        if w in number_words.PLUS_TEN and self.last == "unit":  # "dua belas" = 12
            self.current += 10
            self.last = "teen"
            self.i += 1
            return True
        if (w in _TEENS or w in _TENS) and self.last in ("hundred", "big"):
            self.current += _TEENS.get(w, 0) + _TENS.get(w, 0)
            self.last = "teen" if w in _TEENS else "tens"
            self.i += 1
            return True
        if w in _AND:
            if self.and_half():
                return True
            nxt = self.word(1)
            if self.last in ("hundred", "big") and (nxt in _UNITS or nxt in _TEENS or nxt in _TENS):
                self.i += 1
                return True
            if w != "and" and self.last == "tens" and nxt in _UNITS:  # "پنجاه و پنج" = 55
                self.i += 1
                return True
            return False
        if w == "point" and self.last in ("unit", "teen", "tens"):
            return self.point()
        return False

    def scale(self, w: str) -> bool:
        factor = SCALES[w]
        if w in _LETTER_SCALES and not (self.last == "num" or (w in _WORD_SCALE_AFTER_WORDS and not self.digits)):
            return False
        if self.last == "frac" or self.last in ("num", "unit", "teen", "tens"):
            pass
        elif self.last == "hundred" and factor > 100:
            pass
        else:
            return False
        if factor == 100:
            if self.last == "hundred":
                return False
            self.current *= 100
            self.last = "hundred"
        else:
            if factor >= self.last_big:
                return False
            self.total += self.current * factor
            self.current = 0.0
            self.last_big = factor
            self.last = "big"
        self.multiplier = factor
        self.suffix = w
        self.i += 1
        return True

    def and_half(self) -> bool:
        """"and a half" / "and half": half of one more unit, or of the last big scale."""
        j = 1
        if self.word(j) in ("a", "an"):
            j += 1
        if self.word(j) not in _HALF:
            return False
        if self.last == "big":
            self.total += 0.5 * self.last_big
        elif self.last in ("num", "unit", "teen", "tens"):
            self.current += 0.5
            self.last = "frac"
        else:
            return False
        self.i += j + 1
        return True

    def point(self) -> bool:
        """"one point five million": spoken decimals, one digit word at a time."""
        j, scale, frac = 1, 0.1, 0.0
        while self.word(j) in _UNITS:
            frac += _UNITS[self.word(j)] * scale
            scale /= 10
            j += 1
        if j == 1:
            return False
        self.current += frac
        self.last = "frac"
        self.i += j
        return True

    def result(self) -> float:
        return self.total + self.current


def _parse_at(tokens: list[_Token], i: int, text: str) -> tuple[Amount, int] | None:
    parser = _Parser(tokens, i, text)
    if not parser.lead():
        return None
    parser.rest()
    if parser.last == "frac" and not parser.digits and parser.multiplier == 1.0 and tokens[i].text in _VAGUE:
        return None
    if parser.multiplier == 1.0 and tokens[i].text in number_words.NEEDS_SCALE:
        return None  # "to", "fire": words, unless a scale makes them a number ("to tusen")
    end_tok = tokens[parser.i - 1]
    end = end_tok.end
    if parser.suffix in _ABBREVIATED and text[end:end + 1] == ".":
        end += 1
    value = parser.result()
    base = value / parser.multiplier
    amount = Amount(
        value=_tidy(value),
        start=tokens[i].start,
        end=end,
        base=_tidy(base),
        multiplier=parser.multiplier,
        suffix=parser.suffix,
        digits=parser.digits,
    )
    return amount, parser.i


def _tidy(value: float) -> float:
    """Round away binary noise ("1.1k" -> 1100.0, not 1100.0000000000002)."""
    return round(value, 6)
