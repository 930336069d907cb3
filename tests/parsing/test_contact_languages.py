"""Names, companies, e-mail addresses and phone numbers in Russian, Norwegian Bokmål, Malay,
Chinese and Persian text (bot/parsing/contact_words.py, contact.py, phone.py).

Rows are our own chat wordings: (reply, expected) when the bot asked for it (answering) and,
for clear cues, in any message."""
from __future__ import annotations

import pytest

from bot.parsing.contact import parse_company, parse_email, parse_name
from bot.parsing.phone import parse_phone

NAMES = [
    # ru
    ("Анна Петрова", "Анна Петрова"), ("анна петрова", "Анна Петрова"), ("меня зовут Анна Петрова", "Анна Петрова"),
    ("Меня зовут Сергей, я из компании Ромашка", "Сергей"), ("Я Анна, директор по маркетингу", "Анна"),
    ("моё имя Ольга Смирнова", "Ольга Смирнова"),
    # nb
    ("Kari Nordmann", "Kari Nordmann"), ("jeg heter Kari Nordmann", "Kari Nordmann"), ("mitt navn er Ola", "Ola"),
    ("Jeg er Kari fra Nordlys AS", "Kari"), ("Navnet mitt er Ingrid Hansen", "Ingrid Hansen"),
    # ms
    ("Nur Aisyah binti Ahmad", "Nur Aisyah binti Ahmad"), ("nama saya Ahmad bin Ismail", "Ahmad bin Ismail"),
    ("saya Siti", "Siti"), ("Nama saya ialah Tan Wei Ming", "Tan Wei Ming"),
    # zh
    ("王伟", "王伟"), ("我叫王伟", "王伟"), ("我是李娜，来自深圳", "李娜"), ("我叫张伟，在华为工作", "张伟"),
    ("欧阳娜娜", "欧阳娜娜"), ("我姓陈", None),
    # fa
    ("علی رضایی", "علی رضایی"), ("اسم من علی رضایی است", "علی رضایی"), ("من سارا هستم", "سارا"), ("سارا هستم", "سارا"),
    ("اسمم مریم احمدی", "مریم احمدی"),
    # Arabic-keyboard Persian: the letters are folded to Persian ones
    ("اسم من علي رضايي است", "علی رضایی"),
]


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_names_as_answers(text: str, expected: str | None) -> None:
    assert parse_name(text, answering=True) == expected


@pytest.mark.parametrize("text", [
    "я директор", "нет", "да", "не знаю", "nei", "vet ikke", "tidak", "我是总经理", "不知道", "是的", "بله",
    "من مدیرعامل هستم", "نمی‌دونم", "我要人工客服",
    "извините", "beklager", "maaf", "对不起", "ببخشید",
])
def test_not_names(text: str) -> None:
    assert parse_name(text, answering=True) is None


@pytest.mark.parametrize(("text", "expected"), [
    ("ناصر کاظمی", "ناصر کاظمی"),  # "ام" inside a name is no "I am"
    ("بهرام‌ام", "بهرام"),
    ("سلام، نیما رستگار هستم، کارشناس فروش", "نیما رستگار"),
    ("Hei, Silje Dahl her, jeg lurer på priser", "Silje Dahl"),
])
def test_names_said_in_other_ways(text: str, expected: str) -> None:
    assert parse_name(text, answering=True) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Здравствуйте, меня зовут Анна, нам нужен бот", "Анна"),
    ("Hei, jeg heter Ola og vi trenger en chatbot", "Ola"),
    ("Hai, nama saya Ahmad, kami perlukan chatbot", "Ahmad"),
    ("你好，我叫王伟，我们想要一个客服机器人", "王伟"),
    ("سلام، اسم من علی است و یک چت‌بات می‌خواهیم", "علی"),
])
def test_names_with_a_cue_anywhere(text: str, expected: str) -> None:
    assert parse_name(text, answering=False) == expected


@pytest.mark.parametrize("text", [
    "я хочу бота для сайта", "нам нужен бот", "vi trenger en chatbot", "saya perlukan chatbot", "我们需要一个聊天机器人",
    "من خوشحال هستم", "من علاقه‌مند هستم", "maaf, maksud saya Jun",
])
def test_no_name_in_passing(text: str) -> None:
    assert parse_name(text, answering=False) is None


COMPANIES = [
    ("ООО «Ромашка»", "ООО «Ромашка»"), ('ООО "Вектор Плюс"', 'ООО "Вектор Плюс"'), ("ИП Иванов", "ИП Иванов"),
    ("я работаю в компании Ромашка", "Ромашка"), ("Ромашка", "Ромашка"), ("наша компания называется Вектор", "Вектор"),
    ("Nordlys AS", "Nordlys AS"), ("jeg jobber i Nordlys AS", "Nordlys AS"), ("firmaet heter Fjordtech", "Fjordtech"),
    ("Syarikat Maju Jaya Sdn Bhd", "Syarikat Maju Jaya Sdn Bhd"), ("saya bekerja di Maju Jaya Sdn Bhd", "Maju Jaya Sdn Bhd"),
    ("Kedai Runcit Ali Bhd", "Kedai Runcit Ali Bhd"), ("syarikat saya ialah Teknologi Awan", "Teknologi Awan"),
    ("深圳市腾讯计算机系统有限公司", "深圳市腾讯计算机系统有限公司"), ("我在华为工作", "华为"), ("我们公司叫小米", "小米"),
    ("我在北京字节跳动科技有限公司上班", "北京字节跳动科技有限公司"),
    ("شرکت آریا سیستم", "شرکت آریا سیستم"), ("در شرکت آریا کار می‌کنم", "شرکت آریا"), ("اسم شرکت ما دیجی‌پارس است", "دیجی‌پارس"),
]


@pytest.mark.parametrize(("text", "expected"), COMPANIES)
def test_companies_as_answers(text: str, expected: str) -> None:
    assert parse_company(text, answering=True) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Я Анна из ООО «Ромашка», нам нужен бот", "ООО «Ромашка»"),
    ("Vi er Nordlys AS og trenger en chatbot", "Nordlys AS"),
    ("Kami dari Maju Jaya Sdn Bhd, perlukan chatbot", "Maju Jaya Sdn Bhd"),
    ("я менеджер по продажам компании Техносфера, нам нужен бот", "Техносфера"),
    ("我是华为技术有限公司的采购经理", "华为技术有限公司"),
    ("我是苏州绿叶家居的运营总监，想了解一下", "苏州绿叶家居"),  # the company a title belongs to
    ("您好，成都蓝湾教育的市场经理", "成都蓝湾教育"),
])
def test_companies_with_a_cue_anywhere(text: str, expected: str) -> None:
    assert parse_company(text, answering=False) == expected


CONTACTS = [
    # (message, e-mail, phone in E.164, the site's region)
    ("моя почта anna@romashka.ru, телефон +7 912 345-67-89", "anna@romashka.ru", "+79123456789", "US"),
    ("мой телефон 8 (912) 345-67-89", None, "+79123456789", "US"),
    ("почта:anna.petrova@mail.ru", "anna.petrova@mail.ru", None, "US"),
    ("e-posten min er kari@nordlys.no og telefon 912 34 567", "kari@nordlys.no", "+4791234567", "US"),
    ("emel saya ahmad@majujaya.com.my, no telefon 012-345 6789", "ahmad@majujaya.com.my", "+60123456789", "US"),
    ("我的邮箱是wang@abc.cn，电话13812345678", "wang@abc.cn", "+8613812345678", "US"),
    ("邮箱：li.na@example.com", "li.na@example.com", None, "US"),
    ("ایمیل من ali@arya.ir و شماره ۰۹۱۲۳۴۵۶۷۸۹", "ali@arya.ir", "+989123456789", "US"),
    ("شماره‌ام ۰۹۱۲ ۳۴۵ ۶۷۸۹ است", None, "+989123456789", "US"),
]


@pytest.mark.parametrize(("text", "email", "phone", "region"), CONTACTS)
def test_email_and_phone_inside_native_text(text: str, email: str | None, phone: str | None, region: str) -> None:
    found = parse_email(text, answering=False).email
    assert found == email
    match = parse_phone(text, default_region=region, email=found)
    assert (match.e164 if match else None) == phone


@pytest.mark.parametrize("text", ["Спасибо, жду ответа", "takk skal du ha", "terima kasih banyak", "谢谢你们", "ممنون، منتظرم"])
def test_thanks_is_no_company(text: str) -> None:
    assert parse_company(text, answering=True) is None


@pytest.mark.parametrize("text", ["我是公司的老板", "我是这家店的店长", "我们公司的老板说了算", "我是老板"])
def test_a_title_of_no_named_company_gives_none(text: str) -> None:
    assert parse_company(text, answering=False) is None


@pytest.mark.parametrize(("text", "answering", "expected"), [
    # a Russian workplace after "в"/"из" is stored as the company writes it (the nominative)
    ("в Лесной Поляне работаю", True, "Лесная Поляна"),
    ("работаю в Технопарке", True, "Технопарк"),
    ("мы из Звёздочки, хотим бота для записи", False, "Звёздочка"),
    ("Я работаю в Пятёрочке, нужен бот", False, "Пятёрочка"),
    ("в Гринлайте", True, "Гринлайте"),  # a coined name: its gender is unknown, kept as said
    ("работаю в компании Ромашка", True, "Ромашка"),  # after "компании" the name is as written
    ("в ТехноПарке работаю", True, "ТехноПарк"),  # capitals kept where they were
])
def test_a_russian_workplace_is_stored_as_written(text: str, answering: bool, expected: str) -> None:
    assert parse_company(text, answering=answering) == expected


@pytest.mark.parametrize("text", ["я из Москвы, нужен бот", "работаю в Новосибирске", "пишу из Казани",
                                  "хотим бота в Telegram"])
def test_a_russian_place_is_no_workplace(text: str) -> None:
    assert parse_company(text, answering=False) is None
