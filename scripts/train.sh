#!/usr/bin/env bash
# Train the Rasa model only when its inputs changed (config, domain, data, in-server code).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
model="models/leadbot.tar.gz"
stamp="models/.leadbot-fingerprint"
want="$(cat config.yml domain.yml requirements/rasa.lock data/*.yml $(find rasa_addons -name '*.py' | sort) | sha256sum | cut -d' ' -f1)"
if [ -f "$model" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  log "model up to date ($model)"; exit 0
fi
log "training the model"
start=$(date +%s)
"$RASA_VENV/bin/rasa" train --data data/*.yml --fixed-model-name leadbot --out models --quiet 2>&1 | grep -v -e 'Warning' -e 'warn(' -e '^ *$' >&2 || true
[ -f "$model" ] || { log "training failed"; exit 1; }
echo "$want" > "$stamp"
log "trained in $(( $(date +%s) - start )) s"
