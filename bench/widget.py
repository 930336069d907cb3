"""Benchmark: the website widget in headless Chromium against the real bot.

Starts the action server, Rasa and the dashboard server (which serves the widget), then
measures in the browser: the widget's download size, page load to the first question,
each answer to the next question (whole qualifications with quick replies), a rep's
message from the rep API to the visitor's screen, and reconnection after the socket drops
and after a Rasa restart.

    .venvs/app/bin/python bench/widget.py [--conversations 5]
"""
from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.servers import BotServers  # noqa: E402
from tests.webchat.servers import CHROMIUM, CHROMIUM_ARGS, running_webchat  # noqa: E402

STATIC = ROOT / "webchat" / "static"
TIMEOUT = 60_000
# (what the visitor does, the question that must follow); "button:" clicks a quick reply.
TURNS = [
    ("we want a chatbot that qualifies the leads from our website", "When would you like"),
    ("button:Within 3 months", "Who will make the final decision"),
    ("button:I decide", "Do you have a budget in mind"),
    ("around 20k a year in USD", "What's your name"),
    ("Sam Ortiz", "Which company are you with"),
    ("Brightwell", "best email address"),
    ("sam{n}@brightwell.com", "Thank you, Sam"),
]


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"n={len(values)} p50 {statistics.median(values) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, " \
           f"max {max(values) * 1000:.0f} ms"


def wait_for_bot(page, fragment: str) -> None:
    page.locator(".lb-bot", has_text=fragment).last.wait_for(timeout=TIMEOUT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    for name in ("widget.js", "widget.css", "vendor/socket.io.min.js"):
        raw = (STATIC / name).read_bytes()
        print(f"asset {name}: {len(raw)} bytes, {len(gzip.compress(raw, 9))} gzipped")

    with tempfile.TemporaryDirectory(prefix="bench-widget-") as tmp:
        bot = BotServers(Path(tmp), env_overrides={"LEADBOT_NOW": "2026-11-22T10:00:00+00:00"}).start()
        try:
            with running_webchat(bot) as web, sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                first_question, turns, rep_messages = [], [], []
                for n in range(args.conversations):
                    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
                    started = time.perf_counter()
                    page.goto(f"{web.url}/demo/?utm_source=bench")
                    page.get_by_role("button", name="Open chat: Chat with Acme").click()
                    wait_for_bot(page, "What would you like help with")
                    first_question.append(time.perf_counter() - started)
                    for action, expected in TURNS:
                        started = time.perf_counter()
                        if action.startswith("button:"):
                            page.get_by_role("button", name=action.removeprefix("button:"), exact=True).click()
                        else:
                            page.get_by_label("Your message").fill(action.format(n=n))
                            page.get_by_label("Your message").press("Enter")
                        wait_for_bot(page, expected)
                        turns.append(time.perf_counter() - started)
                    conversation = page.evaluate("JSON.parse(localStorage.getItem('leadbot-chat:session'))")
                    page.get_by_label("Your message").fill("can I talk to a person please")
                    page.get_by_label("Your message").press("Enter")
                    wait_for_bot(page, "passed your conversation")
                    started = time.perf_counter()
                    web.api("POST", f"{conversation}/messages", json={"text": f"Hi Sam, Dana here ({n})."})
                    wait_for_bot(page, f"Dana here ({n})")
                    rep_messages.append(time.perf_counter() - started)
                    page.context.close()
                print(f"page load to first question: {percentiles(first_question)}")
                print(f"answer to next question:     {percentiles(turns)}")
                print(f"rep API message to screen:   {percentiles(rep_messages)}")

                page = browser.new_context().new_page()
                page.goto(f"{web.url}/demo/")
                page.get_by_role("button", name="Open chat: Chat with Acme").click()
                wait_for_bot(page, "What would you like help with")
                web.relay.cut()
                page.locator(".lb-status").filter(has_text="Re").wait_for(timeout=TIMEOUT)
                started = time.perf_counter()
                web.relay.restore()
                page.locator(".lb-status:empty").wait_for(state="attached", timeout=TIMEOUT)
                print(f"reconnect after the socket comes back: {(time.perf_counter() - started) * 1000:.0f} ms")
                started = time.perf_counter()
                bot.restart_rasa()
                restarted = time.perf_counter()
                page.locator(".lb-status:empty").wait_for(state="attached", timeout=TIMEOUT)
                print(f"Rasa restart: {restarted - started:.1f} s until ready, widget reconnected "
                      f"{(time.perf_counter() - restarted) * 1000:.0f} ms later")
                browser.close()
        finally:
            bot.stop()


if __name__ == "__main__":
    main()
