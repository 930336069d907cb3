"""Which variant a visitor gets: deterministic, sticky across reloads, conversations and
channels, spread by weight; winners apply to everyone after an experiment stops."""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from bot.content import Content, NeedCategory
from bot.experiments.assignment import Assignment, bucket, choose
from bot.experiments.registry import ExperimentError, assign, start, states, stop
from bot.experiments.script import script_for
from bot.experiments.settings import ExperimentSettings
from bot.funnel import record_progress
from bot.store.pipeline import PipelineSettings
from bot.store.repository import save_lead
from tests.store.builders import submission

NOW = datetime(2026, 11, 22, 10, tzinfo=timezone.utc)
SETTINGS = ExperimentSettings.model_validate({"experiments": {
    "opening": {"variants": {"control": {}, "short": {"opening": "Hi! Two minutes?"}}},
    "weighted": {"salt": "w-1", "variants": {"control": {"weight": 3}, "b": {"weight": 1}}},
    "order": {"variants": {"control": {}, "budget-first": {
        "question_order": ["budget", "need", "timeline", "authority"],
        "pitches": {"lead_capture": "Variant pitch.", "default": "Variant default."},
        "quick_replies": {"budget": [{"title": "Skip", "payload": "skip"}]}}}},
}})


def test_the_bucket_is_a_fixed_function_of_salt_and_identity() -> None:
    assert bucket("s", "sender:abc") == bucket("s", "sender:abc")
    assert bucket("s", "sender:abc") != bucket("t", "sender:abc")
    assert 0 <= bucket("s", "x") < 1


def test_variants_are_spread_by_their_weights() -> None:
    definition = SETTINGS.experiments["weighted"]
    counts = Counter(choose("weighted", definition, f"sender:{i}") for i in range(8000))
    # 3:1 -> 6000 / 2000; a binomial's standard deviation here is about 39
    assert abs(counts["control"] - 6000) < 200 and counts["control"] + counts["b"] == 8000
    even = Counter(choose("opening", SETTINGS.experiments["opening"], f"sender:{i}") for i in range(8000))
    assert abs(even["control"] - 4000) < 200


def test_weights_as_started_win_over_edited_settings() -> None:
    definition = SETTINGS.experiments["weighted"]
    assert {choose("weighted", definition, f"sender:{i}", {"control": 1, "b": 0.000001}) for i in range(200)} \
        == {"control"}


def test_nobody_is_assigned_until_an_experiment_starts(sessions) -> None:
    with sessions() as session:
        assert assign(session, SETTINGS, "visitor-1") == Assignment()


def test_a_visitor_keeps_their_variant_on_every_reload_and_conversation(sessions) -> None:
    with sessions.begin() as session:
        start(session, SETTINGS, "opening", now=NOW, by="test")
    with sessions() as session:
        first = assign(session, SETTINGS, "widget-session-7")
        assert first.experiment == "opening" and first.variant in ("control", "short")
        assert all(assign(session, SETTINGS, "widget-session-7") == first for _ in range(5))
        spread = Counter(assign(session, SETTINGS, f"visitor-{i}").variant for i in range(400))
    assert set(spread) == {"control", "short"} and min(spread.values()) > 150


def test_the_conversation_s_recorded_variant_wins_over_the_hash(sessions) -> None:
    with sessions.begin() as session:
        start(session, SETTINGS, "opening", now=NOW, by="test")
    with sessions() as session:
        hashed = assign(session, SETTINGS, "c-1").variant
    other = "short" if hashed == "control" else "control"
    with sessions.begin() as session:
        record_progress(session, "c-1", "rest", [], now=NOW, variant=("opening", other))
    with sessions() as session:
        assert assign(session, SETTINGS, "c-1").variant == other


def test_a_known_visitor_gets_their_lead_s_variant_on_another_channel(sessions) -> None:
    """The lead stored from the web chat was in `short`; the same person's Telegram
    conversation, linked to that lead by its e-mail, gets `short` too, whatever its hash."""
    with sessions.begin() as session:
        start(session, SETTINGS, "opening", now=NOW, by="test")
        web = replace(submission("web-1", email="ana@example.com"), experiment=("opening", "short"))
        save_lead(session, web, now=NOW, pipeline=PipelineSettings())
        telegram = submission("telegram-99", email="ana@example.com", channel="telegram")
        save_lead(session, telegram, now=NOW + timedelta(days=2), pipeline=PipelineSettings())
    with sessions() as session:
        senders = [f"telegram-{i}" for i in range(200)]
        hashed = {s: choose("opening", SETTINGS.experiments["opening"], f"sender:{s}") for s in senders}
        assert "control" in hashed.values()  # the hash alone would put some of them in control
        assert assign(session, SETTINGS, "telegram-99").variant == "short"
        assert assign(session, SETTINGS, "web-1").variant == "short"


def test_after_a_stop_with_a_winner_everyone_gets_it(sessions) -> None:
    with sessions.begin() as session:
        start(session, SETTINGS, "opening", now=NOW, by="test")
        stop(session, "opening", now=NOW + timedelta(days=9), by="test", winner="short")
    with sessions() as session:
        given = {assign(session, SETTINGS, f"visitor-{i}") for i in range(50)}
    assert given == {Assignment(winners=(("opening", "short"),))}
    assert script_for(SETTINGS, given.pop()).opening == "Hi! Two minutes?"


def test_a_winner_and_a_running_experiment_apply_together(sessions) -> None:
    with sessions.begin() as session:
        start(session, SETTINGS, "opening", now=NOW, by="test")
        stop(session, "opening", now=NOW + timedelta(days=1), by="test", winner="short")
        start(session, SETTINGS, "order", now=NOW + timedelta(days=2), by="test")
    with sessions() as session:
        given = assign(session, SETTINGS, "visitor-3")
    assert given.winners == (("opening", "short"),) and given.experiment == "order"
    script = script_for(SETTINGS, replace(given, variant="budget-first"))
    assert script.opening == "Hi! Two minutes?"
    assert script.order(["need", "timeline", "authority", "budget", "name", "email"]) == \
        ["budget", "need", "timeline", "authority", "name", "email"]
    assert script.buttons("budget") == [{"title": "Skip", "payload": "skip"}] and script.buttons("timeline") is None


def test_a_variant_s_pitch_replaces_the_category_s_and_the_default() -> None:
    content = Content(needs={"lead_capture": NeedCategory(pitch="Shipped."), "support": NeedCategory(pitch="S.")},
                      default_pitch="Shipped default.")
    script = script_for(SETTINGS, Assignment("order", "budget-first"))
    assert script.pitch_for(content, "lead_capture") == "Variant pitch."
    assert script.pitch_for(content, "support") == "S."
    assert script.pitch_for(content, None, "specific") == "Variant default."
    assert script.pitch_for(content, None, "exploring") is None  # no pitch, as shipped
    assert script_for(SETTINGS, Assignment()).pitch_for(content, "lead_capture") == "Shipped."


def test_one_experiment_at_a_time_and_never_the_same_key_twice(sessions) -> None:
    with sessions.begin() as session:
        start(session, SETTINGS, "opening", now=NOW, by="test")
        with pytest.raises(ExperimentError, match="is running; stop it first"):
            start(session, SETTINGS, "order", now=NOW, by="test")
        with pytest.raises(ExperimentError, match="no variant 'long'"):
            stop(session, "opening", now=NOW, by="test", winner="long")
        stop(session, "opening", now=NOW, by="test")
        with pytest.raises(ExperimentError, match="already run"):
            start(session, SETTINGS, "opening", now=NOW, by="test")
        with pytest.raises(ExperimentError, match="no experiment 'nope'"):
            start(session, SETTINGS, "nope", now=NOW, by="test")
        listed = {s.key: s.state for s in states(session, SETTINGS)}
    assert listed == {"opening": "stopped", "weighted": "defined", "order": "defined"}
