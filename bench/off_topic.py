"""Off-topic messages against the real bot, measured on CLINC150 (bench/data/clinc150, never trained on).

1. NLU alone (`POST /model/parse`): the share of CLINC's 1,000 out-of-scope test queries and of
   625 queries of unrelated everyday intents that go to `out_of_scope` or `nlu_fallback`, what the
   others went to, and how many of those misses were confident (>= 0.9); where the small-talk
   sample went.
2. In the form: for each pending question (need, timeline, authority, budget, name, company,
   e-mail) and each of `--per-question` off-topic messages (the same messages for every question,
   alternately from the two off-topic sets), a fresh conversation is brought to that question with
   fixed answers, the message is sent, and the turn is classified from the reply and the tracker:

   - taken_as_answer: an answer slot (need ... email, job_title, phone, skipped) changed;
   - derailed: the form ended, the conversation restarted, paused, was handed off or closed;
   - handled: nothing changed, the form still active and the pending question asked again;
   - other: anything else (no re-ask, a restart confirmation, "before you go").

Targets (issue 25): >= 90% routed to off-topic by NLU; in the form 0 taken, 0 derailed,
>= 95% handled.

    .venvs/app/bin/python bench/off_topic.py [--model models/leadbot.tar.gz] [--per-question 100]
        [--questions need,budget] [--no-nlu] [--no-form] [--examples 20] [--json FILE]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import NOW  # noqa: E402
from tests.e2e.servers import MODEL, BotServers  # noqa: E402
from tests.e2e.test_conversations import ASKS  # noqa: E402  the questions' wording, one place

DATA = ROOT / "bench" / "data" / "clinc150"
OFF_TOPIC_INTENTS = {"out_of_scope", "nlu_fallback"}

# The form's order, a fixed answer to each, and a fragment of each question
# (tests/e2e/test_conversations.py ASKS).
QUESTIONS = ["need", "timeline", "authority", "budget", "name", "company", "email"]
ANSWERS = {
    "need": "We need a chatbot to capture and qualify leads on our website",
    "timeline": "in 8-10 weeks",
    "authority": "it's my call, I run IT",
    "budget": "$12k",
    "name": "Sam Ortiz",
    "company": "Brightwell Dental",
    "email": "sam.ortiz@brightwell.com",
}
# Slots holding the visitor's answers: any change means the message was read as an answer.
ANSWER_SLOTS = ["need", "timeline", "authority", "budget", "name", "company", "job_title", "email", "phone",
                "skipped"]
# The reply an off-topic message should get before the question comes back (domain.yml).
OFF_TOPIC_REPLIES = {"utter_out_of_scope"}
# Replies that end, restart or hand off the conversation.
ENDING_REPLIES = {"utter_goodbye", "utter_restart", "utter_handoff", "utter_outcome_qualified",
                  "utter_outcome_nurture", "utter_outcome_disqualified"}


# For the small-talk sample: the intents that lead to an answer of the right kind (our intents),
# per CLINC intent; anything else (out_of_scope included) is not counted as answered.
SMALL_TALK_ANSWERS = {
    "are_you_a_bot": {"bot_challenge", "chitchat"}, "greeting": {"greet", "chitchat"},
    "goodbye": {"goodbye"}, "thank_you": {"thank"}, "yes": {"affirm"}, "no": {"deny"},
    "maybe": {"inform"}, "repeat": {"repeat"}, "cancel": {"goodbye"},
    "what_can_i_ask_you": {"chitchat", "faq_product"}, "change_user_name": {"chitchat", "inform"},
}
SMALL_TALK_DEFAULT = {"chitchat"}


def load_sets() -> dict[str, list[dict[str, str]]]:
    def read(name: str) -> list:
        return json.loads((DATA / name).read_text(encoding="utf-8"))
    return {
        "oos": [{"text": t, "intent": "oos"} for t in read("oos_test.json")],
        "unrelated": read("unrelated_sample.json"),
        "small_talk": read("small_talk_sample.json"),
    }


def normalised(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", text.lower()).strip()


def training_overlap(sets: dict[str, list[dict[str, str]]]) -> dict[str, list[str]]:
    """Bench lines equal (lower case, punctuation dropped) to a training example in data/*.yml: they
    are measured, not learned, only if this stays empty or holds phrases anyone would write."""
    trained = {normalised(m.group(1)) for f in sorted((ROOT / "data").glob("*.yml"))
               for m in re.finditer(r"^\s*- (.+)$", f.read_text(encoding="utf-8"), re.M)}
    return {name: sorted({r["text"] for r in rows if normalised(r["text"]) in trained}) for name, rows in sets.items()}


def form_sample(sets: dict[str, list[dict[str, str]]], n: int) -> list[dict[str, str]]:
    """The first n of the two off-topic sets, each ordered by the sha256 of the text, interleaved."""
    def ordered(rows):
        return sorted(rows, key=lambda r: hashlib.sha256(r["text"].encode("utf-8")).hexdigest())
    a, b = ordered(sets["oos"]), ordered(sets["unrelated"])
    mixed = [row for pair in zip(a, b) for row in pair]
    return mixed[:n]


def model_info(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    trained = "?"
    try:
        with tarfile.open(path, "r:gz") as tar:
            for member in tar:
                if member.name.lstrip("/").endswith("metadata.json"):
                    trained = json.load(tar.extractfile(member)).get("trained_at", "?")
                    break
    except (tarfile.TarError, OSError, ValueError):
        pass
    return f"{path} (sha256 {digest}, trained_at {trained})"


def tree_info() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = [line[3:] for line in git("status", "--porcelain", "--", "actions", "bot", "rasa_sdk_plugins",
                                      "settings").splitlines() if line.strip()]
    return f"{git('rev-parse', '--short', 'HEAD').strip()}" + (f" + uncommitted changes in {', '.join(dirty)}" if dirty else "")


# ---------------------------------------------------------------- NLU alone

class Rasa:
    def __init__(self, servers: BotServers):
        self.servers = servers
        self.url = servers.rasa_url
        self.params = {"token": servers.auth_token} if servers.auth_token else {}
        self.http = requests.Session()

    def parse(self, text: str) -> tuple[str, float]:
        r = self.http.post(f"{self.url}/model/parse", params=self.params, json={"text": text}, timeout=30)
        r.raise_for_status()
        intent = r.json()["intent"]
        return intent["name"], float(intent["confidence"])

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        r = self.http.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
        r.raise_for_status()
        return r.json()

    def tracker(self, sender: str) -> dict[str, Any]:
        # Every event, also those before a restart (the default returns only those after it).
        r = self.http.get(f"{self.url}/conversations/{sender}/tracker",
                          params={**self.params, "include_events": "ALL"}, timeout=30)
        r.raise_for_status()
        return r.json()


def run_nlu(rasa: Rasa, sets: dict[str, list[dict[str, str]]], examples: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("oos", "unrelated", "small_talk"):
        rows = [dict(row, got=intent, confidence=round(conf, 3))
                for row in sets[name] for intent, conf in [rasa.parse(row["text"])]]
        routed = [r for r in rows if r["got"] in OFF_TOPIC_INTENTS]
        misses = [r for r in rows if r["got"] not in OFF_TOPIC_INTENTS]
        out[name] = {
            "n": len(rows), "routed": len(routed),
            "confusion": Counter(r["got"] for r in misses).most_common(),
            "confident_misses": sum(r["confidence"] >= 0.9 for r in misses),
            "rows": rows,
        }
    print("\n== NLU alone (POST /model/parse): routed to out_of_scope or nlu_fallback (target >= 90%)")
    for name, label in (("oos", "CLINC out-of-scope test queries"), ("unrelated", "unrelated in-scope sample")):
        res = out[name]
        print(f"{label}: {res['routed']} / {res['n']} ({res['routed'] / res['n']:.1%}); "
              f"misses with confidence >= 0.9: {res['confident_misses']} of {res['n'] - res['routed']}")
        print("  misses went to: " + ", ".join(f"{i} {c}" for i, c in res["confusion"][:10]))
        confident = sorted((r for r in res["rows"] if r["got"] not in OFF_TOPIC_INTENTS),
                           key=lambda r: -r["confidence"])[:examples]
        for r in confident[:min(examples, 10)]:
            print(f"    {r['got']} {r['confidence']:.2f}  {r['text']!r}")
    st = out["small_talk"]
    answered = sum(r["got"] in SMALL_TALK_ANSWERS.get(r["intent"], SMALL_TALK_DEFAULT) for r in st["rows"])
    st["answered"] = answered
    print(f"\nsmall-talk sample: to an answering intent (SMALL_TALK_ANSWERS) {answered} / {st['n']} "
          f"({answered / st['n']:.1%}); to out_of_scope/nlu_fallback {st['routed']}. Where each CLINC intent went:")
    by_intent: dict[str, Counter] = defaultdict(Counter)
    for r in st["rows"]:
        by_intent[r["intent"]][r["got"]] += 1
    print("  overall: " + ", ".join(f"{i} {c}" for i, c in Counter(r["got"] for r in st["rows"]).most_common()))
    for intent in sorted(by_intent):
        print(f"  {intent:22} " + ", ".join(f"{i} {c}" for i, c in by_intent[intent].most_common()))
    return out


# ---------------------------------------------------------------- in the form

@dataclass
class Outcome:
    question: str
    text: str
    source: str
    outcome: str = "other"
    reason: str = ""
    nlu: str = ""
    replies: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)
    changed: dict[str, Any] = field(default_factory=dict)
    attempt_counted: bool = False


def asked(texts: list[str]) -> list[str]:
    joined = "\n".join(texts)
    return [q for q, fragment in ASKS.items() if fragment in joined]


def reach(rasa: Rasa, sender: str, question: str) -> str | None:
    """Bring a fresh conversation to `question`; None when there, else what went wrong."""
    replies = [r.get("text", "") for r in rasa.say(sender, "hi")]
    for _ in range(len(QUESTIONS) + 2):
        pending = asked(replies)
        if not pending:
            return f"no question asked: {' | '.join(replies)[:200]}"
        if pending[-1] == question:
            return None
        replies = [r.get("text", "") for r in rasa.say(sender, ANSWERS[pending[-1]])]
    return f"never asked {question}"


def new_events(tracker: dict[str, Any], text: str) -> list[dict[str, Any]]:
    events = tracker["events"]
    last_user = max((i for i, e in enumerate(events) if e["event"] == "user" and e.get("text") == text), default=None)
    return events[last_user:] if last_user is not None else []


def classify(out: Outcome, before: dict[str, Any], after: dict[str, Any], replies: list[str]) -> None:
    events = new_events(after, out.text)
    user = events[0] if events else {}
    intent = (user.get("parse_data") or {}).get("intent") or {}
    out.nlu = f"{intent.get('name')} {float(intent.get('confidence') or 0):.2f}"
    out.templates = [e.get("metadata", {}).get("utter_action") or "(text)" for e in events if e["event"] == "bot"]
    bs, as_ = before["slots"], after["slots"]
    out.changed = {s: as_.get(s) for s in ANSWER_SLOTS if as_.get(s) != bs.get(s)}
    out.attempt_counted = as_.get("answer_attempts") != bs.get("answer_attempts")
    loop = (after.get("active_loop") or {}).get("name")
    kinds = {e["event"] for e in events}

    derail = []
    restart_confirmation = "utter_confirm_start_over" in out.templates and not kinds & {"restart", "session_started"}
    if loop != "lead_form" and not restart_confirmation:
        derail.append("form no longer active")
    if "restart" in kinds or "session_started" in kinds:
        derail.append("conversation restarted")
    if after.get("paused") or "pause" in kinds:
        derail.append("conversation paused")
    if as_.get("phase") != bs.get("phase"):
        derail.append(f"phase {bs.get('phase')} -> {as_.get('phase')}")
    if as_.get("handoff_state") != bs.get("handoff_state") or (as_.get("human_requested") and not bs.get("human_requested")):
        derail.append("handed off")
    ending = sorted(ENDING_REPLIES & set(out.templates))
    if ending:
        derail.append("replied " + ", ".join(ending))

    set_values = {s: v for s, v in out.changed.items() if v not in (None, "", [], {})}
    if set_values:
        out.outcome, out.reason = "taken_as_answer", "set " + ", ".join(sorted(set_values))
    elif derail:
        out.outcome, out.reason = "derailed", "; ".join(derail)
    elif out.changed:
        out.outcome, out.reason = "taken_as_answer", "changed " + ", ".join(sorted(out.changed))
    elif restart_confirmation:
        out.outcome, out.reason = "other", "read as start over: asked to confirm"
    elif as_.get("requested_slot") == out.question and out.question in asked(replies):
        first = out.templates[0] if out.templates else "(nothing)"
        out.outcome, out.reason = "handled", f"first reply {first}"
    else:
        others = [t for t in out.templates if not t.startswith("utter_ask_")]
        out.outcome = "other"
        if any(t.startswith("utter_before_you_go") for t in out.templates):
            out.reason = "read as goodbye: asked to stay"
        else:
            out.reason = (f"requested_slot {as_.get('requested_slot')}, asked {asked(replies) or 'nothing'}, "
                          f"replies {', '.join(others) or 'none'}")


def run_form(rasa: Rasa, questions: list[str], messages: list[dict[str, str]]) -> list[Outcome]:
    outcomes = []
    for q in questions:
        for i, msg in enumerate(messages):
            sender = f"offtopic-{q}-{i}"
            out = Outcome(question=q, text=msg["text"], source=msg["intent"])
            problem = reach(rasa, sender, q)
            before = rasa.tracker(sender)
            if problem is None and (before.get("active_loop") or {}).get("name") != "lead_form":
                problem = "form not active"
            if problem is None and before["slots"].get("requested_slot") != q:
                problem = f"requested_slot is {before['slots'].get('requested_slot')}"
            if problem:
                out.outcome, out.reason = "setup_failed", problem
                outcomes.append(out)
                continue
            replies = [r.get("text", "") for r in rasa.say(sender, msg["text"])]
            out.replies = replies
            classify(out, before, rasa.tracker(sender), replies)
            outcomes.append(out)
    return outcomes


CLASSES = ["taken_as_answer", "derailed", "handled", "other", "setup_failed"]


def shown(value: Any, text: str) -> Any:
    """A changed slot's value, short: an answer's fields without the visitor's words."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if v is not None and not (k == "text" and v == text)}
    return value


def round_robin(group: list[Outcome]) -> list[Outcome]:
    """Examples spread over the questions: the first of each question, then the second, ..."""
    by_question: dict[str, list[Outcome]] = defaultdict(list)
    for o in group:
        by_question[o.question].append(o)
    lists = list(by_question.values())
    return [lst[i] for i in range(max(map(len, lists), default=0)) for lst in lists if i < len(lst)]


def report_form(outcomes: list[Outcome], examples: int) -> None:
    print("\n== In the form: one off-topic message while a question is pending "
          "(targets: 0 taken, 0 derailed, >= 95% handled)")
    questions = list(dict.fromkeys(o.question for o in outcomes))
    extra = ["of which off-topic reply", "attempt counted"]
    print(f"{'question':10}" + "".join(f"{c:>16}" for c in CLASSES) + "".join(f"{c:>26}" for c in extra))
    rows = [(q, [o for o in outcomes if o.question == q]) for q in questions] + [("total", outcomes)]
    for q, group in rows:
        counts = Counter(o.outcome for o in group)
        well = sum(o.outcome == "handled" and o.templates[:1] and o.templates[0] in OFF_TOPIC_REPLIES for o in group)
        print(f"{q:10}" + "".join(f"{counts[c]:>16}" for c in CLASSES)
              + f"{well:>26}{sum(o.attempt_counted for o in group):>26}")
    n = len(outcomes)
    counts = Counter(o.outcome for o in outcomes)
    print("total: " + ", ".join(f"{c} {counts[c]} ({counts[c] / max(n, 1):.1%})" for c in CLASSES if counts[c]))
    handled = [o for o in outcomes if o.outcome == "handled"]
    print("handled, first reply: " + ", ".join(f"{t} {c}" for t, c in
                                                Counter(o.reason.split()[-1] for o in handled).most_common()))
    print("'attempt counted': the message counted as an unclear answer (answer_attempts changed; "
          "after max_reasks of them the question is recorded as unknown)")
    for cls in ("taken_as_answer", "derailed", "other", "setup_failed"):
        group = [o for o in outcomes if o.outcome == cls]
        if not group:
            continue
        print(f"\n-- {cls}: {len(group)}; reasons: "
              + ", ".join(f"{r} {c}" for r, c in Counter(o.reason for o in group).most_common(6)))
        for o in round_robin(group)[:examples]:
            changed = {k: shown(v, o.text) for k, v in o.changed.items()}
            print(f"  [{o.question}] {o.text!r} (NLU {o.nlu}): {o.reason}"
                  + (f"; {json.dumps(changed, default=str)[:160]}" if changed else "")
                  + f"\n      bot: {' | '.join(o.replies)[:200]!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL, help="trained model (default models/leadbot.tar.gz)")
    parser.add_argument("--per-question", type=int, default=100, help="off-topic messages per pending question")
    parser.add_argument("--questions", default=",".join(QUESTIONS), help="comma-separated pending questions")
    parser.add_argument("--examples", type=int, default=20, help="failure examples listed per class")
    parser.add_argument("--no-nlu", action="store_true", help="skip the NLU-alone part")
    parser.add_argument("--no-form", action="store_true", help="skip the in-form part")
    parser.add_argument("--json", type=Path, help="write every message's result here")
    args = parser.parse_args()
    questions = [q for q in args.questions.split(",") if q]
    unknown = set(questions) - set(QUESTIONS)
    if unknown:
        parser.error(f"unknown questions {sorted(unknown)}; choose from {QUESTIONS}")
    model = args.model.resolve()
    sets = load_sets()
    print(f"model: {model_info(model)}")
    print(f"action server: this tree, {tree_info()}")
    print(f"data: {DATA.relative_to(ROOT)} (CLINC150, CC BY 3.0): oos {len(sets['oos'])}, "
          f"unrelated {len(sets['unrelated'])}, small talk {len(sets['small_talk'])}")
    for name, lines in training_overlap(sets).items():
        if lines:
            print(f"  {name}: {len(lines)} lines equal a data/*.yml example: {'; '.join(lines)}")
    result: dict[str, Any] = {"model": str(model)}
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as workdir:
        servers = BotServers(Path(workdir), env_overrides={"LEADBOT_NOW": NOW}, model=model).start()
        try:
            rasa = Rasa(servers)
            if not args.no_nlu:
                result["nlu"] = run_nlu(rasa, sets, args.examples)
                print(f"(NLU part: {time.monotonic() - started:.0f} s)")
            if not args.no_form:
                t0 = time.monotonic()
                outcomes = run_form(rasa, questions, form_sample(sets, args.per_question))
                report_form(outcomes, args.examples)
                print(f"(in-form part: {len(outcomes)} conversations, {time.monotonic() - t0:.0f} s)")
                result["form"] = [asdict(o) for o in outcomes]
        finally:
            servers.stop()
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
