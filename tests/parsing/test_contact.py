"""parse_email, parse_name, parse_company: who the visitor is."""
from __future__ import annotations


import pytest

from bot.parsing.contact import parse_company, parse_email, parse_name

# -- e-mail -------------------------------------------------------------------------------

VALID_EMAILS = [
    ("sam@brightwell.com", "sam@brightwell.com"),
    ("Sam@BrightWell.COM.", "Sam@brightwell.com"),  # domain lower-cased, trailing dot dropped
    ("my email is <sam.ortiz+bot@Acme.io>, thanks", "sam.ortiz+bot@acme.io"),
    ("sam@hotmail.co.uk", "sam@hotmail.co.uk"),
    ("sam@acme.co", "sam@acme.co"),  # .co is a real ending
    ("jo-anne.o'neil@example.org", "jo-anne.o'neil@example.org"),
    ("sam @ gmail.com", "sam@gmail.com"),
    ("sam at gmail dot com", "sam@gmail.com"),
    ("sam@mail.com", "sam@mail.com"),  # real provider, one letter from gmail
    ("reach me at dana@sub.example.com.au or call", "dana@sub.example.com.au"),
    ("mailto:sam@x.io", "sam@x.io"),
    ("SAM@GMAIL.COM", "SAM@gmail.com"),
]


@pytest.mark.parametrize(("text", "email"), VALID_EMAILS)
def test_valid_addresses(text: str, email: str) -> None:
    check = parse_email(text)
    assert (check.email, check.problem) == (email, None)


TYPOS = [
    ("sam@gmial.com", "sam@gmail.com"),
    ("sam@gmail.con", "sam@gmail.com"),
    ("sam@gmail.co", "sam@gmail.com"),
    ("sam@gmai.com", "sam@gmail.com"),
    ("sam@hotmial.com", "sam@hotmail.com"),
    ("sam@outlok.com", "sam@outlook.com"),
    ("sam@yaho.com", "sam@yahoo.com"),
    ("sam@iclod.com", "sam@icloud.com"),
    ("sam@brightwell.cmo", "sam@brightwell.com"),
]


@pytest.mark.parametrize(("text", "suggestion"), TYPOS)
def test_likely_typos_are_questioned(text: str, suggestion: str) -> None:
    check = parse_email(text)
    assert check.email is None
    assert check.suggestion == suggestion
    assert check.problem and f"did you mean {suggestion}?" in check.problem


PROBLEMS = [
    ("sam@brightwell", "missing its ending"),
    ("sam.brightwell.com", "missing the @"),
    ("@gmail.com", "before the @"),
    ("sam@", "after the @"),
    ("sam@@gmail.com", "two @"),
    ("sam..o@x.com", "two dots"),
    ("brightwell.com", "website"),
]


@pytest.mark.parametrize(("text", "fragment"), PROBLEMS)
def test_invalid_addresses_explain_why(text: str, fragment: str) -> None:
    check = parse_email(text)
    assert check.email is None
    assert check.problem and fragment in check.problem


def test_without_at_only_reported_when_answering() -> None:
    assert parse_email("visit brightwell.com for more", answering=False).problem is None
    assert parse_email("sam at gmail dot com", answering=False).email is None


def test_valid_address_wins_over_an_earlier_broken_one() -> None:
    assert parse_email("sam@brightwell, sorry: sam@brightwell.com").email == "sam@brightwell.com"


def test_no_address() -> None:
    check = parse_email("hello there")
    assert (check.email, check.problem, check.suggestion) == (None, None, None)


# -- names --------------------------------------------------------------------------------

NAMES = [
    ("Sam Ortiz here", False, "Sam Ortiz"),
    # the e-mail display-name form, in the middle of another answer
    ("Priya (priya@acme.com) from Acme, I'm the COO", False, "Priya"),
    ("Priya Shah <priya@acme.com>", False, "Priya Shah"),
    ("hi, Dana Lee - dana@example.io", False, "Dana Lee"),
    ("Tom Reed, tom@example.com, from Initech", False, "Tom Reed"),
    ("I'm Sam", False, "Sam"),
    ("my name is Sam Ortiz", False, "Sam Ortiz"),
    ("this is Dana from Acme", False, "Dana"),
    ("hi, I'm Sam from Acme", False, "Sam"),
    ("call me Jo", False, "Jo"),
    ("Hello, Sam Ortiz here, head of sales at Brightwell Dental", False, "Sam Ortiz"),
    ("thanks, Priya", False, "Priya"),
    ("Sam", True, "Sam"),
    ("it's Jo-Anne O'Neil", True, "Jo-Anne O'Neil"),
    ("Zoë Łukasz", True, "Zoë Łukasz"),
    ("sam ortiz", True, "Sam Ortiz"),
    ("SAM", True, "Sam"),
    ("jo-anne o'neil", True, "Jo-Anne O'Neil"),
    ("Sam 👋", True, "Sam"),
    ("Sam!", True, "Sam"),
    ("Sam from Acme", True, "Sam"),
    ("hi sam here", True, "Sam"),
    ("Maria van der Berg", True, "Maria van der Berg"),
    ("McKenzie", True, "McKenzie"),  # mixed case kept
    ("my name is 李小龍", True, "李小龍"),
]


@pytest.mark.parametrize(("text", "answering", "name"), NAMES)
def test_names(text: str, answering: bool, name: str) -> None:
    assert parse_name(text, answering=answering) == name


@pytest.mark.parametrize(
    ("text", "answering"),
    [
        ("The CFO (cfo@acme.com)", False),
        ("Hello (me@example.com)", False),
        ("we need (a@example.com)", False),
        ("why?", True),
        ("skip", True),
        ("no", True),
        ("hello", True),
        ("123", True),
        ("sam@x.com", True),
        ("i would rather not say", True),
        ("why do you need my name", True),
        ("I'm looking for a bot", False),
        ("I'm at home", False),
        ("email me at a@example.com from monday", False),
        ("I'm the CEO", False),
        ("I'm not sure", False),
        ("this is great", False),
        ("we need a bot", False),
        ("Sam", False),  # a bare word is a name only as an answer
        ("I'm interested in pricing", False),
    ],
)
def test_not_names(text: str, answering: bool) -> None:
    assert parse_name(text, answering=answering) is None


# -- companies ----------------------------------------------------------------------------

COMPANIES = [
    ("at Brightwell Dental", True, "Brightwell Dental"),
    ("Priya (priya@acme.com) from Acme, I'm the COO", False, "Acme"),
    ("Tom Reed, tom@example.com, from Initech", False, "Initech"),
    ("from Acme Corp", True, "Acme Corp"),
    ("Acme", True, "Acme"),
    ("Acme Inc.", True, "Acme Inc."),  # legal suffix kept, with its dot
    ("it's acme corp", True, "acme corp"),
    ("Johnson & Johnson", True, "Johnson & Johnson"),
    ("Globex GmbH!", True, "Globex GmbH"),
    ("I work for Globex", False, "Globex"),
    ("company is Initech", False, "Initech"),
    ("this is Dana from Acme", False, "Acme"),
    ("Hello, Sam Ortiz here, head of sales at Brightwell Dental; we want a bot", False, "Brightwell Dental"),
    ("Sam, CEO of Acme Ltd.", False, "Acme Ltd."),
    ("I'm with Acme", False, "Acme"),
    ("our company is called Northwind Traders", False, "Northwind Traders"),
]


@pytest.mark.parametrize(("text", "answering", "company"), COMPANIES)
def test_companies(text: str, answering: bool, company: str) -> None:
    assert parse_company(text, answering=answering) == company


@pytest.mark.parametrize(
    ("text", "answering"),
    [
        ("I'm at home", False),
        ("email me at a@example.com from monday", False),
        ("from 30 to 45 thousand", False),
        ("from Berlin", False),  # a known city is refused; unknown places are a documented risk
        ("we spend at least 5k", False),
        ("we want it live by Q3", False),
        ("we need a bot at Christmas", False),
        ("Acme", False),  # bare: only as an answer
        ("skip", True),
        ("why do you need that?", True),
        ("rather not say", True),
        ("n/a", True),
    ],
)
def test_not_companies(text: str, answering: bool) -> None:
    assert parse_company(text, answering=answering) is None


@pytest.mark.parametrize(
    "text",
    ["@" * 100_000, "a@" * 50_000, "a" * 100_000 + "@", "I'm " * 25_000, "from Acme " * 10_000, "x." * 50_000],
)
@pytest.mark.timeout(120)  # a hang guard; the speed is measured in bench/parsing.py
def test_huge_input_is_no_address(text: str) -> None:
    found = parse_email(text)
    assert found is None or found.email is None
    for answering in (True, False):
        parse_name(text, answering=answering)
        parse_company(text, answering=answering)


@pytest.mark.parametrize(("text", "name"), [
    ("Lena Fischer from Nordhaus GmbH, lena@nordhaus.example", "Lena Fischer"),
    ("Raj Patel at Infoway, call me tomorrow", "Raj Patel"),
    ("Hey! I'm the founder of Loopwise, a SaaS in Austin", None),  # a title, not a name
    ("Enterprise security vendor here. Our site gets traffic", None),
    ("Sales team at Acme", None),
])
def test_a_name_introducing_its_company(text: str, name: str | None) -> None:
    assert parse_name(text, answering=False) == name


@pytest.mark.parametrize(("text", "company"), [
    ("Horvat Pack d.o.o.", "Horvat Pack d.o.o."),   # the legal form keeps its dots
    ("Straits Cargo Pte. Ltd.", "Straits Cargo Pte. Ltd."),
    ("Novak s.r.o.", "Novak s.r.o."),
    ("Brightwell Dental. We fix teeth", "Brightwell Dental"),
])
def test_company_names_with_abbreviated_legal_forms(text: str, company: str) -> None:
    assert parse_company(text, answering=True) == company


@pytest.mark.parametrize("text", ["a payroll startup from Bengaluru", "Jo here, from Lyon", "I work from Singapore"])
def test_a_place_after_from_is_not_the_company(text: str) -> None:
    assert parse_company(text, answering=False) is None
