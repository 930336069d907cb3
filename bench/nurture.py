"""Benchmark: nurture e-mails per second, and the cost of a sweep over many open sequences.

N opted-in nurture leads in a SQLite store, a real SMTP server (aiosmtpd) on 127.0.0.1, the
shipped sequences (settings/nurture.yml) and content. Times: the sweep that enrolls them,
the round that queues and sends step 1 to everyone (1 and 2 senders at once), and an idle
sweep over N open sequences (what every round costs once nothing is due).

    .venvs/app/bin/python bench/nurture.py [--leads 500]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.nurture.sequence import sweep  # noqa: E402
from bot.nurture.worker import Sender, run_once  # noqa: E402
from bot.store.db import make_engine, session_factory  # noqa: E402
from bot.store.migrate import upgrade  # noqa: E402
from bot.store.repository import record_followup_optin, save_lead  # noqa: E402
from tests.notify.smtp_server import SmtpServer  # noqa: E402
from tests.store.builders import NOW, submission  # noqa: E402


def run(leads: int, senders: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, SmtpServer() as smtp:
        settings = Path(tmp, "settings")
        settings.mkdir()
        for name in ("nurture.yml", "content.yml"):
            shutil.copy(ROOT / "settings" / name, settings / name)
        (settings / "notifications.yml").write_text(f"smtp: {{host: 127.0.0.1, port: {smtp.port}}}\n")
        os.environ.update(LEADBOT_SETTINGS_DIR=str(settings), LEADBOT_DATA_DIR=tmp)
        url = f"sqlite:///{tmp}/leadbot.db"
        upgrade(url)
        sessions = session_factory(make_engine(url))
        with sessions.begin() as s:
            for i in range(leads):
                save_lead(s, submission(f"c-{i}", email=f"lead{i}@bench.example", status="nurture", points=40), now=NOW)
                record_followup_optin(s, f"c-{i}", True, now=NOW)
        sender = Sender.from_settings()
        sender = Sender(sender.settings.model_copy(update={"batch_size": 1000}), sender.smtp, sender.content,
                        sender.links)
        at = [NOW]
        started = time.perf_counter()
        with sessions.begin() as s:
            sweep(s, sender.settings, now=at[0])
        enrolled = time.perf_counter() - started
        at[0] = NOW + timedelta(days=2)
        started = time.perf_counter()

        def send(name: str) -> None:
            while run_once(sessions, sender, now=lambda: at[0], worker=name).handled:
                pass

        threads = [threading.Thread(target=send, args=(f"w{n}",)) for n in range(senders)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        sent = time.perf_counter() - started
        assert len(smtp.messages) == leads, (len(smtp.messages), leads)
        started = time.perf_counter()
        with sessions.begin() as s:
            sweep(s, sender.settings, now=at[0])
        idle = time.perf_counter() - started
        sessions.kw["bind"].dispose()
        return {"enroll_s": enrolled, "send_s": sent, "per_s": leads / sent, "idle_sweep_s": idle}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=500)
    args = parser.parse_args()
    print(f"{'senders':>7} {'leads':>6} {'enroll s':>9} {'send s':>7} {'e-mails/s':>9} {'idle sweep s':>12}")
    for senders in (1, 2):
        r = run(args.leads, senders)
        print(f"{senders:>7} {args.leads:>6} {r['enroll_s']:>9.2f} {r['send_s']:>7.2f} {r['per_s']:>9.1f} "
              f"{r['idle_sweep_s']:>12.3f}")


if __name__ == "__main__":
    main()
