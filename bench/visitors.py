"""The blind visitor suite, in full: every script of tests/blind/visitors.yml played against the
real bot (trained model, action server, SQLite), each stored lead compared field by field.

Prints each visitor's misses, then checks passed / total, fully right leads, and e-mails kept.
`--json FILE` writes every check and transcript for a closer look.

    .venvs/app/bin/python bench/visitors.py [--only v01,v07] [--json artifacts/visitors.json] [--suite FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.blind.runner import SUITE, load_visitors, play  # noqa: E402
from tests.conftest import NOW  # noqa: E402
from tests.e2e.servers import BotServers  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated visitor id prefixes")
    parser.add_argument("--json", type=Path, help="write the checks and transcripts here")
    parser.add_argument("--suite", type=Path, default=SUITE, help="a visitors file (default tests/blind/visitors.yml)")
    args = parser.parse_args()
    prefixes = [p for p in args.only.split(",") if p]
    visitors = [v for v in load_visitors(args.suite) if not prefixes or any(v["id"].startswith(p) for p in prefixes)]
    with tempfile.TemporaryDirectory() as workdir:
        servers = BotServers(Path(workdir), env_overrides={"LEADBOT_NOW": NOW}).start()
        try:
            outcomes = [play(servers, v, f"blind-{i}-{v['id']}") for i, v in enumerate(visitors)]
        finally:
            servers.stop()
    checks = sum(len(o.checks) for o in outcomes)
    passed = sum(o.passed for o in outcomes)
    emails = [c for o in outcomes for c in o.checks if c.field == "email"]
    for o in outcomes:
        if not o.fully_right:
            print(f"{o.visitor}: {o.failures()}")
    print(f"\nchecks passed: {passed} / {checks} ({passed / max(checks, 1):.1%})")
    print(f"fully right leads: {sum(o.fully_right for o in outcomes)} / {len(outcomes)}")
    print(f"e-mails kept: {sum(c.ok for c in emails)} / {len(emails)}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([{"visitor": o.visitor, "checks": [c.__dict__ for c in o.checks],
                                          "transcript": o.transcript} for o in outcomes], indent=1, default=str),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
