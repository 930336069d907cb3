"""parse_budget: the visitor's words in, a Budget (or None) out.

Each table groups one phenomenon; a row is (text, min, max, currency, period).
"""
from __future__ import annotations


import pytest

from bot.answers import Budget
from bot.parsing.budget import parse_budget

Row = tuple[str, float | None, float | None, str | None, str | None]


def stated(text: str, *, answering: bool = True) -> tuple[float | None, float | None, str | None, str | None]:
    budget = parse_budget(text, answering=answering)
    assert budget is not None, f"no budget read from {text!r}"
    assert budget.status == "stated", budget
    return budget.min, budget.max, budget.currency, budget.period


def check(rows: list[Row], answering: bool = True):
    return pytest.mark.parametrize(("text", "low", "high", "currency", "period"), rows)


SINGLE_FIGURES: list[Row] = [
    ("25000", 25000, 25000, None, None),
    ("around 650", 650, 650, None, None),  # never a time
    ("650", 650, 650, None, None),
    ("2000", 2000, 2000, None, None),  # in a reply, a round 2000 is money, not a year
    ("1200.50", 1200.5, 1200.5, None, None),
    ("budget is 25k", 25000, 25000, None, None),
    ("We could do 7500.", 7500, 7500, None, None),
    ("I'd say 40k", 40000, 40000, None, None),
    ("ok, 15k", 15000, 15000, None, None),
]

SUFFIXES: list[Row] = [
    ("$12k", 12000, 12000, "USD", None),
    ("12K", 12000, 12000, None, None),
    ("2.5 million", 2_500_000, 2_500_000, None, None),
    ("1.2m AUD", 1_200_000, 1_200_000, "AUD", None),
    ("3mm", 3_000_000, 3_000_000, None, None),
    ("5 grand", 5000, 5000, None, None),
    ("3 crore INR", 30_000_000, 30_000_000, "INR", None),
    ("5 lakh rupees", 500_000, 500_000, "INR", None),
    ("1.5bn", 1_500_000_000, 1_500_000_000, None, None),
    ("R$ 50 mil", 50000, 50000, "BRL", None),  # Portuguese "mil" = thousand after R$
    ("$2 mil", 2_000_000, 2_000_000, "USD", None),  # English slang "mil" = million
]

WORDS: list[Row] = [
    ("twenty-five thousand", 25000, 25000, None, None),
    ("two and a half million", 2_500_000, 2_500_000, None, None),
    ("half a million", 500_000, 500_000, None, None),
    ("a couple of thousand", 2000, 2000, None, None),
    ("a few hundred", 300, 300, None, None),
    ("fifty k", 50000, 50000, None, None),
    ("fifty dollars", 50, 50, "USD", None),
    ("about a hundred grand", 100_000, 100_000, None, None),
    ("a quarter of a million a year", 250_000, 250_000, None, "yearly"),
]

SEPARATORS: list[Row] = [
    ("8.500 EUR", 8500, 8500, "EUR", None),
    ("8.500,00 €", 8500, 8500, "EUR", None),
    ("1,200.50 USD", 1200.5, 1200.5, "USD", None),
    ("1.200,50 EUR", 1200.5, 1200.5, "EUR", None),
    ("CHF 12'000", 12000, 12000, "CHF", None),
    ("12 000 €", 12000, 12000, "EUR", None),
    ("₹1,00,000", 100_000, 100_000, "INR", None),
    ("¥2,000,000", 2_000_000, 2_000_000, "JPY", None),
]

CURRENCIES: list[Row] = [
    ("€800", 800, 800, "EUR", None),
    ("£500", 500, 500, "GBP", None),
    ("US$ 5k", 5000, 5000, "USD", None),
    ("USD 5000", 5000, 5000, "USD", None),
    ("A$ 30k", 30000, 30000, "AUD", None),
    ("C$20k", 20000, 20000, "CAD", None),
    ("NZ$15k", 15000, 15000, "NZD", None),
    ("S$ 8k", 8000, 8000, "SGD", None),
    ("500$", 500, 500, "USD", None),
    ("900 bucks", 900, 900, "USD", None),
    ("5000 quid", 5000, 5000, "GBP", None),
    ("15 thousand pounds", 15000, 15000, "GBP", None),
    ("20k euros", 20000, 20000, "EUR", None),
    ("2 million yen", 2_000_000, 2_000_000, "JPY", None),
    ("10k swiss francs", 10000, 10000, "CHF", None),
    ("50000 SEK", 50000, 50000, "SEK", None),
    ("40k nok", 40000, 40000, "NOK", None),
    ("100k DKK", 100_000, 100_000, "DKK", None),
    ("30k PLN", 30000, 30000, "PLN", None),
    ("200k ZAR", 200_000, 200_000, "ZAR", None),
    ("Rs 50000", 50000, 50000, "INR", None),
    ("20k, in euros", 20000, 20000, "EUR", None),  # the one currency named in the message
    ("25k", 25000, 25000, None, None),  # never assumed
]

RANGES: list[Row] = [
    ("£3,000-£4,500", 3000, 4500, "GBP", None),
    ("somewhere from 30 to 45 thousand", 30000, 45000, None, None),
    ("1-1.5k per month", 1000, 1500, None, "monthly"),
    ("between 10 and 20k a year", 10000, 20000, None, "yearly"),
    ("$5,000 to $8,000 one-off", 5000, 8000, "USD", "one_off"),
    ("5k–10k", 5000, 10000, None, None),
    ("5k - 10k EUR", 5000, 10000, "EUR", None),
    ("500-2k", 500, 2000, None, None),  # the bare end keeps its own scale when borrowing would invert
    ("10k-15", 10000, 15000, None, None),
    ("between ten and twenty thousand", 10000, 20000, None, None),
    ("20 or 30k", 20000, 30000, None, None),
    ("between $2k and $3k", 2000, 3000, "USD", None),
]

BOUNDS: list[Row] = [
    # bound words of non-native English ("maximal" / "minimal" as in German, Dutch, Nordic)
    ("maximal 3.000 € a month", None, 3000, "EUR", "monthly"),
    ("minimal 500 EUR", 500, None, "EUR", None),
    ("no more than 9k", None, 9000, None, None),
    ("up to €50k", None, 50000, "EUR", None),
    ("under 1000 dollars", None, 1000, "USD", None),
    ("max 20k", None, 20000, None, None),
    ("a maximum of $15k", None, 15000, "USD", None),
    ("less than 5k", None, 5000, None, None),
    ("at most 8k", None, 8000, None, None),
    ("capped at 30k", None, 30000, None, None),
    ("10k tops", None, 10000, None, None),
    ("20k max", None, 20000, None, None),
    ("north of 300k", 300_000, None, None, None),
    ("at least 5k", 5000, None, None, None),
    ("over 100k", 100_000, None, None, None),
    ("more than 50k", 50000, None, None, None),
    ("minimum 10k", 10000, None, None, None),
    ("10K+", 10000, None, None, None),
    ("from 10k+", 10000, None, None, None),
    ("$5,000 or more", 5000, None, "USD", None),
    ("upwards of 40k", 40000, None, None, None),
    # negated bounds flip; "not more than" / "no less than" are bounds in their own right
    ("not more than 9k", None, 9000, None, None),
    ("no less than 5k", 5000, None, None, None),
    ("we won't spend more than $3k", None, 3000, "USD", None),
    ("can't go under 10k", 10000, None, None, None),
]

APPROXIMATIONS: list[Row] = [
    ("about 20k", 20000, 20000, None, None),
    ("~10k", 10000, 10000, None, None),
    ("10k-ish", 10000, 10000, None, None),
    ("roughly 40-50 grand annually", 40000, 50000, None, "yearly"),
    ("approx. 7k", 7000, 7000, None, None),
    ("circa 12k", 12000, 12000, None, None),
    ("10k or so", 10000, 10000, None, None),
    ("10k plus VAT", 10000, 10000, None, None),  # "plus VAT" is not "or more"
]

PERIODS: list[Row] = [
    ("about 900 bucks monthly", 900, 900, "USD", "monthly"),
    ("€800/mo", 800, 800, "EUR", "monthly"),
    ("2k per month", 2000, 2000, None, "monthly"),
    ("2k a month", 2000, 2000, None, "monthly"),
    ("1500 pm", 1500, 1500, None, "monthly"),
    ("1k p/m", 1000, 1000, None, "monthly"),
    ("500 each month", 500, 500, None, "monthly"),
    ("50k/yr", 50000, 50000, None, "yearly"),
    ("50k a year", 50000, 50000, None, "yearly"),
    ("60k per annum", 60000, 60000, None, "yearly"),
    ("60k p.a.", 60000, 60000, None, "yearly"),
    ("annual budget of 100k", 100_000, 100_000, None, "yearly"),
    ("we can spend about 15 thousand pounds over the year", 15000, 15000, "GBP", "yearly"),
    ("5k per quarter", 5000, 5000, None, "quarterly"),
    ("quarterly, about 3k", 3000, 3000, None, "quarterly"),
    ("20k one-off", 20000, 20000, None, "one_off"),
    ("20k one time", 20000, 20000, None, "one_off"),
    ("30k in total", 30000, 30000, None, "one_off"),
    ("10k upfront", 10000, 10000, None, "one_off"),
    ("flat 5k", 5000, 5000, None, "one_off"),
]

ODD_INPUT: list[Row] = [
    ("<b>about 20k</b> 👍", 20000, 20000, None, None),
    ("２５ｋ", 25000, 25000, None, None),
    ("＄１２，０００", 12000, 12000, "USD", None),
    ("12\u00a0000 €", 12000, 12000, "EUR", None),
    ("10\u200bk", 10000, 10000, None, None),
    ("&pound;5,000", 5000, 5000, "GBP", None),
    ("💰💰 50k 💰💰", 50000, 50000, None, None),
    ("BUDGET: 30K!!!", 30000, 30000, None, None),
]


# Two amounts in one answer: the one said of what they would spend on us, not today's spend.
TWO_AMOUNTS: list[Row] = [
    ("we pay our agency 1,500 a month today; for the bot we set aside 6k", 6000, 6000, None, None),
    ("currently 200/mo on live chat, we'd spend up to 400", None, 400, None, None),
    ("the old tool costs us 3k a year but the budget for this is 8k", 8000, 8000, None, None),
    ("approved 20k, even though revenue is only 900k", 20000, 20000, None, None),
    ("our budget is 10k although we spend 40k on ads", 10000, 10000, None, None),
]


# Every currency in use, by code, name, unit word or symbol, also glued to the digits.
WORLD_CURRENCIES: list[Row] = [
    ("about 12,000 UAH a month", 12000, 12000, "UAH", "monthly"),
    ("80 000 Kč", 80000, 80000, "CZK", None),
    ("HUF 2 million", 2000000, 2000000, "HUF", None),
    ("RM1,200 monthly", 1200, 1200, "MYR", "monthly"),
    ("3 lakh rupiah", 300000, 300000, "IDR", None),
    ("40k Turkish lira", 40000, 40000, "TRY", None),
    ("₽500k", 500000, 500000, "RUB", None),
    ("roughly 9,000 ringgit", 9000, 9000, "MYR", None),
    ("25k Kenyan shillings", 25000, 25000, "KES", None),
    ("around 2 crore", 20000000, 20000000, "INR", None),
    ("R 8 500 per month", 8500, 8500, "ZAR", "monthly"),
    ("NZD$12k", 12000, 12000, "NZD", None),             # a code beside "$" names the dollar
    ("$7,500 CAD a year", 7500, 7500, "CAD", "yearly"),
    ("we'd pay $900", 900, 900, "USD", None),
    ("25,000원", 25000, 25000, "KRW", None),              # native symbols
    ("48 000 руб. в месяц", 48000, 48000, "RUB", "monthly"),
    ("1 200 грн", 1200, 1200, "UAH", None),
]


@check([r for r in WORLD_CURRENCIES if r[1] is not None])
def test_world_currencies(text, low, high, currency, period) -> None:
    assert stated(text) == (low, high, currency, period)


@check(TWO_AMOUNTS)
def test_the_amount_meant_for_us_wins(text, low, high, currency, period) -> None:
    assert stated(text) == (low, high, currency, period)


@pytest.mark.parametrize("text", ["-5000", "minus 300", "$-200", "-€40k", "-50000 USD", "–50000 USD", "‐50000 USD",
                                  "－50000 USD", "budget: −50k", "999999999999", "500 trillion", "10^15"])
def test_negative_and_absurd_figures_are_asked_again(text: str) -> None:
    budget = parse_budget(text, answering=True)
    assert budget is None or budget.status != "stated", budget


@check(SINGLE_FIGURES + SUFFIXES + WORDS + SEPARATORS + CURRENCIES)
def test_figures_and_currencies(text, low, high, currency, period) -> None:
    assert stated(text) == (low, high, currency, period)


@check(RANGES + BOUNDS + APPROXIMATIONS)
def test_ranges_bounds_and_approximations(text, low, high, currency, period) -> None:
    assert stated(text) == (low, high, currency, period)


@check(PERIODS + ODD_INPUT)
def test_periods_and_odd_input(text, low, high, currency, period) -> None:
    assert stated(text) == (low, high, currency, period)


@pytest.mark.parametrize(
    "text",
    [
        "no budget",
        "No budget yet",
        "we don't have a budget",
        "we don't have a budget yet",
        "we haven't got a budget",
        "zero",
        "nothing allocated",
        "$0",
        "0",
        "nothing",
        "none",
        "None yet.",
        "no money",
        "budget is zero",
        "not a penny",
    ],
)
def test_none(text: str) -> None:
    budget = parse_budget(text, answering=True)
    assert budget == Budget("none", budget.text)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "not sure",
        "Not sure yet",
        "it depends",
        "depends on the proposal",
        "depends on the price",
        "no idea",
        "TBD",
        "haven't decided",
        "skip",
        "rather not say",
        "prefer not to say",
        "don't know",
        "dunno",
        "I don't know how much yet",
        "unclear",
        "no budget limit",  # flexible, but no figure: unknown, never none
        "money is no object",
    ],
)
def test_unknown(text: str) -> None:
    budget = parse_budget(text, answering=True)
    assert budget is not None and budget.status == "unknown" and budget.min is None and budget.max is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "👍",
        "in 3 months",
        "50 employees",
        "Q3",
        "2025",
        "by 2026",
        "15 June",
        "at 9:30",
        "9pm",
        "20%",
        "24/7",
        "6 weeks",
        "we have 10 users",
        "one-off",
        "two",
    ],
)
def test_answering_not_a_budget(text: str) -> None:
    assert parse_budget(text, answering=True) is None


@check(
    [
        (
            "Sam here, head of sales at Brightwell Dental; we want a bot that books consultations, "
            "budget is 25k, we'd like it live in six weeks",
            25000, 25000, None, None,
        ),
        ("we'd pay $500 a month", 500, 500, "USD", "monthly"),
        ("our budget is 5k a month and we get 200 leads a month", 5000, 5000, None, "monthly"),
        ("we get 200 leads a month and have 5k set aside", 5000, 5000, None, None),
        ("We have 3 locations and about €40k to invest", 40000, 40000, "EUR", None),
        ("we can afford 2k/mo", 2000, 2000, None, "monthly"),
        ("Looking to spend 10-15k this year", 10000, 15000, None, None),
        ("We've allocated 50k for this", 50000, 50000, None, None),
        ("it shouldn't cost us more than 20k", None, 20000, None, None),
        ("price range 5 to 8 grand", 5000, 8000, None, None),
        ("make that 35k", 35000, 35000, None, None),
        ("actually 40k", 40000, 40000, None, None),
        ("I meant 30k", 30000, 30000, None, None),
        ("change the budget to 20k", 20000, 20000, None, None),
        ("correction: 12k", 12000, 12000, None, None),
        ("budget was 30k, actually make that 35k", 35000, 35000, None, None),
        ("we have roughly $12k", 12000, 12000, "USD", None),
        ("Hi, I'm Ana from Lisbon. We have 8.500 € for a chatbot", 8500, 8500, "EUR", None),
    ],
)
def test_scanning_with_money_cues(text, low, high, currency, period) -> None:
    assert stated(text, answering=False) == (low, high, currency, period)


@pytest.mark.parametrize(
    "text",
    [
        "we'd like it live in 6 weeks",
        "Q3",
        "2025",
        "we want to launch in 2027",
        "by 15 June",
        "call me at 9:30",
        "in the next 3 months",
        "we have 50 employees",
        "3 locations",
        "10 users",
        "we get 200 leads a month",
        "5 reps",
        "support 24/7",
        "call me on +44 20 7946 0958",
        "my number is 555-123-4567",
        "conversion is up 20%",
        "email me at sam25k@brightwell.com",
        "see https://example.com/pricing/25000",
        "about 25k visitors a month",
        "25k",  # no cue: could be anything
        "actually 40",  # a correction without a scale is not money
        "budget meeting at 3",
        "we're a team of 12 and want to launch by 2026",
        "not sure about the timeline",
        "no idea who decides",
        "I'm one of the founders",
    ],
)
def test_scanning_false_positives(text: str) -> None:
    assert parse_budget(text, answering=False) is None


@pytest.mark.parametrize(
    "text",
    [
        "to be honest we have no budget for this yet",
        "we don't have budget",
        "we dont have budget for it right now",
        "there's no budget",
        "honestly we haven't got much budget",
        "we didn't set a budget",
    ],
)
def test_scanning_explicit_no_budget(text: str) -> None:
    budget = parse_budget(text, answering=False)
    assert budget is not None and budget.status == "none", text


def test_text_is_the_cleaned_original() -> None:
    budget = parse_budget("  <b>about  20k</b>\u200b ", answering=True)
    assert budget is not None and budget.text == "about 20k"


def test_figure_wins_over_hedging() -> None:
    budget = parse_budget("not sure, maybe 10k?", answering=True)
    assert budget is not None and (budget.status, budget.min, budget.max) == ("stated", 10000, 10000)


@pytest.mark.parametrize(
    "huge",
    [
        "budget about 25k " + "lorem ipsum dolor 12 sit amet " * 7000,
        "1 " * 100_000,
        "a" * 200_000,
        "one two three " * 15_000,
        "<b>" * 70_000,
        "+1 " * 70_000,
        "@a.b " * 40_000,
    ],
)
@pytest.mark.timeout(120)  # a hang guard; the speed is measured in bench/parsing.py
def test_huge_input_is_read_to_no_amount_or_one_within_reason(huge: str) -> None:
    huge = huge[:200_000]
    for answering in (True, False):
        budget = parse_budget(huge, answering=answering)
        assert budget is None or budget.status in {"stated", "none", "unknown"}
