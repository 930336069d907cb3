#!/usr/bin/env bash
# System packages the test suite needs beyond the two Python environments:
# PostgreSQL server binaries (the store is tested on a real PostgreSQL started by the tests).
# Installed with apt-get when missing and we may; otherwise those tests say why they skip.
set -euo pipefail
source "$(dirname "$0")/env.sh"

have_postgres() { command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }

if ! have_postgres; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing PostgreSQL server binaries (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; }
  else
    log "PostgreSQL server binaries not found and cannot install them: PostgreSQL tests will skip"
  fi
fi
