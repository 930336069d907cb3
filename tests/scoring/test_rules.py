"""Disqualification rules: data in YAML, all conditions must hold, first match wins."""
from __future__ import annotations

import pytest

from bot.answers import Authority, Budget, Contact, Need, Qualification, Timeline
from bot.scoring import ScoringSettings, score_lead

DEFAULTS = ScoringSettings()
NO_BUDGET = Budget("none", "we have no budget")
NO_PLANS = Timeline("none", "no plans")
SOON = Timeline("stated", "next month", None, 1)
SPECIFIC = Need("a booking bot")
EXPLORING = Need("just looking", "exploring")
BOSS = Authority("decision_maker", "I decide")


def usd(low: float | None, high: float | None, period: str = "yearly", currency: str | None = "USD") -> Budget:
    return Budget("stated", "words", low, high, currency, period)


def verdict(q: Qualification, settings: ScoringSettings = DEFAULTS) -> tuple[str, str | None]:
    r = score_lead(q, settings)
    return r.status, r.disqualified_by


@pytest.mark.parametrize(
    ("q", "rule"),
    [
        (Qualification(SPECIFIC, NO_BUDGET, BOSS, NO_PLANS), "no_budget_and_no_timeline"),
        # all three rules' conditions hold: the first in file order is named
        (Qualification(EXPLORING, NO_BUDGET, BOSS, NO_PLANS), "no_budget_and_no_timeline"),
        (Qualification(SPECIFIC, usd(50, 50, "monthly"), BOSS, SOON), "budget_below_minimum"),  # 600 a year
        (Qualification(SPECIFIC, usd(None, 500), BOSS, SOON), "budget_below_minimum"),  # "no more than 500"
        (Qualification(SPECIFIC, usd(200, 900), BOSS, SOON), "budget_below_minimum"),  # upper bound 900
        (Qualification(SPECIFIC, usd(900, 900, "one_off", "EUR"), BOSS, SOON), "budget_below_minimum"),  # USD 972
        (Qualification(EXPLORING, usd(20_000, 20_000), BOSS, NO_PLANS), "not_buying"),
    ],
)
def test_each_default_rule_fires(q: Qualification, rule: str) -> None:
    assert verdict(q) == ("disqualified", rule)


@pytest.mark.parametrize(
    "q",
    [
        Qualification(),  # nothing known never disqualifies
        Qualification(SPECIFIC, NO_BUDGET, BOSS, SOON),  # no budget alone
        Qualification(SPECIFIC, usd(5000, 5000), BOSS, NO_PLANS),  # no plans but a specific need
        Qualification(EXPLORING, None, BOSS, None),  # exploring, timeline unknown
        Qualification(SPECIFIC, Budget("unknown", "skip"), BOSS, Timeline("unknown", "not sure")),
        Qualification(SPECIFIC, usd(90, 90, "monthly"), BOSS, SOON),  # 1,080 a year
        Qualification(SPECIFIC, usd(1000, 1000), BOSS, SOON),  # exactly the minimum is not below it
        Qualification(SPECIFIC, usd(950, 950, "one_off", "EUR"), BOSS, SOON),  # USD 1,026
        Qualification(SPECIFIC, usd(500, None), BOSS, SOON),  # "at least 500": open-ended
        Qualification(SPECIFIC, usd(500, 500, "one_off", None), BOSS, SOON),  # currency not stated
        Qualification(SPECIFIC, usd(500, 500, "one_off", "KRW"), BOSS, SOON),  # no rate for KRW
    ],
)
def test_default_rules_do_not_fire(q: Qualification) -> None:
    assert verdict(q)[0] != "disqualified"


def test_budget_minimum_with_unstated_currency_applies_when_the_base_is_assumed() -> None:
    q = Qualification(SPECIFIC, usd(500, 500, "one_off", None), BOSS, SOON)
    assert verdict(q, ScoringSettings(assume_base_currency=True)) == ("disqualified", "budget_below_minimum")


def test_disqualified_leads_keep_their_score_and_breakdown() -> None:
    q = Qualification(SPECIFIC, usd(50, 50, "monthly"), BOSS, SOON, Contact("a", "a@b.c", "c"))
    r = score_lead(q, DEFAULTS)
    assert r.status == "disqualified" and r.score == 16 + 2 + 25 + 25 + 5  # 73: would be qualified
    assert len(r.breakdown) == 5


def test_custom_rules_use_the_whole_vocabulary() -> None:
    settings = ScoringSettings.model_validate({
        "disqualify": [
            {"name": "too_far_out", "when": {"timeline_months_over": 24}},
            {"name": "influencer_just_looking", "when": {"authority_level": "influencer", "need_level": "exploring"}},
            {"name": "no_need", "when": {"need_status": "none"}},
            {"name": "unknown_budget_no_authority", "when": {"budget_status": "unknown", "authority_level": "unknown"}},
        ]
    })
    far = Timeline("stated", "in three years", None, 36)
    assert verdict(Qualification(SPECIFIC, None, BOSS, far), settings) == ("disqualified", "too_far_out")
    assert verdict(Qualification(SPECIFIC, None, BOSS, Timeline("stated", "2y", None, 24)), settings)[0] != "disqualified"
    assert verdict(Qualification(EXPLORING, None, Authority("influencer", "boss decides"), SOON), settings) == (
        "disqualified", "influencer_just_looking")
    assert verdict(Qualification(SPECIFIC, None, Authority("influencer", "boss decides"), SOON), settings)[0] != "disqualified"
    assert verdict(Qualification(Need("nothing", status="none"), None, BOSS, SOON), settings) == ("disqualified", "no_need")
    assert verdict(Qualification(SPECIFIC), settings) == ("disqualified", "unknown_budget_no_authority")
    # the default rules are gone once the file lists its own
    assert verdict(Qualification(SPECIFIC, NO_BUDGET, BOSS, NO_PLANS), settings)[0] != "disqualified"


def test_no_rules_means_nobody_is_disqualified() -> None:
    settings = ScoringSettings(disqualify=[])
    assert verdict(Qualification(EXPLORING, NO_BUDGET, BOSS, NO_PLANS), settings)[0] == "nurture"
