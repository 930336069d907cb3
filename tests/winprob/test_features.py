"""What the win model sees of a lead: one line per case, grouped by feature."""
from __future__ import annotations

from typing import Any

import pytest

from bot.scoring import load_scoring_settings
from bot.settings import PROJECT_ROOT
from bot.store.schema import Lead
from bot.winprob.features import lead_features

SCORING = load_scoring_settings(PROJECT_ROOT / "settings")


def lead(**fields: Any) -> Lead:
    return Lead(**{"need": None, "budget": None, "authority_level": "unknown", "timeline": None, "channel": "socketio",
                   "source": {}, "transcript": [], **fields})


def budget(amount: float | None, currency: str | None = "USD", period: str | None = "yearly", status: str = "stated"):
    return {"status": status, "text": "", "min": amount, "max": amount, "currency": currency, "period": period}


@pytest.mark.parametrize(("given", "band"), [
    (budget(1500), "0-2k"),
    (budget(12000), "10k-25k"),
    (budget(2000, period="monthly"), "10k-25k"),  # 24k a year
    (budget(60000), "50k+"),
    (budget(10000, "EUR"), "10k-25k"),  # 10.8k USD at settings/scoring.yml's rate
    (budget(4800, "EUR"), "5k-10k"),
    (budget(5000, None), "unknown"),  # a currency never given is never assumed
    (budget(None, status="unknown"), "unknown"),
    ({"status": "none", "text": "no budget"}, "none"),
    (None, "unknown"),
])
def test_budget_band_in_the_base_currency(given: dict | None, band: str) -> None:
    assert lead_features(lead(budget=given), SCORING)["budget"] == band


@pytest.mark.parametrize(("given", "band"), [
    ({"status": "stated", "text": "asap", "months": 0.3}, "<=1m"),
    ({"status": "stated", "text": "in 8-10 weeks", "months": 2.3}, "<=3m"),
    ({"status": "stated", "text": "next year", "months": 14}, "later"),
    ({"status": "none", "text": "no plans"}, "none"),
    ({"status": "unknown", "text": "not sure"}, "unknown"),
    (None, "unknown"),
])
def test_timeline_band(given: dict | None, band: str) -> None:
    assert lead_features(lead(timeline=given), SCORING)["timeline"] == band


@pytest.mark.parametrize(("source", "transcript", "band"), [
    ({"company_size": "8"}, [], "1-10"),
    ({"company_size": "120"}, [], "51-200"),
    ({}, [{"sender": "user", "text": "we are about 40 people"}], "11-50"),
    ({}, [{"sender": "bot", "text": "are you 5000 people?"}], "unknown"),  # only the visitor's words count
    ({}, [], "unknown"),
    ({"company_size": "2500"}, [], "1000+"),
])
def test_company_size_band(source: dict, transcript: list, band: str) -> None:
    assert lead_features(lead(source=source, transcript=transcript), SCORING)["company_size"] == band


@pytest.mark.parametrize(("source", "value"), [
    ({"utm_source": "LinkedIn"}, "linkedin"),
    ({"referrer": "https://news.example/post"}, "referral"),
    ({}, "direct"),
])
def test_source(source: dict, value: str) -> None:
    assert lead_features(lead(source=source), SCORING)["source"] == value


def test_need_authority_and_channel_as_stored() -> None:
    features = lead_features(lead(need={"status": "stated", "category": "lead_capture"}, authority_level="shared",
                                  channel="telegram"), SCORING)
    assert (features["need"], features["authority"], features["channel"]) == ("lead_capture", "shared", "telegram")
    assert lead_features(lead(need={"status": "none"}), SCORING)["need"] == "none"
    assert lead_features(lead(need={"status": "stated"}), SCORING)["need"] == "unknown"


def test_the_script_variant_is_a_feature() -> None:
    assert lead_features(lead(experiment="opening-line", variant="quick-answer"), SCORING)["variant"] == \
        "opening-line:quick-answer"
    assert lead_features(lead(), SCORING)["variant"] == "none"
