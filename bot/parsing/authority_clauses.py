"""Who decides, read from the parts of a clause when no stock phrase of
`bot/parsing/authority_words.py` matches: who is named (the visitor, someone else), whether a
word about deciding is there, whether it is done together, and whether it is denied.

Stock phrases cannot list every way a visitor puts it ("последнее слово всегда за владельцем",
"Det er sjefen min som tar avgjørelsen", "Rakan kongsi kanan yang putuskan", "最后得老板批",
"تصمیم نهایی با هیئت مدیره‌ست"); the parts can. The answer is split into clauses ("я
управляющая, но последнее слово за владельцем" is two), and the decisions are those of
authority.py: deciding together is shared; someone else deciding, or the visitor denying it,
is influencer; the visitor deciding is the decision maker. Someone else named with a
possessive ("sjefen min", "bos saya", "我的老板") is not the visitor.
"""
from __future__ import annotations

import re

from bot.answers import AuthorityLevel
from bot.parsing.deciders import FA_OTHERS, MS_OTHERS, NB_OTHERS, RU_OTHERS
from bot.parsing.scripts import WORD_END, WORD_START, loose, loose_any as _fa

__all__ = ["clause_level", "decided_together"]

_I = re.IGNORECASE


def _words(*parts: str) -> re.Pattern[str]:
    return re.compile(WORD_START + "(?:" + "|".join(parts) + ")" + WORD_END, _I)


# Clause bounds: punctuation and the words that turn to another clause ("but", "while").
_CLAUSE_BREAK = re.compile(
    r"[,;.!?،؛，。；！？]|\s(?:но|а|однако|men|tapi|tetapi|cuma|namun|اما|ولی|ولى)\s|但是?|不过|可是|然而", _I)

# Words about deciding, signing off or having the last word.
_DECIDE = re.compile(
    WORD_START + "(?:" + "|".join((
        r"реш(?:а|и|е|ё)\w*", r"решени\w*", r"последн\w+ слов\w*", r"слово за", r"подпис\w*", r"утвер\w*", r"одобр\w*",
        r"согласов\w*", r"добро",
        r"bestem\w*", r"beslut\w*", r"avgj\w*", r"godkj\w*", r"siste ord\w*", r"signer\w*", r"skriv\w* under",
        r"keputusan", r"putus\w*", r"memutus\w*", r"tentu\w*", r"menentukan", r"decide\w*", r"lulus\w*", r"meluluskan",
        r"tandatangan\w*", r"sign\w*", r"approve\w*",
    )) + ")" + WORD_END
    + r"|决定|拍板|说了算|签字|审批|批准|决策|做主|拿主意|商量|(?<![确一稳固规指预约])定|(?<![审])批(?![发量次])"
    + r"|تصمیم|امضا|تایید|تأیید|اختیار|حرف[\s\u200c]?آخر",  # Persian takes suffixes ("امضای نهایی")
    _I,
)
# Together: "вместе", "sammen", "bersama", "sama-sama", "一起", "با هم"; and Persian "با X … تصمیم
# می‌گیریم" (with X, we decide).
_TOGETHER = re.compile(
    WORD_START + "(?:" + "|".join((
        r"вместе", r"совместно", r"сообща", r"коллегиально", r"вдво[её]м", r"sammen", r"i fellesskap", r"felles",
        r"bersama", r"sama-sama", r"sama sama", r"berdua", r"saya (?:dengan|dan)", r"aku (?:dengan|dan)",
        _fa("با هم", "باهم", "مشترک", "مشترکا", "مشترکاً", "همراه"),
    )) + ")" + WORD_END
    + r"|一起|共同|商量|协商|一块儿?|(?:^|\s)با\s.*" + loose("می گیریم") + "|" + r"(?:^|\s)با\s.*میگیریم",
    _I,
)
# Denial: "не", "ikke", "bukan", "不", "نه" / "نیست" / "نمی".
_NOT = re.compile(WORD_START + r"(?:не|ни|ikke|bukan|tak|tidak|نه|نیست|نمی\S*)" + WORD_END + r"|不是|不能|不归我|没有权", _I)

# Someone else, with a possessive or a pointer that makes them not the visitor.
# (and the officers English names everywhere: a stock "CTO" alone is a title, not someone else)
_OTHER_WORDS = "|".join((RU_OTHERS, NB_OTHERS, MS_OTHERS, FA_OTHERS, r"cfo|coo|cto"))
_OTHER = re.compile(
    r"(?:(?<!\w)(?:мо[йяеё]\w*|наш\w*|min|mi|vår|vårt)\s)?" + WORD_START + "(?:" + _OTHER_WORDS + ")"
    + r"(?:\s(?:min|mi|vår|saya|kami|aku|ku)(?!\w)|(?:م|مون|مان)(?![\u0600-\u06ff]))?"
    + r"|(?:我们?的?)?[\u4e00-\u9fff]{0,4}(?:老板|老总|领导|上级|总经理|董事长|董事会|股东|合伙人|总监|经理|负责人|委员会|财务|采购|总部|集团)",
    _I,
)
# The visitor: "я", "сам", "мной"; "jeg", "æ", "sjøl"; "saya", "sendiri"; "我", "自己"; "من", "خودم".
_SELF = re.compile(
    WORD_START + "(?:" + "|".join((
        r"я", r"мной", r"мне", r"меня", r"сам", r"сама", r"самостоятельно", r"(?:реша|принима|подписыва|утвержда|одобря)ю",
        r"jeg", r"meg", r"æ", r"eg", r"jæ", r"selv", r"sjøl", r"sjæl",
        r"saya", r"aku", r"sendiri", r"sayalah", r"akulah",
        _fa("من", "منه", "منم", "خودم", "خودمه", "خودمم", "بنده", "می‌گیرم", "میگیرم"),
    )) + ")" + WORD_END + r"|我(?!们)|自己|本人",
    _I,
)


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in _CLAUSE_BREAK.split(text) if c and c.strip()]


def decided_together(text: str) -> bool:
    """A clause says the decision is made together ("решаю вместе с коллегой", "saya dengan CEO
    decide sama-sama", "我跟销售经理商量着定", "با مدیر فروش‌مون تصمیم می‌گیریم")."""
    return any(_TOGETHER.search(c) and _DECIDE.search(c) for c in _clauses(text))


def clause_level(text: str) -> AuthorityLevel | None:
    """The visitor's part read clause by clause, or None when no clause is about deciding."""
    if decided_together(text):
        return "shared"
    mine = None
    for clause in _clauses(text):
        if not _DECIDE.search(clause):
            continue
        rest = _OTHER.sub(" ", clause)
        if _SELF.search(rest):
            mine = mine or ("influencer" if _NOT.search(rest) else "decision_maker")
        elif _OTHER.search(clause):
            return "influencer"  # "последнее слово за владельцем", "sjefen min tar avgjørelsen"
    return mine
