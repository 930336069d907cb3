"""A whole conversation in each language against the running bot (trained model, real action
server): with the conversation's `language` slot set, every reply is in that language: the
domain's responses (rasa_addons/localized_nlg.py), their buttons (same payloads), the site's
content (settings/content.yml `languages`) and the action server's own phrases (bot/speech.py).

The slot is set through Rasa's HTTP API (tracker events) and the page language is sent as
message metadata, as the widget sends it; the answers are the buttons' payloads and plain
values, so this tests the speaking, not the understanding of each language.
"""
from __future__ import annotations

import re

import pytest
import requests
import yaml

from tests.e2e.servers import ROOT

pytestmark = pytest.mark.rasa

LOCALES = {code: yaml.safe_load((ROOT / "locales" / f"{code}.yml").read_text(encoding="utf-8"))
           for code in ("en", "ru", "nb", "fa", "ms", "zh")}
CONTENT = yaml.safe_load((ROOT / "settings" / "content.yml").read_text(encoding="utf-8"))
# Letters of the script each language is written in: a reply in the wrong language shows up.
SCRIPT = {"ru": r"[а-яё]", "fa": r"[\u0600-\u06FF]", "zh": r"[\u4e00-\u9fff]", "nb": r"[a-zæøå]", "ms": r"[a-z]"}


def response(code: str, name: str) -> dict:
    return LOCALES[code]["responses"][name][0]


def phrase(code: str, key: str, **values: str) -> str:
    return LOCALES[code]["phrases"][key].format(**values)


def say(bot, sender: str, text: str, code: str) -> list[dict]:
    r = requests.post(f"{bot.rasa_url}/webhooks/rest/webhook", timeout=60,
                      json={"sender": sender, "message": text, "metadata": {"language": code}})
    r.raise_for_status()
    return r.json()


def set_language(bot, sender: str, code: str) -> None:
    """The slot set through Rasa's HTTP API, twice: the call that starts the conversation stamps
    its event before the session's start (Rasa reads the body first), and a turn loads only the
    events after the session's start; the second call's event is in the session."""
    url, token = f"{bot.rasa_url}/conversations/{sender}/tracker/events", {"token": bot.auth_token}
    events = [{"event": "slot", "name": "language", "value": code},  # as if the visitor had asked for it:
              {"event": "slot", "name": "language_source", "value": "request"}]  # the English answers keep it
    for _ in range(2):
        requests.post(url, params=token, json=events, timeout=30).raise_for_status()


def said(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


@pytest.mark.parametrize("code", ["ru", "nb", "fa", "ms", "zh"])
def test_a_qualification_in_each_language(bot, sender, code):
    sender = re.sub(r"[^A-Za-z0-9_.:@+=-]", "-", sender)  # a sender id may not hold "[ru]"
    set_language(bot, sender, code)
    replies = say(bot, sender, "hi", code)
    assert said(replies).startswith(response(code, "utter_greet")["text"].split("\n")[0])

    replies = say(bot, sender, "We'd like a chatbot that qualifies the leads coming from our website", code)
    text = said(replies)
    assert CONTENT["languages"][code]["needs"]["lead_capture"]["pitch"] in text  # the site's content, translated
    timeline = response(code, "utter_ask_timeline")
    assert timeline["text"] in text
    buttons = next(r["buttons"] for r in replies if r.get("buttons"))
    assert [(b["title"], b["payload"]) for b in buttons] == [(b["title"], b["payload"]) for b in timeline["buttons"]]

    replies = say(bot, sender, buttons[1]["payload"], code)  # "within 3 months", as the button sends it
    assert response(code, "utter_ask_authority")["text"] in said(replies)
    replies = say(bot, sender, "I make the decision", code)
    assert response(code, "utter_ask_budget")["text"] in said(replies)
    replies = say(bot, sender, "around 25k per year, in USD", code)
    assert response(code, "utter_ask_name")["text"] in said(replies)
    say(bot, sender, "Maria Lopez", code)
    replies = say(bot, sender, "Lopez Logistics", code)
    assert response(code, "utter_ask_email")["text"] in said(replies)

    replies = say(bot, sender, f"maria.{code}@lopezlogistics.com", code)
    text = said(replies)
    thanks = phrase(code, "thanks_named", name="Maria Lopez")
    booking = phrase(code, "booking", link=CONTENT["booking_link"])
    outcome = response(code, "utter_outcome_qualified")["text"].format(
        thanks=thanks, email=f"maria.{code}@lopezlogistics.com", booking=booking)
    assert outcome in text, text

    # A correction after the lead is stored is confirmed with the field's name in the language.
    replies = say(bot, sender, "oops, make that 35k", code)
    text = said(replies)
    assert response(code, "utter_noted_changes")["text"].format(changes=phrase(code, "changed_budget")) in text

    # Everything the bot said is in the language's script, and none of it is the English.
    english = {v["text"] for variants in yaml.safe_load((ROOT / "domain.yml").read_text())["responses"].values()
               for v in variants}
    events = requests.get(f"{bot.rasa_url}/conversations/{sender}/tracker", params={"token": bot.auth_token},
                          timeout=30).json()["events"]
    bot_lines = [e["text"] for e in events if e["event"] == "bot" and e.get("text")]
    assert len(bot_lines) >= 10
    for line in bot_lines:
        assert line not in english, line
        assert re.search(SCRIPT[code], line.lower()), line


def content_of(code: str, section: str) -> dict:
    return CONTENT["languages"][code][section]


@pytest.mark.parametrize("code", ["fa", "zh", "nb"])
def test_questions_and_a_hand_off_in_each_language(bot, sender, code):
    """A question about an integration, small talk, and a person asked for after hours (the
    session's clock is a Sunday): the site's answers and hand-off sentences in the language,
    with the next opening written in it."""
    sender = re.sub(r"[^A-Za-z0-9_.:@+=-]", "-", sender)
    set_language(bot, sender, code)
    say(bot, sender, "hi", code)
    say(bot, sender, "looking for a bot for our support team", code)
    replies = say(bot, sender, "do you integrate with HubSpot?", code)
    hubspot = next(a["answer"] for a in content_of(code, "integrations")["named"] if "hubspot" in a["names"])
    text = said(replies)
    assert hubspot in text and response(code, "utter_resume")["text"] in text

    replies = say(bot, sender, "can I talk to a real person please", code)
    text = said(replies)
    lead_in = response(code, "utter_handoff")["text"].split("{next_step}")[0]
    after_hours = content_of(code, "handoff")["after_hours_without_email"].split("{when}")[0]
    assert text.startswith(lead_in + after_hours), text
    # Monday 23 November 2026, 09:00: the next opening (settings/handoff.yml), in the language
    monday = {"fa": "دوشنبه ۲۳ نوامبر", "zh": "11月23日星期一", "nb": "mandag 23. november"}[code]
    assert monday in text, text

    replies = say(bot, sender, f"you can reach me at dana.{code}@kimclinics.example", code)
    noted = content_of(code, "handoff")["contact_noted_after_hours"].split("{contact}")[0]
    assert said(replies).startswith(noted + f"dana.{code}@kimclinics.example"), said(replies)
