#!/usr/bin/env bash
# Build (or reuse) the two environments. Each is rebuilt only when its pin file changes:
#   .venvs/rasa  <- requirements/rasa.lock   (rasa 3.6.21 and its exact dependency set)
#   .venvs/app   <- pyproject.toml           (our code, rasa-sdk, SQLAlchemy 2, tests)
set -euo pipefail
source "$(dirname "$0")/env.sh"

quiet_pip() { grep -v -e 'is ignored: it is neither' -e '^$' || true; }

build_env() {  # name venv pinfile install-args...
  local name="$1" venv="$2" pins="$3"; shift 3
  local stamp="$venv/.leadbot-stamp" want
  want="$(cat "$pins" "$ROOT/.python-version" | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    log "$name environment up to date"; return 0
  fi
  log "building the $name environment (first time takes a few minutes)"
  rm -rf "$venv"
  "$(python310)" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade "pip==24.2" 2>&1 | quiet_pip
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "$@" 2>&1 | quiet_pip
  "$venv/bin/python" -m pip check >/dev/null || { log "$name environment is inconsistent"; "$venv/bin/python" -m pip check; exit 1; }
  echo "$want" > "$stamp"
}

build_env rasa "$RASA_VENV" "$ROOT/requirements/rasa.lock" -r "$ROOT/requirements/rasa.lock"
build_env application "$APP_VENV" "$ROOT/pyproject.toml" -e "$ROOT[test]"
