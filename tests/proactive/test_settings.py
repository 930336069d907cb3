"""settings/proactive.yml: the shipped triggers are valid and open where they should; mistakes
fail with the field at fault; page patterns, the site a host reads and the opening a chat's
first message names, as tables."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.proactive import (
    DEFAULT_SITE,
    ProactiveSettings,
    load_proactive_settings,
    page_matches,
    page_regex,
)
from bot.settings import SettingsError

SHIPPED = load_proactive_settings()

TRIGGER = "{name: t, after_seconds: 5, teaser: Hi, opening: Hello}"


def test_the_shipped_file_is_valid_and_has_each_kind_of_trigger() -> None:
    site = SHIPPED.sites[DEFAULT_SITE]
    triggers = {t.name: t for t in site.triggers}
    assert triggers["pricing-page"].pages and triggers["returning-visitor"].returning
    assert triggers["read-deeply"].scroll_percent and triggers["leaving"].exit_intent
    assert triggers["time-on-page"].after_seconds
    assert SHIPPED.frequency.per_session == 1 and SHIPPED.frequency.per_day >= 1


@pytest.mark.parametrize(("path", "quiet"), [
    ("/careers", True), ("/careers/", True), ("/careers/engineer-42", True), ("/jobs", True),
    ("/privacy", True), ("/pricing", False), ("/", False), ("/blog/careers", False),
])
def test_the_shipped_quiet_pages(path: str, quiet: bool) -> None:
    assert any(page_matches(p, path) for p in SHIPPED.sites[DEFAULT_SITE].quiet_pages) is quiet


@pytest.mark.parametrize(("yaml", "field"), [
    # --- a trigger ---------------------------------------------------------------------------
    ("sites: {default: {triggers: [{name: t, teaser: Hi, opening: Hello}]}}", "no condition"),
    ("sites: {default: {triggers: [{name: Pricing Page, pages: [/p], teaser: Hi, opening: Hello}]}}", "trigger name"),
    ("sites: {default: {triggers: [{name: t, pages: [pricing], teaser: Hi, opening: Hello}]}}", "must start with '/'"),
    ("sites: {default: {triggers: [{name: t, pages: ['/a b'], teaser: Hi, opening: Hello}]}}", "no spaces"),
    ("sites: {default: {triggers: [{name: t, scroll_percent: 0, teaser: Hi, opening: Hello}]}}", "scroll_percent"),
    ("sites: {default: {triggers: [{name: t, scroll_percent: 120, teaser: Hi, opening: Hello}]}}", "scroll_percent"),
    ("sites: {default: {triggers: [{name: t, after_seconds: -1, teaser: Hi, opening: Hello}]}}", "after_seconds"),
    ("sites: {default: {triggers: [{name: t, after_seconds: 5, opening: Hello}]}}", "teaser"),
    ("sites: {default: {triggers: [{name: t, after_seconds: 5, teaser: '  ', opening: Hello}]}}", "blank"),
    (f"sites: {{default: {{triggers: [{{name: t, after_seconds: 5, teaser: '{'x' * 141}', opening: Hello}}]}}}}",
     "teaser"),
    ("sites: {default: {triggers: [{name: t, after_seconds: 5, teaser: Hi}]}}", "opening"),
    ("sites: {default: {triggers: [{name: t, after_second: 5, teaser: Hi, opening: Hello}]}}", "after_second"),
    # --- a site ------------------------------------------------------------------------------
    (f"sites: {{default: {{triggers: [{TRIGGER}, {TRIGGER}]}}}}", "unique"),
    ("sites: {default: {quiet_pages: [careers]}}", "must start with '/'"),
    ("sites: {WWW.Example.com: {}}", "host name"),
    ("sites: {'https://example.com': {}}", "host name"),
    # --- the caps ----------------------------------------------------------------------------
    ("frequency: {per_session: 0}", "per_session"),
    ("frequency: {per_session: 3, per_day: 2}", "cannot exceed per_day"),
    ("frequency: {same_trigger_days: -1}", "same_trigger_days"),
    ("frequency: {per_hour: 1}", "per_hour"),
    ("enabled: maybe", "enabled"),
    ("- a list", "mapping"),
])
def test_mistakes_fail_with_the_field(tmp_path: Path, yaml: str, field: str) -> None:
    (tmp_path / "proactive.yml").write_text(yaml, encoding="utf-8")
    with pytest.raises(SettingsError, match=re.escape(field)):
        load_proactive_settings(tmp_path)


def test_a_missing_file_offers_no_chat_anywhere(tmp_path: Path) -> None:
    settings = load_proactive_settings(tmp_path)
    assert settings == ProactiveSettings()
    assert settings.widget_config("www.example.com") == {
        "enabled": False, "site": None, "frequency": {"per_session": 1, "per_day": 2, "same_trigger_days": 7},
        "quiet_pages": [], "triggers": []}


PAGE_PATTERNS = [
    # exact paths
    ("/pricing", "/pricing", True), ("/pricing", "/pricing/", False), ("/pricing", "/pricing/teams", False),
    # a star is any text, "/" included, or none
    ("/pricing*", "/pricing", True), ("/pricing*", "/pricing/", True), ("/pricing*", "/pricing/teams/eu", True),
    ("/pricing*", "/price", False), ("/blog/*/pricing", "/blog/2026/11/pricing", True),
    ("*/careers", "/en/careers", True), ("/*", "/", True),
    # every other character is itself, never a regular expression
    ("/a.b", "/axb", False), ("/a.b", "/a.b", True), ("/c++", "/c++", True), ("/(x)", "/(x)", True),
    ("/[a]", "/a", False), ("/[a]", "/[a]", True), ("/a?b", "/a?b", True), ("/a?b", "/ab", False),
    ("/$x", "/$x", True), ("/é", "/é", True),
    # the whole path: no prefix or suffix match
    ("/pricing", "/en/pricing", False), ("/pricing", "/pricingx", False),
    ("/a-b~c#d&e", "/a-b~c#d&e", True), ("/a-b", "/a_b", False),
]


@pytest.mark.parametrize(("pattern", "path", "matches"), PAGE_PATTERNS)
def test_page_patterns(pattern: str, path: str, matches: bool) -> None:
    assert page_matches(pattern, path) is matches
    assert page_regex(pattern).startswith("^") and page_regex(pattern).endswith("$")


SITES = ProactiveSettings.model_validate({"sites": {
    "default": {"triggers": [{"name": "any", "after_seconds": 1, "teaser": "t", "opening": "Default opening"}]},
    "shop.example.com": {"triggers": [{"name": "cart", "pages": ["/cart"], "teaser": "t", "opening": "Cart opening"}]},
}})


@pytest.mark.parametrize(("host", "site"), [
    ("shop.example.com", "shop.example.com"), ("SHOP.example.com", "shop.example.com"),
    ("www.example.com", DEFAULT_SITE), ("", DEFAULT_SITE), (None, DEFAULT_SITE),
])
def test_the_site_a_host_reads(host: str | None, site: str) -> None:
    assert SITES.site_key(host) == site
    assert SITES.widget_config(host)["site"] == site


def test_the_widget_gets_no_openings() -> None:
    config = SITES.widget_config("shop.example.com")
    assert config["triggers"] == [{"name": "cart", "pages": ["^/cart$"], "after_seconds": None, "scroll_percent": None,
                                   "exit_intent": False, "returning": False, "teaser": "t"}]
    assert "opening" not in str(config)


def test_switched_off_the_widget_gets_no_triggers() -> None:
    off = SITES.model_copy(update={"enabled": False})
    assert off.widget_config("shop.example.com")["enabled"] is False
    assert off.widget_config("shop.example.com")["triggers"] == []
    assert off.opening_for({"proactive_trigger": "cart", "proactive_site": "shop.example.com"}) is None


@pytest.mark.parametrize(("metadata", "opening"), [
    ({"proactive_trigger": "cart", "proactive_site": "shop.example.com"}, "Cart opening"),
    ({"proactive_trigger": "any", "proactive_site": "default"}, "Default opening"),
    # a trigger of another site, a site or trigger the settings do not have, junk: the usual greeting
    ({"proactive_trigger": "cart", "proactive_site": "default"}, None),
    ({"proactive_trigger": "gone", "proactive_site": "default"}, None),
    ({"proactive_trigger": "any", "proactive_site": "other.example.com"}, None),
    ({"proactive_trigger": "any"}, None),
    ({"proactive_trigger": ["any"], "proactive_site": "default"}, None),
    ({"page_url": "https://example.com/"}, None), ({}, None), (None, None), ("junk", None),
])
def test_the_opening_a_first_message_names(metadata: object, opening: str | None) -> None:
    assert SITES.opening_for(metadata) == opening
