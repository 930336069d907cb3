"""Names and companies said in Russian, Norwegian Bokmål, Malay, Chinese and Persian:
"меня зовут Анна Петрова", "jeg heter Kari", "nama saya Ahmad bin Ismail", "我叫王伟",
"اسم من علی رضایی است"; "ООО «Ромашка»", "Nordlys AS", "Maju Jaya Sdn Bhd", "华为技术有限公司",
"شرکت آریا سیستم".

`bot/parsing/contact.py` reads English and calls `native_name` / `native_company` before its
whole-reply reading, so a reply with a native lead ("меня зовут …", "我在…工作") gives the name
or company without the lead. The decisions are contact.py's: a cue that always introduces a
name ("меня зовут", "我叫") is read in any message; one that may introduce anything ("я",
"jeg er", "saya", "我是", "من … هستم") only before a capitalised word, or, in scripts without
capitals, a Chinese surname or a Persian copula; a title after it is not a name ("я директор",
"我是总经理"). Legal forms stay part of the company ("ООО «Ромашка»", "Nordlys AS").
"""
from __future__ import annotations

import re

from bot.parsing.authority_words import is_title
from bot.parsing.russian_cases import GENITIVE, PREPOSITIONAL, is_place, nominative
from bot.parsing.scripts import WORD_END, WORD_START, loose

__all__ = ["HAN", "NOT_NAME_WORDS", "native_company", "native_name"]

_I = re.IGNORECASE
# One Chinese character (CJK Unified Ideographs, where names are written); extraction.py reads
# listed contact details with it too.
HAN = r"[\u4e00-\u9fff]"

# Replies and fillers that are never a name given alone.
NOT_NAME_WORDS = frozenset("""
да нет ага ок окей конечно спасибо привет здравствуйте пропустить пропустим не знаю я мы вы зачем почему
ой извините простите
ja nei ok takk hei hallo hopp jeg vi dere hvorfor vet ikke unnskyld beklager
ya tidak tak bukan ok terima kasih hai helo saya kami kenapa langkau maaf eh
是 对 不 好 嗯 谢谢 你好 跳过 不知道 我 我们 为什么 对不起 不好意思
بله نه آره خیر ممنون سلام من ما چرا نمی‌دونم باشه ببخشید خوشحال علاقه‌مند علاقمند مطمئن منتظر آماده مشتاق خوب
""".split())

# Cues that always introduce a name.
_NAME_CUE = re.compile(
    WORD_START + "(?:" + "|".join((
        r"меня зовут", r"зовут меня", r"мо[её] имя", r"имя:", r"jeg heter", r"mitt navn er", r"navnet mitt er",
        r"navnet er", r"nama saya(?: ialah| adalah)?", r"saya bernama", r"nama aku", r"panggil saya",
        loose("اسم من"), r"اسمم", loose("اسم بنده"), loose("اسمم هست"),
    )) + r")\s*[:\-—]?\s*",
    _I,
)
# A capitalised name introduced as "<name> here" at the start of a message, after a greeting.
_NAME_HERE = re.compile(
    r"^\W*(?:(?:hei|hallo|heisann|god dag|hai|helo|halo|salam|привет|здравствуйте)\W+)?"
    r"(?P<n>[^\W\d_][^\W\d_'-]+(?:\s[^\W\d_][^\W\d_'-]+)?)\s(?:her|di sini|здесь|тут)(?!\w)", _I)
# Cues that may introduce a name or anything else.
_MAYBE_NAME_CUE = re.compile(WORD_START + r"(?<!maksud )(?<!maksudnya )(?:я|это|jeg er|dette er|saya|aku|ini)\s+(?:—\s|-\s)?", _I)
_ZH_CUE = re.compile(r"(?:我叫|我的名字(?:是|叫)|本人|我姓|叫我)\s*(?P<n>" + HAN + r"{1,4})")
_ZH_MAYBE = re.compile(r"(?:我是|我就是|这里是|这边是)\s*(?P<n>" + HAN + r"{2,4})")
_FA_LETTERS = "[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u200c]"
# "I am": "هستم", or "ام" after a space or ZWNJ ("بهرام‌ام"); "ام" written on is part of a word
# ("الهام", "سلام").
_FA_I_AM = re.compile(rf"(?:^|\s)(?:من\s)?(?P<n>{_FA_LETTERS}+(?:\s{_FA_LETTERS}+){{0,2}})"
                      r"(?:[\s\u200c]?هستم|[\s\u200c]ام)(?![^\W\d_])")  # "،" ends it
# Where a name ends: punctuation, a copula, or a word that starts another clause.
_NAME_STOP = re.compile(
    r"\s?(?:[,;:!?()]|\.(?:\s|$)|\s[-–—]\s)"
    r"|\s(?:из|с|и|а|я|мы|работаю|fra|i|og|jeg|vi|jobber|dari|di|dan|saya|kami|bekerja"
    r"|از|و|در|هستم|است|هستش|ام|هست)(?!\w)|[\s\u200c](?:هستم|است|ام)$",
    _I,
)
# Chinese surnames: most Chinese people carry one of these (the compound ones first).
_ZH_SURNAMES = (
    "欧阳|司马|上官|诸葛|东方|皇甫|慕容|令狐|司徒|"
    "[王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝]"
)
_ZH_NAME = re.compile(rf"(?:{_ZH_SURNAMES}){HAN}{{1,2}}")
_ZH_NAME_STOP = re.compile(r"来|在|是|的|从|和|，|。|我|负责|做|公司|想|要")


def native_name(text: str, *, answering: bool) -> str | None:
    """The visitor's name said with a cue of one of the languages, or as a whole Chinese or
    Persian reply; None when there is none (contact.py then reads the rest)."""
    for m in _NAME_CUE.finditer(text):
        name = _words_at(text, m.end())
        if name:
            return name
    m = _ZH_CUE.search(text)
    if m:
        name = _zh_name(m.group("n"), need_surname=False)
        if name:
            return name
    m = _ZH_MAYBE.search(text)
    if m:
        name = _zh_name(m.group("n"), need_surname=True)
        if name:
            return name
    for m in _MAYBE_NAME_CUE.finditer(text):
        name = _words_at(text, m.end(), capitalised=True)
        if name:
            return name
    m = _NAME_HERE.search(text)
    if m and all(w[0].isupper() for w in m.group("n").split()) and not is_title(m.group("n")) and (
            m.group("n").lower() not in NOT_NAME_WORDS):
        return m.group("n")  # "Hei, Camilla Strand her, markedssjef …", "Aina di sini"
    m = _FA_I_AM.search(text)
    if m and (answering or re.match(r"\W*(?:سلام|درود|وقت بخیر)\W*$", text[:m.start()])):
        name = _words_at(m.group("n").strip("\u200c"), 0)
        if name and not is_title(name):
            return name
    if answering:
        whole = text.strip(" .!。")
        if re.fullmatch(f"{HAN}{{2,4}}", whole) and whole not in NOT_NAME_WORDS:
            return _zh_name(whole, need_surname=True)
    return None


def _zh_name(raw: str, *, need_surname: bool) -> str | None:
    stop = _ZH_NAME_STOP.search(raw, 2)
    name = raw[:stop.start()] if stop else raw
    if len(name) < 2 or is_title(name) or name in NOT_NAME_WORDS:
        return None
    if need_surname and not _ZH_NAME.fullmatch(name):
        return None
    return name


def _words_at(text: str, start: int, *, capitalised: bool = False) -> str | None:
    """One to four name words from `start`, up to where the name ends; None if they are not a name."""
    segment = text[start:start + 80]
    stop = _NAME_STOP.search(segment)
    if stop:
        segment = segment[:stop.start()]
    words = segment.strip(" .'\"«»").split()
    if not words or len(words) > 4 or not all(re.fullmatch(r"[^\W\d_][\w'’.\-\u200c]*", w) for w in words):
        return None
    if words[0].lower() in NOT_NAME_WORDS or is_title(" ".join(words)) or is_title(words[0]):
        return None
    if capitalised and not words[0][0].isupper():
        return None
    name = " ".join(words)
    if name.islower() and words[0][0].isupper() != words[0][0].islower():
        name = " ".join(w[:1].upper() + w[1:] for w in words)  # "анна петрова" -> "Анна Петрова"
    return name


# -- companies ------------------------------------------------------------------------------
# Legal forms written before the name (kept: they are part of it).
_PREFIX_FORMS = r"(?:ООО|ОАО|ЗАО|ПАО|АО|НКО|ИП|ТОО|ЧП|شرکت|موسسه|مؤسسه|Syarikat)"
# Legal forms written after the name.
_SUFFIX_FORMS = (r"(?:AS|ASA|ANS|ENK|Sdn\.? Bhd\.?|Bhd\.?|Berhad|PLT|" + loose("سهامی خاص") + "|" + loose("سهامی عام") + ")")
_QUOTED = r"[«\"“„'](?P<q>[^«»\"“”„']{1,60})[»\"”“']"
_COMPANY_WORDS = r"[^\W\d_][\w'&.\-\u200c]*(?:\s[^\W_][\w'&.\-\u200c]*){0,4}"
_PREFIXED = re.compile(WORD_START + rf"(?P<all>{_PREFIX_FORMS}\s?(?:{_QUOTED}|(?P<w>[^\W\d_][\w'&.\-\u200c]*(?:\s[^\W\d_][\w'&.\-\u200c]*){{0,3}})))")
_SUFFIXED = re.compile(rf"(?<![\w'&.\-])(?P<all>(?:[^\W\d_][\w'&.\-]*\s){{0,4}}[^\W\d_][\w'&.\-]*\s{_SUFFIX_FORMS})" + WORD_END)
_LEAD_WORDS = frozenset("vi er jeg fra hos i kami dari saya di dengan kerja bekerja".split())
_ZH_SUFFIXED = re.compile(rf"(?P<all>{HAN}{{2,16}}?(?:(?:股份)?有限(?:责任)?公司|集团|控股))")
_ZH_LEAD = re.compile(r"^(?:我们?(?:在|是|来自|公司是|公司叫)|在|来自|是)")
_COMPANY_CUE = re.compile(
    WORD_START + "(?:" + "|".join((
        r"(?:я )?работаю в компании", r"(?:мы )?из компании", r"(?:наша )?компания(?: называется)?", r"фирма",
        r"(?:директор\w*|менеджер\w*|руководител\w*|сотрудник\w*|маркетолог\w*)(?: [^\W\d_]+){0,3} компании",
        r"jeg jobber (?:i|for|hos)", r"(?:firmaet|selskapet|bedriften)(?: mitt| vårt)?(?: heter)?", r"vi er fra",
        r"saya (?:bekerja|kerja) (?:di|dengan)", r"(?:syarikat saya|syarikat kami)(?: ialah| adalah| bernama)?",
        r"kami dari", r"saya dari",
        loose("اسم شرکت") + r"(?:مون|م|\sما|\sمن)?", loose("از شرکت"), loose("در شرکت"), loose("تو شرکت"),
    )) + r")\s*[:\-—]?\s*",
    _I,
)
_ZH_CUE_COMPANY = re.compile(r"(?:我在|我们公司(?:是|叫)|公司(?:名称?|名字)?(?:是|叫))\s*(?P<c>[^\s，,。；;！!？?]{2,30}?)(?:工作|上班|的|，|,|。|$)")
# Russian: a company after "в" or "из" is in the case they ask for ("работаю в Ромашке", "в
# Ромашке работаю", "мы из Технопарка"); said in passing, a verb of working or "я/мы из" says
# it is the visitor's workplace. In passing the name starts with a capital; "в компании X"
# keeps X as is (a cue of _COMPANY_CUE).
# The verbs of working, one list for the pattern and for the lead's check in _russian_workplace.
_RU_WORK_VERBS = ("работаю", "работаем", "тружусь", "трудимся", "сижу")
_RU_WORK = "(?:" + "|".join(_RU_WORK_VERBS) + ")"
_RU_IN_COMPANY = re.compile(
    r"(?:^|(?<=\s))(?P<lead>(?i:(?:я |мы )?" + _RU_WORK + r"\s|я\s|мы\s))?(?P<prep>(?i:в|во|из))\s"
    r"(?P<org>[^\W\d_][\w\-]*(?:\s[А-ЯЁA-Z][\w\-]*){0,2})(?P<verb>\s(?i:" + _RU_WORK + r"))?(?![\w\-])"
)
# "我是上海鼎泰电子的销售总监": the company a title belongs to ("X 的 <title>").
_ZH_TITLE_OF = re.compile(rf"(?P<c>{HAN}{{2,20}}?)的(?P<t>{HAN}{{2,8}})")
# Not a company's name: "我们公司的", "这家店的", "公司的", "贵司的".
_ZH_NOT_A_NAME = re.compile(r"^(?:我们?|咱们?|这|那|本|贵|该|公司|单位|店里|家里)|(?:公司|单位|店|这边|那边)$")
_COMPANY_END = re.compile(
    r"\s?(?:[,;!?()]|\.(?:\s|$)|\s[-–—]\s)|\s(?:и|а|мы|где|og|vi|der|dan|kami|yang|و|که|هستم|است|هستیم|کار|ما)(?!\w)",
    _I,
)


def native_company(text: str, *, answering: bool) -> str | None:
    """The visitor's company with a legal form or a cue of one of the languages; None when none."""
    m = _PREFIXED.search(text)
    if m:
        if m.group("q"):
            return _tidy(m.group("all"))
        stop = _COMPANY_END.search(m.group("all"))
        org = _tidy(m.group("all")[:stop.start()] if stop else m.group("all"))
        if len(org.split()) > 1 or m.group("all").startswith(("ИП", "ООО")):
            return org  # "شرکت ما …" is "our company …": no name yet
    m = _ZH_SUFFIXED.search(text)
    if m:
        return _ZH_LEAD.sub("", m.group("all"))
    m = _SUFFIXED.search(text)
    if m:
        words = m.group("all").split()
        leads = [i for i, w in enumerate(words[:-2]) if w.lower() in _LEAD_WORDS]
        if leads:
            words = words[leads[-1] + 1:]  # "Ahmad dari Maju Jaya Sdn Bhd", "jeg jobber i Nordlys AS"
        while len(words) > 2 and not words[0][0].isupper():
            words.pop(0)  # the name starts with a capital
        return " ".join(words).rstrip(".")
    company = _russian_workplace(text, answering=answering)
    if company:
        return company
    m = _ZH_CUE_COMPANY.search(text)
    if m and not is_title(m.group("c")):
        return m.group("c")
    company = _zh_title_of(text)
    if company:
        return company
    for m in _COMPANY_CUE.finditer(text):
        segment = text[m.end():m.end() + 80]
        quoted = re.match(_QUOTED, segment)
        if quoted:
            return quoted.group("q").strip()
        stop = _COMPANY_END.search(segment)
        org = (segment[:stop.start()] if stop else segment).strip(" .")
        words = org.split()
        if not words or len(words) > 5:
            continue
        if not answering and not (org[0].isupper() or org[0].isupper() == org[0].islower()):
            continue  # in passing, a company is written as a name
        return org
    return None


def _russian_workplace(text: str, *, answering: bool) -> str | None:
    """"работаю в Ромашке" -> "Ромашка": a Russian workplace after "в"/"из", in the nominative."""
    for m in _RU_IN_COMPANY.finditer(text):
        lead, verb = (m.group("lead") or "").strip().lower(), m.group("verb")
        if not (m.group("org")[0].isupper() or answering):
            continue  # in passing, a company is written as a name
        if _RU_GENERIC_PLACE.match(m.group("org")):
            continue  # "в компании Ромашка": the cue of _COMPANY_CUE, the name as written
        from_ = m.group("prep").lower() == "из"
        if from_ and lead not in ("я", "мы") and not answering:
            continue  # "из Москвы" in passing: a place, not a workplace
        if not from_ and not (verb or lead.endswith(_RU_WORK_VERBS)) and not (answering and m.start() == 0):
            continue  # "в Москве", "в Telegram" in passing; a reply "в Ромашке" answers
        case = GENITIVE if from_ else PREPOSITIONAL
        if not is_place(m.group("org"), case):
            return nominative(m.group("org"), case)
    return None


_RU_GENERIC_PLACE = re.compile(r"(?i:компани|фирм|организаци|офис|отдел|магазин|салон|студи|агентств|банк[еа]\b)")


def _zh_title_of(text: str) -> str | None:
    """X in "(我是)X的<title>", when what follows 的 starts with a job title and X is a name."""
    for m in _ZH_TITLE_OF.finditer(text):
        title = m.group("t")
        if not any(is_title(title[:k]) for k in range(len(title), 1, -1)):
            continue
        company = _ZH_LEAD.sub("", m.group("c"))
        if len(company) >= 2 and not _ZH_NOT_A_NAME.search(company) and not is_title(company):
            return company
    return None


def _tidy(org: str) -> str:
    return re.sub(r"\s+", " ", org).strip(" ,.;:")
