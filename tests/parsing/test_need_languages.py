"""The need in Russian, Norwegian Bokmål, Malay, Chinese and Persian: the reply to the need
question is kept as said (the visitor's words, cleaned), and an opener that says everything
fills everything. Rows are our own chat wordings."""
from __future__ import annotations

from datetime import date

import pytest

from bot.content import load_content
from bot.extraction import extract

TODAY = date(2026, 11, 22)
CATEGORIES = load_content().need_keywords()


@pytest.mark.parametrize("text", [
    "Нам нужен чат-бот для сайта, который будет отвечать клиентам",
    "бот для записи клиентов на приём",
    "En chatbot som kan booke timer for kundene våre",
    "kundeservice på nettsiden døgnet rundt",
    "chatbot untuk jawab soalan pelanggan di laman web kami",
    "tempahan meja restoran secara automatik",
    "我们需要一个能自动回复客户问题的聊天机器人",
    "客服机器人",
    "یک ربات برای پاسخ به سوالات مشتری‌ها",
    "رزرو نوبت آنلاین برای کلینیک",
])
def test_the_need_is_kept_as_said(text: str) -> None:
    need = extract(text, today=TODAY, requested="need", categories=CATEGORIES).need
    assert need is not None and need.status == "stated"
    assert need.text == text


OPENERS = [
    ("Здравствуйте! Меня зовут Анна, я генеральный директор ООО «Ромашка». Нужен бот для записи клиентов, "
     "запустить хотим к концу марта. anna@romashka.ru",
     {"name": "Анна", "company": "ООО «Ромашка»", "email": "anna@romashka.ru", "authority": ("decision_maker", "CEO"),
      "timeline": "2027-03-31"}),
    ("Hei, jeg heter Kari og er daglig leder i Nordlys AS. Vi trenger en chatbot innen sommeren. kari@nordlys.no",
     {"name": "Kari", "company": "Nordlys AS", "email": "kari@nordlys.no", "authority": ("decision_maker", "CEO"),
      "timeline": "2027-08-31"}),
    ("Hai, nama saya Ahmad dari Maju Jaya Sdn Bhd. Saya yang buat keputusan. Kami nak lancar chatbot bulan depan.",
     {"name": "Ahmad", "company": "Maju Jaya Sdn Bhd", "authority": ("decision_maker", None), "timeline": "2026-12-31"}),
    ("你好，我叫王伟，我说了算。我们想明年三月前上线客服机器人，邮箱wang@abc.cn",
     {"name": "王伟", "email": "wang@abc.cn", "authority": ("decision_maker", None), "timeline": "2027-02-28"}),
    ("سلام، من سارا هستم از شرکت آریا سیستم. می‌خواهیم تا آخر سال یک چت‌بات راه‌اندازی کنیم. من تصمیم می‌گیرم.",
     {"name": "سارا", "company": "شرکت آریا سیستم", "authority": ("decision_maker", None), "timeline": "2027-03-20"}),
]


@pytest.mark.parametrize(("text", "expected"), OPENERS)
def test_an_opener_that_says_everything_fills_everything(text: str, expected: dict) -> None:
    found = extract(text, today=TODAY, requested=None, categories=CATEGORIES, opening=True)
    assert found.need is not None and found.need.status == "stated"
    for key, value in expected.items():
        if key == "authority":
            assert found.authority is not None and (found.authority.level, found.authority.role_en or found.authority.role) == value
        elif key == "timeline":
            assert found.timeline is not None and found.timeline.target_date == value
        else:
            assert getattr(found, key) == value, key


# Openers that introduce the visitor (name, title, company, e-mail) and ask for nothing yet: no
# need is stored, the bot asks for it; the title is kept ("директор по маркетингу" is no wish of marketing).
INTRODUCTIONS = [
    ("Добрый день, я Мария Соколова, директор по маркетингу в Альфа Строй. maria@alfastroy.ru",
     "директор по маркетингу"),
    ("Hallo! Per Hansen her, salgssjef hos Fjordkraft Service. per@fjordservice.no", "salgssjef"),
    ("Selamat pagi, saya Farid, pengurus jualan di Bina Teguh Sdn Bhd. Emel farid@binateguh.my", "pengurus jualan"),
    ("您好，我叫陈晨，是杭州明远贸易的销售总监，邮箱 chenchen@mingyuan.cn", "销售总监"),
    ("سلام، نرگس کریمی هستم از شرکت پارس تجارت، ایمیلم narges@parstejarat.ir", None),
]


@pytest.mark.parametrize(("text", "title"), INTRODUCTIONS)
def test_an_introduction_alone_is_no_need(text: str, title: str | None) -> None:
    found = extract(text, today=TODAY, requested=None, categories=CATEGORIES, opening=True)
    assert found.need is None, found.need
    assert found.email is not None
    assert (found.authority.role if found.authority else None) == title


@pytest.mark.parametrize(("text", "requested"), [
    ("простите, не 30, а 40 тысяч рублей в месяц", "name"),
    ("beklager, jeg mente 60 000 kr, ikke 50", "company"),
    ("eh silap, bukan 10 ribu, 12 ribu sebulan", "name"),
])
def test_a_correction_to_the_contact_question_is_no_name(text: str, requested: str) -> None:
    found = extract(text, today=TODAY, requested=requested, categories=CATEGORIES,
                    open_fields=("budget", "authority", "timeline"))
    assert found.correction and found.budget is not None and found.budget.status == "stated"
    assert found.name is None and found.company is None


@pytest.mark.parametrize(("text", "language", "phone"), [
    ("邮箱不方便留，电话:13912345678", "zh", "+8613912345678"),
    ("нет почты, звоните: 8 916 123-45-67", "ru", "+79161234567"),
])
def test_a_phone_for_the_email_in_the_languages_country(text: str, language: str, phone: str) -> None:
    found = extract(text, today=TODAY, requested="email", categories=CATEGORIES, language=language,
                    open_fields=("budget", "timeline"))
    assert found.phone == phone
    assert found.budget is None  # the number's digits are no sum


@pytest.mark.parametrize("text", [
    "We are a furniture maker from Porto, shops from Spain write to us and we forget to answer",
    "Здравствуйте, мы пекарня из Казани, клиенты пишут в WhatsApp и мы теряем заказы",
    "سلام، ما یه آموزشگاه موسیقی هستیم و پیام‌های ثبت‌نام از دستمون در میره",
])
def test_an_opener_about_the_business_keeps_its_need(text: str) -> None:
    found = extract(text, today=TODAY, requested=None, categories=CATEGORIES, opening=True)
    assert found.need is not None and found.need.status == "stated"


@pytest.mark.parametrize(("text", "category"), [
    # a Russian verb or case form of a keyword places the need (the site's content lists them)
    ("нужен бот, который записывает клиентов к мастерам", "appointment_booking"),
    ("хотим, чтобы клиенты могли сами записаться на консультацию", "appointment_booking"),
    ("бот, который будет собирать заявки с сайта", "lead_capture"),
])
def test_word_forms_place_the_need_in_its_category(text: str, category: str) -> None:
    need = extract(text, today=TODAY, requested="need", categories=CATEGORIES).need
    assert need is not None and need.category == category
