#!/usr/bin/env bash
# Run every test: domain logic, store, actions, Rasa data validation and test stories,
# and end-to-end conversations through the trained model and the real action server.
#
#   scripts/test.sh [--at WHEN] [pytest args...]
#
# --at runs the whole suite, every process it starts included, on a wall clock that starts at
# WHEN and runs on from there (libfaketime), to show that no test depends on the day or hour:
#   scripts/test.sh --at 2030-01-01T07:59Z
#   scripts/test.sh --at "2027-03-28T01:30 Europe/Berlin"   # local time of that zone (TZ set too)
set -euo pipefail
source "$(dirname "$0")/env.sh"

at=""
if [ "${1:-}" = "--at" ]; then
  at="${2:?--at needs a date and time, e.g. 2030-01-01T07:59Z}"; shift 2
fi

"$(dirname "$0")/test-deps.sh" ${at:+--faketime}
cd "$ROOT"
mkdir -p artifacts

if [ -n "$at" ]; then
  # "2027-03-28T01:30 Europe/Berlin" -> the instant in UTC, and that zone as the machine's.
  read -r zone stamp < <("$APP_VENV/bin/python" - "$at" <<'PY'
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo
text, _, zone = sys.argv[1].strip().partition(" ")
when = datetime.fromisoformat(text.replace("Z", "+00:00"))
if when.tzinfo is None:
    when = when.replace(tzinfo=ZoneInfo(zone or "UTC"))
print(zone or "UTC", when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S"))
PY
  )
  log "wall clock starts at $stamp UTC (TZ=$zone) for every process of this run"
  # Redis and the browser keep the real clock: libfaketime recurses inside jemalloc (redis)
  # and Chromium does not start under it, and neither holds any of our decisions. Shims first
  # on PATH (and LEADBOT_CHROMIUM) start them without the preload.
  shims="$(mktemp -d)"
  for program in redis-server redis-cli chromium; do
    real="$(command -v "$program" || true)"
    [ -n "$real" ] && printf '#!/bin/sh\nexec env -u LD_PRELOAD -u FAKETIME "%s" "$@"\n' "$real" > "$shims/$program" \
      && chmod +x "$shims/$program"
  done
  export PATH="$shims:$PATH" LEADBOT_CHROMIUM="$shims/chromium"
  export TZ="$zone" FAKETIME="@$stamp" DONT_FAKE_MONOTONIC=1 FAKETIME_DONT_RESET=1
  export LD_PRELOAD="$(faketime_library)${LD_PRELOAD:+:$LD_PRELOAD}"
fi
# The whole suite runs in LEADBOT_TEST_WORKERS processes (pytest-xdist, default 2: most of a test's
# time is spent waiting on the servers it starts, so two run side by side on 2 cores); each folder
# of tests/ runs whole in one process, in order (tests/conftest.py), and each process takes its
# own share of free ports (tests/ports.py). Given paths, one process unless set.
workers="${LEADBOT_TEST_WORKERS:-}"
if [ -z "$workers" ]; then
  workers=2
  for arg in "$@"; do case "$arg" in tests*|./tests*) workers=0 ;; esac; done
fi
# artifacts/junit.xml: every test's time, to see where the suite's minutes go.
"$APP_VENV/bin/python" -m pytest -p no:cacheprovider -n "$workers" --dist loadgroup \
  --junitxml=artifacts/junit.xml -o junit_family=xunit2 "$@"
