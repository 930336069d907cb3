"""Whole-lead scoring with the shipped defaults: scores hand-computed from settings/scoring.yml.

Default maxima: need 20, budget 25, authority 25, timeline 25, contact 5 (total 100, so
points add up to the score); unknown earns 30% of a dimension's maximum.
"""
from __future__ import annotations

import json

import pytest

from bot.answers import Authority, Budget, Contact, Need, Qualification, Timeline
from bot.scoring import ScoringSettings, score_lead
from bot.scoring.result import ScoreResult

DEFAULTS = ScoringSettings()
DIMENSIONS = ["need", "budget", "authority", "timeline", "contact"]


def usd(amount: float, period: str | None = "yearly") -> Budget:
    return Budget("stated", f"{amount} USD", amount, amount, "USD", period)


def months(m: float) -> Timeline:
    return Timeline("stated", f"in {m} months", None, m)


HOT = Qualification(
    need=Need("we want to automate appointment booking", "specific", "booking"),  # 16 + 4
    budget=usd(60_000),  # 50k+ band: 25
    authority=Authority("decision_maker", "I'm the head of IT", "Head of IT"),  # 25
    timeline=months(0.5),  # <=1: 25
    contact=Contact("Sam Ortiz", "sam@brightwell.example", "Brightwell"),  # 5
)
WARM = Qualification(
    need=Need("a bot for support tickets"),  # specific, no category: 16
    budget=usd(12_000, "one_off"),  # 10k-25k: 19
    authority=Authority("shared", "with our COO"),  # 19
    timeline=months(5),  # <=6: 16
    contact=Contact(email="dana@kim.example"),  # 3
)
COLD = Qualification(
    need=Need("just looking around", "exploring"),  # 8
    budget=Budget("unknown", "no idea yet"),  # neutral 7.5
    authority=Authority("influencer", "my boss decides"),  # 10
    timeline=months(18),  # later: 5
    contact=Contact(name="Kim"),  # 1
)  # 31.5 -> 32 (rounded half up)
UNSURE = Qualification(
    need=Need("booking bot", "specific", "booking"),  # 20
    budget=None,  # never asked: 7.5
    authority=Authority("unknown", "not sure"),  # 7.5
    timeline=months(2),  # 22
    contact=Contact(name="Lee", email="lee@x.example"),  # 4
)  # 61: grade B but below the qualified threshold 65
EMPTY = Qualification()  # 6 + 7.5 + 7.5 + 7.5 + 0 = 28.5 -> 29


@pytest.mark.parametrize(
    ("lead", "score", "grade", "status", "points"),
    [
        (HOT, 100, "A", "qualified", [20, 25, 25, 25, 5]),
        (WARM, 73, "B", "qualified", [16, 19, 19, 16, 3]),
        (COLD, 32, "D", "nurture", [8, 7.5, 10, 5, 1]),
        (UNSURE, 61, "B", "nurture", [20, 7.5, 7.5, 22, 4]),
        (EMPTY, 29, "D", "nurture", [6, 7.5, 7.5, 7.5, 0]),
    ],
    ids=["hot", "warm", "cold", "unsure", "empty"],
)
def test_hand_computed_leads(lead: Qualification, score: int, grade: str, status: str, points: list[float]) -> None:
    result = score_lead(lead, DEFAULTS)
    assert [d.points for d in result.breakdown] == points
    assert (result.score, result.grade, result.status) == (score, grade, status)
    assert result.disqualified_by is None
    assert result.version == "2026.12-1"


@pytest.mark.parametrize("lead", [HOT, WARM, COLD, UNSURE, EMPTY], ids=["hot", "warm", "cold", "unsure", "empty"])
def test_every_lead_gets_a_breakdown_of_all_dimensions_with_reasons(lead: Qualification) -> None:
    result = score_lead(lead, DEFAULTS)
    assert [d.dimension for d in result.breakdown] == DIMENSIONS
    for d in result.breakdown:
        assert 0 <= d.points <= d.max_points
        assert d.reason.endswith(f"/{d.max_points:g}") or "neutral credit" in d.reason
    assert sum(d.max_points for d in result.breakdown) == 100


@pytest.mark.parametrize("lead", [HOT, COLD, EMPTY], ids=["hot", "cold", "empty"])
def test_result_round_trips_through_json(lead: Qualification) -> None:
    result = score_lead(lead, DEFAULTS)
    data = json.loads(json.dumps(result.to_dict()))
    data["breakdown"] = tuple(
        type(result.breakdown[0])(**b) for b in data["breakdown"]
    )
    assert ScoreResult(**data) == result


@pytest.mark.parametrize(
    ("lead", "dimension", "facts"),
    [
        (HOT, "need", ["Specific need", "appointment booking", "category booking", "20/20"]),
        (HOT, "budget", ["USD 60,000 a year", "USD 50,000+ a year band", "25/25"]),
        (HOT, "authority", ["Decision maker (Head of IT)", "25/25"]),
        (HOT, "timeline", ["0.5 months", "inside 1 month:", "25/25"]),
        (HOT, "contact", ["name, company, email given", "5/5"]),
        (WARM, "budget", ["USD 12,000 one-off", "10,000-25,000", "19/25"]),
        (WARM, "authority", ["Shares the decision", "19/25"]),
        (WARM, "contact", ["email given", "name, company missing", "3/5"]),
        (COLD, "need", ["Exploring", "just looking around", "8/20"]),
        (COLD, "budget", ["Budget unknown", "no idea yet", "7.5/25 neutral credit"]),
        (COLD, "authority", ["Influencer", "10/25"]),
        (COLD, "timeline", ["18 months", "later than 12 months", "5/25"]),
        (UNSURE, "budget", ["Budget not answered yet", "7.5/25 neutral credit"]),
        (UNSURE, "authority", ["Authority unknown", "not sure", "7.5/25 neutral credit"]),
        (EMPTY, "contact", ["No contact details", "0/5"]),
    ],
)
def test_reasons_carry_the_key_facts(lead: Qualification, dimension: str, facts: list[str]) -> None:
    reason = next(d.reason for d in score_lead(lead, DEFAULTS).breakdown if d.dimension == dimension)
    for fact in facts:
        assert fact in reason, f"{fact!r} not in {reason!r}"


def _dim(q: Qualification, name: str):
    return next(d for d in score_lead(q, DEFAULTS).breakdown if d.dimension == name)


@pytest.mark.parametrize(
    ("q", "dimension", "known", "points"),
    [
        # missing (never asked) and "unknown" both earn neutral credit, never zero
        (Qualification(), "need", False, 6),
        (Qualification(need=Need("not sure", status="unknown")), "need", False, 6),
        (Qualification(need=Need("we don't need anything", status="none")), "need", True, 0),
        (Qualification(budget=Budget("unknown", "skip")), "budget", False, 7.5),
        (Qualification(budget=Budget("none", "we have no budget")), "budget", True, 0),
        (Qualification(budget=Budget("stated", "a budget", None, None)), "budget", False, 7.5),
        (Qualification(budget=usd(500)), "budget", True, 2),
        (Qualification(timeline=Timeline("unknown", "not sure")), "timeline", False, 7.5),
        (Qualification(timeline=Timeline("none", "no plans")), "timeline", True, 2),
        (Qualification(timeline=Timeline("stated", "soon", None, None)), "timeline", False, 7.5),
        (Qualification(authority=Authority("unknown", "hard to say")), "authority", False, 7.5),
        (Qualification(authority=None), "authority", False, 7.5),
    ],
)
def test_unknown_none_and_stated_are_different(q: Qualification, dimension: str, known: bool, points: float) -> None:
    d = _dim(q, dimension)
    assert (d.known, d.points) == (known, points)


def test_unknown_reason_says_so_and_none_reason_quotes_the_visitor() -> None:
    assert "neutral credit" in _dim(Qualification(timeline=Timeline("unknown", "not sure")), "timeline").reason
    none = _dim(Qualification(timeline=Timeline("none", "no plans this year")), "timeline").reason
    assert "No plans to buy" in none and "no plans this year" in none and "neutral" not in none


@pytest.mark.parametrize(
    ("m", "points"),
    [(-1, 25), (0, 25), (1, 25), (1.1, 22), (3, 22), (3.1, 16), (6, 16), (12, 10), (12.1, 5), (36, 5)],
)
def test_timeline_band_edges(m: float, points: float) -> None:
    assert _dim(Qualification(timeline=months(m)), "timeline").points == points


def test_long_answers_are_shortened_in_reasons() -> None:
    reason = _dim(Qualification(need=Need("x" * 500)), "need").reason
    assert len(reason) < 120 and "…" in reason


def _lead(need: Need | None, budget: Budget | None, authority: Authority | None, m: float | None, contact: Contact):
    return Qualification(need, budget, authority, months(m) if m is not None else None, contact)


SPECIFIC = Need("a booking bot")  # 16
EXPLORING = Need("looking", "exploring")  # 8


@pytest.mark.parametrize(
    ("lead", "score", "grade", "status"),
    [
        # 16 + 25 + 25 + 10 + 4 = 80: exactly the A threshold
        (_lead(SPECIFIC, usd(50_000), Authority("decision_maker", "me"), 12, Contact("a", "a@b.c")), 80, "A", "qualified"),
        # 16 + 25 + 25 + 10 + 3 = 79
        (_lead(SPECIFIC, usd(50_000), Authority("decision_maker", "me"), 12, Contact(email="a@b.c")), 79, "B", "qualified"),
        # 16 + 19 + 19 + 10 + 1 = 65: exactly the qualified threshold
        (_lead(SPECIFIC, usd(10_000), Authority("shared", "we"), 12, Contact("a")), 65, "B", "qualified"),
        # 16 + 19 + 19 + 10 + 0 = 64
        (_lead(SPECIFIC, usd(10_000), Authority("shared", "we"), 12, Contact()), 64, "B", "nurture"),
        # 8 + 19 + 10 + 22 + 1 = 60: exactly B
        (_lead(EXPLORING, usd(10_000), Authority("influencer", "boss"), 3, Contact("a")), 60, "B", "nurture"),
        (_lead(EXPLORING, usd(10_000), Authority("influencer", "boss"), 3, Contact()), 59, "C", "nurture"),
        # 6 + 7.5 + 7.5 + 16 + 3 = 40: exactly C
        (_lead(None, None, None, 6, Contact(email="a@b.c")), 40, "C", "nurture"),
        (_lead(None, None, None, 6, Contact(name="a")), 38, "D", "nurture"),
    ],
)
def test_threshold_boundaries(lead: Qualification, score: int, grade: str, status: str) -> None:
    result = score_lead(lead, DEFAULTS)
    assert (result.score, result.grade, result.status) == (score, grade, status)


def test_scoring_does_not_depend_on_anything_but_its_inputs() -> None:
    assert score_lead(HOT, DEFAULTS) == score_lead(HOT, ScoringSettings())
