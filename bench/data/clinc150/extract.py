"""Write this folder's three JSON files from CLINC150's `data/data_full.json` (clinc/oos-eval,
commit 828f809). Only the *test* split is used, and only to measure (bench/off_topic.py): never
as training examples.

    git --git-dir=<clone of github.com/clinc/oos-eval> show 828f809:data/data_full.json > /tmp/data_full.json
    python3 bench/data/clinc150/extract.py /tmp/data_full.json

The samples are deterministic: within each intent the test queries are ordered by the sha256 of
their text and the first ones are kept.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Things a visitor may say to any chatbot and expect an answer to (CLINC's small_talk domain and
# the conversational part of its meta domain): the bot should answer them, not call them off-topic.
SMALL_TALK = [
    "are_you_a_bot", "do_you_have_pets", "fun_fact", "goodbye", "greeting", "how_old_are_you",
    "meaning_of_life", "tell_joke", "thank_you", "what_are_your_hobbies", "what_can_i_ask_you",
    "what_is_your_name", "where_are_you_from", "who_do_you_work_for", "who_made_you",
    "cancel", "change_ai_name", "change_user_name", "maybe", "no", "repeat", "user_name", "yes",
]
# Could be a sales visitor's legitimate message to a chatbot vendor's bot ("speak spanish please",
# "schedule a meeting for thursday at 4"): in neither sample.
EXCLUDED = ["change_language", "schedule_meeting"]

UNRELATED_PER_INTENT = 5
SMALL_TALK_PER_INTENT = 10


def key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sample(rows: list[list[str]], intents: list[str], per_intent: int) -> list[dict[str, str]]:
    out = []
    for intent in intents:
        texts = sorted((t for t, label in rows if label == intent), key=key)[:per_intent]
        out += [{"text": t, "intent": intent} for t in texts]
    return out


def main(source: str) -> None:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    test = data["test"]
    intents = sorted({label for _, label in test})
    assert len(intents) == 150 and not (set(SMALL_TALK) | set(EXCLUDED)) - set(intents)
    unrelated = [i for i in intents if i not in SMALL_TALK and i not in EXCLUDED]
    files = {
        "oos_test.json": [t for t, label in data["oos_test"]],
        "unrelated_sample.json": sample(test, unrelated, UNRELATED_PER_INTENT),
        "small_talk_sample.json": sample(test, sorted(SMALL_TALK), SMALL_TALK_PER_INTENT),
    }
    for name, rows in files.items():
        lines = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
        (HERE / name).write_text(f"[\n{lines}\n]\n", encoding="utf-8")
        print(f"{name}: {len(rows)}")


if __name__ == "__main__":
    main(sys.argv[1])
