"""Lead scoring: a `Qualification` in, a `ScoreResult` with a reason for every point out.

Weights, bands, currency rates, thresholds and disqualification rules are data in
`settings/scoring.yml`, so sales can tune them without a code change.
"""
from bot.scoring.scorer import annual_budget_in_base, score_lead
from bot.scoring.settings import ScoringSettings, load_scoring_settings

__all__ = ["annual_budget_in_base", "score_lead", "ScoringSettings", "load_scoring_settings"]
