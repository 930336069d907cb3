#!/usr/bin/env bash
# Run every test: domain logic, store, actions, Rasa data validation and test stories,
# and end-to-end conversations through the trained model and the real action server.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$(dirname "$0")/test-deps.sh"
cd "$ROOT"
mkdir -p artifacts
"$APP_VENV/bin/python" -m pytest -p no:cacheprovider "$@"
