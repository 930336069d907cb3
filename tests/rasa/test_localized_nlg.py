"""rasa_addons.localized_nlg: the responses in the `language` slot's locale, English otherwise.

Runs inside the Rasa environment (a subprocess), with Rasa's own Domain, tracker and the
factory that builds the NLG from endpoints.yml, as `rasa run` does.
"""
from __future__ import annotations

import json
import os
import subprocess

from bot.language.codes import READS_AS
from tests.e2e.servers import ROOT

RASA_PYTHON = ROOT / ".venvs" / "rasa" / "bin" / "python"

SCRIPT = r"""
import asyncio, json, sys, tempfile
from pathlib import Path
from rasa.core.nlg.generator import NaturalLanguageGenerator
from rasa.core.utils import read_endpoints_from_path
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

domain = Domain.load("domain.yml")
# As rasa/core/agent.py does: the NLG is built before the model is loaded (no domain), then
# given the model's responses by setting `responses` on a TemplatedNaturalLanguageGenerator.
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
nlg = NaturalLanguageGenerator.create(read_endpoints_from_path("endpoints.yml").nlg, None)
assert isinstance(nlg, TemplatedNaturalLanguageGenerator)
nlg.responses = domain.responses

# A locale that lacks most responses: those come in English.
partial = Path(tempfile.mkdtemp()) / "xx.yml"
partial.write_text("responses:\n  utter_welcome:\n    - text: 'De rien !'\n", encoding="utf-8")
from rasa.utils.endpoints import EndpointConfig
partial_nlg = NaturalLanguageGenerator.create(
    EndpointConfig(type="rasa_addons.localized_nlg.LocalizedNaturalLanguageGenerator", locales=str(partial.parent)),
    domain)

async def say(generator, language, response, channel="rest", **kwargs):
    tracker = DialogueStateTracker.from_events("s", [], domain.slots)
    if language is not None:
        tracker.update(SlotSet("language", language))
    out = await generator.generate(response, tracker, channel, **kwargs)
    return {"text": out["text"], "buttons": out.get("buttons", [])}

async def main():
    cases = {
        "class": type(nlg).__name__,
        "en": await say(nlg, None, "utter_ask_timeline"),
        "ru": await say(nlg, "ru", "utter_ask_timeline"),
        "no": await say(nlg, "no", "utter_welcome"),
        "zh-CN": await say(nlg, "zh-CN", "utter_welcome"),
        "fa_voice": await say(nlg, "fa", "utter_goodbye", "twilio_voice"),
        "ms_kwargs": await say(nlg, "ms", "utter_handoff", next_step="XYZ"),
        "de": await say(nlg, "de", "utter_welcome"),
        "xx_own": await say(partial_nlg, "xx", "utter_welcome"),
        "xx_missing": await say(partial_nlg, "xx", "utter_restart"),
    }
    from rasa_addons.localized_nlg import ALIASES
    cases["aliases"] = ALIASES
    print(json.dumps(cases, ensure_ascii=False))

asyncio.run(main())
"""


def test_responses_follow_the_language_slot():
    env = {**os.environ, "LEADBOT_ACTION_ENDPOINT": "http://127.0.0.1:9/webhook", "LEADBOT_ACTIONS_TOKEN": "t",
           "LEADBOT_TRACKER_DB": "unused.db"}  # endpoints.yml expands them
    done = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=True, env=env)
    said = json.loads(done.stdout.strip().splitlines()[-1])
    assert said["class"] == "LocalizedNaturalLanguageGenerator"  # endpoints.yml configures it
    assert said["en"]["text"] == "When would you like to have a solution in place?"
    assert said["ru"]["text"] == "Когда вам нужно, чтобы решение уже работало?"
    # same payloads (the English answers bot.extraction reads), the titles translated
    assert [b["payload"] for b in said["ru"]["buttons"]] == [b["payload"] for b in said["en"]["buttons"]]
    assert said["ru"]["buttons"][0]["title"] == "Прямо сейчас"
    assert said["no"]["text"] == "Bare hyggelig!"  # "no" is Norwegian Bokmål
    assert said["zh-CN"]["text"] == "不客气！"  # a BCP 47 tag reads as its language
    assert said["fa_voice"]["text"].startswith("ممنون که تماس گرفتید")  # the phone variant, in Persian
    assert said["ms_kwargs"]["text"].endswith("; XYZ")  # the action server's values fill the placeholders
    assert said["de"]["text"] == "You're welcome!"  # a language without a locale: English
    assert said["xx_own"]["text"] == "De rien !"
    assert said["xx_missing"]["text"] == "Okay, let's start over."  # a response the locale lacks: English
    assert said["aliases"] == READS_AS  # the server reads a tag as the action server does
