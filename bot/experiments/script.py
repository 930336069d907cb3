"""The bot's script as one conversation's variants shape it.

A `Script` holds only what the applied variants change; everything else is the script as
shipped, which the caller falls back to (the domain's responses, settings/content.yml).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
import logging

from bot.content import Content
from bot.experiments.assignment import Assignment
from bot.experiments.settings import DEFAULT_PITCH, QUESTIONS, ExperimentSettings, QuickReply

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Script:
    opening: str | None = None
    pitches: Mapping[str, str] = field(default_factory=dict)
    question_order: tuple[str, ...] | None = None
    quick_replies: Mapping[str, tuple[QuickReply, ...]] = field(default_factory=dict)

    def pitch_for(self, content: Content, category: str | None, level: str = "specific") -> str | None:
        """The variant's pitch for the need's category (or its `default` one for a specific
        need in no category, as content.yml's default_pitch), else content.yml's."""
        if category is not None and category in self.pitches:
            return self.pitches[category]
        shipped = content.pitch_for(category, level)
        own = category is not None and category in content.needs and bool(content.needs[category].pitch)
        if shipped is not None and not own and DEFAULT_PITCH in self.pitches:
            return self.pitches[DEFAULT_PITCH]  # where content.yml says its default_pitch
        return shipped

    def order(self, slots: Sequence[str]) -> list[str]:
        """`slots` (the form's required slots) with the four questions in the variant's order,
        each question taking the place of one of theirs; other slots stay where they are."""
        if self.question_order is None:
            return list(slots)
        wanted = iter(q for q in self.question_order if q in slots)
        return [next(wanted) if slot in QUESTIONS else slot for slot in slots]

    def buttons(self, question: str) -> list[dict[str, str]] | None:
        """The variant's quick replies for `question` as Rasa buttons; None: the shipped ones."""
        replies = self.quick_replies.get(question)
        if replies is None:
            return None
        return [{"title": r.title, "payload": r.payload} for r in replies]


def script_for(settings: ExperimentSettings, assignment: Assignment) -> Script:
    """The script of `assignment`: each applied variant's changes over the previous ones'.
    A variant no longer in the settings changes nothing (and is logged)."""
    opening, pitches, order, replies = None, {}, None, {}
    for key, name in assignment.applied:
        definition = settings.definition(key)
        variant = definition.variants.get(name) if definition else None
        if variant is None:
            log.warning("experiment %s variant %s is not in settings/experiments.yml: the shipped script", key, name)
            continue
        opening = variant.opening or opening
        pitches.update(variant.pitches)
        order = variant.question_order or order
        replies.update(variant.quick_replies)
    return Script(opening, pitches, order, replies)
