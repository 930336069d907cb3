"""Read who the visitor is: e-mail address, name and company.

E-mail: any address anywhere in a message is taken (domain lower-cased, local part kept
as typed). Something that looks like an address but is not one gets a `problem` the bot
can say as is ("sam@brightwell" lacks its ending, "sam.brightwell.com" lacks the @), and
likely typos of the big mail providers ("gmial.com", "gmail.con", "hotmail.co") are not
taken: the visitor is asked "did you mean sam@gmail.com?" instead, because a lead with a
dead address is worth little. ".co" is a real ending; only "gmail.co" and the like (the
provider has no .co address) are suggested away.

Names and companies are kept as typed, except that an all-lower or all-upper name is
title-cased ("jo-anne o'neil" -> "Jo-Anne O'Neil"); emoji and trailing punctuation go.
Legal suffixes stay ("Acme Corp.", "Globex GmbH").

`answering=True` (the bot asked for this) reads a bare reply ("Sam", "Acme"); otherwise
only a cue counts ("my name is", "I'm", "Sam Ortiz here", "this is Dana from Acme", "at
Brightwell Dental", "I work for Globex") and the value must be capitalised, so "I'm at
home", "I'm looking for", "from 30 to 45 thousand" are not read. A capitalised place after
"from"/"at" ("from Berlin") cannot always be told from a company; common cities and
countries are refused, others are accepted as a known risk. Names and companies said with
the cues and legal forms of Russian, Norwegian, Malay, Chinese and Persian: contact_words.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.parsing.contact_words import NOT_NAME_WORDS, native_company, native_name
from bot.parsing.replies import DONT_KNOW, UNSURE
from bot.parsing.text import clean_text, strip_emoji
from bot.places import is_place_name

__all__ = ["EmailCheck", "name_alone", "parse_email", "parse_name", "parse_company"]

_I = re.IGNORECASE
_SCAN_CHARS = 20_000
_MAX_AT_SIGNS = 20


# -- e-mail -------------------------------------------------------------------------------
@dataclass(frozen=True)
class EmailCheck:
    """An address found in a message, or why what looked like one was not taken."""

    email: str | None = None  # valid address, domain lower-cased
    problem: str | None = None  # a sentence for the visitor when an address looked invalid
    suggestion: str | None = None  # the likely intended address, for typos


_PROVIDERS = {
    "gmail": "gmail.com", "googlemail": "googlemail.com", "outlook": "outlook.com",
    "hotmail": "hotmail.com", "yahoo": "yahoo.com", "icloud": "icloud.com",
    "protonmail": "protonmail.com",
}
# Free e-mail providers: real domains (so never "corrected"), and no company behind them
# (so `anna@gmail.com` and `ben@gmail.com` are not one account).
FREE_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "yahoo.com", "icloud.com",
    "protonmail.com", "mail.com", "email.com", "ymail.com", "gmx.com", "gmx.net", "gmx.de",
    "aol.com", "live.com", "msn.com", "me.com", "mac.com", "proton.me", "zoho.com", "web.de",
    "outlook.de", "hotmail.de", "yahoo.de", "yandex.com", "hey.com", "fastmail.com",
    "hotmail.co.uk", "yahoo.co.uk", "outlook.fr", "hotmail.fr", "yahoo.fr", "orange.fr", "free.fr",
    "laposte.net", "sfr.fr", "wanadoo.fr", "t-online.de", "freenet.de", "libero.it", "virgilio.it",
    "hotmail.it", "yahoo.it", "tiscali.it", "btinternet.com", "sky.com", "virginmedia.com",
    "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "cox.net",
    "qq.com", "163.com", "126.com", "sina.com", "naver.com", "daum.net", "yandex.ru", "mail.ru",
    "bk.ru", "inbox.ru", "list.ru", "rambler.ru", "seznam.cz", "wp.pl", "o2.pl", "onet.pl",
    "interia.pl", "bol.com.br", "uol.com.br", "terra.com.br", "yahoo.com.br", "hotmail.es",
    "yahoo.es", "telefonica.net", "rediffmail.com", "yahoo.co.in", "yahoo.co.jp", "tutanota.com",
    "tuta.io", "pm.me", "hushmail.com", "mailbox.org", "posteo.de", "gmx.at", "gmx.ch", "bluewin.ch",
    "hotmail.nl", "ziggo.nl", "kpnmail.nl", "telenet.be", "skynet.be", "live.co.uk", "live.fr",
    "live.de", "live.nl", "msn.com", "aim.com", "rocketmail.com", "mail.ch", "hotmail.se",
})
_TLD_TYPOS = {"con", "cmo", "comm", "cim", "vom", "xom", "ocm", "c0m", "coom", "clm", "cpm", "ccom", "comn", "cmm", "cok"}
# Endings that, after a provider name, can only be a slip for .com.
_PROVIDER_TLD_SLIPS = _TLD_TYPOS | {"co", "cm", "om", "net", "org", "c", "co.", "cou"}
_LOCAL_CHARS = re.compile(r"[\w.%+'-]")
_DOMAIN_CHARS = re.compile(r"[\w.-]")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|xn--[a-z0-9-]+", _I)
_TLD = re.compile(r"[a-z]{2,24}|xn--[a-z0-9-]{2,59}", _I)
_OBFUSCATED = re.compile(
    r"^\W*(?P<local>[\w.+-]{1,64})\s?(?:\[at\]|\(at\)|\s(?:at)\s)\s?(?P<domain>[\w-]{1,63}(?:(?:\s?(?:\[dot\]|\(dot\)|\sdot\s)\s?|\.)[\w-]{1,63}){1,4})\W*$",
    _I,
)
_DOTTED = re.compile(r"(?<![\w@.-])(?P<tok>[\w+-]{1,64}(?:\.[\w-]{1,63}){2,4})(?![\w@-])")
_WEBSITE = re.compile(r"(?<![\w@.-])(?:https?://)?(?:www\.)?[\w-]{2,63}\.[a-z]{2,24}(?![\w@-])", _I)


def parse_email(text: str, *, answering: bool = True) -> EmailCheck:
    """The first valid address in `text`; else the first problem; else an empty check.

    `answering=True` also reads "sam at gmail dot com" and reports a dotted address with
    no @ ("sam.brightwell.com"); in any other message only text with an @ is considered.
    """
    cleaned = clean_text(text)  # the whole message: an address at the end of a paste counts
    first_problem: EmailCheck | None = None
    at = cleaned.find("@")
    seen = 0
    while at >= 0 and seen < _MAX_AT_SIGNS:
        seen += 1
        check, next_from = _check_at(cleaned, at, answering)
        if check.email:
            return check
        if first_problem is None and check.problem:
            first_problem = check
        at = cleaned.find("@", max(next_from, at + 1))
    if first_problem:
        return first_problem
    if answering:
        return _without_at(cleaned)
    return EmailCheck()


def _check_at(text: str, at: int, answering: bool) -> tuple[EmailCheck, int]:
    left = at
    while left > 0 and at - left < 64 and _LOCAL_CHARS.match(text[left - 1]):
        left -= 1
    if answering and left == at and at >= 2 and text[at - 1] == " ":
        # "sam @ gmail.com"
        left2 = at - 1
        while left2 > 0 and at - left2 < 65 and _LOCAL_CHARS.match(text[left2 - 1]):
            left2 -= 1
        if left2 < at - 1:
            local = text[left2:at - 1]
            left = left2
        else:
            local = ""
    else:
        local = text[left:at]
        if not local.isascii() and any(c.isascii() for c in local):
            # "我的邮箱是wang@abc.cn", "почта:anna@x.ru": the address starts where the script changes
            local = local[len(local.rstrip("".join({c for c in local if c.isascii()}))):]
            left = at - len(local)
    start_domain = at + 1
    if answering and start_domain < len(text) and text[start_domain] == " ":
        start_domain += 1
    right = start_domain
    while right < len(text) and right - start_domain < 255 and _DOMAIN_CHARS.match(text[right]):
        right += 1
    domain = text[start_domain:right]
    if right < len(text) and text[right] == "@":
        return EmailCheck(problem=f"The address {text[left:right + 1]}… has two @ signs; please type it again."), right + 1
    local = local.strip(".'")
    domain = domain.strip(".-").lower()
    shown = f"{local}@{domain}"
    if not local and not domain:
        return EmailCheck(), right
    if not local:
        return EmailCheck(problem=f"The address @{domain} is missing the part before the @."), right
    if not domain:
        return EmailCheck(problem=f"The address {local}@ is missing the part after the @."), right
    if ".." in local or ".." in domain:
        return EmailCheck(problem=f"The address {shown} has two dots in a row; please check it."), right
    labels = domain.split(".")
    if len(labels) < 2:
        return EmailCheck(
            problem=f"The address {shown} seems to be missing its ending (like .com or .co.uk)."
        ), right
    if not all(_LABEL.fullmatch(label) for label in labels) or not _TLD.fullmatch(labels[-1]):
        return EmailCheck(problem=f"The address {shown} does not look complete; please check it."), right
    suggestion = _suggest_domain(domain)
    if suggestion:
        fixed = f"{local}@{suggestion}"
        return EmailCheck(
            problem=f"The address {shown} looks like it has a typo: did you mean {fixed}?",
            suggestion=fixed,
        ), right
    if len(shown) > 254:
        return EmailCheck(problem="That address is longer than any valid one; please check it."), right
    return EmailCheck(email=shown), right


def _suggest_domain(domain: str) -> str | None:
    """The intended domain for a likely typo ("gmial.com" -> "gmail.com"), else None."""
    if domain in FREE_MAIL_DOMAINS:
        return None
    labels = domain.split(".")
    if labels[-1] in _TLD_TYPOS:
        fixed = ".".join(labels[:-1] + ["com"])
        return _suggest_domain(fixed) or fixed
    if len(labels) != 2:
        return None
    name, tld = labels
    if name in _PROVIDERS:
        return _PROVIDERS[name] if tld in _PROVIDER_TLD_SLIPS else None
    if tld not in ("com",) and tld not in _PROVIDER_TLD_SLIPS:
        return None
    for provider, full in _PROVIDERS.items():
        limit = 1 if len(provider) <= 5 else 2
        if abs(len(name) - len(provider)) <= limit and _distance(name, provider) <= limit:
            return full
    return None


def _distance(a: str, b: str) -> int:
    """Optimal string alignment distance (edits, with adjacent swaps counting once)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


# An address said aloud, as a phone call's speech recognition writes it: "sam dot ortiz at
# brightwell dot com", "sam underscore o at example dot co dot uk".
_SPOKEN_SEPARATORS = {"dot": ".", "period": ".", "point": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
_SPOKEN_SEPARATOR = re.compile(r"\s+(%s)\s+" % "|".join(_SPOKEN_SEPARATORS), _I)
_SPOKEN_AT = re.compile(r"\s+at\s+", _I)
_SPOKEN_ADDRESS = re.compile(r"^[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}$")


def _spoken_address(text: str) -> str | None:
    """The address in a reply that is only an address said aloud, written out; else None."""
    words = text.strip().strip(".!?,").strip()
    if len(words) > 160 or len(_SPOKEN_AT.findall(words)) != 1:
        return None
    written = _SPOKEN_SEPARATOR.sub(lambda m: _SPOKEN_SEPARATORS[m.group(1).lower()], words)
    written = _SPOKEN_AT.sub("@", written)
    written = re.sub(r"^(?:it'?s|it is|my e-?mail(?: address)? is|that'?s)\s+", "", written, flags=_I)
    return written if _SPOKEN_ADDRESS.fullmatch(written) else None


def _without_at(text: str) -> EmailCheck:
    """Reply to the e-mail question with no @: spelled-out or missing @."""
    m = _OBFUSCATED.match(text)
    if m:
        domain = re.sub(r"\s?(?:\[dot\]|\(dot\)|\sdot\s)\s?", ".", m.group("domain"), flags=_I)
        check, _ = _check_at(f"{m.group('local')}@{domain}", len(m.group("local")), False)
        if check.email or check.problem:
            return check
    spoken = _spoken_address(text)
    if spoken is not None:
        check, _ = _check_at(spoken, spoken.index("@"), False)
        if check.email:
            return check
    m = _DOTTED.search(text)
    if m and len(text) <= 120:
        tok = m.group("tok")
        first, rest = tok.split(".", 1)
        guess = f"{first}@{rest.lower()}"
        return EmailCheck(
            problem=f"The address {tok} seems to be missing the @ (did you mean {guess}?).",
            suggestion=guess,
        )
    m = _WEBSITE.search(text)
    if m and len(text) <= 80:
        return EmailCheck(problem=f"{m.group(0)} looks like a website; I need an e-mail address with an @ in it.")
    return EmailCheck()


# -- names --------------------------------------------------------------------------------
_WORD = r"[^\W\d_](?:[^\W\d_]|['’\-.](?=[^\W\d_]))*"
_PARTICLES = {"van", "von", "de", "der", "den", "da", "das", "do", "dos", "del", "della", "di", "du", "la", "le", "bin", "binti", "al", "el", "ter", "ten", "y", "mac", "st"}
_NOT_NAME = {
    # replies and fillers
    "why", "skip", "no", "nope", "nah", "yes", "yeah", "yep", "hello", "hi", "hey", "hiya", "ok", "okay",
    "sure", "thanks", "thank", "cheers", "pass", "idk", "none", "nothing", "not", "what", "who", "how",
    "anonymous", "nobody", "rather", "prefer", "dunno", "test", "lol", "asdf", "n/a", "na", "unknown",
    "good", "fine", "great", "well", "so", "just", "really", "very", "also", "still", "only", "here",
    "there", "sorry", "please", "me", "myself", "i", "you", "we", "they", "it", "this", "that", "the",
    "a", "an", "my", "our", "your", "bot", "human", "person", "agent", "someone", "guest", "user",
    # what "I'm ..." is usually followed by
    "looking", "interested", "from", "at", "in", "on", "with", "ready", "happy", "glad", "back", "calling",
    "writing", "reaching", "trying", "using", "working", "based", "responsible", "part", "afraid",
    "wondering", "curious", "thinking", "planning", "hoping", "going", "getting", "having", "considering",
    "exploring", "researching", "unsure", "busy", "available", "free", "open", "done", "home", "away",
    "doing", "excited", "keen", "new", "currently", "actually", "basically", "interested", "the", "head",
    "ceo", "cto", "cfo", "coo", "cmo", "founder", "co-founder", "owner", "manager", "director", "vp",
    "president", "partner", "consultant", "in", "out", "not", "sales", "marketing", "support", "it",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november", "december",
    "asap", "budget", "email", "name", "company", "correct", "right", "wrong", "true", "false", "maybe",
    "fine", "good", "bad", "late", "early", "confused", "lost", "tired", "frustrated", "annoyed", "a",
    "an", "one", "two", "all", "both", "whatever", "hm", "hmm", "um", "uh", "er", "meh", "ha", "haha",
    "welcome", "sir", "madam", "mr", "mrs", "ms", "dr", "about", "over", "under", "around", "looking",
    "seeking", "needing", "wanting", "after", "pleased", "delighted", "gonna", "also", "lucky",
}
_NOT_NAME |= NOT_NAME_WORDS  # "да", "nei", "是", "بله": bot/parsing/contact_words.py
_NAME_CUE = re.compile(
    r"(?<![a-z])(?:my name is|my name'?s|name is|name'?s|name:|i am|i'?m|im|this is|it'?s|it is|call me|you can call me"
    r"|they call me|i go by|people call me|the name'?s)\s+",
    _I,
)
_HERE_CUE = re.compile(rf"(?<![\w'’.-])(?P<name>{_WORD}(?:\s{_WORD}){{0,3}})\s(?:here|speaking)\b", _I)
_SIGN_OFF = re.compile(
    rf"(?:thanks|thank you|cheers|regards|best|br|kind regards|best regards|many thanks)[,!.]?\s+(?P<name>{_WORD}(?:\s{_WORD}){{0,2}})\W*$",
    _I,
)
_GREETING = re.compile(
    r"^\W*(?:(?:hi|hello|hey|hiya|howdy|good (?:morning|afternoon|evening)|greetings|yes|sure|ok|okay|of course|yeah)\b[\s,!.]*)+",
    _I,
)
_NAME_STOP = re.compile(r"\s?(?:[,;:!?()]|\.(?:\s|$)|\s[-–—]\s|\s(?:from|at|with|of|here|and|the|speaking|i|i'm|im|we|we're|our|my|by|for|in)\b)", _I)


# "Priya Shah (priya@acme.com)", "Priya Shah <priya@acme.com>": the e-mail display-name form
# "Lena Fischer from Nordhaus GmbH, ...": a capitalised name introducing its company.
_INTRO = re.compile(rf"^(?P<name>{_WORD}(?:\s{_WORD}){{1,2}})\s(?:from|at|with|of)\s(?-i:[A-Z0-9])", _I)
_DISPLAY_NAME = re.compile(rf"^(?P<name>{_WORD}(?:\s{_WORD}){{0,3}})\s*(?:[(<\[]|[-–—,:]\s*)?\s*[\w.%+'-]{{1,64}}@", _I)


def parse_name(text: str, *, answering: bool) -> str | None:
    """The visitor's name, or None. See the module docstring for what counts."""
    cleaned = strip_emoji(clean_text(text))[:_SCAN_CHARS]
    if not cleaned or "@" in cleaned and answering and len(cleaned.split()) == 1:
        return None
    for m in _NAME_CUE.finditer(cleaned):
        name = _name_at(cleaned, m.end(), strict=not answering)
        if name:
            return name
    for m in _HERE_CUE.finditer(cleaned):
        start = m.start()
        head = cleaned[:start]
        if head.strip() and not re.search(r"(?:^|[,;.!?]|\b(?:hi|hello|hey|hiya|morning))\W*$", head, _I):
            continue
        name = _name_at(cleaned, start, strict=not answering, until=m.end("name"))
        if name and _covers_phrase(name, m.group("name")):
            return name
    name = native_name(cleaned, answering=answering)  # "меня зовут Анна", "我叫王伟", "اسم من علی است"
    if name:
        return name
    m = _DISPLAY_NAME.match(_GREETING.sub("", cleaned[:200]).strip()[:160])
    if m:
        name = _name_at(m.group("name"), 0, strict=True, until=len(m.group("name")))
        if name:
            return name
    m = _INTRO.match(_GREETING.sub("", cleaned[:200]).strip())
    if m:
        name = _name_at(m.group("name"), 0, strict=True, until=len(m.group("name")))
        if name and len(name.split()) == len(m.group("name").split()):
            return name
    m = _SIGN_OFF.search(cleaned)
    if m:
        name = _name_at(cleaned, m.start("name"), strict=True)
        if name:
            return name
    if not answering or "?" in cleaned:
        return None
    body = _GREETING.sub("", cleaned).strip()
    if not body or re.search(r"\d|@|[\u4e00-\u9fff]", body.split(",")[0]):
        return None  # a Chinese reply is a name only as contact_words reads it (a surname first)
    return _name_at(body, 0, strict=False, whole_reply=True)


def _covers_phrase(name: str, phrase: str) -> bool:
    """"Sam Ortiz here" names Sam Ortiz; "Enterprise security vendor here" names nobody: the
    name must be the whole phrase before "here" (up to "from"/"at": "Jo from Acme here")."""
    stop = _NAME_STOP.search(phrase)
    head = phrase[: stop.start()] if stop else phrase
    return len(name.split()) == len(head.split())


def name_alone(text: str) -> str | None:
    """`text` when it is a full name and nothing else: two to four capitalised name words, no
    greeting ("Наталья Белова", "Jane van Dijk"): one item of a list of contact details."""
    cleaned = clean_text(text).strip(" .")
    if not 2 <= len(cleaned.split()) <= 4 or _GREETING.match(cleaned):
        return None
    name = _name_at(cleaned, 0, strict=True, until=len(cleaned), whole_reply=True)
    return name if name == cleaned else None


def _name_at(text: str, start: int, *, strict: bool, until: int | None = None, whole_reply: bool = False) -> str | None:
    """Read 1-4 name words from `start`; None when they do not look like a name."""
    segment = text[start:until] if until is not None else text[start:start + 120]
    stop = _NAME_STOP.search(segment)
    if stop and until is None:
        segment = segment[: stop.start()]
    segment = segment.strip(" .'’\"-")
    if whole_reply and stop is None and len(segment.split()) > 4:
        return None
    words = segment.split()
    if not words or len(words) > 4:
        if not words:
            return None
        words = words[:4] if not whole_reply else []
        if not words:
            return None
    out: list[str] = []
    for i, w in enumerate(words):
        if not re.fullmatch(_WORD, w):
            break
        low = w.lower().strip(".")
        if i and low in _PARTICLES:
            out.append(w)
            continue
        if low in _NOT_NAME:
            if whole_reply and not out:
                return None
            break
        if strict and not w[0].isupper():
            break
        out.append(w)
    while out and out[-1].lower() in _PARTICLES:
        out.pop()
    if not out:
        return None
    if whole_reply and len(out) != len(words):
        return None  # "sam likes cats" is not a name
    name = " ".join(out)
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 2 and not strict:
        return None
    if name.islower() or name.isupper():
        name = _title(name)
    return name


def _title(name: str) -> str:
    """"jo-anne o'neil" -> "Jo-Anne O'Neil"; particles stay lower ("van der Berg")."""
    parts = []
    for i, w in enumerate(name.split()):
        if i and w.lower() in _PARTICLES:
            parts.append(w.lower())
        else:
            parts.append(re.sub(r"(^|[-'’])([^\W\d_])", lambda m: m.group(1) + m.group(2).upper(), w.lower()))
    return " ".join(parts)


# -- companies ----------------------------------------------------------------------------
_SUFFIXES = (
    r"inc\.?|ltd\.?|llc|l\.l\.c\.|gmbh|ag|corp\.?|co\.|co|s\.a\.|sa|bv|b\.v\.|plc|pty(?: ltd\.?)?|llp|sarl|s\.l\.|oy|ab|as|a/s"
    r"|kg|sas|spa|s\.p\.a\.|limited|group|holdings|incorporated|company|srl|s\.r\.l\.|nv|n\.v\.|kk|pte(?: ltd\.?)?|se"
)
_ORG_WORD = r"(?:[A-Z0-9][\w'’&+.-]*|&|and|of|the|de|du|des|und|y|for)"
_ORG = re.compile(rf"(?P<org>[A-Z0-9][\w'’&+-]*(?:\.[A-Za-z]+)*(?:\s{_ORG_WORD}){{0,5}})")
_COMPANY_CUE = re.compile(
    r"(?<![a-z])(?:i work (?:at|for|with)|i'?m working (?:at|for)|working (?:at|for)|i'?m (?:at|with)|i am (?:at|with)|we'?re called|we are called"
    r"|(?:my|our) (?:company|business|firm|organi[sz]ation|practice|clinic|agency|employer|company name)(?:'s| is called| is named| name is| is|:)"
    r"|the company(?:'s| is called| is| name is)|company(?: name)?(?: is|:)|on behalf of|representing|(?:here )?from|at|of"
    r"|(?:(?<=,\s)|(?<=^))(?:company|firm|business|organi[sz]ation)(?=\s+(?-i:[A-Z0-9])))\s+",
    _I,
)
_NOT_COMPANY = {
    "home", "work", "the moment", "the office", "office", "the weekend", "lunch", "night", "noon", "christmas",
    "easter", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "i", "me", "us", "you", "it", "this", "that", "the", "a", "an", "scratch", "now", "then",
    "sales", "marketing", "support", "it", "hr", "finance", "operations", "legal", "procurement", "the board",
    "berlin", "london", "paris", "madrid", "rome", "new york", "nyc", "la", "los angeles", "san francisco",
    "chicago", "boston", "toronto", "sydney", "melbourne", "dublin", "amsterdam", "munich", "vienna",
    "zurich", "singapore", "tokyo", "mumbai", "delhi", "bangalore", "dubai", "usa", "us", "uk", "the us",
    "the uk", "the usa", "germany", "france", "spain", "italy", "india", "canada", "australia", "europe",
    "asia", "africa", "america", "ireland", "netherlands", "switzerland", "austria", "brazil", "mexico",
    "google", "linkedin", "facebook", "instagram", "twitter", "your website", "the website", "q1", "q2",
    "q3", "q4", "h1", "h2", "least", "most", "all", "first", "last", "once", "best", "times", "some point",
    "hello", "hi", "hey", "thanks", "asap", "ceo", "cto", "cfo", "coo", "head", "no", "yes", "none",
    "sam", "scratch", "zero", "nothing", "least", "cost", "price",
}
_REFUSAL = re.compile(
    r"^\W*(?:skip|pass|no|nope|none|n/?a|why\??|not telling|rather not(?: say)?|prefer not(?: to say)?|i'?d rather not(?: say)?"
    rf"|no comment|{UNSURE}|(?:i )?{DONT_KNOW}|nothing|-+|\?+)\W*$",
    _I,
)
_COMPANY_LEAD = re.compile(
    r"^\W*(?:(?:it'?s|it is|we'?re|we are|company is|the company is|our company is|my company is|called|the name is|name'?s|i work (?:at|for)|at|from|for)\s+)+",
    _I,
)


def parse_company(text: str, *, answering: bool) -> str | None:
    """The visitor's company, or None. See the module docstring for what counts."""
    cleaned = strip_emoji(clean_text(text))[:_SCAN_CHARS]
    if not cleaned:
        return None
    for m in _COMPANY_CUE.finditer(cleaned):
        cue = m.group(0).strip().lower()
        if cue in ("at", "of", "from", "here from") and not _org_position_ok(cleaned, m.start(), cue):
            continue
        org = _org_at(cleaned, m.end(), strict=not answering or cue in ("at", "of", "from"))
        if org and not is_place_name(org):  # "a payroll SaaS from Bengaluru": a city, not a company
            return org
    org = native_company(cleaned, answering=answering)  # "ООО «Ромашка»", "Nordlys AS", "我在华为工作"
    if org and not is_place_name(org):
        return org
    if not answering or _REFUSAL.match(cleaned) or "?" in cleaned or "@" in cleaned:
        return None
    body = _COMPANY_LEAD.sub("", cleaned).strip()
    # a sentence ends at ". " after a word, not after an abbreviation ("Pte. Ltd.", "d.o.o.")
    body = re.split(r"[;!?\n]|,\s|\s[-–—]\s|(?<![\s.]\w)(?<![\s.]\w\w)(?<![\s.]\w\w\w)\.\s", body)[0].strip()
    body = body.rstrip(",;:!?")
    if body.endswith(".") and not re.search(rf"\b(?:{_SUFFIXES})$|(?:\b\w\.){{2,}}$", body, _I):
        body = body.rstrip(".")
    if not body or len(body.split()) > 6 or body.lower() in _NOT_COMPANY:
        return None
    first = re.split(r"[\s,，。!！،.]", body.lower())[0]
    if first in NOT_NAME_WORDS or body.startswith(("谢谢", "多谢", "感谢")):
        return None  # "Спасибо, жду связи", "takk", "谢谢你们": a reply, no company
    if re.fullmatch(r"[\d\W]+", body):
        return None
    return body


def _org_position_ok(text: str, cue_start: int, cue: str) -> bool:
    """"at"/"of"/"from" only introduce a company after a name, a title, "I'm" or "here"."""
    head = text[max(0, cue_start - 60):cue_start]
    if cue == "of":
        return bool(re.search(r"(?:founder|owner|ceo|cto|cfo|coo|cmo|president|director|head of [a-z ]+|manager|vp [a-z ]+|partner)\s?$", head, _I))
    return bool(re.search(
        r"(?:\bhere|\bi'?m|\bi am|\bthis is\s\S+|\bwork|\bworking|\bfounder|\bowner|\bceo|\bcto|\bcfo|\bcoo|\bcmo|\bpresident"
        r"|\bdirector|\bmanager|\bhead of [a-z ]+|\bvp[a-z ]*|\bpartner|\blead|\bengineer|\bconsultant|\bspecialist|\bexecutive"
        r"|\bofficer|\bcoordinator|\bassistant|[A-Z][\w'-]+|@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}[)>\]]?|\bsales|\bmarketing|\bteam|\bsomeone|\bwriting|\bcalling|\bhi|\bhello|\bhey),?\s?$",
        head,
    ))


def _org_at(text: str, start: int, *, strict: bool) -> str | None:
    segment = text[start:start + 120]
    if strict:
        m = _ORG.match(segment)
        if not m:
            return None
        org = m.group("org")
    else:
        org = re.split(r"[;!?\n]|,\s|\s[-–—]\s|\.\s|\s(?:and|but|we|i|in|as|where|who|which|here|because)\s", segment)[0]
    org = _trim_org(org)
    if not org:
        return None
    if re.match(r"\d", org) and not re.match(r"\d+[A-Za-z]", org):
        return None  # "from 30 to 45 thousand"
    if re.search(r"\s\d", org) and strict:
        org = re.split(r"\s\d", org)[0]
    low = org.lower()
    if low in _NOT_COMPANY or low.split()[0] in ("the", "a", "an") and len(low.split()) == 1:
        return None
    if strict and re.fullmatch(r"(?:Q[1-4]|H[12]|FY\d+)", org):
        return None
    return org


def _trim_org(org: str) -> str:
    """Drop trailing connectors and punctuation; keep a legal suffix's dot ("Acme Inc.").

    A name ends with its sentence: "Kruger Trails Safaris. We need..." is "Kruger Trails
    Safaris", while "Acme Pte. Ltd." and "J. Smith & Co." keep going past their dots."""
    words = org.strip().split()
    for i, word in enumerate(words[:-1]):
        initial = re.fullmatch(r"[A-Z]\.|(?:[A-Za-z]\.){2,}", word)
        suffix_next = re.fullmatch(rf"(?:{_SUFFIXES})\.?", words[i + 1], _I)
        if word.endswith(".") and not initial and not suffix_next:
            words = words[:i + 1]
            break
    while words and words[-1].lower() in ("and", "of", "the", "de", "for", "&", "y", "und", "du", "des"):
        words.pop()
    org = " ".join(words).strip(" ,;:!?\"'()")
    if org.endswith(".") and not re.search(rf"(?:^|\s)(?:{_SUFFIXES})$", org, _I) and not re.search(r"\b[A-Z]\.$", org):
        org = org.rstrip(".")
    return org
