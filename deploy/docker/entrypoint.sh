#!/usr/bin/env bash
# Both images' entrypoint: the settings every script of ours starts with (scripts/env.sh), then in
# the Rasa image the credentials file (REST, socket.io and each messaging app whose LEADBOT_*
# variables are set, as scripts/run.sh and run-scaled.sh write it), then the command.
set -euo pipefail
source "$(dirname "$0")/../../scripts/env.sh"  # /app/scripts/env.sh in the images
if [ -x "$RASA_VENV/bin/python" ]; then
  "$RASA_VENV/bin/python" -m rasa_addons.channels.credentials credentials.yml "$LEADBOT_DATA_DIR/credentials.yml"
fi
exec "$@"
