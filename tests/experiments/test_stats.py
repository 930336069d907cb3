"""The Bayesian comparison against numbers worked out by hand (closed forms, exact fractions)."""
from __future__ import annotations

from fractions import Fraction
from math import comb

import pytest

from bot.experiments.stats import Arm, compare, credible_interval, probability_best, verdict


def _beta_fn(a: int, b: int) -> Fraction:
    """B(a, b) for whole a, b: (a-1)! (b-1)! / (a+b-1)!."""
    return Fraction(1, a * comb(a + b - 1, a)) if a else Fraction(0)


def _p_b_beats_a(a_a: int, b_a: int, a_b: int, b_b: int) -> Fraction:
    """Evan Miller's closed form for P(p_B > p_A), Beta posteriors with whole parameters."""
    return sum((_beta_fn(a_a + i, b_a + b_b) / ((b_b + i) * _beta_fn(1 + i, b_b) * _beta_fn(a_a, b_a))
                for i in range(a_b)), Fraction(0))


def _whole(arm: Arm) -> tuple[int, int]:
    """The posterior Beta(1 + successes, 1 + failures) as whole numbers."""
    return 1 + arm.successes, 1 + arm.trials - arm.successes


@pytest.mark.parametrize(("a", "b", "expected"), [
    # 3 of 10 against 6 of 10: Beta(4, 8) against Beta(7, 5)
    (Arm("a", 10, 3), Arm("b", 10, 6), Fraction(445, 494)),
    (Arm("a", 1, 0), Arm("b", 1, 1), Fraction(5, 6)),  # Beta(1, 2) against Beta(2, 1)
    (Arm("a", 100, 10), Arm("b", 100, 20), None),  # checked against the closed form below
])
def test_probability_to_be_best_matches_the_closed_form(a: Arm, b: Arm, expected: Fraction | None) -> None:
    exact = _p_b_beats_a(*_whole(a), *_whole(b)) if expected is None else expected
    if expected is not None:
        assert _p_b_beats_a(*_whole(a), *_whole(b)) == expected  # the fixture itself
    p_a, p_b = probability_best([a, b])
    assert p_b == pytest.approx(float(exact), abs=1e-9)
    assert p_a + p_b == pytest.approx(1.0)


def test_identical_variants_are_equally_likely_to_be_best() -> None:
    assert probability_best([Arm("a", 0, 0), Arm("b", 0, 0)]) == pytest.approx([0.5, 0.5])
    assert probability_best([Arm(n, 50, 10) for n in "abc"]) == pytest.approx([1 / 3] * 3, abs=1e-9)


def test_credible_intervals_are_the_posterior_quantiles() -> None:
    # Beta(1, 1) is uniform: the 95% interval is [0.025, 0.975]
    assert credible_interval(Arm("a", 0, 0), 0.95) == pytest.approx((0.025, 0.975))
    # Beta(1, 2) (no success in one trial): CDF 1 - (1 - x)^2, so the q-quantile is 1 - sqrt(1 - q)
    assert credible_interval(Arm("a", 1, 0), 0.9) == pytest.approx((1 - 0.95 ** 0.5, 1 - 0.05 ** 0.5))


def test_no_verdict_below_the_minimum_sample_however_lopsided() -> None:
    results = compare([Arm("control", 40, 0), Arm("b", 40, 40)])
    assert results[1].p_best > 0.999
    said = verdict(results, min_trials=50, decision_probability=0.95)
    assert said.status == "not_enough_data" and said.winner is None
    assert said.message.startswith("Not enough data yet") and "control 10 more" in said.message


def test_a_winner_only_past_the_decision_probability() -> None:
    clear = compare([Arm("control", 400, 40), Arm("b", 400, 80)])
    assert verdict(clear, min_trials=200, decision_probability=0.95).winner == "b"
    close = compare([Arm("control", 400, 40), Arm("b", 400, 44)])
    said = verdict(close, min_trials=200, decision_probability=0.95)
    assert said.status == "no_clear_winner" and said.winner is None


def test_an_impossible_count_is_refused() -> None:
    with pytest.raises(ValueError, match="successes"):
        Arm("a", 3, 4)
