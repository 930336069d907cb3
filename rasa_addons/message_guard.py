"""Keep over-long messages away from NLU.

Rasa has no message-length limit: a 1 MB message stalls tokenisation and DIET for
half a minute and can exhaust memory. Two tiny components bracket the pipeline:
`MessageLengthGuard` (first) cuts the text the pipeline sees down to nothing when it
exceeds `max_chars`, and `MessageLengthVerdict` (last) replaces whatever intent the
classifiers produced with `message_too_long`, so a rule can answer clearly. The
original text stays in the conversation's events: nothing the visitor said is lost.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

TOO_LONG_INTENT = "message_too_long"
ORIGINAL_LENGTH_KEY = "leadbot_original_length"
DEFAULT_MAX_CHARS = 4000


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class MessageLengthGuard(GraphComponent):
    """First in the pipeline: blank the text of a message longer than `max_chars`."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"max_chars": DEFAULT_MAX_CHARS}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.max_chars = int(config["max_chars"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MessageLengthGuard":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if len(text) > self.max_chars:
                message.set(ORIGINAL_LENGTH_KEY, len(text))
                message.set(TEXT, "")
        return messages


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class MessageLengthVerdict(GraphComponent):
    """Last in the pipeline: mark a guarded message as `message_too_long`."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MessageLengthVerdict":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if message.get(ORIGINAL_LENGTH_KEY):
                verdict = {"name": TOO_LONG_INTENT, "confidence": 1.0}
                message.set(INTENT, verdict, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [verdict], add_to_output=True)
        return messages
