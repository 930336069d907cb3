"""Money in one reporting currency: what a sales manager reads on the metrics page.

Every metric keeps its amounts per currency (a deal's value is never rewritten); this adds
one total per money figure, converted into the reporting currency of `settings/reporting.yml`
with the static rates scoring already uses (`settings/scoring.yml` currency_rates_to_base),
so a score and a report never disagree on what a euro is worth. A currency with no rate
is never guessed: its amounts are listed apart as `not_converted`. Deals without a
currency are never in a per-currency figure, so they are in no total either.

  converted = amount x rate_to_base(currency) / rate_to_base(reporting currency)
  average deal size = converted won value / won deals with a value in a convertible currency
  velocity = open deals with a convertible value x win rate x average deal size / days to close
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.formats import money
from bot.metrics.forecast import Forecast
from bot.metrics.outcomes import Outcomes
from bot.scoring import ScoringSettings, load_scoring_settings
from bot.scoring.money import UnknownCurrency, to_base
from bot.settings import SettingsError, load_settings, settings_dir

_CODE = re.compile(r"^[A-Z]{3}$")


class ReportingSettings(BaseModel):
    """Validated `settings/reporting.yml`."""

    model_config = ConfigDict(extra="forbid")

    currency: str | None = Field(None, description="ISO code the metrics are totalled in; "
                                                    "null: scoring's base_currency")

    @field_validator("currency")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        code = value.strip().upper()
        if not _CODE.match(code):
            raise ValueError(f"currency must be a three-letter ISO code such as EUR, not {value!r}")
        return code


@dataclass(frozen=True)
class Converter:
    """Amounts per currency into `code`, at scoring's static rates."""

    code: str
    base: str
    rates_to_base: Mapping[str, float]

    def total(self, values: Mapping[str, float] | None) -> tuple[float | None, dict[str, float]]:
        """(sum in `code`, amounts left out for want of a rate); the sum is None when
        nothing could be converted."""
        converted: float | None = None
        left_out: dict[str, float] = {}
        for currency, amount in sorted((values or {}).items()):
            if amount is None:
                continue
            try:
                value = self.convert(float(amount), currency)
            except UnknownCurrency:
                left_out[currency] = amount
                continue
            converted = (converted or 0.0) + value
        return converted, left_out

    def convert(self, amount: float, currency: str) -> float:
        """One amount; raises UnknownCurrency for a currency without a rate."""
        if currency.upper() == self.code:
            return amount
        in_base = to_base(amount, currency, self.rates_to_base, self.base)
        return in_base / self._rate(self.code)

    def convertible(self, currency: str) -> bool:
        return currency.upper() in (self.code, self.base) or currency.upper() in self.rates_to_base

    def _rate(self, code: str) -> float:
        return 1.0 if code == self.base else self.rates_to_base[code]


def load_converter(directory: Path | None = None, scoring: ScoringSettings | None = None) -> Converter:
    """The reporting currency checked against scoring's rate table: a currency that cannot be
    reached from the base stops the start with the file named."""
    chosen = load_settings("reporting.yml", ReportingSettings, directory).currency
    scoring = scoring or load_scoring_settings(directory)
    base = scoring.base_currency
    code = chosen or base
    if code != base and code not in scoring.currency_rates_to_base:
        raise SettingsError(f"{(directory or settings_dir()) / 'reporting.yml'}: currency {code} has no rate in "
                            f"settings/scoring.yml currency_rates_to_base (base {base}); add its rate or choose "
                            f"one of {', '.join([base, *sorted(scoring.currency_rates_to_base)])}")
    return Converter(code, base, dict(scoring.currency_rates_to_base))


@dataclass(frozen=True)
class Reporting:
    """The report's money figures, each as one amount in `currency` (None: nothing to add up)."""

    currency: str
    won_value: float | None = None
    avg_deal_size: float | None = None
    value_per_day: float | None = None
    weighted_total: float | None = None
    learned_total: float | None = None
    weighted_by_stage: dict[str, float | None] = field(default_factory=dict)
    not_converted: list[str] = field(default_factory=list)  # currencies without a rate

    def to_dict(self) -> dict[str, Any]:
        return {"currency": self.currency, "won_value": money(self.won_value),
                "avg_deal_size": money(self.avg_deal_size), "value_per_day": money(self.value_per_day),
                "weighted_total": money(self.weighted_total), "learned_total": money(self.learned_total),
                "weighted_by_stage": {k: money(v) for k, v in self.weighted_by_stage.items()},
                "not_converted": list(self.not_converted)}


def reporting(outcomes: Outcomes, now_open: Forecast, converter: Converter) -> Reporting:
    """The money figures of `outcomes` and `now_open` in the reporting currency."""
    won_value, left = converter.total(outcomes.won_value)
    valued = sum(n for c, n in outcomes.won_with_value.items() if converter.convertible(c))
    size = won_value / valued if won_value is not None and valued else None
    open_valued = sum(n for c, n in now_open.open_by_currency().items() if converter.convertible(c))
    per_day = None
    if size is not None and outcomes.win_rate is not None and outcomes.avg_days_to_close:
        per_day = open_valued * outcomes.win_rate * size / outcomes.avg_days_to_close
    weighted, left_open = converter.total(now_open.weighted_total)
    learned = converter.total(now_open.learned_total)[0] if now_open.learned_total is not None else None
    by_stage = {s.key: converter.total(s.weighted)[0] for s in now_open.stages}
    missing = sorted(set(left) | set(left_open) | {c for c in now_open.open_by_currency() if not converter.convertible(c)})
    return Reporting(converter.code, won_value, size, per_day, weighted, learned, by_stage, missing)
