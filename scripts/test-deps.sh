#!/usr/bin/env bash
# System packages the test suite needs beyond the two Python environments:
# - PostgreSQL server binaries (the store is tested on a real PostgreSQL started by the tests);
# - Redis server (the scaled-out deployment's lock store, started by its test);
# - Chromium and ChromeDriver (the widget and the dashboard are tested in a real headless browser,
#   driven by Playwright for Python with the system Chromium: Playwright never downloads one).
# - with --faketime, libfaketime (`scripts/test.sh --at`: the suite on another day and hour).
# Installed with apt-get when missing and we may; otherwise those tests say why they skip.
set -euo pipefail
source "$(dirname "$0")/env.sh"

have_postgres() { command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }

missing=()
have_postgres || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v chromium >/dev/null || missing+=(chromium chromium-driver)
if [ "${1:-}" = "--faketime" ] && [ -z "$(faketime_library)" ]; then missing+=(libfaketime); fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing ${missing[*]} (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null; }
  else
    log "not found and cannot install: ${missing[*]}: the tests that need them will say why they skip"
  fi
fi
if [ "${1:-}" = "--faketime" ] && [ -z "$(faketime_library)" ]; then
  log "libfaketime is needed for --at (apt-get install libfaketime)"; exit 1
fi
