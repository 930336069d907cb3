# Shared settings for the scripts; sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RASA_VENV="$ROOT/.venvs/rasa"
APP_VENV="$ROOT/.venvs/app"
export RASA_TELEMETRY_ENABLED=false
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export TF_CPP_MIN_LOG_LEVEL=2
export PYTHONWARNINGS="ignore::DeprecationWarning"
export LEADBOT_DATA_DIR="${LEADBOT_DATA_DIR:-$ROOT/data/runtime}"

log() { printf '\033[1m[leadbot]\033[0m %s\n' "$*" >&2; }

# The Python 3.10 interpreter (Rasa 3.6 supports up to 3.10).
python310() {
  local want; want="$(cat "$ROOT/.python-version")"
  if command -v pyenv >/dev/null 2>&1 && [ -x "$(pyenv root)/versions/$want/bin/python" ]; then
    echo "$(pyenv root)/versions/$want/bin/python"
  elif command -v python3.10 >/dev/null 2>&1; then
    command -v python3.10
  else
    log "Python 3.10 not found: install it (pyenv install $want) and retry"; return 1
  fi
}

# libfaketime's preload library (Debian's libfaketime), or nothing.
faketime_library() {
  ls /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 2>/dev/null | head -n1 || true
}

# Debian packages the project's processes need (PostgreSQL, Redis, HAProxy...), installed with
# apt-get when missing and we may (root); otherwise a message and status 1.
apt_install() {
  [ $# -gt 0 ] || return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing $* (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
  else
    log "not found and cannot install: $*"; return 1
  fi
}
