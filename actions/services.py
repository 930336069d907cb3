"""The action server's shared collaborators, built once on first use (never at import).

Building lazily keeps imports side-effect free (tests import actions without touching a
database) and lets the action server start while the pipeline store is still down.
"""
from __future__ import annotations

from functools import lru_cache

from bot.assignment.settings import load_assignment_settings
from bot.clock import Clock
from bot.content import Content, load_content
from bot.experiments.settings import ExperimentSettings, load_experiment_settings
from bot.conversation import ConversationSettings, load_conversation_settings, make_clock
from bot.handoff import HandoffSettings, load_handoff_settings
from bot.intake import LeadIntake
from bot.proactive import ProactiveSettings, load_proactive_settings
from bot.notify.settings import load_notify_settings
from bot.scoring import ScoringSettings, load_scoring_settings


@lru_cache(maxsize=1)
def conversation_settings() -> ConversationSettings:
    return load_conversation_settings()


@lru_cache(maxsize=1)
def content() -> Content:
    return load_content()


@lru_cache(maxsize=1)
def scoring_settings() -> ScoringSettings:
    return load_scoring_settings()


def clock() -> Clock:
    """Not cached: `LEADBOT_NOW` may be set per process in tests; the build is cheap."""
    return make_clock(conversation_settings())


def handoff_settings() -> HandoffSettings:
    """Not cached: read on every hand-off, so changed business hours apply without a restart."""
    return load_handoff_settings()


def experiment_settings() -> ExperimentSettings:
    """Not cached: read on every use (parsed once per file content), so an edited variant
    applies at once."""
    return load_experiment_settings()


def proactive_settings() -> ProactiveSettings:
    """Not cached: read when a chat opens (parsed once per file content), so an edited
    trigger's opening applies at once, as the widget's copy does."""
    return load_proactive_settings()


@lru_cache(maxsize=1)
def intake() -> LeadIntake:
    return LeadIntake.from_environment()


def load_all() -> None:
    """Validate every settings file at start-up, so a typo fails loudly and early."""
    conversation_settings()
    content()
    scoring_settings()
    # Read by the intake when it assigns a stored lead and queues its card: checked here too,
    # so a typo stops the action server at start, not a visitor's lead later.
    load_assignment_settings()
    load_notify_settings()
    handoff_settings()
    experiment_settings()
    proactive_settings()
