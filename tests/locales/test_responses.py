"""Every response of domain.yml in every locale, with the same shape: the same channel
variants, the same {placeholders} and the same button payloads (bot.extraction reads the
payloads, so they stay the English answers), and text that is really translated."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.e2e.servers import ROOT

LOCALES = sorted((ROOT / "locales").glob("*.yml"))
SPOKEN = ["ru", "nb", "fa", "ms", "zh"]
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Responses that are only a placeholder: the text comes from the action server.
ONLY_PLACEHOLDERS = {name for name, variants in DOMAIN.items()
                     if all(PLACEHOLDER.sub("", v.get("text", "")).strip() == "" for v in variants)}


def responses_of(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}


def shape(variant: dict) -> tuple:
    return (variant.get("channel"), sorted(set(PLACEHOLDER.findall(variant.get("text", "")))),
            [b["payload"] for b in variant.get("buttons", [])])


def test_every_language_has_a_locale_file():
    assert {p.stem for p in LOCALES} >= set(SPOKEN)


@pytest.mark.parametrize("code", SPOKEN)
def test_every_response_is_translated_with_the_same_shape(code):
    own = responses_of(ROOT / "locales" / f"{code}.yml")
    assert sorted(set(DOMAIN) - set(own)) == [], "untranslated responses"
    assert sorted(set(own) - set(DOMAIN)) == [], "responses the domain does not have"
    for name, variants in DOMAIN.items():
        assert [shape(v) for v in own[name]] == [shape(v) for v in variants], name
        for english, translated in zip(variants, own[name]):
            assert set(translated) == set(english), f"{name}: keys {set(translated) ^ set(english)}"
            if name not in ONLY_PLACEHOLDERS:
                assert translated["text"] != english["text"], f"{name} is still English"
            titles = [b["title"] for b in translated.get("buttons", [])]
            assert all(t.strip() for t in titles) and len(set(titles)) == len(titles), name
            assert titles == [] or titles != [b["title"] for b in english.get("buttons", [])], name


@pytest.mark.parametrize("code", SPOKEN)
def test_text_is_written_in_the_languages_script(code):
    """Persian and Chinese in their own script (a pasted English or Arabic line shows up)."""
    own = responses_of(ROOT / "locales" / f"{code}.yml")
    script = {"fa": r"[\u0600-\u06FF]", "zh": r"[\u4e00-\u9fff]", "ru": r"[\u0400-\u04FF]"}.get(code)
    if script is None:
        return
    for name, variants in own.items():
        for variant in variants:
            text = PLACEHOLDER.sub("", variant["text"])
            if text.strip():
                assert re.search(script, text), f"{name}: {text!r}"
    if code == "fa":  # Persian spells ی and ک, never the Arabic ي and ك
        assert not re.search("[\u064A\u0643]", yaml.safe_dump(own, allow_unicode=True))
