"""The trained model's NLU: our intent classifier is in its graph and understands plain messages.

Uses the session's model (models/leadbot.tar.gz) and Rasa server (the `bot` fixture): nothing
is trained or loaded per test. Accuracy itself is measured by `rasa test nlu` (bench/README.md,
"NLU"); these are the obvious cases a broken classifier would miss.
"""
from __future__ import annotations

import json
import re
import tarfile

import pytest
import requests

from tests.e2e.servers import MODEL

pytestmark = pytest.mark.rasa

CLASSIFIER = "rasa_addons.intent_classifier.LinearIntentClassifier"


def _pipeline() -> list[str]:
    with tarfile.open(MODEL) as tar:
        member = next(m for m in tar.getmembers() if m.name.lstrip("/") == "metadata.json")
        metadata = json.load(tar.extractfile(member))
    nodes = metadata["predict_schema"]["nodes"]
    # run_<component><index>: the index is the component's place in the NLU pipeline
    runs = sorted((name for name in nodes if re.match(r"run_.*\d$", name)),
                  key=lambda name: int(re.search(r"(\d+)$", name).group(1)))
    return [nodes[name]["uses"] for name in runs if ".policies." not in nodes[name]["uses"]]


def test_the_model_classifies_with_our_component_between_the_guards():
    uses = _pipeline()
    assert uses[0] == "rasa_addons.message_guard.MessageLengthGuard"
    assert uses[-1] == "rasa_addons.message_guard.MessageLengthVerdict"
    assert CLASSIFIER in uses
    assert "rasa.nlu.classifiers.fallback_classifier.FallbackClassifier" in uses
    assert not any("DIETClassifier" in u for u in uses)


OBVIOUS = {
    "hello there": "greet",
    "how much does it cost?": "faq_pricing",
    "does it integrate with salesforce?": "faq_integrations",
    "how are you different from drift?": "faq_competitor",
    "are you a bot?": "bot_challenge",
    "can I talk to a real person": "request_human",
    "why do you need my email?": "ask_why",
    "around 50k a year": "inform",
    "thanks a lot!": "thank",
    "bye for now": "goodbye",
    "yes please": "affirm",
    "no thanks": "deny",
}


def test_obvious_messages_get_their_intent_with_confidence(bot):
    got = {}
    for text, want in OBVIOUS.items():
        r = requests.post(f"{bot.rasa_url}/model/parse", params={"token": bot.auth_token},
                          json={"text": text}, timeout=10)
        r.raise_for_status()
        intent = r.json()["intent"]
        got[text] = (intent["name"], round(intent["confidence"], 2))
    wrong = {t: g for t, g in got.items() if g[0] != OBVIOUS[t] or g[1] < 0.6}
    assert wrong == {}, got


def test_an_over_long_message_is_still_marked_by_the_guard(bot):
    r = requests.post(f"{bot.rasa_url}/model/parse", params={"token": bot.auth_token},
                      json={"text": "a" * 5000}, timeout=10)
    r.raise_for_status()
    assert r.json()["intent"]["name"] == "message_too_long"


# Each language's plain questions and answers (issue 20), none of them a training example.
OBVIOUS_BY_LANGUAGE = {
    "ru": {"а сколько стоит ваш сервис?": "faq_pricing", "можно поговорить с живым менеджером?": "request_human",
           "вы вообще робот или нет?": "bot_challenge", "да, всё правильно": "affirm"},
    "nb": {"hva koster tjenesten deres?": "faq_pricing", "kan jeg få snakke med en ekte person?": "request_human",
           "er du en bot eller et menneske?": "bot_challenge", "tusen takk for hjelpa": "thank"},
    "fa": {"هزینه سرویس شما چقدره؟": "faq_pricing", "می‌خوام با یه کارشناس واقعی صحبت کنم": "request_human",
           "شما ربات هستید یا آدم؟": "bot_challenge", "خیلی ممنون از کمکتون": "thank"},
    "ms": {"berapa harga servis ni?": "faq_pricing", "boleh saya bercakap dengan orang sebenar?": "request_human",
           "awak ni robot ke manusia?": "bot_challenge", "terima kasih banyak-banyak": "thank"},
    "zh": {"你们的服务怎么收费？": "faq_pricing", "我想跟真人客服聊一下": "request_human",
           "你是机器人还是真人？": "bot_challenge", "非常感谢你的帮助": "thank"},
}


@pytest.mark.parametrize("language", sorted(OBVIOUS_BY_LANGUAGE))
def test_obvious_messages_in_each_language_get_their_intent(bot, language):
    cases = OBVIOUS_BY_LANGUAGE[language]
    got = {}
    for text in cases:
        r = requests.post(f"{bot.rasa_url}/model/parse", params={"token": bot.auth_token},
                          json={"text": text}, timeout=10)
        r.raise_for_status()
        intent = r.json()["intent"]
        got[text] = (intent["name"], round(intent["confidence"], 2))
    assert {t: g for t, g in got.items() if g[0] != cases[t]} == {}, got
