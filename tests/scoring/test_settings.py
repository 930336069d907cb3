"""scoring.yml: shipped defaults equal the built-in ones, custom files change results,
invalid files fail at load time naming the file and the field."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.answers import Authority, Budget, Contact, Need, Qualification, Timeline
from bot.scoring import ScoringSettings, load_scoring_settings, score_lead
from bot.settings import DEFAULT_SETTINGS_DIR, SettingsError

WARM = Qualification(
    need=Need("a bot for support tickets"),  # 16
    budget=Budget("stated", "12k", 12_000, 12_000, "USD", "one_off"),  # 19
    authority=Authority("shared", "with our COO"),  # 19
    timeline=Timeline("stated", "in 5 months", None, 5),  # 16
    contact=Contact(email="dana@kim.example"),  # 3
)  # 73, B, qualified with the defaults


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "scoring.yml").write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_defaults_equal_the_shipped_file() -> None:
    assert (DEFAULT_SETTINGS_DIR / "scoring.yml").exists()
    assert load_scoring_settings(DEFAULT_SETTINGS_DIR) == ScoringSettings()


def test_missing_or_empty_file_means_defaults(tmp_path: Path) -> None:
    assert load_scoring_settings(tmp_path) == ScoringSettings()
    assert load_scoring_settings(write(tmp_path, "")) == ScoringSettings()


def test_settings_dir_environment_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADBOT_SETTINGS_DIR", str(write(tmp_path, 'version: "custom-7"\n')))
    assert load_scoring_settings().version == "custom-7"


def test_custom_weights_change_the_score(tmp_path: Path) -> None:
    settings = load_scoring_settings(write(tmp_path, """
        version: "2027.01-2"
        budget:
          max_points: 50
          bands:
            - {min_amount: 0, points: 5}
            - {min_amount: 10000, points: 50}
        contact: {name: 0, company: 0, email: 0}
    """))
    r = score_lead(WARM, settings)
    # 16 + 50 + 19 + 16 + 0 = 101 of 20 + 50 + 25 + 25 = 120 -> 84.17 -> 84
    assert [d.points for d in r.breakdown] == [16, 50, 19, 16, 0]
    assert [d.max_points for d in r.breakdown] == [20, 50, 25, 25, 0]
    assert (r.score, r.grade, r.version) == (84, "A", "2027.01-2")


def test_custom_thresholds_change_grade_and_status(tmp_path: Path) -> None:
    settings = load_scoring_settings(write(tmp_path, """
        grades: {Hot: 90, Warm: 70, Cold: 0}
        qualified: {min_score: 74}
    """))
    r = score_lead(WARM, settings)
    assert (r.score, r.grade, r.status) == (73, "Warm", "nurture")
    at_threshold = load_scoring_settings(write(tmp_path, "qualified: {min_score: 73}\n"))
    assert score_lead(WARM, at_threshold).status == "qualified"


def test_required_known_dimensions_hold_back_a_high_score(tmp_path: Path) -> None:
    lead = Qualification(Need("booking", category="booking"), None, Authority("decision_maker", "me"),
                         Timeline("stated", "now", None, 0), Contact("a", "a@b.c", "c"))  # 20+7.5+25+25+5
    assert score_lead(lead, ScoringSettings()).status == "qualified"
    strict = load_scoring_settings(write(tmp_path, "qualified: {require_known: [budget, authority]}\n"))
    r = score_lead(lead, strict)
    assert (r.score, r.status) == (83, "nurture")


def test_unknown_credit_is_configurable(tmp_path: Path) -> None:
    settings = load_scoring_settings(write(tmp_path, "unknown_credit: 0.5\n"))
    r = score_lead(Qualification(), settings)
    assert [d.points for d in r.breakdown] == [10, 12.5, 12.5, 12.5, 0]
    assert "12.5/25 neutral credit" in r.breakdown[1].reason
    zero = score_lead(Qualification(), load_scoring_settings(write(tmp_path, "unknown_credit: 0\n")))
    assert zero.score == 0 and not any(d.known for d in zero.breakdown)


def test_custom_currency_rates(tmp_path: Path) -> None:
    settings = load_scoring_settings(write(tmp_path, "currency_rates_to_base: {EUR: 2.0}\n"))
    budget = Budget("stated", "6k EUR", 6000, 6000, "EUR", "yearly")
    d = score_lead(Qualification(budget=budget), settings).breakdown[1]
    assert d.points == 19 and "USD 12,000" in d.reason  # 6,000 x 2 -> the 10k band
    gbp = score_lead(Qualification(budget=Budget("stated", "6k", 6000, 6000, "GBP", "yearly")), settings)
    assert gbp.breakdown[1].known is False  # the file's table replaces the default one


@pytest.mark.parametrize(
    ("yaml_text", "fragments"),
    [
        ("need: {max_points: -5}\n", ["need.max_points", "greater than or equal to 0"]),
        ("budget: {bands: [{min_amount: 0, points: -1}]}\n", ["budget.bands.0.points"]),
        ("qualified: {min_score: 120}\n", ["qualified.min_score", "less than or equal to 100"]),
        ("grades: {A: 180, D: 0}\n", ["grades", "outside 0-100"]),
        ("grades: {A: 80, B: 60}\n", ["grades", "threshold 0"]),
        ("grades: {A: 80, B: 80, D: 0}\n", ["grades", "share a threshold"]),
        ("unknown_credit: 1.5\n", ["unknown_credit"]),
        ("disqualify: [{name: x, when: {budget_state: none}}]\n", ["disqualify.0.when", "budget_state", "budget_status"]),
        ("disqualify: [{name: x, when: {budget_status: nothing}}]\n", ["disqualify.0.when.budget_status"]),
        ("disqualify: [{name: x, when: {need_level: vague}}]\n", ["need_level", "'specific' or 'exploring'"]),
        ("disqualify: [{name: x, when: {}}]\n", ["disqualify.0.when", "at least one condition"]),
        ("disqualify: [{name: x, conditions: {budget_status: none}}]\n", ["disqualify.0", "conditions"]),
        ("disqualify: [{name: a, when: {need_status: none}}, {name: a, when: {need_status: none}}]\n", ["unique"]),
        ("authority: {level_points: {ceo: 25}}\n", ["authority.level_points.ceo", "Extra inputs"]),
        ("authority: {level_points: {unknown: 5}}\n", ["authority.level_points.unknown"]),
        ("need: {level_points: {vague: 3}}\n", ["need.level_points.vague"]),
        ("contact: {phone: 2}\n", ["contact.phone"]),
        ("authority: {max_points: 10}\n", ["authority", "level_points.decision_maker (25) is more than max_points (10)"]),
        ("need: {category_bonus: 10}\n", ["need", "more than max_points"]),
        ("budget: {bands: [{min_amount: 100, points: 1}]}\n", ["budget", "min_amount 0"]),
        ("budget: {bands: [{min_amount: 0, points: 1}, {min_amount: 0, points: 2}]}\n", ["budget", "increasing"]),
        ("timeline: {bands: [{max_months: 6, points: 1}, {max_months: 3, points: 2}]}\n", ["timeline", "increasing"]),
        ("timeline: {bands: []}\n", ["timeline", "must not be empty"]),
        ("weights: {need: 20}\n", ["weights", "Extra inputs"]),
        ("version: 2026.11\n", ["version", "valid string"]),
        ("base_currency: dollars\n", ["base_currency", "ISO 4217"]),
        ("currency_rates_to_base: {EUR: -1}\n", ["currency_rates_to_base", "rate for EUR must be positive"]),
        ("currency_rates_to_base: {euro: 1.1}\n", ["currency_rates_to_base", "'euro'"]),
        ("currency_rates_to_base: {USD: 1.1}\n", ["base currency's rate must be 1"]),
        ("need: {max_points: 0, category_bonus: 0, level_points: {specific: 0, exploring: 0}}\nbudget: {max_points: 0, bands: [{min_amount: 0, points: 0}]}\n"
         "authority: {max_points: 0, level_points: {decision_maker: 0, shared: 0, influencer: 0}}\n"
         "timeline: {max_points: 0, later_points: 0, none_points: 0, bands: [{max_months: 1, points: 0}]}\n"
         "contact: {name: 0, company: 0, email: 0}\n",
         ["add up to 0"]),
        ("assume_base_currency: maybe\n", ["assume_base_currency"]),
        ("- just a list\n", ["expected a mapping"]),
        ("need: [unclosed\n", ["not valid YAML"]),
    ],
)
def test_invalid_files_are_rejected_with_file_and_field(tmp_path: Path, yaml_text: str, fragments: list[str]) -> None:
    with pytest.raises(SettingsError) as err:
        load_scoring_settings(write(tmp_path, yaml_text))
    message = str(err.value)
    assert str(tmp_path / "scoring.yml") in message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{message}"
