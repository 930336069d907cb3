"""The bot's responses in the conversation's language (endpoints.yml `nlg: type:` this class).

domain.yml holds every response in English, the base language. `locales/<code>.yml` holds the
same responses (same keys, channel variants, placeholders and button payloads: tests/locales
checks it) written for another language. A response is rendered from the locale of the
`language` slot when that locale has it, else from the domain, so a language with a missing
line still speaks (in English) and a new language can be added file by file (docs/languages.md).

Why not one domain file per language: Rasa merges domain files by overriding same-key
responses, so only one language could survive the merge. Rasa 3.6 builds a custom NLG with
`endpoint_config` and `domain` keyword arguments (rasa/core/nlg/generator.py).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Text

import yaml
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

LANGUAGE_SLOT = "language"
BASE_LANGUAGE = "en"
LOCALES = Path(__file__).resolve().parent.parent / "locales"
# Codes of languages read as one we speak ("no": Norwegian, spoken as Bokmål): bot/language/codes.py
# READS_AS, which this server cannot import (tests/rasa/test_localized_nlg.py keeps them equal).
ALIASES = {"no": "nb", "nob": "nb", "nn": "nb", "nno": "nb", "da": "nb", "dan": "nb", "id": "ms", "ind": "ms",
           "msa": "ms", "zsm": "ms", "zho": "zh", "cmn": "zh", "rus": "ru", "fas": "fa", "pes": "fa", "eng": "en"}

Responses = Dict[Text, List[Dict[Text, Any]]]


def language_code(value: Any) -> Text:
    """The locale a slot value names: the primary subtag of a BCP 47 tag ("zh-CN" -> "zh"), an
    alias resolved ("no" -> "nb"); anything else (None, "", not text) is the base language."""
    if not isinstance(value, str) or not value.strip():
        return BASE_LANGUAGE
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return ALIASES.get(primary, primary)


def load_locale_responses(directory: Path) -> Dict[Text, Responses]:
    """`<code>.yml` -> its `responses` section, for every locale file in `directory`."""
    locales: Dict[Text, Responses] = {}
    for path in sorted(directory.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        responses = document.get("responses") or {}
        if not isinstance(responses, dict):
            raise ValueError(f"{path}: `responses` must map response names to their variations")
        if responses:
            locales[path.stem] = responses
    return locales


class LocalizedNaturalLanguageGenerator(TemplatedNaturalLanguageGenerator):
    """Renders a response in the `language` slot's locale, else in the domain's English.

    A TemplatedNaturalLanguageGenerator, because Rasa builds the NLG before it loads the model
    and then hands it the model's responses only by setting `responses` on generators of that
    class (rasa/core/agent.py load_model): setting them here rebuilds every language's set.
    """

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None,
                 locales: Optional[Mapping[Text, Responses]] = None) -> None:
        if locales is None:
            configured = (endpoint_config.kwargs.get("locales") if endpoint_config else None) or LOCALES
            locales = load_locale_responses(Path(configured))
        self.locales = {code: own for code, own in locales.items() if code != BASE_LANGUAGE}
        self.generators: Dict[Text, TemplatedNaturalLanguageGenerator] = {}
        super().__init__(domain.responses if domain else {})

    @property  # type: ignore[override]
    def responses(self) -> Responses:
        return self._responses

    @responses.setter
    def responses(self, responses: Responses) -> None:
        """The domain's responses; each language's generator sees them with its own on top (a
        response the locale lacks is the English one)."""
        self._responses = responses
        self.generators = {code: TemplatedNaturalLanguageGenerator({**responses, **own})
                           for code, own in self.locales.items()}
        if responses:
            logger.debug("Responses in %s besides %s.", ", ".join(sorted(self.generators)) or "no language",
                         BASE_LANGUAGE)

    async def generate(self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text,
                       **kwargs: Any) -> Optional[Dict[Text, Any]]:
        filled_slots = tracker.current_slot_values()
        own = self.generators.get(language_code(filled_slots.get(LANGUAGE_SLOT)))
        if own is None:
            return self.generate_from_slots(utter_action, filled_slots, output_channel, **kwargs)
        return own.generate_from_slots(utter_action, filled_slots, output_channel, **kwargs)
