"""A fixed part of the blind visitor suite (tests/blind/visitors.yml), played against the
session's real bot: every fourth visitor. The whole suite runs in bench/visitors.py.

The scripts were written by someone who saw only the product brief and the bot's questions;
the bot is never tuned to one of their lines. The floor below is what the whole suite reached
when it was last measured (bench/README.md), so a change that loses understanding fails here.
"""
from __future__ import annotations

import pytest

from tests.blind.runner import load_visitors, play

pytestmark = pytest.mark.rasa

PART = load_visitors()[::4]
FLOOR = 0.95  # checks passed, over the part (the whole suite: 981 of 984 on 2026-12-04)


@pytest.fixture(scope="module")
def outcomes(bot):
    return [play(bot, visitor, f"blind-ci-{i}-{visitor['id']}") for i, visitor in enumerate(PART)]


def test_the_blind_part_meets_the_floor(outcomes):
    checks = sum(len(o.checks) for o in outcomes)
    passed = sum(o.passed for o in outcomes)
    misses = "\n".join(f"{o.visitor}: {o.failures()}" for o in outcomes if not o.fully_right)
    assert passed / checks >= FLOOR, f"{passed}/{checks} checks passed:\n{misses}"


def test_every_address_a_visitor_gave_is_kept(outcomes):
    lost = [f"{o.visitor}: {c.actual!r} instead of {c.expected!r}"
            for o in outcomes for c in o.checks if c.field == "email" and not c.ok]
    assert not lost, lost
