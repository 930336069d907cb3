"""parse_authority in Russian, Norwegian Bokmål, Malay, Chinese and Persian (and mixed with
English): who decides and who signs, and the visitor's own title as said with its English
beside it (the rows give the English).

Rows are (reply to "who will make the final decision?", level, role). The decisions are the
English ones (bot/parsing/authority.py): shared first, then someone else, then the visitor."""
from __future__ import annotations

import pytest

from bot.parsing.authority import parse_authority
from bot.parsing.text import clean_text

ANSWERS = [
    # ru
    ("решаю я", "decision_maker", None),
    ("Я", "decision_maker", None),
    ("я сам", "decision_maker", None),
    ("решение принимаю я", "decision_maker", None),
    ("последнее слово за мной", "decision_maker", None),
    ("я генеральный директор", "decision_maker", "CEO"),
    ("я владелец, так что решаю я", "decision_maker", "Owner"),
    ("вместе с директором", "shared", None),
    ("мы с партнёром решаем вместе", "shared", None),
    ("я и наш финансовый директор", "shared", None),
    ("мы вдвоём", "shared", None),
    ("коллегиально, всей командой", "shared", None),
    ("директор", "influencer", None),  # someone else: the director
    ("наш директор решает", "influencer", None),
    ("решает собственник", "influencer", None),
    ("нужно согласовать с руководством", "influencer", None),
    ("не я решаю", "influencer", None),
    ("я руководитель отдела продаж, но подписывает гендир", "influencer", "Head of Sales"),
    ("нет", "influencer", None),
    ("пока не знаю", "unknown", None),
    # nb
    ("jeg bestemmer", "decision_maker", None),
    ("det er jeg som bestemmer", "decision_maker", None),
    ("meg", "decision_maker", None),
    ("jeg er daglig leder", "decision_maker", "CEO"),
    ("jeg er gründer og eier", "decision_maker", "Founder"),
    ("sammen med daglig leder", "shared", None),
    ("vi bestemmer sammen", "shared", None),
    ("begge", "shared", None),
    ("styret", "influencer", None),
    ("styret bestemmer", "influencer", None),
    ("sjefen", "influencer", None),
    ("det må godkjennes av ledelsen", "influencer", None),
    ("jeg er salgssjef, men daglig leder tar beslutningen", "influencer", "Head of Sales"),
    ("nei, ikke meg", "influencer", None),
    ("vet ikke", "unknown", None),
    # ms
    ("saya yang buat keputusan", "decision_maker", None),
    ("saya sendiri", "decision_maker", None),
    ("keputusan di tangan saya", "decision_maker", None),
    ("saya pengarah urusan", "decision_maker", "Managing Director"),
    ("saya pemilik syarikat", "decision_maker", "Owner"),
    ("bersama dengan rakan kongsi", "shared", None),
    ("kami buat keputusan bersama", "shared", None),
    ("kami berdua", "shared", None),
    ("bos saya yang buat keputusan", "influencer", None),
    ("bos", "influencer", None),
    ("perlu kelulusan lembaga pengarah", "influencer", None),
    ("bukan saya yang buat keputusan", "influencer", None),
    ("tak pasti", "unknown", None),
    # zh
    ("我说了算", "decision_maker", None),
    ("我", "decision_maker", None),
    ("我来拍板", "decision_maker", None),
    ("由我决定", "decision_maker", None),
    ("我是老板", "decision_maker", "Owner"),
    ("我是总经理", "decision_maker", "General Manager"),
    ("我和合伙人一起决定", "shared", None),
    ("我们一起商量", "shared", None),
    ("我们", "shared", None),
    ("老板拍板", "influencer", None),
    ("老板", "influencer", None),
    ("我们老板说了算", "influencer", None),
    ("需要领导审批", "influencer", None),
    ("我是销售经理，老板拍板", "influencer", "Sales Manager"),
    ("不是我", "influencer", None),
    ("不确定", "unknown", None),
    # fa
    ("من تصمیم می‌گیرم", "decision_maker", None),
    ("من تصمیم میگیرم", "decision_maker", None),
    ("خودم", "decision_maker", None),
    ("تصمیم با منه", "decision_maker", None),
    ("من مدیرعامل هستم", "decision_maker", "CEO"),
    ("مدیرعاملم", "influencer", None),  # "my CEO": the suffix is a possessive without "من"
    ("با مدیرعامل با هم تصمیم می‌گیریم", "shared", None),
    ("من و شریکم", "shared", None),
    ("هر دو", "shared", None),
    ("مدیرعامل تصمیم می‌گیره", "influencer", None),
    ("هیئت مدیره", "influencer", None),
    ("تصمیم با مدیرعامله", "influencer", None),
    ("باید تایید بگیرم", "influencer", None),
    ("نه", "influencer", None),
    ("نمی‌دونم", "unknown", None),
    # more chat wordings
    ("да, я", "decision_maker", None),
    ("ну я, наверное", "decision_maker", None),
    ("окончательное решение за директором", "influencer", None),
    ("решение будем принимать вместе с партнёром", "shared", None),
    ("я только собираю варианты, решать будет шеф", "influencer", None),
    ("ja, det er meg", "decision_maker", None),
    ("vel, meg, i hvert fall til slutt", "decision_maker", None),
    ("eieren har siste ord", "influencer", None),
    ("jeg og styreleder", "shared", None),
    ("ya, saya", "decision_maker", None),
    ("tauke yang decide", "influencer", None),
    ("saya dan rakan kongsi saya", "shared", None),
    ("是的，我拍板", "decision_maker", None),
    ("应该是我，最后我签字", "decision_maker", None),
    ("得让老板点头", "influencer", None),
    ("我们老板和我一起决定", "shared", None),
    ("آره خودم", "decision_maker", None),
    ("احتمالا خودم، ولی با مدیرعامل مشورت می‌کنم", "decision_maker", None),
    ("حرف آخر رو من می‌زنم", "decision_maker", None),
    ("رئیسم تصمیم می‌گیره", "influencer", None),
    # read clause by clause (bot/parsing/authority_clauses.py): a title, then who decides
    ("я руководитель проекта, а утверждает всё равно учредитель", "influencer", "Manager"),
    ("я маркетолог, но окончательно подписывает бухгалтерия", "influencer", "Marketing Manager"),
    ("я основатель, решения принимаю самостоятельно", "decision_maker", "Founder"),
    ("обсуждаем и решаем совместно с партнёрами", "shared", None),
    ("det er styreleder som har siste ordet", "influencer", None),
    ("eg er prosjektleder, men ledelsen min godkjenner det til slutt", "influencer", "Project Manager"),
    ("jeg bestemmer selv, jeg er innehaver", "decision_maker", "Owner"),
    ("vi avgjør det sammen i ledergruppa", "shared", None),
    ("tauke kedai yang luluskan, saya cuma pekerja", "influencer", None),
    ("saya pemilik, semua keputusan saya sendiri buat", "decision_maker", "Owner"),
    ("kami berbincang dan putuskan sama-sama dengan pengarah", "shared", None),
    ("我是市场经理，不过最终要董事长签字", "influencer", "Marketing Manager"),
    ("这个事情我自己做主就行", "decision_maker", None),
    ("我们老板跟我一块儿商量", "shared", None),
    ("کارشناس فروشم، ولی امضای نهایی با مدیرعامله", "influencer", "Sales Specialist"),
    ("صاحب فروشگاه خودمم", "decision_maker", "Owner"),
    ("دست خودمه", "decision_maker", None),
    ("با شریکم با هم تصمیم می‌گیریم", "shared", None),
    ("æ e sjefen her", "decision_maker", "Boss"),
    ("saya ketua pemasaran, keputusan dibuat bersama CEO", "shared", "Head of Marketing"),
    # mixed with English
    ("я CEO, решаю я", "decision_maker", "CEO"),
    ("我是CEO", "decision_maker", "CEO"),
    ("saya CEO", "decision_maker", "CEO"),
]


@pytest.mark.parametrize(("text", "level", "role"), ANSWERS)
def test_answers_to_the_authority_question(text: str, level: str, role: str | None) -> None:
    authority = parse_authority(text, answering=True)
    assert authority is not None, text
    assert (authority.level, authority.role_en or authority.role) == (level, role)
    assert authority.text == clean_text(text)
    assert authority.role is None or authority.role in authority.text  # the title in the visitor's words


# Any message (answering=False): a clear claim or cue counts, a bare word does not.
STRICT = [
    ("Здравствуйте, я генеральный директор, нам нужен бот", "decision_maker", "CEO"),
    ("решение принимает совет директоров", "influencer", None),
    ("jeg er daglig leder i et lite firma", "decision_maker", "CEO"),
    ("saya yang buat keputusan untuk pembelian ini", "decision_maker", None),
    ("您好，我是总经理，我们想要一个客服机器人", "decision_maker", "General Manager"),
    ("你好，我是深圳某某科技有限公司的总经理，我说了算", "decision_maker", "General Manager"),
    ("我是华为技术有限公司的采购经理", "unknown", "Purchasing Manager"),
    ("مدیرعامل شرکت آریا هستم", "decision_maker", "CEO"),
    ("سلام، مدیر فروش شرکت آریا هستم و تصمیم با مدیرعامله", "influencer", "Head of Sales"),
    ("سلام، من مدیرعامل هستم و دنبال چت‌بات هستیم", "decision_maker", "CEO"),
    ("سلام، رضا کریمی هستم، مدیر بازاریابی، تصمیم با مدیرعامله", "influencer", "Head of Marketing"),
    ("یه ربات برای سایت می‌خوایم و تصمیم نهایی هم با خودمه", "decision_maker", None),
]


@pytest.mark.parametrize(("text", "level", "role"), STRICT)
def test_clear_statements_anywhere(text: str, level: str, role: str | None) -> None:
    authority = parse_authority(text, answering=False)
    assert authority is not None, text
    assert (authority.level, authority.role_en or authority.role) == (level, role)
    assert authority.role is None or authority.role in authority.text


@pytest.mark.parametrize("text", [
    "я", "директор", "styret", "saya", "老板", "من", "нам нужен бот для сайта", "vi trenger en chatbot",
    "kami perlukan chatbot", "我们需要一个聊天机器人", "ما یک چت‌بات می‌خواهیم", "мы работаем вместе уже 5 лет",
])
def test_nothing_claimed_in_passing(text: str) -> None:
    assert parse_authority(text, answering=False) is None


@pytest.mark.parametrize(("text", "said", "english"), [
    ("Я коммерческий директор компании", "коммерческий директор", "Commercial Director"),
    ("jeg er daglig leder", "daglig leder", "CEO"),
    ("我是总经理", "总经理", "General Manager"),
    ("من مدیرعامل هستم", "مدیرعامل", "CEO"),
    ("saya CEO", "CEO", None),  # an English title needs no English beside it
])
def test_the_title_is_kept_as_said_with_its_english(text: str, said: str, english: str | None) -> None:
    authority = parse_authority(text, answering=True)
    assert authority is not None
    assert (authority.role, authority.role_en) == (said, english)
    assert authority.role_shown() == (f"{said} ({english})" if english else said)
