"""kill -9 of the real processes of a running `BotServers` and starting them again, on the same
ports and stores (no goodbye: what a crash or the OOM killer does). Used by tests/e2e and
bench/faults.py."""
from __future__ import annotations

import subprocess

from tests.e2e.servers import BotServers, wait_until


def kill(bot: BotServers, name: str) -> subprocess.Popen:
    """SIGKILL the running "rasa" or "actions" process; the killed process."""
    proc = bot.process(name)
    proc.kill()
    proc.wait(timeout=30)
    bot.procs.remove(proc)
    return proc


def start_rasa(bot: BotServers) -> None:
    """Rasa again, with its model loaded (the conversations go on from the tracker store)."""
    rasa = bot._start_rasa("a")
    wait_until(bot._model_ready, 180, "Rasa server (started again)", rasa, bot.workdir / "rasa.log")


def start_actions(bot: BotServers) -> None:
    bot.start_actions()
