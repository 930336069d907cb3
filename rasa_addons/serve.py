"""`rasa` with the HTTP API token taken from the environment instead of the command line.

Rasa 3.6 reads its API token only from `--auth-token`, and a command line is readable by
every user of the machine (`ps`, /proc/PID/cmdline). This hands Rasa the token from
`LEADBOT_AUTH_TOKEN` inside the process: the arguments Rasa parses change, the command line
the kernel shows does not.

    python -m rasa_addons.serve run --model models/leadbot.tar.gz --enable-api ...

It also installs `unread_sweep`: answers a visitor gave while the action server was down
are read as soon as it answers again, even if the visitor never writes again.
"""
from __future__ import annotations

import os
import sys
from typing import List, Mapping

TOKEN_VARIABLE = "LEADBOT_AUTH_TOKEN"


def with_token(argv: List[str], env: Mapping[str, str]) -> List[str]:
    """`argv` plus `--auth-token` from `env` when it is set and `argv` has none."""
    token = env.get(TOKEN_VARIABLE, "")
    if not token or "--auth-token" in argv:
        return list(argv)
    return [*argv, "--auth-token", token]


if __name__ == "__main__":
    from rasa.__main__ import main

    from rasa_addons import unread_sweep

    unread_sweep.install()  # answers given while the action server was down are read once it is back
    sys.argv = [sys.argv[0], *with_token(sys.argv[1:], os.environ)]
    main()
