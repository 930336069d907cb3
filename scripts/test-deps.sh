#!/usr/bin/env bash
# System packages the test suite needs beyond the two Python environments:
# - PostgreSQL server binaries (the store is tested on a real PostgreSQL started by the tests);
# - Redis server (the scaled-out deployment's lock store, started by its test);
# - HAProxy (the load balancer of `scripts/run-scaled.sh`, started by tests/e2e/test_scaled_stack.py);
# - RabbitMQ (the event broker: Rasa's conversation events to their consumer; tests/rabbitmq.py);
# - Chromium and ChromeDriver (the widget and the dashboard are tested in a real headless browser,
#   driven by Playwright for Python with the system Chromium: Playwright never downloads one).
# - fonts for the widget's Chinese and Persian (tests/webchat/test_widget_languages.py asks Chromium
#   which fonts drew them): WenQuanYi Micro Hei (1.6 MB) when no installed font covers Chinese,
#   DejaVu Sans when none covers Persian.
# - with --faketime, libfaketime (`scripts/test.sh --at`: the suite on another day and hour).
# - npm, and with it rasa-webchat (the community chat widget many Rasa sites embed) from the npm
#   registry into tests/webchat/.rasa-webchat/ once; later runs reuse it (fetch_rasa_webchat).
# Installed with apt-get when missing and we may; otherwise those tests say why they skip.
set -euo pipefail
source "$(dirname "$0")/env.sh"

have_postgres() { command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }

missing=()
have_postgres || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v haproxy >/dev/null || missing+=(haproxy)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
command -v chromium >/dev/null || missing+=(chromium chromium-driver)
command -v npm >/dev/null || missing+=(npm)
has_font_for() { command -v fc-list >/dev/null && [ -n "$(fc-list ":lang=$1" family)" ]; }
has_font_for zh || missing+=(fonts-wqy-microhei)
has_font_for fa || missing+=(fonts-dejavu-core)
if [ "${1:-}" = "--faketime" ] && [ -z "$(faketime_library)" ]; then missing+=(libfaketime); fi

if [ ${#missing[@]} -gt 0 ]; then
  apt_install "${missing[@]}" || log "the tests that need them will say why they skip"
fi
if [ "${1:-}" = "--faketime" ] && [ -z "$(faketime_library)" ]; then
  log "libfaketime is needed for --at (apt-get install libfaketime)"; exit 1
fi

# rasa-webchat for tests/webchat/test_rasa_webchat.py: the package's tarball as the npm
# registry publishes it (`npm pack`), checked against its published sha512 and unpacked.
# Its lib/index.js is a standalone bundle (React and socket.io-client inside), so none of its
# 250-odd npm dependencies is needed. Fetched only when missing or when the pin changes.
fetch_rasa_webchat() {
  local version="1.0.1"
  local sha512="2ddd73549bd301a4ebb3a039a7cb7bd1a80d36b2984725e5bea5d94600680ef28a5176c0d238492840a2e5b74f1a5691ea3b26a96b55ca51d2f98a88aa8d31f3"
  local target="$ROOT/tests/webchat/.rasa-webchat" tarball="rasa-webchat-$version.tgz"
  if [ -f "$target/package/lib/index.js" ] && [ "$(cat "$target/.leadbot-stamp" 2>/dev/null)" = "$version $sha512" ]; then
    return 0
  fi
  if ! command -v npm >/dev/null; then
    log "npm not found: tests/webchat/test_rasa_webchat.py will say so"; return 0
  fi
  log "fetching rasa-webchat $version from the npm registry (1.5 MB)"
  rm -rf "$target" && mkdir -p "$target"
  (cd "$target" && npm pack --silent "rasa-webchat@$version" >/dev/null) \
    || { log "npm pack rasa-webchat@$version failed: tests/webchat/test_rasa_webchat.py will say so"; rm -rf "$target"; return 0; }
  (cd "$target" && echo "$sha512  $tarball" | sha512sum --check --status) \
    || { log "rasa-webchat $version: sha512 mismatch"; rm -rf "$target"; exit 1; }
  tar xzf "$target/$tarball" -C "$target" package/lib/index.js package/LICENSE package/package.json
  echo "$version $sha512" > "$target/.leadbot-stamp"
}

fetch_rasa_webchat
