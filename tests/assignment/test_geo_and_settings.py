"""Country hints, regions, and the validation of settings/assignment.yml."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.assignment.geo import DEFAULT_REGIONS, country_from_tld, normalise_country, regions_of
from bot.assignment.settings import AssignmentSettings, load_assignment_settings
from bot.settings import DEFAULT_SETTINGS_DIR, SettingsError


@pytest.mark.parametrize("domain, country", [
    ("firma.de", "DE"), ("acme.co.uk", "GB"), ("shop.fr", "FR"), ("studio.it", "IT"), ("bolt.ee", "EE"),
    ("acme.com", None), ("acme.io", None), ("acme.ai", None), ("acme.co", None), ("acme.me", None),
    ("acme.tv", None), ("example.org", None), ("localhost", None), (None, None), ("acme.xx", None),
])
def test_country_from_email_domain(domain: str | None, country: str | None) -> None:
    assert country_from_tld(domain) == country


@pytest.mark.parametrize("value, code", [("de", "DE"), (" DE ", "DE"), ("UK", "GB"), ("gb", "GB"),
                                         ("Germany", None), ("", None), (None, None), (49, None)])
def test_source_country_is_normalised(value: object, code: str | None) -> None:
    assert normalise_country(value) == code


def test_regions() -> None:
    assert regions_of("DE", DEFAULT_REGIONS) >= {"EU", "EMEA", "EUROPE", "DACH"}
    assert "EU" not in regions_of("CH", DEFAULT_REGIONS) and "DACH" in regions_of("CH", DEFAULT_REGIONS)
    assert regions_of("US", DEFAULT_REGIONS) == {"NA", "AMER"}
    assert regions_of("BR", DEFAULT_REGIONS) == {"LATAM", "AMER"}
    assert "APAC" in regions_of("JP", DEFAULT_REGIONS) and "ANZ" in regions_of("NZ", DEFAULT_REGIONS)
    assert regions_of(None, DEFAULT_REGIONS) == frozenset()


def test_every_region_member_is_a_country() -> None:
    from bot.assignment.geo import COUNTRIES

    for name, members in DEFAULT_REGIONS.items():
        assert set(members) <= COUNTRIES, name


def test_the_shipped_file_is_valid_and_works_with_no_teams() -> None:
    settings = load_assignment_settings(DEFAULT_SETTINGS_DIR)
    assert [r.name for r in settings.rules] == ["account_owner", "territory", "round_robin"]
    assert all(r.team is None for r in settings.rules)
    assert settings.model_dump() == AssignmentSettings().model_dump(), "the file states the defaults"


@pytest.mark.parametrize("yaml_text, complaint", [
    ("rules: []", "at least 1"),
    ("rules: [{name: a}, {name: a}]", "unique"),
    ("rules: [{name: Big Deals}]", "lower_case"),
    ("rules: [{name: a, pick: random}]", "round_robin"),
    ("rules: [{name: a, when: {country: [Germany]}}]", "ISO 3166"),
    ("rules: [{name: a, when: {region: [MOON]}}]", "unknown regions"),
    ("rules: [{name: a, when: {grade: []}}]", "empty list"),
    ("rules: [{name: a, when: {company_size_min: 0}}]", "greater than or equal to 1"),
    ("rules: [{name: a, when: {budget_min: 5}}]", "Extra inputs"),
    ("regions: {IBERIA: [ES, Portugal]}", "not ISO"),
    ("fallbak: {}", "Extra inputs"),
])
def test_mistakes_are_named(tmp_path: Path, yaml_text: str, complaint: str) -> None:
    (tmp_path / "assignment.yml").write_text(yaml_text)
    with pytest.raises(SettingsError, match=complaint) as info:
        load_assignment_settings(tmp_path)
    assert "assignment.yml" in str(info.value)


def test_custom_regions_can_be_used_in_rules(tmp_path: Path) -> None:
    (tmp_path / "assignment.yml").write_text(
        "regions: {iberia: [es, pt]}\nrules: [{name: iberia, pick: territory, when: {region: [iberia]}}]\n")
    settings = load_assignment_settings(tmp_path)
    assert settings.all_regions()["IBERIA"] == ("ES", "PT")
    assert settings.rules[0].when.region == ["IBERIA"]
