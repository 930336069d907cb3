"""The conversation's language on the blind visitor suites (tests/blind/<code>/visitors.yml, and
the English tests/blind/visitors*.yml, which must stay English), in
plain Python (no bot): each visitor's messages through `choose_language` in order, with no page
language (the REST channel sends none). Measured, never tuned to (tests/blind/LANGUAGES.md).

    .venvs/app/bin/python bench/language_blind.py
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.language.choice import choose_language  # noqa: E402


def main() -> None:
    print(f"{'suite':6} {'file':16} {'visitors':>8} {'1st reply':>9} {'every reply':>11} {'at the end':>10} {'told wrong':>10}")
    blind = ROOT / "tests" / "blind"
    suites = [("en", path) for path in sorted(blind.glob("visitors*.yml"))] + \
        [(path.parent.name, path) for path in sorted(blind.glob("*/visitors.yml"))]
    for code, path in suites:
        visitors = yaml.safe_load(path.read_text(encoding="utf-8"))["visitors"]
        first = every = end = wrong = 0
        for visitor in visitors:
            choice, chosen = None, []
            for message in visitor["messages"]:
                choice = choose_language(choice, str(message), None)
                chosen.append(choice.code)
                wrong += choice.settled and choice.code != code  # told, and told wrong (not just undecided)
            first += chosen[0] == code
            every += all(c == code for c in chosen)
            end += chosen[-1] == code
        n = len(visitors)
        print(f"{code:6} {path.name:16} {n:8} {first / n:9.0%} {every / n:11.0%} {end / n:10.0%} {wrong:10}")


if __name__ == "__main__":
    main()
