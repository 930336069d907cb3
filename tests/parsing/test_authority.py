"""parse_authority: the visitor's part in the decision, and their own job title.

Rows are (text, level, role).
"""
from __future__ import annotations


import pytest

from bot.parsing.authority import parse_authority

Row = tuple[str, str, str | None]


def read(text: str, *, answering: bool = True) -> tuple[str, str | None]:
    authority = parse_authority(text, answering=answering)
    assert authority is not None, f"nothing read from {text!r}"
    return authority.level, authority.role


DECISION_MAKER: list[Row] = [
    ("it's my call, I run IT", "decision_maker", "Head of IT"),
    ("I decide", "decision_maker", None),
    ("I'm the owner", "decision_maker", "Owner"),
    ("I'm the founder", "decision_maker", "Founder"),
    ("I'm the CEO", "decision_maker", "CEO"),
    ("I sign off on purchases", "decision_maker", None),
    ("I have the final say", "decision_maker", None),
    ("yes, me", "decision_maker", None),
    ("me", "decision_maker", None),
    ("that's me", "decision_maker", None),
    ("Yes", "decision_maker", None),
    ("it's up to me", "decision_maker", None),
    ("I'm the decision maker", "decision_maker", None),
    ("I own the budget", "decision_maker", None),
    ("I run the business, so me", "decision_maker", None),
    ("co-founder", "decision_maker", "Co-founder"),
    ("Managing Director", "decision_maker", "Managing Director"),
    ("I am the head of IT and I make the call", "decision_maker", "Head of IT"),
    # budget ownership: whoever pays decides
    ("it goes on my corporate amex", "decision_maker", None),
    ("this would be paid out of my own pocket", "decision_maker", None),
    ("comes from my team's budget", "decision_maker", None),
    ("that's my department's money", "decision_maker", None),
    ("my budget, my call", "decision_maker", None),
    ("I'm the one paying for it", "decision_maker", None),
    ("I'd be footing the bill", "decision_maker", None),
    ("the buck stops with me", "decision_maker", None),
    ("last word rests with me", "decision_maker", None),
    ("As the owner and I decide, yes", "decision_maker", "Owner"),
    ("I'm the founder and I have the final say", "decision_maker", "Founder"),
    # the answer leads with the one who decides, then says more
    ("me, I'm the studio owner", "decision_maker", "Owner"),
    ("myself - I'm the practice manager", "decision_maker", "Practice Manager"),
    ("that'd be me", "decision_maker", None),
    ("probably me in the end", "decision_maker", None),
    ("well, me. I run the place", "decision_maker", None),
    ("the call is mine", "decision_maker", None),
]

SHARED: list[Row] = [
    # a committee the visitor sits on; deciding with someone
    ("the board votes and I'm on it", "shared", None),
    ("there's a panel of four, including me", "shared", None),
    ("I choose together with our head of finance", "shared", None),
    ("the co-founders decide, I'm one of them", "shared", "Co-founder"),
    ("our COO and I will decide jointly", "shared", None),
    ("a buying committee I sit on", "shared", None),
    ("me and my partner", "shared", None),
    ("together with finance", "shared", None),
    ("the board and I", "shared", None),
    ("both of us", "shared", None),
    ("both", "shared", None),
    ("the CFO and I decide together", "shared", None),
    ("I'm the CTO, but it's a joint decision with the CEO", "shared", "CTO"),
    ("we decide as a team", "shared", None),
]

INFLUENCER: list[Row] = [
    # said the other way round: the decision "is made by", "is with", "is up to" someone else
    ("I'm the operations lead. The final decision is taken by our MD", "influencer", "Operations Lead"),
    ("purchases get approved by the finance director", "influencer", None),
    ("I run marketing but the decision is with our founders", "influencer", "Head of Marketing"),
    ("the decision's up to the owner", "influencer", None),
    ("signed off by the board of trustees", "influencer", None),
    ("our board of governors decides, I'm the bursar's assistant", "influencer", None),
    # a title in the visitor's own words
    ("the partners decide; I'm just an events coordinator", "influencer", "Events Coordinator"),
    ("I am procurement officer, my director approves", "influencer", "Procurement Officer"),
    # a committee the visitor is not part of
    ("a selection panel makes the decision, I prepare the shortlist", "influencer", None),
    ("our steering group decides", "influencer", None),
    # someone else votes, picks or has the last word
    ("the partners vote on anything over 5k", "influencer", None),
    ("our board gets the final vote", "influencer", None),
    ("finance has the last word", "influencer", None),
    ("the final call lies with the owners", "influencer", None),
    ("I research the options, then my director picks one", "influencer", None),
    ("we trial a few tools and then leadership chooses", "influencer", None),
    ("management greenlights it", "influencer", None),
    ("my boss has the final say", "influencer", None),
    ("I'm gathering options for the team", "influencer", None),
    ("I'll recommend it to my manager", "influencer", None),
    ("need approval from procurement", "influencer", None),
    ("CFO signs off", "influencer", None),
    ("my CFO signs off", "influencer", None),
    ("not my call", "influencer", None),
    ("I don't have the final say", "influencer", None),
    ("I'm the CEO but the board has the final say", "influencer", "CEO"),
    ("I'm the marketing manager, my boss decides", "influencer", "Marketing Manager"),
    ("the owner decides, I just research", "influencer", None),
    ("I have to run it by my director", "influencer", None),
    ("no", "influencer", None),
    ("my boss", "influencer", None),
    ("the CEO", "influencer", None),
]

TITLES: list[Row] = [
    ("head of sales", "unknown", "Head of Sales"),
    ("CTO", "unknown", "CTO"),
    ("VP of Operations", "unknown", "VP of Operations"),
    ("I'm the VP Sales", "unknown", "VP of Sales"),
    ("marketing manager", "unknown", "Marketing Manager"),
    ("office manager", "unknown", "Office Manager"),
    ("I run marketing", "unknown", "Head of Marketing"),
    ("practice manager at a dental clinic", "unknown", "Practice Manager"),
    ("Customer Success Lead", "unknown", "Customer Success Lead"),
    ("president", "decision_maker", "President"),
]

UNKNOWN: list[Row] = [
    ("not sure", "unknown", None),
    ("skip", "unknown", None),
    ("depends", "unknown", None),
    ("no idea tbh", "unknown", None),
    ("it varies", "unknown", None),
]


@pytest.mark.parametrize(("text", "level", "role"), DECISION_MAKER)
def test_decision_makers(text: str, level: str, role: str | None) -> None:
    assert read(text) == (level, role)


@pytest.mark.parametrize(("text", "level", "role"), SHARED)
def test_shared_decisions(text: str, level: str, role: str | None) -> None:
    assert read(text) == (level, role)


@pytest.mark.parametrize(("text", "level", "role"), INFLUENCER)
def test_influencers(text: str, level: str, role: str | None) -> None:
    assert read(text) == (level, role)


@pytest.mark.parametrize(("text", "level", "role"), TITLES)
def test_titles_alone(text: str, level: str, role: str | None) -> None:
    assert read(text) == (level, role)


@pytest.mark.parametrize(("text", "level", "role"), UNKNOWN)
def test_unknown(text: str, level: str, role: str | None) -> None:
    assert read(text) == (level, role)


STRICT: list[Row] = [
    ("Hello, Sam Ortiz here, head of sales at Brightwell Dental; we want a bot", "unknown", "Head of Sales"),
    ("I'm the founder of Acme and we need a bot", "decision_maker", "Founder"),
    ("CTO here, looking for a chatbot", "unknown", "CTO"),
    ("Sam, CEO of Acme", "decision_maker", "CEO"),
    ("my boss has the final say, but we need a bot", "influencer", None),
    ("we need a bot, I'm the decision maker", "decision_maker", None),
    ("our COO and I will decide jointly", "shared", None),
]


@pytest.mark.parametrize(("text", "level", "role"), STRICT)
def test_strict_reads_explicit_cues(text: str, level: str, role: str | None) -> None:
    assert read(text, answering=False) == (level, role)


@pytest.mark.parametrize(
    "text",
    [
        "we have 50 employees",
        "our CEO asked me to look into chatbots",
        "it is together with our CRM",
        "I work with the marketing manager",
        "we need it by Q3",
        "me too",
        "yes",
        "not sure",
        "budget is 25k",
        "I manage it myself... the website, I mean",
        "hello",
    ],
)
def test_strict_ignores_no_cue(text: str) -> None:
    assert parse_authority(text, answering=False) is None


@pytest.mark.parametrize("text", ["25k", "Q3", "", "hello there"])
def test_answering_without_a_cue_is_none(text: str) -> None:
    assert parse_authority(text, answering=True) is None


def test_text_is_kept() -> None:
    authority = parse_authority("<b>I decide</b>", answering=True)
    assert authority is not None and authority.text == "I decide"


@pytest.mark.parametrize(
    "text", ["my boss " * 20_000, "CEO and I " * 10_000, "a" * 100_000, "<" * 100_000, "😀" * 100_000, " !" * 50_000]
)
@pytest.mark.timeout(120)  # a hang guard; the speed is measured in bench/parsing.py
def test_huge_input_is_read_to_a_level_or_none(text: str) -> None:
    for answering in (True, False):
        authority = parse_authority(text, answering=answering)
        assert authority is None or authority.level in {"decision_maker", "shared", "influencer", "unknown"}
