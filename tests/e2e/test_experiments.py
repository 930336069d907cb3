"""An experiment through the real stack: trained model, real action server, real SQLite. A
visitor the hash puts in the variant hears its opening line, pitch, question order and
quick replies; one in the control hears the script as shipped; both are counted per variant
and the lead carries its variant; stopped with a winner, a new visitor of any hash hears the
winner's script."""
from __future__ import annotations

from datetime import datetime

import pytest
import yaml
from sqlalchemy import delete

from bot.experiments.assignment import choose
from bot.experiments.registry import start, stop
from bot.experiments.report import report
from bot.experiments.settings import ExperimentSettings
from bot.store.db import make_engine, session_factory
from bot.store.migrate import upgrade
from bot.store.schema import Experiment
from tests.conftest import NOW
from tests.e2e.test_conversations import asked, stored, texts

pytestmark = pytest.mark.rasa

KEY = "e2e-script"
OPENING = "Hello! Three quick questions and I'll connect you with the right person."
PITCH = "Variant pitch: every visitor qualified, only good leads for your reps."
EXPERIMENT = {"experiments": {KEY: {"variants": {
    "control": {},
    "direct": {"opening": OPENING, "pitches": {"lead_capture": PITCH},
               "question_order": ["need", "budget", "timeline", "authority"],
               "quick_replies": {"budget": [{"title": "Under 10k EUR a year", "payload": "under 10000 EUR a year"},
                                            {"title": "Skip", "payload": "skip"}]}}}}}}


def _sender_in(variant: str, prefix: str) -> str:
    """A new sender id that the hash puts in `variant`."""
    definition = ExperimentSettings.model_validate(EXPERIMENT).experiments[KEY]
    return next(s for s in (f"{prefix}-{i}" for i in range(1000))
                if choose(KEY, definition, f"sender:{s}") == variant)


@pytest.fixture
def experiment(bot):
    path = bot.settings_dir / "experiments.yml"
    shipped = path.read_text(encoding="utf-8")
    path.write_text(yaml.safe_dump(EXPERIMENT), encoding="utf-8")
    upgrade(bot.database_url)
    engine = make_engine(bot.database_url)
    sessions = session_factory(engine)
    now = datetime.fromisoformat(NOW)
    with sessions.begin() as session:
        start(session, ExperimentSettings.model_validate(EXPERIMENT), KEY, now=now, by="test")
    try:
        yield sessions
    finally:  # the other tests get the shipped script: no run, no winner
        with sessions.begin() as session:
            session.execute(delete(Experiment).where(Experiment.key == KEY))
        path.write_text(shipped, encoding="utf-8")
        engine.dispose()


def test_the_variant_s_script_is_what_the_visitor_hears(bot, experiment):
    visitor = _sender_in("direct", "exp-direct")
    replies = bot.say(visitor, "hi")
    assert replies[0]["text"].startswith(OPENING + "\n"), replies
    assert "recorded" in replies[0]["text"], "the consent notice still follows the opening line"
    assert asked(replies) == ["need"]

    replies = bot.say(visitor, "We need a chatbot to capture and qualify leads on our website")
    assert PITCH in texts(replies) and asked(replies) == ["budget"], "the variant's pitch and order"
    question = replies[-1]
    assert [b["title"] for b in question["buttons"]] == ["Under 10k EUR a year", "Skip"]
    assert asked(bot.say(visitor, "under 10000 EUR a year")) == ["timeline"], "its quick reply is understood"
    for text in ("in 8-10 weeks", "it's my call, I run IT", "Ana Silva", "Brightwell Dental"):
        bot.say(visitor, text)
    bot.say(visitor, "ana.silva@brightwell.example")
    assert stored(bot, "ana.silva@brightwell.example")["experiment"] == {"key": KEY, "variant": "direct"}

    control = _sender_in("control", "exp-control")
    replies = bot.say(control, "hi")
    assert not replies[0]["text"].startswith(OPENING) and replies[0]["text"].startswith("Hi! I'm the leadbot")
    replies = bot.say(control, "We need a chatbot to capture and qualify leads on our website")
    assert PITCH not in texts(replies) and asked(replies) == ["timeline"]

    assert bot.say(visitor, "hi")  # a reload: the same conversation, the same variant
    with experiment() as session:
        got = report(session, ExperimentSettings.model_validate(EXPERIMENT), KEY).to_dict()
    counts = {v["variant"]: (v["conversations"], v["qualified"]) for v in got["variants"]}
    assert counts == {"control": (1, 0), "direct": (1, 1)}

    with experiment.begin() as session:  # stopped with a winner: everyone gets it from now on
        stop(session, KEY, now=datetime.fromisoformat(NOW), by="test", winner="direct")
    newcomer = _sender_in("control", "exp-after")
    assert bot.say(newcomer, "hi")[0]["text"].startswith(OPENING + "\n"), "the winner's opening for a control hash"
