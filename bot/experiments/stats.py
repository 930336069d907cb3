"""An honest comparison of conversion rates: Bayesian beta-binomial.

Each variant's rate gets a Beta(1 + successes, 1 + failures) posterior (a uniform prior).
Reported per variant: the equal-tailed credible interval of its rate, and its probability
to be the best one, P(rate_k > every other rate), computed by exact numerical integration
of  f_k(x) * prod_{j != k} F_j(x)  over [0, 1] (scipy: beta pdf/cdf and adaptive
quadrature), so the numbers are deterministic, with no seed and no sampling noise.

A verdict needs `min_conversations` in every variant first: before that the report says
"not enough data yet", whatever the probabilities, because early looks at small samples
are where a test finds a winner that is not there. Checking a running experiment often
still raises the chance of calling a winner wrongly; the minimum sample and a high
decision probability (0.95 by default) keep it small.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import integrate
from scipy.stats import beta

PRIOR = (1.0, 1.0)  # Beta(1, 1): every rate equally likely before any data


@dataclass(frozen=True)
class Arm:
    name: str
    trials: int
    successes: int

    def __post_init__(self) -> None:
        if not 0 <= self.successes <= self.trials:
            raise ValueError(f"{self.name}: successes must be between 0 and trials ({self.successes}/{self.trials})")

    @property
    def posterior(self) -> tuple[float, float]:
        return PRIOR[0] + self.successes, PRIOR[1] + self.trials - self.successes


@dataclass(frozen=True)
class ArmResult:
    name: str
    trials: int
    successes: int
    rate: float | None  # observed successes / trials
    interval: tuple[float, float]  # credible interval of the rate
    p_best: float  # probability that this variant's rate is the highest


@dataclass(frozen=True)
class Verdict:
    status: str  # "not_enough_data", "no_clear_winner", "winner"
    winner: str | None
    message: str


def credible_interval(arm: Arm, level: float) -> tuple[float, float]:
    a, b = arm.posterior
    tail = (1 - level) / 2
    return float(beta.ppf(tail, a, b)), float(beta.ppf(1 - tail, a, b))


def probability_best(arms: Sequence[Arm]) -> list[float]:
    """P(arm k has the highest rate) for each arm, by integrating over the rate of arm k."""
    params = [arm.posterior for arm in arms]
    # The integrand is negligible outside the posteriors' bulk: integrate where they live.
    low = min(float(beta.ppf(1e-12, a, b)) for a, b in params)
    high = max(float(beta.ppf(1 - 1e-12, a, b)) for a, b in params)
    means = sorted({a / (a + b) for a, b in params if low < a / (a + b) < high})
    result = []
    for k, (a, b) in enumerate(params):
        others = [p for j, p in enumerate(params) if j != k]

        def integrand(x: float, a: float = a, b: float = b, others: list = others) -> float:
            log = beta.logpdf(x, a, b) + sum(beta.logcdf(x, oa, ob) for oa, ob in others)
            return float(np.exp(log))

        value, _ = integrate.quad(integrand, low, high, points=means or None, limit=200, epsabs=1e-10)
        result.append(value)
    total = sum(result)  # 1 up to quadrature error; normalised so they add up exactly
    return [r / total for r in result] if total > 0 else [1 / len(arms)] * len(arms)


def compare(arms: Sequence[Arm], *, level: float = 0.95) -> list[ArmResult]:
    """Each arm's rate, credible interval and probability to be best."""
    if len(arms) < 2:
        raise ValueError("a comparison needs at least two variants")
    best = probability_best(arms)
    return [ArmResult(arm.name, arm.trials, arm.successes, arm.successes / arm.trials if arm.trials else None,
                      credible_interval(arm, level), p) for arm, p in zip(arms, best)]


def verdict(results: Sequence[ArmResult], *, min_trials: int, decision_probability: float) -> Verdict:
    """What the numbers allow one to say, and nothing more."""
    short = [r for r in results if r.trials < min_trials]
    if short:
        needed = ", ".join(f"{r.name} {min_trials - r.trials} more" for r in short)
        return Verdict("not_enough_data", None, f"Not enough data yet: at least {min_trials} conversations per "
                                                 f"variant before any verdict ({needed}).")
    top = max(results, key=lambda r: r.p_best)
    if top.p_best >= decision_probability:
        return Verdict("winner", top.name, f"{top.name} is best with probability {top.p_best:.1%} "
                                           f"(the threshold is {decision_probability:.0%}).")
    return Verdict("no_clear_winner", None, f"No clear winner yet: the likeliest best, {top.name}, has "
                                            f"{top.p_best:.1%} (the threshold is {decision_probability:.0%}).")
