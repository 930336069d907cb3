"""Read the visitor's part in the buying decision, and their job title when they give one.

Levels (bot.answers.Authority): decision_maker ("it's my call", "I sign off", "I'm the
founder"), shared ("our COO and I will decide jointly", "a buying committee I sit on"),
influencer ("my boss has the final say", "I'll recommend it to my manager", "CFO signs
off"), unknown ("not sure", "skip", "depends").

Decisions, so every caller gets the same answer:
- Cues are weighed in this order: shared, then influencer, then decision maker, so
  "I'm the CEO but the board has the final say" is influencer (role CEO) and "the board
  and I decide" is shared. Negations ("not my call", "I don't have the final say") are
  influencer cues and are checked before the positive ones.
- A title alone: founder, co-founder, owner, CEO, president, managing director,
  proprietor, managing partner -> decision_maker; any other title -> unknown, with the role.
- A title is the visitor's own only when they claim it ("I'm the CTO", "as head of
  sales", "Sam, CEO of Acme", "CTO here", or a bare title as the answer); "my CEO",
  "the CFO signs off" name someone else (and make the visitor an influencer).
- Answering the authority question: "yes", "me", "I do", "myself" are decision_maker;
  "no" and a bare other person ("my boss", "the board") are influencer; "both", "we do",
  "the team" are shared.
- "I run IT" gives the role "Head of IT" (also "I lead/manage/head marketing").
- Roles are normalised: "Head of Sales", "CTO", "VP of Operations", "Marketing Manager".
- Russian, Norwegian, Malay, Chinese and Persian: the same decisions, their cues and titles in
  `bot/parsing/authority_words.py` (read when the English ones find nothing).
"""
from __future__ import annotations

import re

from bot.answers import Authority, AuthorityLevel
from bot.parsing.authority_clauses import decided_together
from bot.parsing.authority_words import native_level, native_role, role_level
from bot.parsing.replies import DONT_KNOW, NOT_HOW_TO, UNSURE
from bot.parsing.text import clean_text

__all__ = ["parse_authority", "find_role"]

_I = re.IGNORECASE
_SCAN_CHARS = 20_000

_DOMAINS = (
    "sales operations|marketing operations|revenue operations|it operations|business operations"
    "|customer success|customer service|customer support|customer experience|customer care"
    "|business development|biz ?dev|digital marketing|product marketing|growth marketing|content marketing"
    "|demand generation|demand gen|lead generation|inside sales|field sales|account management"
    "|human resources|patient experience|front desk|information technology|information security"
    "|e-?commerce|r&d|research and development|research & development"
    "|sales|marketing|operations|ops|it|hr|people|product|engineering|technology|tech|finance|support"
    "|cx|growth|digital|partnerships|procurement|purchasing|revenue|revops|content|brand|data|analytics"
    "|security|legal|design|communications|comms|facilities|innovation|strategy|infrastructure"
    "|admissions|office|practice|clinic|store|retail|project|program|programme|web|software|development"
    "|dev|research|qa|compliance|risk|training|talent|recruiting|recruitment|admin|administration"
    "|accounts|accounting|treasury|logistics|supply chain|customer|client services|services|community"
    "|social media|seo|crm|automation|transformation|it support|systems|platform|business"
)
_SENIORITY = r"(?:(?:senior|sr\.?|junior|jr\.?|assistant|associate|deputy|regional|global|group|acting|interim|lead|principal|national|area|district|executive)\s)?"
_POSTS = (
    r"manager|director|lead|leader|coordinator|specialist|executive|analyst|administrator|assistant"
    r"|associate|consultant|engineer|developer|representative|rep|supervisor|head|team lead|officer|strategist|architect"
)
_DM_TITLES = {
    "founder", "co-founder", "cofounder", "owner", "business owner", "co-owner", "ceo", "president",
    "managing director", "md", "proprietor", "managing partner", "practice owner", "sole trader",
    "chief executive", "chief executive officer", "sole proprietor", "owner-operator",
}
_ROLE = re.compile(
    r"(?<![a-z&])(?:"
    r"(?P<csuite>ceo|cto|cfo|coo|cmo|cio|cro|cpo|ciso|cdo|cco|chro|cso|cxo)"
    r"|(?P<chief>chief(?:\s[a-z]+){1,2}\sofficer|chief executive)"
    rf"|(?P<vp>{_SENIORITY}(?:vp|svp|evp|avp|vice president|v\.p\.)(?:\s(?:of|for))?\s(?:{_DOMAINS}))"
    rf"|(?P<headof>{_SENIORITY}(?:head|director|manager|lead)\s(?:of|for)\s(?:the\s)?(?:{_DOMAINS}))"
    rf"|(?P<post>{_SENIORITY}(?:{_DOMAINS})\s(?:{_POSTS}))"
    r"|(?P<single>co-?founder|founder|business owner|practice owner|co-owner|owner-operator|owner|managing director"
    r"|managing partner|president|chairman|chairwoman|chairperson|proprietor|general manager|office manager"
    r"|practice manager|team lead|team leader|intern|freelancer|sole trader|sole proprietor|solopreneur"
    r"|entrepreneur|partner|principal|director|manager|consultant|md|gm|vp|svp|evp))(?![a-z&])",
    _I,
)
# Before a title: the visitor claims it.
_SELF_BEFORE = re.compile(
    r"(?:\bi'?m|\bi am|\bim|\bas|\bi work as|\bworking as|\bmy (?:role|title|job|position) is|\bi'?m (?:currently|also)"
    r"|\bi serve as|\brole:|\btitle:|\bposition:|\bi'?m one of|\bone of the)\s(?:the\s|a\s|an\s|our\s|one of the\s|its\s)?(?:only\s|sole\s|main\s|new\s)?$",
    _I,
)
# Before a title: someone else's ("my boss", "our CFO", "report to the COO").
_OTHER_BEFORE = re.compile(
    r"(?:\bmy|\bour|\bhis|\bher|\btheir|\byour|\bthe|\bto|\bwith|\band|\bfrom|\bby|\bfor|\ba|\ban|\bask|\btell"
    r"|\bwhose|\bthat|\bother|\bsome)\s$",
    _I,
)
_OTHER_AFTER = re.compile(
    r"\s(?:has|have|makes|make|decides|decide|will|would|needs|need|must|signs|sign|approves|approve|wants|asked"
    r"|told|is|gets|calls|holds|owns|does|did|said|says|and i|& i)\b",
    _I,
)
_CLAUSE_START = re.compile(r"(?:^|[,;:.!?(\-–—]|\bhere|\band)\s*$", _I)
_HERE_AFTER = re.compile(r"\s(?:here|speaking)\b|\s(?:at|of|for|with)\s[A-Z0-9]", _I)

_RUN = re.compile(
    r"\bI\s(?:run|head(?: up)?|lead|manage|look after|oversee|am in charge of|'m in charge of|am responsible for|'m responsible for)"
    rf"\s(?:the\s|our\s)?(?!business\b)(?P<dom>IT|{_DOMAINS.replace('|it|', '|')})(?:\s(?:team|department|dept|function|side))?\b",
    _I,
)
_RUN_BUSINESS = re.compile(
    r"\bI\s(?:run|own|started|founded|set up)\s(?:the|this|my|our|a)\s(?:own\s)?(?:company|business|firm|shop|practice|clinic|agency|place|show|store|startup|studio|restaurant)\b",
    _I,
)

_SHARED = re.compile(
    r"\bi(?:'ll| will|'d| would| can)? (?:decide|choose|pick|sign off|make (?:the|this|that) (?:call|decision))(?: (?:on )?(?:this|it|that))? (?:together |jointly )?with\b"
    r"|\b(?:jointly|joint decision|(?:decide|deciding|choose|choosing|decision|sign off|buy|pick|vote)\w* together|together (?:with|we)"
    r"|(?:we|us|both|all)(?: \w+)? together|as a team|collectively|consensus|shared decision|share the decision"
    r"|co-?decide|both of us|the two of us|we both|we decide|we make the decision|we'?ll decide|we will decide"
    r"|we all|all of us|the partners and I)\b"
    r"|\bme and (?:my|our|the) \w+"
    r"|\b(?:my|our|the) (?:(?!of\b)[\w-]+ ){0,3}and (?:i|me|myself)\b"
    r"|\b(?:i|me) and (?:the|my|our) [\w-]+"
    r"|(?<!of )(?-i:\b[A-Z]{2,4} and I)\b"
    r"|\b(?:i|me) (?:along )?with (?:the|my|our) [\w-]+",
    _I,
)
# A committee, board or panel: shared when the visitor sits on it, else someone else decides.
_BODY = re.compile(r"\b(?:committee|board|panel|council|steering group|working group|partners|directors|trustees|governors|founders|co-?founders|owners|co-?owners|principals)\b", _I)
_MEMBER = re.compile(
    r"\b(?:i (?:sit|am|'m|serve) on(?: (?:it|the|that|this))?|i'?m (?:on|part of|a member of|one of)|i am (?:on|part of|a member of|one of)"
    r"|including (?:me|myself)|of which i'?m|i have a (?:vote|seat|say)|i (?:also )?vote|i'?m one of them|i am one of them|me among them|we vote)\b",
    _I,
)
_DECISION_WORDS = re.compile(
    r"\b(?:decid\w*|decision\w*|sign\w*|approv\w*|call|say|committee|board|buy\w*|purchas\w*|choos\w*|pick)\b", _I
)
_OTHERS = (
    r"(?:my|our|the) (?:[\w-]+ )?(?:boss|manager|director|ceo|cfo|coo|cto|cio|cmo|owner|owners|founder|founders|board|head|vp"
    r"|president|md|management|leadership|partners?|team lead|supervisor|superior|higher[- ]ups?|execs?|executives?"
    r"|finance|procurement|purchasing|legal|it|parent company|hq|headquarters|head office|gm|principal|dentist|doctor|wife|husband)"
    r"|(?:ceo|cfo|coo|cto|cio|cmo|boss|board|finance|procurement|management|leadership|someone else|somebody else|they|he|she)"
    r"|(?:a|the|our|my) (?:[\w-]+ )?(?:committee|panel|council|steering group|working group|trustees|governors)"
    r"|(?:the|our|my) (?:[\w-]+ )?(?:board|committee|council) of (?:directors|trustees|governors|management|the \w+|\w+)"
    r"|^\W*(?:director|owner|founder|principal|president|chairman|chairwoman|partners?|manager|management|md|head|dean|rector|superintendent)(?: (?:sir|madam|ma'am|ji|sahab))?"
    r"|(?:my|our|the) (?:[\w-]+ )?head of (?:the )?[\w-]+"
)
_INFLUENCER = re.compile(
    rf"\b(?:{_OTHERS}) (?:(?:has|have|gets?|holds?) (?:the )?(?:last|final) (?:word|say|vote|call)|votes?|(?:will|would|gets? to) vote"
    r"|chooses?|picks?|greenlights?|green-lights?|signs? (?:it |this )?off|has|have|gets|get|makes|make|decides?|will decide|would decide|signs?|approves?|needs? to approve"
    r"|must approve|is the decision[- ]maker|are the decision[- ]makers|calls? the shots|holds? the budget|owns? the budget"
    r"|(?:would|will|has to|have to|needs? to) (?:sign|approve|decide|make))\b"
    r"|\bneeds? (?:sign[- ]?off|approval|the ok|the okay|the go[- ]ahead|a green light|buy[- ]in|to be approved)\b"
    r"|\b(?:approval|sign[- ]?off|buy[- ]in|go[- ]ahead) (?:from|by)\b"
    r"|\b(?:have|has|need|needs) to (?:ask|check with|run it by|run this by|get approval|get sign[- ]?off|convince|pitch|present|clear it)\b"
    rf"|\bthe (?:final|last) (?:say|word|decision|call|vote|sign[- ]?off) (?:is|rests|lies|sits|stays) with (?:{_OTHERS})\b"
    rf"|\b(?:decision|call|say|choice|approval|sign[- ]?off)(?:s|'s)? (?:is |are |will be |would be |gets? |lies |rests |sits )?"
    rf"(?:(?:made|taken|done|given) by|with|up to|for) (?:{_OTHERS})\b"
    rf"|\b(?:decided|approved|signed off|chosen|made|greenlit) by (?:{_OTHERS})\b"
    r"|\b(?:i|we) (?:just |only )?(?:shortlist|short-list|evaluate|test|trial|compare|research|vet|scout|gather)\b[^.;]{0,40}\bthen\b"
    r"|\brun (?:it|this) (?:by|past)\b|\bnot (?:my call|my decision|up to me|the decision[- ]?maker|the one who decides|in charge)\b"
    r"|\b(?:i|we) (?:don'?t|do not|can'?t|cannot) (?:make|decide|sign|approve|have the final say|have the authority)"
    r"|\b(?:don'?t|do not) have (?:the )?(?:final say|authority|budget authority)\b|\bno (?:authority|final say)\b"
    r"|\bi(?:'ll| will| would|'d| can| could)? (?:recommend|suggest|propose|present|pitch|report back|pass (?:it|this) on|shortlist|make a recommendation)\b"
    r"|\b(?:gathering|collecting|researching|compiling|comparing) (?:some )?(?:options|info|information|quotes|proposals|vendors)\b"
    r"|\bi report to\b|\bon behalf of\b|\bi(?:'m| am) (?:just )?(?:an? )?influencer\b|\bi influence\b|\bdoing the (?:research|legwork)\b"
    r"|\bfor (?:my|our|the) (?:boss|manager|team|director|ceo|management)\b.{0,20}\b(?:decide|decision|review)",
    _I,
)
_DECISION_MAKER = re.compile(
    r"\b(?:it'?s|its|that'?s|it is) (?:my|all my|entirely my|ultimately my) (?:call|decision)\b|\bmy (?:call|decision)\b"
    r"|\bi (?:decide|make (?:the|all the|every|final) (?:decisions?|calls?)|make the call|call the shots|sign (?:off|the checks?|the cheques?|contracts|it off)"
    r"|approve|own the budget|hold the budget|control the budget|have (?:the )?(?:final say|last word|final word|authority|sign[- ]?off|budget authority|the say)"
    r"|get the final say|am the boss|'m the boss|can decide|can sign|will decide|'ll decide|do the signing)\b"
    r"|\bi(?:'m| am) (?:the )?(?:(?:final |sole |main |only |ultimate |key )?decision[- ]?maker|one (?:who|that) decides|budget holder|one signing)\b"
    r"|\b(?:goes|go|going|put|charged|billed|paid) (?:on|to|from|with|out of) my (?:own |company |business |corporate )?(?:credit card|card|amex|budget|account|wallet|pocket)\b"
    r"|\b(?:comes?|coming|paid) (?:out of|from) my (?:own )?(?:[\w-]+(?:'s|s')? )?(?:budget|money|funds|pocket|p&l|cost cent(?:er|re)|account)\b"
    r"|\b(?:it'?s|its|it is|that'?s) my (?:own )?(?:[\w-]+(?:'s|s')? )?(?:budget|money|funds|p&l)\b|\bmy (?:own )?(?:money|funds|p&l)\b"
    r"|\bi(?:'m| am)? (?:the one )?paying\b(?! attention)|\bi(?:'ll| will)? pay (?:for (?:it|this|that|the \w+)|the bill|myself|out of)"
    r"|\bi(?:'m| am|'ll| will|'d| would)?(?: be)? (?:footing the bill|funding (?:it|this)|holding the purse strings|hold the purse strings)\b"
    r"|^\W*my (?:own )?(?:[\w-]+(?:'s|s')? )?(?:budget|money|card|funds)\b"
    r"|\b(?:the )?buck stops with me\b|\b(?:the )?(?:final|last) (?:say|word|decision|call) (?:is|rests|lies|sits|stays) with me\b"
    r"|\b(?:it'?s|that'?s|it is|that is|all) on me\b|\bup to me\b|\b(?:decision|call|choice)(?: is|'s| will be) (?:all )?mine\b|\b(?:the )?(?:final|last) (?:say|word|call|decision) (?:is|'s) mine\b"
    r"|\bi'?m the one (?:deciding|signing|choosing|approving|buying|making the (?:call|decision))\b|\bi am the one (?:deciding|signing|choosing|approving)\b|\bsolely me\b|\bonly me\b|\bjust me\b|\bme alone\b|\bmy own boss\b",
    _I,
)
_YES_ME = re.compile(
    r"^\W*(?:(?:yes|yep|yeah|yup|sure|correct|indeed|absolutely|definitely|of course)\b\W*)?(?:that'?s |that would be |that'll be |it'?s |it is )?"
    r"(?:me|myself|i do|i am|i will|i'?m the one|me myself|yours truly|yes|yep|yeah|yup|correct|i decide)\b(?:\W*(?:i do|i am|alone|only|myself))?\W*$",
    _I,
)
# The first clause answers "who decides": "me, I'm the director", "it'd be me", "probably me".
_ME_FIRST = re.compile(
    r"^\W*(?:(?:yes|yeah|yep|well|ok|okay|honestly|probably|mostly|mainly|basically|ultimately|that'?d be|it'?d be"
    r"|it would be|that would be|it will be|it'?ll be|that'?s|it'?s|it is)\W+){0,3}(?:me|myself|i do|i will|me myself)\b"
    r"(?:\s(?:in the end|at the end of the day|ultimately|i guess|i think|i suppose|i'?d say|really|mostly|mainly))?"
    r"\W*(?:$|[,;:.!\-–—]\s*(?!and\b|&|with\b|plus\b|together\b|but\b|though\b|however\b))",
    _I,
)
_NO = re.compile(r"^\W*(?:no|nope|nah|not me|not really|not exactly|not quite|no,? not me)\W*$", _I)
_OTHER_ALONE = re.compile(
    r"^\W*(?:(?:my|our|the) (?:[\w-]+ )?[\w-]+|boss|management|leadership|the board|board|finance|procurement"
    r"|someone else|somebody else|not me|they|he|she)(?: does| do| decides| will| would)?\W*$",
    _I,
)
_SHARED_ALONE = re.compile(r"^\W*(?:both|both of us|we do|us|we both do|the team|the whole team|all of us|together|a team decision|team)\W*$", _I)
_UNKNOWN = re.compile(
    rf"\b(?:{UNSURE}|{DONT_KNOW}{NOT_HOW_TO}|depends|it varies|varies|unclear"
    r"|skip|pass|rather not say|prefer not to say|tbd|not decided|undecided|who knows|complicated)\b",
    _I,
)

_ACRONYMS = {"it", "hr", "cx", "ux", "ui", "qa", "pr", "r&d", "seo", "crm", "vp", "svp", "evp", "avp", "md", "gm", "ops"}
_LOWER = {"of", "and", "for", "the", "&"}


_ONE_OF_THEM = re.compile(
    r"\b(?P<group>partners|directors|founders|co-?founders|owners|co-?owners|managing partners|principals)\b"
    r"(?=.{0,60}\b(?:i'?m one of (?:them|the \w+)|i am one of (?:them|the \w+)|me being one|including me|one of whom is me)\b)",
    _I,
)


_FELLOW = re.compile(
    r"\b(?:me and|i and|myself and|with) (?:the|my|our) (?:other|fellow|two other|three other|co-?)\s?"
    r"(?P<role>directors?|partners?|founders?|owners?|managers?|principals?)\b"
    r"|\b(?:i'?m|i am) one of the (?:\w+ )?(?P<role2>co-?founders|founders|partners|directors|owners|principals)\b",
    _I,
)


# A title the visitor claims in words the role list does not hold: "I'm only a volunteer
# coordinator", "I am export manager". The words before the post are the title's own.
_NOT_TITLE_WORD = (
    r"(?!(?:a|an|the|our|my|for|to|of|and|or|not|no|looking|hiring|trying|going|talking|working|speaking"
    r"|with|just|only|also|currently|still|new|here|there|in|at|on|by|so|very|really|this|that|your)\b)"
)
_SELF_TITLE = re.compile(
    r"(?:\bi'?m|\bi am|\bim|\bas|\bi work as|\bworking as|\bmy (?:role|title|job|position) is)"
    r"\s(?:(?:just|only|currently|also|merely)\s)?(?:(?:the|a|an|our|its)\s)?(?:(?:only|sole|main|new)\s)?"
    rf"(?P<title>(?:{_NOT_TITLE_WORD}[a-z][\w-]*\s){{0,2}}(?:{_POSTS}))(?![\w&-])",
    _I,
)


def find_role(text: str, *, answering: bool = False) -> str | None:
    """The visitor's own job title in `text`, normalised ("Head of Sales", "CTO")."""
    one_of = _ONE_OF_THEM.search(text)
    if one_of:  # "the partners decide together, I'm one of them"
        return _normalise(re.sub(r"s$", "", one_of.group("group").split()[-1]))
    fellow = _FELLOW.search(text)
    if fellow:  # "me and the other director", "I'm one of the founders"
        return _normalise(re.sub(r"s$", "", fellow.group("role") or fellow.group("role2")))
    run = _RUN.search(text)
    for m in _ROLE.finditer(text):
        if _is_own(text, m, answering):
            return _normalise(m.group(0))
    own = _SELF_TITLE.search(text)
    if own:
        return _normalise(own.group("title"))
    if run:
        dom = run.group("dom")
        if dom.lower() == "it" and dom != "IT":
            return None  # "I run it" is not "I run IT"
        return "Head of " + _normalise(dom)
    return None


def _is_own(text: str, m: re.Match[str], answering: bool) -> bool:
    before = text[max(0, m.start() - 40):m.start()]
    if _SELF_BEFORE.search(before):
        return True
    if _OTHER_BEFORE.search(before) or _OTHER_AFTER.match(text, m.end()):
        return False
    word = m.group(0).lower()
    if m.group("single") and word in ("partner", "principal", "director", "manager", "consultant", "vp", "svp", "evp", "gm", "md", "president"):
        # generic words: only as a whole answer or with "here"/"at Acme"
        if not (answering and len(text) <= m.end() - m.start() + 20) and not _HERE_AFTER.match(text, m.end()):
            return False
    if m.group(0).lower() == "it":
        return False
    if answering:
        return True
    return bool(_CLAUSE_START.search(before)) and bool(
        _HERE_AFTER.match(text, m.end()) or before.strip() == "" or before.rstrip().endswith((",", ";", "-", "–", "—", "("))
    )


def _normalise(title: str) -> str:
    """Title case with acronyms upper and small words lower: "vp of ops" -> "VP of Ops"."""
    words = re.split(r"(\s+|-)", title.strip())
    out = []
    for i, w in enumerate(words):
        low = w.lower()
        if not w.strip() or w == "-":
            out.append(w)
        elif re.fullmatch(r"c[a-z]o|ciso|chro|cxo", low) and low not in ("cto",) or low in ("ceo", "cto", "cfo", "coo", "cmo", "cio", "cro", "cpo", "cdo", "cco", "cso"):
            out.append(low.upper())
        elif low in _ACRONYMS and low != "ops":
            out.append(low.upper())
        elif low in _LOWER and i:
            out.append(low)
        elif low == "e-commerce" or low == "ecommerce":
            out.append("E-commerce")
        else:
            out.append(w[:1].upper() + w[1:].lower() if (w.islower() or w.isupper()) else w)
    result = "".join(out)
    result = re.sub(r"\bVp\b", "VP", result)
    result = re.sub(r"^(S?VP|EVP|AVP|Vice President) (?!of |for )", r"\1 of ", result)
    result = re.sub(r"\bCo-founder\b", "Co-founder", result, flags=_I)
    return result


def _level_from_role(role: str | None) -> AuthorityLevel:
    if role and role.lower().replace("the ", "") in _DM_TITLES:
        return "decision_maker"
    return "unknown"


def parse_authority(text: str, *, answering: bool) -> Authority | None:
    """An Authority from `text`, or None when nothing recognisable (the caller re-asks).

    `answering=False` returns a value only when a title is claimed or a decision cue is
    explicit; `answering=True` also reads short replies ("me", "my boss", "both").
    """
    cleaned = clean_text(text)
    if not cleaned:
        return None
    scan = cleaned[:_SCAN_CHARS]
    # a title claimed in another language first: in "saya ketua jualan, keputusan dibuat bersama CFO"
    # the CFO is someone else
    role, role_en = find_role(scan, answering=answering), None
    if native := native_role(scan, answering=answering):
        role, role_en = native[0], (native[1] if native[1] != native[0] else None)
    # deciding together said in another language first: "saya dengan CEO decide sama-sama" is not "CEO decides"
    level = (("shared" if decided_together(scan) else None) or _level(scan, answering)
             or native_level(scan, answering=answering))  # bot/parsing/authority_words.py
    if level is None and _RUN_BUSINESS.search(scan):
        level = "decision_maker"
    if level is None and role is not None:
        level = role_level(role_en or role) or _level_from_role(role)
    if level is None:
        if answering and _UNKNOWN.search(scan):
            return Authority("unknown", cleaned)
        return None
    return Authority(level, cleaned, role, role_en)


def _shared_match(text: str) -> re.Match[str] | None:
    """A shared-decision cue, except "the CEO and I" said by the CEO ("I'm the CEO and I decide")."""
    for m in _SHARED.finditer(text):
        if re.search(r"\b(?:i'?m|i am|as)\s$", text[max(0, m.start() - 8):m.start()], _I):
            continue
        return m
    return None


def _level(text: str, answering: bool) -> AuthorityLevel | None:
    if answering:
        if _SHARED_ALONE.match(text):
            return "shared"
        if _YES_ME.match(text):
            return "decision_maker"
        if _ME_FIRST.match(text) and not _INFLUENCER.search(text) and not _shared_match(text):
            return "decision_maker"
        if _NO.match(text) or _OTHER_ALONE.match(text):
            return "influencer"
    if _BODY.search(text) and _MEMBER.search(text):
        return "shared"  # "a committee decides, I sit on it"
    shared = _shared_match(text)
    if shared and (answering or _DECISION_WORDS.search(text)):
        return "shared"
    if _INFLUENCER.search(text):
        return "influencer"
    if _DECISION_MAKER.search(text):
        return "decision_maker"
    return None
