"""Choosing an owner: each rule kind, availability, and the fallback, on a real store."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.answers import Budget
from bot.assignment.engine import FALLBACK_NEXT_AVAILABLE, FALLBACK_REP, UNASSIGNED, choose_owner
from bot.assignment.facts import lead_facts
from bot.assignment.settings import AssignmentSettings
from bot.scoring import ScoringSettings
from tests.assignment.conftest import MONDAY_MORNING, WEEKDAYS, lead, rep

SATURDAY = MONDAY_MORNING - timedelta(days=2)


def settings(**overrides) -> AssignmentSettings:
    return AssignmentSettings.model_validate(overrides)


def choose(session, the_lead, cfg: AssignmentSettings | None = None, at=MONDAY_MORNING, reason="qualified"):
    cfg = cfg or AssignmentSettings()
    facts = lead_facts(the_lead, reason, cfg, ScoringSettings())
    return choose_owner(session, the_lead, facts, cfg, now=at)


def test_round_robin_picks_the_rep_assigned_longest_ago(sessions) -> None:
    with sessions.begin() as s:
        ana, ben, cy = rep(s, "Ana"), rep(s, "Ben"), rep(s, "Cy")
        ana.last_assigned_at = MONDAY_MORNING - timedelta(minutes=5)
        cy.last_assigned_at = MONDAY_MORNING - timedelta(minutes=10)
        choice = choose(s, lead(s, "c1"))
        assert choice.rep is ben and choice.rule == "round_robin"  # never assigned: first
        ben.last_assigned_at = MONDAY_MORNING
        assert choose(s, lead(s, "c2")).rep is cy
        assert "next in turn among 3 available reps" in choose(s, lead(s, "c3")).reason


def test_round_robin_stays_within_the_rules_team(sessions) -> None:
    cfg = settings(rules=[{"name": "smb", "team": "smb"}])
    with sessions.begin() as s:
        rep(s, "Ana", team="enterprise")
        bo = rep(s, "Bo", team="smb")
        choice = choose(s, lead(s, "c1"), cfg)
        assert choice.rep is bo and "team smb" in choice.reason


@pytest.mark.parametrize("email, source, expected", [
    ("anna@firma.de", {}, "Dieter"),                  # e-mail domain -> DE -> DACH
    ("anna@firma.at", {}, "Dieter"),
    ("jo@acme.com", {"country": "fr"}, "Fleur"),      # the source's country wins
    ("jo@acme.de", {"country": "US"}, "Uma"),
    ("sam@acme.co.uk", {}, "Fleur"),                  # GB is in EMEA (Fleur), not DACH
    ("sam@acme.io", {}, "Zed"),                       # no country: territory passes, round robin
    ("sam@gmail.com", {}, "Zed"),
])
def test_territory_by_country_or_region(sessions, email: str, source: dict, expected: str) -> None:
    with sessions.begin() as s:
        rep(s, "Dieter", territories=["DACH"])
        rep(s, "Fleur", territories=["EMEA"])
        rep(s, "Uma", territories=["US", "CA"])
        zed = rep(s, "Zed")
        for r in s.query(type(zed)).all():  # Zed is the round-robin choice: everyone else was busier
            r.last_assigned_at = MONDAY_MORNING if r is not zed else None
        choice = choose(s, lead(s, "c1", email=email, source=source))
        assert choice.rep.name == expected
        if expected != "Zed":
            assert choice.rule == "territory" and "country" in choice.reason


def test_most_specific_territory_is_a_matter_of_rule_order(sessions) -> None:
    """Two reps cover DE (one by country, one by region): both are candidates, round robin decides."""
    with sessions.begin() as s:
        a, b = rep(s, "A", territories=["DE"]), rep(s, "B", territories=["EMEA"])
        a.last_assigned_at = MONDAY_MORNING
        assert choose(s, lead(s, "c1", email="x@y.de")).rep is b


SEGMENTS = [
    {"name": "enterprise", "team": "enterprise", "when": {"company_size_min": 500}},
    {"name": "big_budget", "team": "enterprise", "when": {"annual_budget_min": 100000}},
    {"name": "round_robin", "team": "smb"},
]


@pytest.mark.parametrize("said, budget, expected_rule", [
    ("We're about 800 employees across 4 sites", None, "enterprise"),
    ("a 1000+ employee company", None, "enterprise"),
    ("we are a team of 40", None, "round_robin"),
    (None, Budget("stated", "10k a month", 10000, 10000, "USD", "monthly"), "big_budget"),  # 120k a year
    (None, Budget("stated", "EUR 95k a year", 95000, 95000, "EUR", "yearly"), "big_budget"),  # ~102.6k USD
    (None, Budget("stated", "90k a year", 90000, 90000, "USD", "yearly"), "round_robin"),
    (None, Budget("stated", "500k", 500000, 500000, None, None), "round_robin"),  # currency unknown: no guess
])
def test_segments_by_company_size_and_budget_band(sessions, said, budget, expected_rule) -> None:
    cfg = settings(rules=SEGMENTS)
    with sessions.begin() as s:
        rep(s, "Ella", team="enterprise")
        rep(s, "Sol", team="smb")
        choice = choose(s, lead(s, "c1", said=said, budget=budget), cfg)
        assert choice.rule == expected_rule
        assert choice.rep.name == ("Sol" if expected_rule == "round_robin" else "Ella")
        if expected_rule == "enterprise":
            assert "company size about" in choice.reason
        if expected_rule == "big_budget":
            assert "annual budget about USD" in choice.reason


def test_the_company_size_a_site_passes_in_the_source_counts(sessions) -> None:
    cfg = settings(rules=SEGMENTS)
    with sessions.begin() as s:
        rep(s, "Ella", team="enterprise"), rep(s, "Sol", team="smb")
        assert choose(s, lead(s, "c1", source={"company_size": "5000"}), cfg).rule == "enterprise"


def test_account_owner_keeps_a_company_with_its_rep_even_off_duty(sessions) -> None:
    with sessions.begin() as s:
        owner = rep(s, "Olga", hours={"sat": ["09:00", "10:00"]})  # off duty on Monday
        rep(s, "Pat")
        first = lead(s, "c1", email="cto@globex.example")
        first.owner_rep_id, first.assigned_at = owner.id, MONDAY_MORNING - timedelta(days=3)
        s.flush()
        choice = choose(s, lead(s, "c2", email="buyer@GLOBEX.example"))
        assert choice.rep is owner and choice.rule == "account_owner"
        assert "same domain globex.example" in choice.reason and f"lead #{first.id}" in choice.reason


def test_free_mail_addresses_are_not_one_account(sessions) -> None:
    with sessions.begin() as s:
        owner, other = rep(s, "Olga"), rep(s, "Pat")
        owner.last_assigned_at = MONDAY_MORNING
        first = lead(s, "c1", email="a@gmail.com")
        first.owner_rep_id = owner.id
        s.flush()
        assert choose(s, lead(s, "c2", email="b@gmail.com")).rep is other


def test_capacity_counts_open_leads_only(sessions) -> None:
    with sessions.begin() as s:
        full = rep(s, "Full", capacity=1)
        spare = rep(s, "Spare", capacity=5)
        spare.last_assigned_at = MONDAY_MORNING  # Full would be next in turn
        owned = lead(s, "c1")
        owned.owner_rep_id = full.id
        s.flush()
        assert choose(s, lead(s, "c2")).rep is spare
        owned.deals[0].closed_at = MONDAY_MORNING  # won or lost: no longer counts
        s.flush()
        assert choose(s, lead(s, "c3")).rep is full


def test_working_hours_in_the_reps_time_zone(sessions) -> None:
    with sessions.begin() as s:
        berlin = rep(s, "Berlin", tz="Europe/Berlin", hours=WEEKDAYS)
        ny = rep(s, "NewYork", tz="America/New_York", hours=WEEKDAYS)
        # 10:00 UTC: 11:00 in Berlin (on duty), 05:00 in New York (not yet)
        assert choose(s, lead(s, "c1")).rep is berlin
        berlin.last_assigned_at = MONDAY_MORNING
        assert choose(s, lead(s, "c2")).rep is berlin, "the only one on duty"
        # 17:00 UTC: Berlin has gone home, New York is at work
        assert choose(s, lead(s, "c3"), at=MONDAY_MORNING + timedelta(hours=7)).rep is ny


def test_nobody_on_duty_goes_to_whoever_starts_first(sessions) -> None:
    with sessions.begin() as s:
        rep(s, "Berlin", tz="Europe/Berlin", hours=WEEKDAYS)
        ny = rep(s, "NewYork", tz="America/New_York", hours=WEEKDAYS)
        # Monday 23:00 UTC: Berlin starts Tue 08:00 UTC, New York already gone; Berlin wins...
        late = MONDAY_MORNING + timedelta(hours=13)
        choice = choose(s, lead(s, "c1"), at=late)
        assert choice.rule == FALLBACK_NEXT_AVAILABLE and choice.rep.name == "Berlin"
        assert "Nobody available now" in choice.reason and "Tue 24 Nov 09:00 Europe/Berlin" in choice.reason
        # ... and on a Saturday too (Monday 09:00 Berlin comes before Monday 09:00 New York).
        assert choose(s, lead(s, "c2"), at=SATURDAY).rep.name == "Berlin"
        assert ny.active


def test_fallback_rep_then_unassigned(sessions) -> None:
    with sessions.begin() as s:
        rep(s, "Busy", capacity=1).last_assigned_at = None
        boss = rep(s, "Boss", team="management")
        owned = lead(s, "c0")
        owned.owner_rep_id = s.query(type(boss)).filter_by(name="Busy").one().id
        s.flush()
        only_sales = [{"name": "sales", "team": "sales"}]
        choice = choose(s, lead(s, "c1"), settings(rules=only_sales, fallback={"rep": "boss@seller.example"}))
        assert choice.rep is boss and choice.rule == FALLBACK_REP and "no active reps in team sales" in choice.reason
        choice = choose(s, lead(s, "c2"), settings(rules=only_sales, fallback={"rep": "nobody@seller.example"}))
        assert choice.rep is None and choice.rule == UNASSIGNED
        assert "not a rep" in choice.reason and "leadbot leads assign" in choice.reason


def test_with_no_reps_at_all_the_lead_waits(sessions) -> None:
    with sessions.begin() as s:
        choice = choose(s, lead(s, "c1"))
        assert choice.rep is None and choice.rule == UNASSIGNED


def test_inactive_reps_never_get_leads(sessions) -> None:
    with sessions.begin() as s:
        gone, here = rep(s, "Gone"), rep(s, "Here")
        gone.active = False
        here.last_assigned_at = MONDAY_MORNING
        assert choose(s, lead(s, "c1")).rep is here


@pytest.mark.parametrize("conditions, holds", [
    ({"reason": ["human_requested"]}, False),
    ({"grade": ["A"]}, True),
    ({"score_min": 90}, False),
    ({"need_category": ["booking"]}, True),
    ({"channel": ["telegram"]}, False),
    ({"country": ["DE"]}, True),
    ({"region": ["NA"]}, False),
])
def test_conditions(sessions, conditions: dict, holds: bool) -> None:
    cfg = settings(rules=[{"name": "special", "when": conditions}, {"name": "everyone_else"}])
    with sessions.begin() as s:
        rep(s, "Ana")
        assert choose(s, lead(s, "c1", email="x@firma.de"), cfg).rule == ("special" if holds else "everyone_else")
