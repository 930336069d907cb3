"""The widget in Persian and Chinese, in headless Chromium against the real bot: Persian laid
out right to left, and every Persian and Chinese letter drawn with a font that has it (no
empty boxes), asked of Chromium itself (DevTools: the platform fonts that rendered a node).
Screenshots in artifacts/ (widget-fa.png, widget-zh.png)."""
from __future__ import annotations

import re
import subprocess

import pytest
import requests
import yaml
from playwright.sync_api import Page, expect

from tests.e2e.servers import ROOT
from tests.webchat.conftest import ARTIFACTS
from tests.webchat.test_widget import WAIT, bot_says, session_id

pytestmark = pytest.mark.rasa

LOCALES = {code: yaml.safe_load((ROOT / "locales" / f"{code}.yml").read_text(encoding="utf-8"))["responses"]
           for code in ("fa", "zh")}
LETTERS = {"fa": r"[\u0600-\u06FF]", "zh": r"[\u4e00-\u9fff]"}
NEED = "We'd like a chatbot that qualifies the leads coming from our website"
# The widget's own words (webchat/static/widget.js UI) checked here.
WIDGET = {"fa": {"open": "باز کردن گفت‌وگو", "send": "ارسال", "placeholder": "پیامتان را بنویسید…",
                 "consent": "این گفت‌وگو ذخیره می‌شود"},
          "zh": {"open": "打开聊天", "send": "发送", "placeholder": "输入消息…", "consent": "本次对话会被记录"}}


def send(page: Page, text: str) -> None:
    """Type and send, through the input whatever its label's language."""
    page.locator(".lb-input").fill(text)
    page.locator(".lb-input").press("Enter")


def fonts_for(language: str) -> set[str]:
    """The font families installed here that cover `language` (fontconfig, as Chromium uses it)."""
    listed = subprocess.run(["fc-list", f":lang={language}", "family"], capture_output=True, text=True,
                            check=True).stdout
    return {name.strip() for line in listed.splitlines() for name in line.split(",") if name.strip()}


def rendered_with(page: Page, locator) -> list[dict]:
    """The platform fonts Chromium drew the node's text with, and how many glyphs each."""
    locator.evaluate("node => node.setAttribute('data-font-probe', '')")
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-font-probe]"})["nodeId"]
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        locator.evaluate("node => node.removeAttribute('data-font-probe')")
        cdp.detach()


def speak(webchat, conversation: str, code: str) -> None:
    """The conversation's language, as if the visitor had asked for it (sticky: the English
    answers below do not switch it; actions/language.py)."""
    requests.post(f"{webchat.bot.rasa_url}/conversations/{conversation}/tracker/events",
                  params={"token": webchat.bot.auth_token}, timeout=30,
                  json=[{"event": "slot", "name": "language", "value": code},
                        {"event": "slot", "name": "language_source", "value": "request"}]).raise_for_status()


def as_a_page_in(page: Page, code: str) -> None:
    """The demo page as a site in that language would be (`<html lang="fa">`): set once the page
    is parsed, before its deferred scripts (the widget) run. (A rewritten response would come
    from outside the local network for Chromium, which then blocks the socket to 127.0.0.1.)"""
    page.add_init_script(f"""document.addEventListener("readystatechange", function () {{
        if (document.readyState === "interactive") {{ document.documentElement.lang = {code!r}; }}
    }});""")


def open_in(webchat, chromium, code: str, browser_locale: str):
    """The demo page as a site in that language (`<html lang>`): the widget's own words and the
    greeting come in it."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale=browser_locale)
    page = context.new_page()
    as_a_page_in(page, code)
    page.goto(f"{webchat.url}/demo/")
    page.get_by_role("button", name=re.compile(WIDGET[code]["open"])).click()
    greeting = LOCALES[code]["utter_greet"][0]["text"].split("\n")[0]
    expect(page.locator(".lb-bot").first).to_contain_text(greeting, timeout=WAIT)
    expect(page.locator(".lb-send")).to_have_text(WIDGET[code]["send"])
    expect(page.locator(".lb-input")).to_have_attribute("placeholder", WIDGET[code]["placeholder"])
    expect(page.locator(".lb-consent")).to_contain_text(WIDGET[code]["consent"])
    speak(webchat, session_id(page), code)
    send(page, NEED)
    bot_says(page, LOCALES[code]["utter_ask_timeline"][0]["text"])
    return context, page


def assert_drawn_with_its_fonts(page: Page, bubble, code: str) -> None:
    text = bubble.inner_text()
    letters = len(re.findall(LETTERS[code], text))
    capable = fonts_for(code)
    assert capable, f"no font for {code} installed: scripts/test-deps.sh installs one"
    fonts = rendered_with(page, bubble)
    drawn = sum(f["glyphCount"] for f in fonts if f["familyName"] in capable)
    assert drawn >= letters > 0, (fonts, capable)


def test_persian_reads_right_to_left(webchat, chromium) -> None:
    context, page = open_in(webchat, chromium, "fa", "fa-IR")
    panel, log = page.get_by_role("dialog"), page.locator(".lb-log")
    expect(panel).to_have_attribute("dir", "rtl")
    question = page.locator(".lb-bot", has_text=LOCALES["fa"]["utter_ask_timeline"][0]["text"]).last
    expect(question).to_have_attribute("dir", "rtl")
    # The assistant's bubbles sit on the right, the visitor's (English here) on the left.
    box, frame = question.bounding_box(), log.bounding_box()
    mine = page.locator(".lb-user").last.bounding_box()
    assert box and frame and mine
    assert abs((box["x"] + box["width"]) - (frame["x"] + frame["width"])) < 40
    assert abs(mine["x"] - frame["x"]) < 40
    assert question.evaluate("n => getComputedStyle(n).direction") == "rtl"
    # The quick replies in Persian, the first on the right (they run right to left).
    replies = page.locator(".lb-reply")
    titles = [b["title"] for b in LOCALES["fa"]["utter_ask_timeline"][0]["buttons"]]
    expect(replies).to_have_text(titles)
    assert replies.nth(0).bounding_box()["x"] > replies.nth(1).bounding_box()["x"]
    assert_drawn_with_its_fonts(page, question, "fa")
    # A Persian line that starts with a Latin word ("leadbot ...") is still right to left.
    send(page, "what is leadbot?")
    product = LOCALES["fa"]["utter_faq_product"][0]["text"]
    bubble = page.locator(".lb-bot", has_text=product[:40]).last
    expect(bubble).to_have_attribute("dir", "rtl", timeout=WAIT)
    page.screenshot(path=str(ARTIFACTS / "widget-fa.png"))
    # A click on a Persian button sends its English payload, shown with its Persian title.
    page.locator(".lb-reply", has_text=titles[1]).click()
    bot_says(page, LOCALES["fa"]["utter_ask_authority"][0]["text"])
    expect(page.locator(".lb-user").last).to_have_text(re.compile(titles[1]))
    context.close()


def test_chinese_is_drawn_with_a_chinese_font(webchat, chromium) -> None:
    context, page = open_in(webchat, chromium, "zh", "zh-CN")
    expect(page.get_by_role("dialog")).to_have_attribute("dir", "ltr")
    question = page.locator(".lb-bot", has_text=LOCALES["zh"]["utter_ask_timeline"][0]["text"]).last
    assert_drawn_with_its_fonts(page, question, "zh")
    reply = page.locator(".lb-reply").first
    expect(reply).to_have_text(LOCALES["zh"]["utter_ask_timeline"][0]["buttons"][0]["title"])
    assert_drawn_with_its_fonts(page, reply, "zh")
    page.screenshot(path=str(ARTIFACTS / "widget-zh.png"))
    context.close()
