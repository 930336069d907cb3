"""Every currency in use, as people write it beside an amount: ISO codes ("AED 20k",
"50 million VND"), names and their plurals ("Thai baht", "naira", "dirhams", "shekels").

Built once from Babel's CLDR data (the currencies a territory uses today, and the symbols
every CLDR locale writes for them: "zł", "KSh", "د.إ", "RD$"), so a currency is never missing
because nobody here thought of it. A symbol several countries write for their own currency
("$", "kr", "¥", "Rs", "Br") has several readings (`symbol_readings`): the visitor's country
settles it (`settle`), and when nothing does the bot asks. A unit name that several currencies share
("dirham": UAE or Morocco, "peso", "rupee", "krone") goes to the currency most visitors mean
(`AMBIGUOUS`), unless the caller knows the visitor's country (`for_country`). Codes that are
also English words ("ALL", "TRY", "MAD", "CUP") count only when written in capitals.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import babel
from babel import localedata
from babel.core import get_global
from babel.numbers import get_currency_name

__all__ = ["AMBIGUOUS", "LOCALES", "code_names", "language_territory", "local_names", "for_country", "local_currency", "choose_currency", "currency_label", "settle", "symbol_casing", "symbol_readings", "symbols",
           "unit_names", "word_like_codes"]

# The currency a shared unit name means when nothing says which country: the largest
# economy using that name (a visitor in Morocco is resolved by `for_country`).
AMBIGUOUS: dict[str, str] = {
    "dollar": "USD", "peso": "MXN", "dirham": "AED", "rupee": "INR", "krona": "SEK", "krone": "NOK",
    "franc": "CHF", "pound": "GBP", "dinar": "KWD", "riyal": "SAR", "rial": "OMR", "won": "KRW",
    "real": "BRL", "shilling": "KES", "lira": "TRY", "yuan": "CNY", "rand": "ZAR", "leu": "RON",
    "lev": "BGN", "manat": "AZN", "som": "KGS", "rupiah": "IDR", "ringgit": "MYR", "taka": "BDT",
    "kwacha": "ZMW", "dram": "AMD", "mark": "BAM", "sol": "PEN", "colón": "CRC", "colon": "CRC",
    "córdoba": "NIO", "cordoba": "NIO", "guarani": "PYG", "boliviano": "BOB", "cedi": "GHS",
    "ruble": "RUB", "rouble": "RUB",
}
# Lower-case codes that are everyday words: only "ALL", "TRY", ... in capitals are currencies.
_WORDS = {"all", "try", "mad", "cup", "top", "bob", "pen", "gel", "sos", "bam", "mop", "lak", "kid", "bit",
          "awg", "fkp", "pab", "bnd", "mga", "mvr", "sar", "nio", "gyd", "ern"}
# Names too common as words to stand for a currency after a number ("5 mark", "3 real")
_NOT_UNITS = {"mark", "real", "sol", "som", "won", "dram"}


@lru_cache(maxsize=1)
def _territories() -> dict[str, list[str]]:
    """ISO 4217 code -> territories using it today (CLDR)."""
    active: dict[str, list[str]] = {}
    for territory, spans in get_global("territory_currencies").items():
        for code, _start, end, tender in spans:
            if end is None and tender is not False:
                active.setdefault(code, []).append(territory)
    return active


# A symbol is one currency's when CLDR writes it for that currency in at least this share of
# the locales that use it ("£": GBP in 99%, the Falklands' and Saint Helena's pounds in the
# rest); below it, every currency that writes it at home is a reading ("$": 27 of them).
_ONE_READING_SHARE = 0.95
_BIDI = str.maketrans("", "", "\u200e\u200f\u061c")


def written_form(symbol: str) -> str:
    """The lookup form of a written symbol: lower case, no bidi marks ("ج.م.\u200f" -> "ج.م.")."""
    return symbol.translate(_BIDI).strip().lower()


# What `_symbol_counts` reads from every CLDR locale, stored: walking all of them (about 1,100
# files) took seconds at each start of a process that reads budgets. `python -m
# bot.parsing.currencies` writes it again from the installed Babel (tests/parsing/test_currencies.py
# fails until then when an upgrade changes it); with another Babel it is read from CLDR as before.
SYMBOL_TABLE = Path(__file__).resolve().parent.parent / "data" / "currency_symbols.json"


def cldr_symbol_table() -> dict[str, Any]:
    """Per written symbol, from every CLDR locale of the installed Babel (in the order of their
    names): in how many it stands for each active currency (`counts`, in the order first met),
    the currencies it stands for in a locale of a territory that uses them (`home`), and how CLDR
    cases it (`casings`, in the order first met)."""
    active = _territories()
    home: dict[str, set[str]] = {}
    counts: dict[str, Counter[str]] = {}
    casings: dict[str, Counter[str]] = {}
    for locale_id in sorted(localedata.locale_identifiers()):
        territory = next((p for p in locale_id.split("_")[1:] if len(p) == 2 and p.isupper()), None)
        for code, symbol in localedata.load(locale_id)["currency_symbols"].items():
            written = written_form(symbol)
            if code not in active or not written or written == code.lower():
                continue
            counts.setdefault(written, Counter())[code] += 1
            casings.setdefault(written, Counter())[symbol.translate(_BIDI).strip()] += 1
            if territory in active[code]:
                home.setdefault(written, set()).add(code)
    return {"babel": babel.__version__,
            "symbols": {written: {"counts": dict(per_code), "home": sorted(home.get(written, ())),
                                  "casings": list(casings[written])}
                        for written, per_code in counts.items()}}


def _symbol_table() -> dict[str, Any]:
    """The stored table when it was written from the installed Babel, else read from CLDR."""
    try:
        stored = json.loads(SYMBOL_TABLE.read_text(encoding="utf-8"))
    except FileNotFoundError:
        stored = None
    if stored is not None and stored.get("babel") == babel.__version__:
        return stored
    return cldr_symbol_table()


@lru_cache(maxsize=1)
def _symbol_counts() -> tuple[dict[str, Counter[str]], dict[str, set[str]], dict[str, tuple[str, ...]]]:
    """Per written symbol: in how many CLDR locales it stands for each active currency, the
    currencies it stands for in a locale of a territory that uses them (its home symbol), and
    how CLDR cases it ("Db", "VT", "RF" and "Rf")."""
    table = _symbol_table()["symbols"]
    counts = {written: Counter(entry["counts"]) for written, entry in table.items()}
    home = {written: set(entry["home"]) for written, entry in table.items() if entry["home"]}
    return counts, home, {written: tuple(entry["casings"]) for written, entry in table.items()}


@lru_cache(maxsize=1)
def symbols() -> dict[str, tuple[str, ...]]:
    """Written symbol (lower case) -> the currencies it can mean, the most written first.

    One reading for most ("zł": PLN, "ksh": KES); several for a symbol that several countries
    write for their own currency ("$", "kr", "¥", "rs", "br"). Arabic symbols are also kept
    without their final dot ("د.إ." and "د.إ")."""
    counts, home, _cased = _symbol_counts()
    out: dict[str, tuple[str, ...]] = {}
    for written, per_code in counts.items():
        top, top_count = per_code.most_common(1)[0]
        if top_count >= _ONE_READING_SHARE * sum(per_code.values()):
            readings: tuple[str, ...] = (top,)
        else:
            codes = home.get(written, set()) | {top}
            readings = tuple(sorted(codes, key=lambda c: (-per_code[c], c)))
        out[written] = readings
        if written.endswith(".") and not written[:-1].isascii():
            out.setdefault(written[:-1], readings)
    return out


def symbol_casing(written: str) -> tuple[str, ...]:
    """How CLDR writes a symbol ("vt" -> ("VT",), "rf" -> ("Rf", "RF")): short letter symbols
    count only so."""
    return _symbol_counts()[2].get(written_form(written), (written,))


def symbol_readings(written: str) -> tuple[str, ...]:
    """The currencies a written symbol can mean (several only for a shared one); () if unknown."""
    return symbols().get(written_form(written), ())


def settle(readings: tuple[str, ...] | list[str], country: str | None) -> str | None:
    """The reading the visitor's country uses ("$" from Canada: CAD), or None when the country is
    unknown or uses none of them (then the visitor is asked)."""
    if not country or not readings:
        return None
    local = [code for code in readings if country.upper() in _territories().get(code, [])]
    return local[0] if len(local) == 1 else None


def word_like_codes() -> frozenset[str]:
    return frozenset(_WORDS)


@lru_cache(maxsize=1)
def code_names() -> dict[str, str]:
    """Lower-case written form -> code, for codes and full names ("thai baht", "uae dirhams")."""
    names: dict[str, str] = {}
    for code in _territories():
        names[code.lower()] = code
        for count in (1, 2):
            full = get_currency_name(code, count=count, locale="en").lower()
            names.setdefault(full, code)
    return names


@lru_cache(maxsize=1)
def unit_names() -> dict[str, str]:
    """Lower-case unit word, singular and plural ("baht", "nairas", "dirhams") -> code.
    Shared words go to `AMBIGUOUS`; a shared word without a default is left out."""
    by_word: dict[str, set[str]] = {}
    for code in _territories():
        for count in (1, 2):
            words = re.findall(r"[^\W\d_]+", get_currency_name(code, count=count, locale="en").lower())
            if words:
                by_word.setdefault(words[-1], set()).add(code)
    units: dict[str, str] = {}
    for word, codes in by_word.items():
        singular = word[:-1] if word.endswith("s") and word[:-1] in by_word else word
        if len(codes) == 1:
            units[word] = next(iter(codes))
        elif singular in AMBIGUOUS:
            units[word] = AMBIGUOUS[singular]
    return {w: c for w, c in units.items() if w.rstrip("s") not in _NOT_UNITS or w in ("won",)}


# The bot's languages besides English, whose CLDR currency names visitors write ("рублей",
# "norske kroner", "ریال", "ringgit", "人民币").
LOCALES = ("ru", "nb", "fa", "ms", "zh")
# Where a language puts the unit word in a currency's name: Russian "доллар США" and "российский
# рубль" (the first word that is not an adjective), Norwegian "norske kroner" (last), Persian
# "ریال ایران" and Malay "Ringgit Malaysia" (first); a Chinese name is one word ("人民币").
_RU_ADJECTIVE = re.compile(r"(?:ий|ый|ой|ая|ое|ие|ые|их|ых|ого|ую)$")


def _unit_word_in(locale: str, name: str) -> str | None:
    words = re.findall(r"[^\W\d_]+", name.lower())
    if not words or locale == "zh":
        return None
    if locale == "ru":
        nouns = [w for w in words if not _RU_ADJECTIVE.search(w)]
        return nouns[0] if nouns else None
    return words[-1] if locale == "nb" else words[0]


@lru_cache(maxsize=1)
def local_names() -> dict[str, tuple[str, ...]]:
    """Lower-case currency name or unit word in the bot's other languages -> the currencies it
    can mean, the usual one first: full names mean one ("норвежских крон": NOK, "美元": USD); a
    unit word several currencies share means the one its English unit word means by default
    (`AMBIGUOUS`: "долларов", "دلار", "dolar" are USD) when they share that English word, else
    each of them ("кроны", "kroner": NOK, SEK, DKK, ...), for the visitor's country or language
    to settle."""
    full: dict[str, tuple[str, str | None]] = {}
    units: dict[str, set[str]] = {}
    for locale in LOCALES:
        data = localedata.load(locale)
        for code in _territories():
            forms = {data["currency_names"].get(code), *data["currency_names_plural"].get(code, {}).values()}
            for name in filter(None, forms):
                unit = _unit_word_in(locale, name)
                unit = unit if unit and len(unit) >= 3 and unit not in _NOT_UNITS else None
                full.setdefault(name.lower(), (code, unit))
                if unit:
                    units.setdefault(unit, set()).add(code)
    # A full name only where its unit word alone does not say which ("норвежских крон", "美元"):
    # every name costs each message's currency scan.
    out: dict[str, tuple[str, ...]] = {name: (code,) for name, (code, unit) in full.items()
                                       if unit is None or len(units[unit]) > 1}
    for unit, codes in units.items():
        if unit in out:
            continue
        english = {_unit_word(code) for code in codes}
        if len(codes) == 1:
            out[unit] = (next(iter(codes)),)
        elif len(english) == 1 and english.pop() in AMBIGUOUS:
            out[unit] = (AMBIGUOUS[_unit_word(next(iter(codes)))],)
        else:
            defaults = set(AMBIGUOUS.values())
            out[unit] = tuple(sorted(codes, key=lambda c: (c not in defaults, c)))
    return out


def language_territory(language: str | None) -> str | None:
    """The country a conversation's language says, for a currency several countries write: the
    language's likely territory in CLDR ("nb": NO, "zh": CN, "fa": IR). None for English, which
    is written everywhere, and for a language that is none of the bot's."""
    if language not in LOCALES:
        return None
    likely = get_global("likely_subtags").get(language, "")
    return next((part for part in likely.split("_")[1:] if len(part) == 2 and part.isupper()), None)


def for_country(unit_code: str, country: str | None) -> str:
    """The visitor's own currency when it shares the unit word of `unit_code` ("dirhams" from
    Morocco is MAD, not AED); else `unit_code`."""
    if not country:
        return unit_code
    local = [code for code, places in _territories().items() if country.upper() in places]
    unit = _unit_word(unit_code)
    for code in local:
        if _unit_word(code) == unit:
            return code
    return unit_code


def _unit_word(code: str) -> str:
    words = re.findall(r"[^\W\d_]+", get_currency_name(code, locale="en").lower())
    return words[-1] if words else code.lower()


def local_currency(code: str, text: str, country: str | None) -> str:
    """`code` as read from `text`, made the visitor's own when the text wrote it in a form
    their country shares ("$", "dollars" from Sydney: AUD; "dirhams" from Marrakech: MAD).
    A currency named outright ("USD", "US dollars") stays as written."""
    if not country:
        return code
    low = text.lower()
    named = any(re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", low)
                for name, named_code in code_names().items() if named_code == code)
    return code if named else for_country(code, country)


def currency_label(code: str) -> str:
    """How the bot names a currency when it asks ("US dollars", "Swedish kronor")."""
    return get_currency_name(code, count=2, locale="en")


def choose_currency(text: str, options: tuple[str, ...] | list[str], country: str | None = None) -> str | None:
    """Which of `options` a reply to "which currency?" names: its code ("NOK"), its name or the
    words that set it apart from the others ("Norwegian", "the Canadian ones"), or a country
    that uses it (`country`, read from the reply by the caller: "Norway"). None when the reply
    names none of them, or more than one."""
    low = text.lower()
    words = set(re.findall(r"[^\W\d_]+", low))
    named = [code for code in options if code.lower() in words or _named(code, low, words, options)]
    if len(named) == 1:
        return named[0]
    settled = settle(tuple(options), country)
    return settled if not named or settled in named else None


def _named(code: str, low: str, words: set[str], options: tuple[str, ...] | list[str]) -> bool:
    """The reply says the currency's name, or a word of it no other option's name has, in
    English or in one of the bot's other languages ("норвежские", "norske", "挪威克朗")."""
    names = _names(code)
    if any(name in low for name in names):
        return True
    others = {w for other in options if other != code for name in _names(other) for w in re.findall(r"[^\W\d_]+", name)}
    own = {w for name in names for w in re.findall(r"[^\W\d_]+", name)} - others
    return bool(own & words)


@lru_cache(maxsize=512)
def _names(code: str) -> frozenset[str]:
    """Every name of a currency, lower case: English and each of LOCALES, singular and plurals."""
    names = {get_currency_name(code, locale="en").lower(), currency_label(code).lower()}
    for locale in LOCALES:
        data = localedata.load(locale)
        forms = {data["currency_names"].get(code), *data["currency_names_plural"].get(code, {}).values()}
        names.update(name.lower() for name in forms if name)
    return frozenset(names)


def write_symbol_table(path: Path = SYMBOL_TABLE) -> None:
    """Write `SYMBOL_TABLE` from the installed Babel's CLDR (`python -m bot.parsing.currencies`)."""
    path.write_text(symbol_table_text(cldr_symbol_table()), encoding="utf-8")


def symbol_table_text(table: dict[str, Any]) -> str:
    """The stored form: one symbol a line, so an upgrade's changes read as a short diff."""
    lines = [f"  {json.dumps(written, ensure_ascii=False)}: {json.dumps(entry, ensure_ascii=False)}"
             for written, entry in table["symbols"].items()]
    return (f'{{"babel": {json.dumps(table["babel"])},\n "symbols": {{\n' + ",\n".join(lines) + "\n }\n}\n")


if __name__ == "__main__":
    write_symbol_table()
    print(f"wrote {SYMBOL_TABLE}")
