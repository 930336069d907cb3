"""One reporting currency over the hand-computed pipeline (fixtures.py), on SQLite and
PostgreSQL; the expected figures are worked out by hand from scoring's default rates
(EUR 1.08 USD)."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.metrics import report
from bot.metrics.reporting import Converter, load_converter
from bot.scoring import load_scoring_settings
from bot.settings import SettingsError
from bot.store.pipeline import PipelineSettings
from tests.metrics.fixtures import NOW
from tests.metrics.test_metrics import PERIOD
from tests.metrics.test_cli import leadbot, store  # noqa: F401


def reported(sessions: sessionmaker[Session], converter: Converter) -> dict:
    with sessions() as session:
        return report(session, PERIOD, now=NOW, pipeline=PipelineSettings(), converter=converter).to_dict()


def in_currency(tmp_path: Path, text: str) -> Converter:
    (tmp_path / "reporting.yml").write_text(text, encoding="utf-8")
    return load_converter(tmp_path)


def test_the_default_is_scoring_s_base_currency(filled: sessionmaker[Session], tmp_path: Path) -> None:
    # Won: D1 10,000 + D3 20,000 USD; open: D4 3,000 EUR (new, 5%), D5 8,000 USD (proposal, 60%).
    r = reported(filled, load_converter(tmp_path))
    assert r["reporting"] == {
        "currency": "USD", "won_value": 30000, "avg_deal_size": 15000,
        "value_per_day": 600,  # 2 open valued deals x 0.5 x 15,000 / 25 days
        "weighted_total": 4962,  # 150 EUR x 1.08 + 4,800 USD
        "learned_total": None,
        "weighted_by_stage": {"new": 162, "qualified": None, "meeting": None, "proposal": 4800, "negotiation": None},
        "not_converted": []}
    assert r["forecast"]["weighted_total"] == {"EUR": 150, "USD": 4800}, "amounts per currency unchanged"


def test_a_configured_currency_converts_through_the_base(filled: sessionmaker[Session], tmp_path: Path) -> None:
    r = reported(filled, in_currency(tmp_path, "currency: eur\n"))["reporting"]
    assert r["currency"] == "EUR"
    assert r["won_value"] == pytest.approx(30000 / 1.08, abs=0.01)
    assert r["avg_deal_size"] == pytest.approx(15000 / 1.08, abs=0.01)
    assert r["value_per_day"] == pytest.approx(2 * 0.5 * 15000 / 1.08 / 25, abs=0.01)
    assert r["weighted_total"] == pytest.approx(150 + 4800 / 1.08, abs=0.01)
    assert r["weighted_by_stage"]["new"] == 150


def test_a_currency_without_a_rate_is_listed_apart_never_guessed(filled: sessionmaker[Session]) -> None:
    r = reported(filled, Converter("USD", "USD", {"GBP": 1.27}))["reporting"]
    assert r["weighted_total"] == 4800 and r["weighted_by_stage"]["new"] is None
    assert r["value_per_day"] == 300, "only the open deal in a convertible currency counts"
    assert r["not_converted"] == ["EUR"]


@pytest.mark.parametrize("text, message", [
    ("currency: XYZ\n", "XYZ has no rate in settings/scoring.yml"),
    ("currency: Euro\n", "three-letter ISO code"),
    ("currency: EUR\nrates: {}\n", "rates"),
])
def test_a_reporting_currency_that_cannot_be_converted_stops_the_start(tmp_path: Path, text: str,
                                                                       message: str) -> None:
    with pytest.raises(SettingsError, match=message) as raised:
        in_currency(tmp_path, text)
    assert "reporting.yml" in str(raised.value)


def test_the_shipped_file_validates_and_every_rate_is_reachable() -> None:
    converter = load_converter()
    assert converter.code == load_scoring_settings().base_currency
    for code in load_scoring_settings().currency_rates_to_base:
        assert converter.convert(100, code) > 0


def test_the_cli_report_totals_in_the_configured_currency(store: str, tmp_path: Path) -> None:  # noqa: F811
    settings = tmp_path / "settings"
    settings.mkdir()
    (settings / "reporting.yml").write_text("currency: EUR\n", encoding="utf-8")
    out = leadbot(store, "pipeline", "report", "--from", "2026-11-01", "--to", NOW.isoformat(),
                  env={"LEADBOT_SETTINGS_DIR": str(settings)})
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert any(line.split() == ["Won", "value", "in", "EUR", "27,777.78", "EUR"] for line in lines), out.stdout
    assert any(line.startswith("Weighted forecast in EUR") and "4,594.44 EUR" in line for line in lines)
