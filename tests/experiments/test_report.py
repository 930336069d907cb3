"""The per-variant report against a store built by hand and figures worked out by hand."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.experiments.registry import ExperimentError, start, stop
from bot.experiments.report import report
from bot.experiments.settings import ExperimentSettings
from bot.experiments.stats import Arm, probability_best
from bot.funnel import record_progress

T0 = datetime(2026, 11, 22, 9, tzinfo=timezone.utc)
SETTINGS = ExperimentSettings.model_validate({"min_conversations": 10, "experiments": {
    "opening": {"variants": {"control": {}, "short": {"opening": "Hi!"}}}}})
FULL = ["need", "budget", "authority", "timeline", "contact"]

# (variant, steps reached, minutes to qualify or None, meeting booked)
CONVERSATIONS = [
    *[("control", [], None, False)] * 4,                        # 4 left at the greeting
    *[("control", ["need"], None, False)] * 2,                  # 2 gave only the need
    ("control", FULL, None, False),                             # 1 answered all, not qualified
    ("control", [*FULL, "qualified"], 10, False),               # 3 qualified in 10, 20, 30 minutes
    ("control", [*FULL, "qualified"], 20, True),                # (one booked a meeting)
    ("control", [*FULL, "qualified"], 30, False),
    *[("short", [], None, False)] * 2,                          # short: 2 left at the greeting
    ("short", ["need", "budget"], None, False),                 # 1 stopped after the budget
    *[("short", [*FULL, "qualified"], 8, True)] * 4,            # 4 qualified in 8 minutes, 4 meetings
    *[("short", [*FULL, "qualified"], 12, False)] * 3,          # 3 in 12 minutes
]


def _build(sessions) -> None:
    with sessions.begin() as session:
        start(session, SETTINGS, "opening", now=T0, by="test")
        record_progress(session, "before-any-experiment", "rest", ["need"], now=T0)
        for i, (variant, steps, minutes, booked) in enumerate(CONVERSATIONS):
            conversation = f"c{i}"
            record_progress(session, conversation, "socketio", [], now=T0, variant=("opening", variant))
            later = T0 + timedelta(minutes=minutes or 5)
            record_progress(session, conversation, "socketio", steps + (["meeting_booked"] if booked else []),
                            now=later)


def test_per_variant_counts_rates_and_times_by_hand(sessions) -> None:
    _build(sessions)
    with sessions() as session:
        got = report(session, SETTINGS).to_dict()
    control, short = got["variants"]
    assert (control["variant"], short["variant"]) == ("control", "short")
    assert (control["conversations"], short["conversations"]) == (10, 10)
    assert (control["qualified"], control["qualified_rate"]) == (3, 0.3)
    assert (short["qualified"], short["qualified_rate"]) == (7, 0.7)
    assert (control["meetings_booked"], short["meetings_booked"]) == (1, 4)
    assert control["median_minutes_to_qualify"] == 20.0 and short["median_minutes_to_qualify"] == 8.0
    funnel = {v["variant"]: {s["key"]: s["count"] for s in v["funnel"]} for v in (control, short)}
    assert funnel["control"] == {"started": 10, "need": 6, "budget": 4, "authority": 4, "timeline": 4,
                                 "contact": 4, "qualified": 3, "meeting_booked": 1, "handed_to_rep": 0}
    assert funnel["short"]["need"] == 8 and funnel["short"]["budget"] == 8 and funnel["short"]["authority"] == 7
    # 3 of 10 against 7 of 10: Beta(4, 8) against Beta(8, 4); the 2.5% quantile of Beta(4, 8) is 0.1093
    assert short["probability_best"] == pytest.approx(probability_best([Arm("c", 10, 3), Arm("s", 10, 7)])[1],
                                                      abs=1e-4)
    assert 0.95 < short["probability_best"] < 0.99
    assert control["credible_interval"] == pytest.approx([0.1093, 0.6097], abs=1e-4)
    assert got["verdict"]["status"] == "winner" and got["verdict"]["best"] == "short"


def test_not_enough_data_below_the_minimum(sessions) -> None:
    _build(sessions)
    strict = SETTINGS.model_copy(update={"min_conversations": 200})
    with sessions() as session:
        got = report(session, strict).to_dict()
    assert got["verdict"]["status"] == "not_enough_data" and got["verdict"]["best"] is None
    assert got["verdict"]["message"].startswith("Not enough data yet")


def test_the_running_experiment_is_the_default_and_unknown_ones_are_named(sessions) -> None:
    with sessions() as session, pytest.raises(ExperimentError, match="no experiment has been started"):
        report(session, SETTINGS)
    _build(sessions)
    with sessions.begin() as session:
        stop(session, "opening", now=T0 + timedelta(days=3), by="test", winner="short")
    with sessions() as session:
        got = report(session, SETTINGS)
        assert (got.key, got.state, got.winner) == ("opening", "stopped", "short")
        with pytest.raises(ExperimentError, match="'other' has not been started"):
            report(session, SETTINGS, "other")
