#!/usr/bin/env bash
# Start the bot on localhost: the action server, the CRM sync worker (`leadbot sync
# --follow`, idle while settings/crm.yml says provider: none), the lead-card sender
# (`leadbot notifications send --follow`), the reps' dashboard (`leadbot dashboard`) and the
# Rasa server (REST + socket.io + HTTP API), on the SQLite pipeline store. Ctrl-C stops them all.
#   LEADBOT_RASA_PORT (5005)  LEADBOT_ACTIONS_PORT (5055)  LEADBOT_AUTH_TOKEN (HTTP API token)
#   LEADBOT_DASHBOARD_PORT (8080)  LEADBOT_ADMIN_EMAIL/LEADBOT_ADMIN_PASSWORD (first manager account)
#   LEADBOT_WIDGET_SOCKET_URL (Rasa as browsers see it)
#   LEADBOT_DATABASE_URL (default sqlite under data/runtime)
#   LEADBOT_TELEGRAM_* / LEADBOT_SLACK_* / LEADBOT_FACEBOOK_* / LEADBOT_TWILIO_* (messaging apps, docs/channels.md)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
rasa_port="${LEADBOT_RASA_PORT:-5005}"
actions_port="${LEADBOT_ACTIONS_PORT:-5055}"
mkdir -p "$LEADBOT_DATA_DIR"
export LEADBOT_ACTION_ENDPOINT="http://127.0.0.1:$actions_port/webhook"
export LEADBOT_TRACKER_DB="${LEADBOT_TRACKER_DB:-$LEADBOT_DATA_DIR/tracker.db}"

"$APP_VENV/bin/leadbot" db upgrade
"$APP_VENV/bin/python" -m rasa_sdk --actions actions --port "$actions_port" &
actions_pid=$!
"$APP_VENV/bin/leadbot" sync --follow &
sync_pid=$!
"$APP_VENV/bin/leadbot" notifications send --follow &
notify_pid=$!
dashboard_port="${LEADBOT_DASHBOARD_PORT:-8080}"
# The dashboard server also serves the chat widget, its demo page and the rep API (webchat/).
export LEADBOT_RASA_URL="http://127.0.0.1:$rasa_port"
"$APP_VENV/bin/leadbot" dashboard --port "$dashboard_port" &
dashboard_pid=$!
trap 'kill $actions_pid $sync_pid $notify_pid $dashboard_pid 2>/dev/null || true' EXIT INT TERM
log "Dashboard on http://127.0.0.1:$dashboard_port (first account: .venvs/app/bin/leadbot users add you@example.com --role manager)"
log "Chat widget demo on http://127.0.0.1:$dashboard_port/demo/ (reps answer hand-offs on the lead page or the rep API, docs/handoff.md)"

# Messaging apps (Telegram, Slack, Messenger, WhatsApp via Twilio) join REST + socket.io when
# their LEADBOT_* variables are set (docs/channels.md).
credentials="$LEADBOT_DATA_DIR/credentials.yml"
(cd "$ROOT" && "$RASA_VENV/bin/python" -m rasa_addons.channels.credentials credentials.yml "$credentials")

auth=()
if [ -n "${LEADBOT_AUTH_TOKEN:-}" ]; then auth=(--auth-token "$LEADBOT_AUTH_TOKEN"); fi
log "Rasa on http://127.0.0.1:$rasa_port (REST: /webhooks/rest/webhook), actions on :$actions_port"
"$RASA_VENV/bin/rasa" run --model models/leadbot.tar.gz --enable-api "${auth[@]}" \
  --interface 127.0.0.1 --port "$rasa_port" --endpoints endpoints.yml --credentials "$credentials"
