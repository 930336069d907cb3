"""Numbers written in ways the number reader does not know, rewritten so it does: "五万块" ->
"5 万 块", "一万五" -> "1.5 万", "五六万" -> "5-6 万", "预算5000元" -> "预算 5000 元", "2/5 میلیون" ->
"2.5 میلیون", "тысяч 200" -> "200 тысяч".

`find_amounts` (bot/parsing/numbers.py) knows ASCII digits and words between spaces; digits of
every script are already ASCII after `clean_text` (bot/parsing/scripts.py). Visitors also write:
- Chinese numerals ("五万", "两千五百万", "十万", "一万五" = 15,000, formal "壹万"): read into digits
  with their largest unit (万 10^4, 亿 10^8, 千, 百) kept as a scale word after them, so a range
  still lends its scale to a bare end ("5-8万" = 50,000-80,000) as "5-8k" does;
- digits and Latin letters against Chinese characters, with no space ("预算5000元左右", "30k左右"):
  spaced, so the figure is a number and "元" a currency word;
- two neighbouring Chinese numerals before a unit are a rough range ("五六万" 50-60 thousand,
  "两三千", "一两万", "七八十万" 700-800 thousand; "三五万" too), "十几万" more than ten and under
  twenty 万;
- in Persian, a slash as the decimal mark before a scale word ("۲/۵ میلیون" is 2.5 million);
- in Russian, a scale before the figure says "about" ("тысяч 200", "может тыщ 50"): the figure
  is read with its scale after it.
A Chinese numeral counts only when it carries a unit (十, 百, 千, 万, 亿), stands before a money
word (元, 块) or starts a range ("三到五万"): "一年", "第一", "统一" stay words, and a run never
starts with 万/千/亿 ("千万别", "万一" are words, not numbers).

The budget parser reads its result; the answer keeps the visitor's own words.
Why not a library: cn2an (maintained) turns "5-8万" into "5-80000", losing the unit the range
needs.
"""
from __future__ import annotations

import re

__all__ = ["ascii_numerals"]

# "۲/۵ میلیون" (2.5 million): the slash is Persian's decimal mark; only before a scale word, so
# a date or a fraction stays what it is.
_PERSIAN_DECIMAL = re.compile(r"(?<![\d/])(\d+)/(\d+)(?=\s?(?:میلیون|ملیون|میلیارد|ملیارد|هزار)(?![^\W\d_]))")


# -- Chinese ----------------------------------------------------------------------------------
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5,
              "陆": 6, "陸": 6, "柒": 7, "捌": 8, "玖": 9}
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
# The unit written after the figure: the scale word find_amounts knows (numbers.SCALES).
_UNIT_WORD = {10_000: "万", 100_000_000: "亿", 1000: "千", 100: "百"}
_MONEY_AFTER = "元块塊圆圓"

_DIGIT_CHARS = "".join(_CN_DIGITS)
# Measure words: a numeral before one counts things ("三千一个月" is 3,000 for one month).
_COUNTED = "个個年月天周週次人位名岁歲"
_UNIT_CHARS = "".join(_CN_SMALL) + "".join(_CN_BIG)
# A run: starts with a numeral, ASCII digits or 十/拾 ("十万"), then numerals, units and digits.
_RUN = re.compile(
    rf"(?:[{_DIGIT_CHARS}十拾]|(?<![\d.,])\d+(?:\.\d+)?(?=\s?[{_UNIT_CHARS}]))"
    rf"(?:\s?[{_UNIT_CHARS}]|\s?[{_DIGIT_CHARS}](?![{_COUNTED}])|\d+(?:\.\d+)?)*"
)
_CJK = "\u3000-\u9fff\uf900-\ufaff"
# Digits and Latin letters against Chinese ("30k左右", "预算5000元"): spaced, as words are elsewhere.
_CJK_EDGE = re.compile(rf"(?<=[{_CJK}])(?=[0-9A-Za-z.$¥€£])|(?<=[0-9A-Za-z])(?=[{_CJK}])")
# "一个亿", "两个亿": a numeral counted with 个 before 亿/万 is that many of them.
_COUNTED_UNIT = re.compile(rf"([{''.join(_CN_DIGITS)}\d])\s?[个個](?=[万萬亿億])")
# A bare numeral that starts a range ("三到五万") is a figure like its other end.
_RANGE_AFTER = "到至-~～"


# "тысяч 200": about 200 thousand.
_SCALE_FIRST = re.compile(r"(?<!\d )(?<![^\W\d_])(?<!\d)(тысяч|тыщ|тыс\.?|миллионов|лямов)\s(\d+(?:[.,]\d+)?)(?![\d.,])")
_NEIGHBOURS = re.compile(r"([一二两兩三四五六七八九])([二两兩三四五六七八九])(十)?([百千万萬亿億])?")
# "三五万": three to five, an idiom beside the neighbours
_IDIOM_PAIRS = {(3, 5)}
_TEN_ODD = re.compile(r"(?<![一二三四五六七八九两])十几")


def _neighbours(match: re.Match[str]) -> str:
    low, high = _CN_DIGITS[match.group(1)], _CN_DIGITS[match.group(2)]
    if (high != low + 1 and (low, high) not in _IDIOM_PAIRS) or not (match.group(3) or match.group(4)):
        return match.group(0)
    ten = 10 if match.group(3) else 1
    return f" {low * ten}-{high * ten} {match.group(4) or ''} "


def ascii_numerals(text: str) -> str:
    """`text` with Chinese numerals written as digits and a unit, and Persian's decimal slash a dot."""
    text = _SCALE_FIRST.sub(r"\2 \1", _PERSIAN_DECIMAL.sub(r"\1.\2", text))
    if not re.search(r"[\u3000-\u9fff\uf900-\ufaff]", text):
        return text
    text = _TEN_ODD.sub(" 10-20 ", _NEIGHBOURS.sub(_neighbours, _COUNTED_UNIT.sub(r"\1", text)))
    text = _RUN.sub(_chinese_run, text)
    return _CJK_EDGE.sub(" ", text)


def _chinese_run(match: re.Match[str]) -> str:
    run = match.group(0)
    has_unit = any(ch in _UNIT_CHARS for ch in run)
    after = match.string[match.end():match.end() + 1]
    money_after = bool(after) and after in _MONEY_AFTER + _RANGE_AFTER
    if not has_unit and not money_after:
        return run  # "一年", "第一": a word, not a figure
    parsed = _chinese_value(run.replace(" ", ""))
    if parsed is None:
        return run
    value, unit = parsed
    figure = value / unit if unit > 10 else value
    written = f"{figure:.6f}".rstrip("0").rstrip(".")
    return f" {written} {_UNIT_WORD[unit]} " if unit > 10 else f" {written} "


def _chinese_value(run: str) -> tuple[float, int] | None:
    """(value, largest unit above ten in it, else 1): "两千五百万" -> (25,000,000, 10,000)."""
    total = 0.0  # everything scaled by 万/亿 so far
    section = 0.0  # the part under the next 万/亿
    number: float | None = None  # the digit waiting for its unit
    last_unit = 1  # the unit just applied, for "一万五" (= 1.5万)
    zero = False  # "一千零五": a zero says the next digit is literal
    largest = 1
    for piece in re.findall(r"\d+(?:\.\d+)?|.", run):
        digit = float(piece) if piece[0].isdigit() else _CN_DIGITS.get(piece)
        if digit is not None:
            if number is not None:
                return None  # "五五", "5五": not one figure
            if digit == 0:
                zero = True
            else:
                number = float(digit)
        elif piece in _CN_SMALL:
            unit = _CN_SMALL[piece]
            section += (1.0 if number is None else number) * unit
            number, last_unit, zero = None, unit, False
            largest = max(largest, unit)
        else:
            unit = _CN_BIG[piece]
            section += number or 0.0
            total = (total + section) * unit if unit == 100_000_000 else total + section * unit
            section, number, last_unit, zero = 0.0, None, unit, False
            largest = max(largest, unit)
    if number is not None:
        # "一万五" is 15,000 and "三千五" 3,500: a lone digit after a unit counts in the next one down
        if last_unit > 10 and not zero and number < 10 and number == int(number):
            number *= last_unit / 10
        section += number
    return total + section, largest if largest > 10 else 1
