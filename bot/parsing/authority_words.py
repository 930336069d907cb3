"""Who decides and who signs, said in Russian, Norwegian Bokmål, Malay, Chinese and Persian:
"решаю я", "вместе с директором", "jeg bestemmer", "styret", "saya yang buat keputusan",
"我说了算", "老板拍板", "من تصمیم می‌گیرم".

`bot/parsing/authority.py` reads English and calls `native_level` and `native_role` when its
own cues find nothing; the decisions are the same (see its docstring): shared cues are weighed
first, then someone else deciding (influencer), then the visitor deciding; a bare other person
answering the question ("директор", "styret", "老板") is influencer, and so is "no" (reply_words.NO);
"я", "jeg", "saya", "我", "من" alone, or "yes" (reply_words.YES), are the decision maker. Titles are kept as said, with the English title
beside them for the rep ("генеральный директор" / "CEO", "daglig leder" / "CEO", "总经理" / "General
Manager"), and the founder/owner/CEO titles make the visitor the decision maker as in English.
"""
from __future__ import annotations

import re

from bot.answers import AuthorityLevel
from bot.parsing.authority_clauses import clause_level, decided_together
from bot.parsing.reply_words import NO, YES
from bot.parsing.deciders import FA_OTHERS, MS_OTHERS, NB_OTHERS, RU_OTHERS, ZH_OTHERS
from bot.parsing.scripts import WORD_END, WORD_START, loose_any as _fa

__all__ = ["is_title", "native_level", "native_role", "role_level", "title_in_english"]

_I = re.IGNORECASE


def _any(*parts: str) -> str:
    return "(?:" + "|".join(parts) + ")"


def _compile(*parts: str) -> re.Pattern[str]:
    return re.compile(WORD_START + _any(*parts) + WORD_END, _I)


# -- someone else, by language (bot/parsing/deciders.py) ------------------------------------
_FA_OTHERS = _any(FA_OTHERS)  # grouped: it is followed by Persian suffixes

# -- shared ---------------------------------------------------------------------------------
_SHARED = _compile(
    rf"вместе с (?:{RU_OTHERS})", r"совместно", r"сообща", r"(?:решаем|решим|принимаем решение|решать будем) вместе",
    r"вместе (?:решаем|решим|принимаем)", rf"я и (?:мой |моя |наш |наша )?(?:{RU_OTHERS})",
    rf"(?:мы|мы вдвоём|мы вдвоем) с (?:{RU_OTHERS})", rf"(?:{RU_OTHERS}) и я", r"коллегиально", r"вдвоём", r"вдвоем",
    r"коллективно", r"всей командой",
    rf"sammen med (?:{NB_OTHERS})", r"(?:vi )?bestemmer (?:det )?sammen", r"i fellesskap", r"felles beslutning",
    rf"jeg og (?:{NB_OTHERS})", rf"(?:{NB_OTHERS}) og jeg", r"både jeg og", r"vi tar beslutningen sammen",
    rf"bersama(?: dengan)? (?:{MS_OTHERS})", r"(?:kami|kita) (?:buat |membuat )?keputusan bersama",
    r"keputusan bersama", rf"saya dan (?:{MS_OTHERS})", rf"(?:{MS_OTHERS}) dan saya", r"berbincang dulu dengan",
    rf"和(?:我们)?(?:{ZH_OTHERS})一起", r"我们一起(?:决定|商量|定)", r"共同决定", r"集体决策", r"一起商量", r"商量着?(?:决定|来)",
    rf"我和(?:我们)?(?:{ZH_OTHERS})", rf"(?:{ZH_OTHERS})和我",
    rf"(?:با|همراه) {_FA_OTHERS}" + r"(?:م|مون)?\s(?:با هم\s|مشترکا\s|مشترکاً\s)?" + _any(_fa("تصمیم", "تصمیم می‌گیریم")),
    _fa("با هم تصمیم می‌گیریم", "با هم تصمیم میگیریم", "مشترکا تصمیم", "مشترکاً تصمیم", "تصمیم جمعی", "جمعی تصمیم"),
    rf"من و {_FA_OTHERS}", rf"{_FA_OTHERS}(?:م|مون)? و من",
)
_SHARED_ALONE = re.compile(
    r"^\W*" + _any(r"мы", r"мы вместе", r"вместе", r"вдвоём", r"вдвоем", r"оба", r"мы оба", r"vi", r"oss", r"begge", r"sammen",
                   r"vi sammen", r"kami", r"kita", r"kami berdua", r"bersama", r"kedua-dua", r"我们", r"一起", r"我们一起", r"都",
                   r"两个人", _fa("ما", "با هم", "هر دو", "هردومون", "ما با هم")) + r"\W*$", _I)

# -- someone else decides (influencer) ----------------------------------------------------
_INFLUENCER = _compile(
    rf"(?:решает|решают|подписывает|утверждает|согласовывает|решение принимает|последнее слово за|решение за) (?:наш\w* |мой |моя )?(?:{RU_OTHERS})",
    rf"(?:наш\w* |мой |моя )?(?:{RU_OTHERS}) (?:решает|решают|принимает решение|подписывает|утверждает|даёт добро|дает добро|будет решать)",
    r"(?:нужно|надо|придётся|придется|нужно будет) (?:согласовать|утвердить|показать|спросить)", r"согласую с", r"на согласовании",
    r"не я решаю", r"решаю не я", r"не мне решать", r"не (?:моё|мое) решение", r"я не (?:принимаю решени\w*|решаю|подписываю)",
    r"я (?:только |просто )?(?:собираю|изучаю|смотрю) (?:варианты|информацию|предложения)", r"порекомендую",
    r"передам (?:руководству|директору|начальнику|начальству|боссу)", r"покажу (?:руководству|директору|начальству|боссу)",
    rf"(?:{NB_OTHERS}) (?:bestemmer|tar beslutningen|avgjør|har siste ord|må godkjenne|godkjenner|signerer|skriver under)",
    rf"(?:det er |det blir )?(?:{NB_OTHERS}) som (?:bestemmer|avgjør|tar beslutningen)", r"ikke jeg som bestemmer",
    r"ikke min beslutning", r"må (?:godkjennes|forankres|avklares|sjekkes) (?:av|med|i)", r"må (?:sjekke|avklare) med",
    r"jeg (?:kommer med en )?anbefal\w*", r"jeg (?:bare )?samler (?:inn )?(?:info|informasjon|tilbud)",
    r"jeg bestemmer ikke", r"har ikke (?:siste ord|myndighet)",
    rf"(?:{MS_OTHERS})(?: saya| kami)?(?: yang)? (?:buat keputusan|membuat keputusan|tentukan|menentukan|putuskan|memutuskan|luluskan|meluluskan|decide|sign|tandatangan)",
    rf"keputusan (?:di tangan|pada) (?:{MS_OTHERS})", r"perlu (?:kelulusan|persetujuan)", r"perlu tanya (?:bos|pengarah|boss|tauke)",
    r"bukan saya yang (?:buat keputusan|membuat keputusan|tentukan|decide|putuskan)", r"saya (?:cuma|hanya) (?:kumpul|cari|mengumpul) (?:maklumat|info|sebut harga)",
    r"saya akan cadangkan",
    rf"(?:我们|我的)?(?:{ZH_OTHERS})(?:来|说了算|拍板|决定|定|签字|审批|批准|做决定|最终决定|拿主意)",
    rf"(?:要|需要|得|得让)(?:我们)?(?:{ZH_OTHERS})(?:同意|批准|审批|点头|签字|拍板)", r"需要(?:审批|批准|领导同意)",
    r"不是我(?:说了算|决定|定|拍板)", r"我说了不算", r"我(?:只|只是)?负责(?:收集|了解|调研|对接)", r"我(?:会|可以)推荐", r"汇报给",
    rf"{_FA_OTHERS}(?:م|مون)?\s" + _any(_fa("تصمیم می‌گیره", "تصمیم می‌گیرد", "تصمیم میگیره", "تصمیم گیرنده است",
                                             "تصمیم‌گیرنده‌ست", "باید تایید کنه", "باید تأیید کند", "باید تایید کند",
                                             "امضا می‌کنه", "امضا می‌کند", "حرف آخر رو می‌زنه", "حرف آخر را می‌زند",
                                             "تایید می‌کنه")),
    r"تصمیم (?:با|دست) " + _FA_OTHERS + r"(?:ه|[\s\u200c]?است)?",
    _fa("باید تایید بگیرم", "باید تأیید بگیرم", "باید موافقت بگیرم", "من تصمیم‌گیرنده نیستم", "تصمیم با من نیست",
        "من تصمیم نمی‌گیرم", "من فقط اطلاعات جمع می‌کنم", "من فقط دارم قیمت می‌گیرم", "پیشنهاد میدم", "پیشنهاد می‌دهم"),
)
_OTHER_ALONE = re.compile(
    r"^\W*" + _any(rf"(?:наш\w* |мой |моя )?(?:{RU_OTHERS})", r"кто-то другой", rf"(?:min |vår )?(?:{NB_OTHERS})",
                   r"noen andre", rf"(?:{MS_OTHERS})(?: saya| kami)?", r"orang lain", rf"(?:我们|我的)?(?:{ZH_OTHERS})", r"别人",
                   rf"{_FA_OTHERS}(?:م|مون)?", _fa("یکی دیگه", "کس دیگه‌ای"), NO)
    + r"(?:\s(?:решает|bestemmer|yang buat keputusan|决定|تصمیم می‌گیره))?\W*$", _I)

# -- the visitor decides ------------------------------------------------------------------
_DECISION_MAKER = _compile(
    r"решаю я", r"я (?:сам\w* )?решаю", r"я принимаю (?:решени\w*|окончательное решение)", r"решение (?:принимаю|за) (?:я|мной)",
    r"последнее слово за мной", r"я подписываю", r"подписываю я", r"(?:это )?(?:моё|мое) решение", r"я лпр",
    r"сам(?:а)? решаю", r"за мной решение", r"решать мне",
    r"jeg bestemmer", r"det er jeg som bestemmer", r"jeg tar (?:beslutningen|beslutninger|avgjørelsen)", r"beslutningen er min",
    r"jeg har siste ord", r"jeg signerer", r"det er min beslutning", r"jeg avgjør", r"jeg skriver under",
    r"saya yang (?:buat|membuat|tentukan|menentukan|putuskan|memutuskan|decide|luluskan|tandatangan)\w*(?: keputusan)?",
    r"saya (?:buat|membuat) keputusan", r"keputusan (?:di tangan|pada) saya", r"keputusan saya", r"saya decide",
    r"saya sendiri (?:yang )?(?:buat|tentukan|decide)",
    r"我说了算", r"我(?:来)?拍板", r"我(?:来)?(?:做)?决定", r"由我(?:来)?决定", r"我自己(?:决定|定)", r"我签字", r"我负责决策",
    r"最终(?:由)?我(?:来)?定", r"我定", r"我(?:是|就是)决策人",
    _fa("من تصمیم می‌گیرم", "خودم تصمیم می‌گیرم", "تصمیم با منه", "تصمیم با من است", "تصمیم‌گیرنده منم",
        "تصمیم گیرنده من هستم", "من تصمیم‌گیرنده‌ام", "من امضا می‌کنم", "حرف آخر رو من می‌زنم", "اختیارش با منه",
        "تصمیم نهایی با منه", "امضا با منه"),
    r"تصمیم(?:[\s\u200c]?گیری)?(?: نهایی)?(?: هم)? (?:با|دست) (?:خودمه|منه|خودم(?:[\s\u200c]?است)?|من(?:[\s\u200c]?است))",
)
_ME_ALONE = re.compile(
    r"^\W*(?:(?:" + YES + r")\W+)?" + _any(r"я(?: сам| сама)?", r"сам", r"сама", r"(?:jeg|meg)(?: selv)?", r"det er meg",
                                           r"saya(?: sendiri)?", r"sayalah", r"我(?:自己|本人)?", r"是我",
                                           _fa("من", "خودم", "خودمم", "منم", "با خودمه", "با منه", "با خودم", "دست خودمه"),
                                           YES) + r"\W*$", _I)

# The first clause answers "who decides": "ну я, наверное", "vel, meg", "rasanya saya", "应该是我", "احتمالا خودم".
_ME_FIRST = re.compile(
    r"^\W*(?:(?:ну|наверное|скорее всего|в основном|в итоге|пожалуй|vel|nok|tja|mungkin|biasanya|rasanya|应该是|可能是|主要是"
    r"|احتمالا|معمولا|فکر کنم)\W+|应该是|可能是|主要是){0,2}(?:я|сам|сама|jeg|meg|saya|我|من|خودم)"
    r"(?:\W*$|\s?[,;:.!，،]\s*(?!(?:и|og|dan|و)\s|和|跟))",
    _I,
)

# Words about deciding: a shared cue outside the answer must come with one ("вместе с директором решаем").
_DECISION = re.compile(
    r"реш\w*|подпис\w*|утвержд\w*|согласов\w*|bestemm\w*|beslut\w*|avgj\w*|godkjen\w*|signer\w*|keputusan|putus\w*"
    r"|lulus\w*|tentukan|decide|决定|拍板|说了算|商量|签字|审批|决策|تصمیم|امضا|تایید|تأیید", _I)

# -- titles ---------------------------------------------------------------------------------
_ROLES: tuple[tuple[str, str], ...] = (
    # (native title regex, the role in English); longer titles first
    (r"генеральн\w+ директор\w*|гендиректор\w*|гендир\w*|ceo", "CEO"),
    (r"финансов\w+ директор\w*", "CFO"), (r"техническ\w+ директор\w*", "CTO"),
    (r"коммерческ\w+ директор\w*", "Commercial Director"), (r"исполнительн\w+ директор\w*", "Executive Director"),
    (r"директор\w* по продажам|руководител\w* отдела продаж|роп", "Head of Sales"),
    (r"директор\w* по маркетингу|руководител\w* отдела маркетинга|маркетинг-директор\w*", "Head of Marketing"),
    (r"сооснователь\w*|соучредител\w*", "Co-founder"), (r"основател\w*|учредител\w*", "Founder"),
    (r"владел\w*|собственник\w*|индивидуальн\w+ предпринимател\w*|ип", "Owner"),
    (r"менеджер\w* по продажам", "Sales Manager"), (r"маркетолог\w*", "Marketing Manager"),
    (r"директор\w*", "Director"), (r"руководител\w*|управляющ\w*", "Manager"),
    (r"daglig leder|administrerende direktør|adm\.? dir\.?", "CEO"), (r"styreleder", "Chairman"),
    (r"økonomisjef|finansdirektør", "CFO"), (r"teknisk direktør|teknologidirektør", "CTO"),
    (r"salgssjef|salgsleder|salgsdirektør", "Head of Sales"), (r"markedssjef|markedsleder|markedsdirektør", "Head of Marketing"),
    (r"it-sjef|it-leder", "Head of IT"), (r"medgründer", "Co-founder"), (r"gründer|grunnlegger", "Founder"),
    (r"eier|innehaver|medeier", "Owner"), (r"prosjektleder", "Project Manager"), (r"avdelingsleder", "Department Manager"),
    (r"pengarah urusan", "Managing Director"), (r"ketua pegawai eksekutif", "CEO"), (r"pengasas bersama", "Co-founder"),
    (r"pengasas", "Founder"), (r"pemilik|tuan punya|tauke|towkay", "Owner"), (r"pengurus besar", "General Manager"),
    (r"pengurus jualan", "Sales Manager"), (r"pengurus pemasaran", "Marketing Manager"), (r"eksekutif jualan", "Sales Executive"),
    (r"ketua jualan|ketua bahagian jualan", "Head of Sales"), (r"ketua pemasaran", "Head of Marketing"),
    (r"eksekutif pemasaran", "Marketing Executive"), (r"pengurus pejabat", "Office Manager"),
    (r"pengurus projek", "Project Manager"), (r"pengarah", "Director"), (r"pengurus", "Manager"), (r"ketua", "Head"),
    (r"bos|boss", "Boss"), (r"босс\w*|шеф\w*", "Boss"), (r"sjefen", "Boss"),
    (r"首席执行官|CEO", "CEO"), (r"联合创始人", "Co-founder"), (r"创始人", "Founder"), (r"董事长", "Chairman"),
    (r"总经理|总裁", "General Manager"), (r"老板", "Owner"), (r"销售总监", "Sales Director"), (r"市场总监", "Marketing Director"),
    (r"技术总监|CTO", "CTO"), (r"财务总监|CFO", "CFO"), (r"销售经理", "Sales Manager"), (r"采购经理", "Purchasing Manager"), (r"运营总监", "Operations Director"), (r"市场经理", "Marketing Manager"),
    (r"店长", "Store Manager"), (r"总监", "Director"), (r"经理", "Manager"), (r"主管", "Supervisor"), (r"合伙人", "Partner"),
    (_fa("مدیرعامل", "مدیر عامل"), "CEO"), (_fa("هم‌بنیان‌گذار", "هم بنیانگذار"), "Co-founder"),
    (_fa("بنیان‌گذار", "بنیانگذار", "مؤسس", "موسس"), "Founder"), (_fa("رئیس هیئت مدیره"), "Chairman"),
    (_fa("صاحب شرکت", "صاحب کسب‌وکار", "صاحب کسب و کار", "مالک"), "Owner"),
    (r"صاحب[\s\u200c][\u0600-\u06ff]+?(?=م?(?:[\s،,.!?؟]|$))", "Owner"),  # "صاحب سالن", "صاحب مغازه"
    (_fa("مدیر فروش"), "Head of Sales"),
    (_fa("مدیر بازاریابی", "مدیر مارکتینگ"), "Head of Marketing"), (_fa("مدیر مالی"), "CFO"), (_fa("مدیر فنی"), "CTO"),
    (_fa("کارشناس فروش"), "Sales Specialist"), (_fa("کارشناس بازاریابی"), "Marketing Specialist"),
    (r"مدیر[\s\u200c][\u0600-\u06ff]+?(?=م?(?:[\s،,.!?؟]|$))", "Manager"),  # "مدیر آموزشگاه"
    (_fa("مدیر"), "Manager"),
)
_ROLE = re.compile("|".join(f"(?P<r{i}>{pattern})" for i, (pattern, _) in enumerate(_ROLES)), _I)
# The visitor claims the title: "я генеральный директор", "jeg er daglig leder", "saya pengarah urusan",
# "我是总经理", "من مدیرعامل هستم" / "مدیرعامل هستم".
_SELF_BEFORE = re.compile(
    r"(?:(?<!\w)я(?: и есть| являюсь| работаю| —| -)?|работаю|моя должность(?: —| -|:)?|должность:|jeg er|og er|jobber som|min stilling er"
    r"|æ e|eg er|jæ e|saya(?: seorang| ialah| adalah| bekerja sebagai)?|aku|jawatan saya(?: ialah)?|我是|我就是|我担任|我是公司的|本人是|我在公司(?:做|当)"
    r"|من|اینجانب|بنده|خودم)\s?$", _I)
_SELF_AFTER = re.compile(r"[\s\u200c]?(?:هستم|ام)(?!\w)|\sخودم(?:م|ه)?(?!\w)|\s(?:here|тут|здесь)(?!\w)", _I)
# A title claimed across its company: "我是华为的采购经理", "مدیرعامل شرکت آریا هستم".
_CLAIMED_IN_CLAUSE = re.compile(r"(?:我|^|[，,]\s?)(?:是|就是|担任)[^，,。！？!?；;\s]{1,20}的$")
# A title in apposition to the visitor's name: "Я Ольга Миронова, директор по продажам", "Camilla
# Strand her, markedssjef", "saya Aina, pengurus pemasaran", "我叫何静，是…的市场总监".
_NAMED_BEFORE = re.compile(
    r"(?:(?<!\w)(?:я|меня зовут|jeg heter|jeg er|mitt navn er|saya|aku|nama saya|my name is|i'm|i am)\s+"
    r"[^\W\d_]+(?:\s[^\W\d_]+)?|[^\W\d_]+(?:\s[^\W\d_]+)?\s(?:her|здесь|тут|di sini|هستم))\s?[,—–،]\s?$", _I)
_FA_CLAIMED_SUFFIX = re.compile(r"م(?![^\W\d_])")
_CLAIMED_AFTER = re.compile(r"[^،,.!?؟\n]{0,30}?[\s\u200c](?:هستم|ام)(?![\u0600-\u06ff])")


def _after_clause(text: str, m: re.Match[str]) -> str:
    return text[m.end():m.end() + 40]


_OTHER_BEFORE = re.compile(
    r"(?:(?<!\w)(?:наш\w*|мой|моя|мо[её]го|с|и|min|vår|med|og|dengan|bersama|dan)|我们|我的|我们的|跟|和|با|به|از|و)\s?$", _I)
_OTHER_AFTER = re.compile(r"\s?(?:saya|kami|م(?!\w)|مون)", _I)
# The titles that decide; "the boss" claimed by the visitor ("æ e sjefen sjøl", "saya bos") as in English.
_DM_ROLES = {"CEO", "Founder", "Co-founder", "Owner", "Managing Director", "General Manager", "Chairman", "Boss"}


def native_role(text: str, *, answering: bool) -> tuple[str, str] | None:
    """The visitor's own title said in one of the languages: (the words as said, the title in
    English), ("коммерческий директор", "Commercial Director"), or None."""
    for m in _ROLE.finditer(text):
        if not _bounded(text, m):
            continue
        before = text[max(0, m.start() - 25):m.start()]
        after = text[m.end():m.end() + 8]
        role = (m.group(0).strip(), _english(m))
        if (_SELF_BEFORE.search(before) or _CLAIMED_IN_CLAUSE.search(before) or _CLAIMED_AFTER.match(_after_clause(text, m))
                or _NAMED_BEFORE.search(text[max(0, m.start() - 60):m.start()])):
            return role
        if _FA_CLAIMED_SUFFIX.match(text[m.end():]) and not before.strip(" من") and re.search(r"[\s\u200c]", m.group(0)):
            return role  # "کارشناس فروشم، ..." opens the answer: I am (the suffix); "مدیرم" alone is "my manager"
        if m.group(0).isascii():
            continue  # "CFO signs off": English titles are authority.py's, unless claimed in a language here
        if _OTHER_BEFORE.search(before) or _OTHER_AFTER.match(after):
            continue  # "наш директор", "bos saya", "我们老板", "مدیرم" (my manager)
        if _SELF_AFTER.match(after):
            return role
        if answering and len(text) <= (m.end() - m.start()) + 12 and not (
                _INFLUENCER.search(text) or _OTHER_ALONE.match(text) or decided_together(text)):
            return role  # a bare title is the visitor's, unless it answers who else decides ("老板")
    return None


def _english(m: re.Match[str]) -> str:
    return _ROLES[int(next(k for k, v in m.groupdict().items() if v)[1:])][1]


def title_in_english(title: str | None) -> str | None:
    """A title of one of the languages in English ("генеральный директор" -> "CEO"); None for
    an English title or no title."""
    m = _ROLE.fullmatch(title.strip()) if title else None
    if m is None or m.group(0).isascii():
        return None
    return _english(m)


def is_title(words: str) -> bool:
    """`words` are a job title of one of the languages ("директор", "总经理"), not a name."""
    return bool(_ROLE.fullmatch(words.strip()))


def _bounded(text: str, m: re.Match[str]) -> bool:
    """A whole word (Chinese has no word bounds, Persian takes the suffix "م" of "I am")."""
    if re.match(r"[\u4e00-\u9fff]", m.group(0)):
        return True
    before = text[m.start() - 1] if m.start() else " "
    after = text[m.end()] if m.end() < len(text) else " "
    return not before.isalnum() and (not after.isalnum() or after == "م")


def role_level(role: str | None) -> AuthorityLevel | None:
    """The level a title alone gives: founder, owner, CEO decide; any other title says nothing."""
    return "decision_maker" if role in _DM_ROLES else None


def native_level(text: str, *, answering: bool) -> AuthorityLevel | None:
    """The visitor's part in the decision, said in one of the languages, or None."""
    if answering:
        if _SHARED_ALONE.match(text):
            return "shared"
        if _ME_ALONE.match(text):
            return "decision_maker"
        if _ME_FIRST.match(text) and not (_INFLUENCER.search(text) or _SHARED.search(text)):
            return "decision_maker"
        if _OTHER_ALONE.match(text):
            return "influencer"
    if _SHARED.search(text) and (answering or _DECISION.search(text)):
        return "shared"
    if _INFLUENCER.search(text):
        return "influencer"
    if _DECISION_MAKER.search(text):
        return "decision_maker"
    return clause_level(text) if answering else None  # bot/parsing/authority_clauses.py
